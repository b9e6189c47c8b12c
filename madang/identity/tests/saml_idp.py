"""A real SAML 2.0 identity provider on loopback, for the tests: pysaml2's `Server`, served over
HTTP by wsgiref in a thread, with a key and certificate made at start (in a temporary directory:
nothing secret is kept in the repository).

GET /sso takes the AuthnRequest (HTTP-Redirect binding) and answers, as a JSON object, the
SAMLResponse the browser would POST to the ACS and that address. The person "signed in at the
IdP" is whatever `idp.person` holds (`subject` plus attributes): no log-in page, since what is
tested is the service provider. `tamper` changes one thing in the next answer: `audience` (another
SP's entity id), `rogue` (signed by another key, under the same entity id), `unsigned_assertion`
(the response signed, the assertion in it not), `unsolicited` (an InResponseTo naming no
request of ours). Nothing here is Madang code.
"""

from __future__ import annotations

import base64
import datetime
import json
import shutil
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server


def make_key_pair(directory: Path, name: str) -> tuple[str, str]:
    """A throw-away RSA key and a self-signed certificate for it, as PEM files in `directory`."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_file, cert_file = directory / f"{name}.key", directory / f"{name}.crt"
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return str(key_file), str(cert_file)


class LoopbackIdP:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.person: dict[str, Any] = {}
        self.tamper: dict[str, Any] = {}
        self.sp_metadata: list[str] = []
        self.last_request_id = ""

    def start(self) -> LoopbackIdP:
        class Quiet(WSGIRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server: WSGIServer = make_server("127.0.0.1", 0, self.app, handler_class=Quiet)
        self.base = f"http://127.0.0.1:{self._server.server_port}"
        self.entity_id = self.base + "/idp"
        self.keys = make_key_pair(self.directory, "idp")
        self.rogue_keys = make_key_pair(self.directory, "rogue")
        self.metadata_xml = create_metadata_string(None, config=self._config(self.keys), valid=None).decode()
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def trust_sp(self, metadata_xml: str) -> None:
        """Load a service provider's metadata (as an IdP's administrator would)."""
        self.sp_metadata = [metadata_xml]

    def _config(self, keys: tuple[str, str]) -> IdPConfig:
        config = IdPConfig()
        config.load(
            {
                "entityid": self.entity_id,
                "xmlsec_binary": shutil.which("xmlsec1"),
                "key_file": keys[0],
                "cert_file": keys[1],
                "metadata": {"inline": self.sp_metadata} if self.sp_metadata else {},
                "service": {
                    "idp": {
                        "name": "Loopback IdP",
                        "endpoints": {"single_sign_on_service": [(self.base + "/sso", BINDING_HTTP_REDIRECT)]},
                        "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                        "policy": {"default": {"lifetime": {"minutes": 5}, "attribute_restrictions": None}},
                    }
                },
            }
        )
        return config

    def answer(self, saml_request: str) -> dict[str, str]:
        server = Server(config=self._config(self.keys))
        request = server.parse_authn_request(saml_request, BINDING_HTTP_REDIRECT).message
        self.last_request_id = request.id
        self.last_force_authn = str(request.force_authn or "").lower() == "true"
        signer = Server(config=self._config(self.rogue_keys)) if self.tamper.get("rogue") else server
        in_response_to = "id-unsolicited-0000" if self.tamper.get("unsolicited") else request.id
        person = dict(self.person)
        subject = str(person.pop("subject"))
        identity = {name: value if isinstance(value, list) else [value] for name, value in person.items()}
        response = signer.create_authn_response(
            identity,
            in_response_to,
            request.assertion_consumer_service_url,
            self.tamper.get("audience", request.issuer.text),
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=subject),
            authn={
                "class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport",
                # tamper["auth_age"]: the person signed in here that long ago (ForceAuthn ignored)
                "authn_instant": int(time.time()) - int(self.tamper.get("auth_age", 0)),
            },
            sign_assertion=not self.tamper.get("unsigned_assertion"),
            sign_response=bool(self.tamper.get("unsigned_assertion")),
        )
        return {
            "SAMLResponse": base64.b64encode(str(response).encode()).decode(),
            "acs": request.assertion_consumer_service_url,
        }

    def app(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        query = parse_qs(environ.get("QUERY_STRING", ""))
        if environ.get("PATH_INFO") != "/sso" or "SAMLRequest" not in query:
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found"]
        try:
            body = self.answer(query["SAMLRequest"][0])
        except Exception as exc:  # shown to the test, which fails on it
            start_response("400 Bad Request", [("Content-Type", "text/plain")])
            return [repr(exc).encode()]
        start_response("200 OK", [("Content-Type", "application/json")])
        return [json.dumps(body).encode()]
