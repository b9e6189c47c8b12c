"""A real OpenID Connect provider on loopback, for the tests: Authlib's authorisation server
with its OpenID Connect code flow (and PKCE), served over HTTP by wsgiref in a thread.

The person "signed in at the provider" is whatever `provider.person` holds when the browser
arrives at /authorize: no log-in page, since what is tested is the relying party. `tamper`
changes one thing in the next ID token (its audience, its times, its nonce, its signing key) so
the tests can see the relying party refuse it. Nothing here is Madang code.
"""

from __future__ import annotations

import hmac
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from authlib.oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import ClientMixin, OAuth2Error, OAuth2Request
from authlib.oauth2.rfc6749.grants import AuthorizationCodeGrant
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import OpenIDCode, UserInfo
from authlib.oidc.core.models import AuthorizationCodeMixin
from joserfc.jwk import KeySet, RSAKey
from requests.structures import CaseInsensitiveDict


@dataclass
class Client(ClientMixin):
    client_id: str
    client_secret: str
    redirect_uris: list[str]

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str:
        return self.redirect_uris[0]

    def get_allowed_scope(self, scope: str) -> str:
        return scope

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        return hmac.compare_digest(client_secret, self.client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


@dataclass
class Code(AuthorizationCodeMixin):
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    user: dict[str, Any]
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    auth_time: int = field(default_factory=lambda: int(time.time()))

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time


class WsgiRequest(OAuth2Request):
    def __init__(self, environ: dict[str, Any]) -> None:
        host = environ.get("HTTP_HOST", "127.0.0.1")
        uri = f"http://{host}{environ.get('PATH_INFO', '')}"
        if environ.get("QUERY_STRING"):
            uri += "?" + environ["QUERY_STRING"]
        headers = CaseInsensitiveDict({k[5:].replace("_", "-"): v for k, v in environ.items() if k.startswith("HTTP_")})
        super().__init__(environ["REQUEST_METHOD"], uri, headers=headers)
        self._args = dict(parse_qsl(environ.get("QUERY_STRING", "")))
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length).decode() if length else ""
        self._form = dict(parse_qsl(body))
        self.payload = BasicOAuth2Payload({**self._args, **self._form})

    @property
    def args(self) -> dict[str, str]:
        return self._args

    @property
    def form(self) -> dict[str, str]:
        return self._form


class LoopbackProvider:
    """Start with `start()`, stop with `stop()`; `issuer` is its base URL."""

    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "madang-test-1", "use": "sig"}, private=True)
        self.clients: dict[str, Client] = {}
        self.codes: dict[str, Code] = {}
        self.person: dict[str, Any] = {}
        self.tamper: dict[str, Any] = {}
        self.issued: list[str] = []  # every ID token, in order
        self.last_nonce: str | None = None
        self.last_authorize: dict[str, Any] = {}  # what the last /authorize asked (prompt, max_age)
        self._server: WSGIServer | None = None
        self._thread: threading.Thread | None = None
        self.authorization_server = self._build_server()

    # ---------------------------------------------------------------- lifecycle

    def start(self) -> LoopbackProvider:
        class Quiet(WSGIRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = make_server("127.0.0.1", 0, self.app, handler_class=Quiet)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def issuer(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_port}"

    def add_client(self, client_id: str, secret: str, redirect_uri: str) -> None:
        self.clients[client_id] = Client(client_id, secret, [redirect_uri])

    # ---------------------------------------------------------------- Authlib's server

    def _build_server(self) -> AuthorizationServer:
        provider = self

        class Server(AuthorizationServer):
            def query_client(self, client_id: str) -> Client | None:
                return provider.clients.get(client_id)

            def save_token(self, token: dict[str, Any], request: OAuth2Request) -> None:
                pass

            def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
                pass

            def create_oauth2_request(self, request: Any) -> OAuth2Request:
                return request if isinstance(request, OAuth2Request) else WsgiRequest(request)

            def create_json_request(self, request: Any) -> Any:
                # Authlib asks every server for this; only its device and JSON endpoints call it,
                # and this provider serves neither (the tests use authorize, token and JWKS).
                raise NotImplementedError("the loopback test provider has no JSON endpoints")

            def handle_response(self, status: int, body: Any, headers: Any) -> tuple[int, Any, Any]:
                return status, body, headers

        class Grant(AuthorizationCodeGrant):
            TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

            def save_authorization_code(self, code: str, request: OAuth2Request) -> None:
                data = request.payload.data
                provider.last_authorize = {k: data.get(k) for k in ("prompt", "max_age")}
                provider.codes[code] = Code(
                    code=code,
                    client_id=request.client.get_client_id(),
                    redirect_uri=data.get("redirect_uri", ""),
                    scope=data.get("scope", ""),
                    user=dict(request.user),
                    nonce=data.get("nonce"),
                    code_challenge=data.get("code_challenge"),
                    code_challenge_method=data.get("code_challenge_method"),
                    # tamper["auth_age"]: the person signed in here that long ago (a provider that
                    # ignored prompt=login and let them through on an old session)
                    auth_time=int(time.time()) - int(provider.tamper.get("auth_age", 0)),
                )

            def query_authorization_code(self, code: str, client: Client) -> Code | None:
                found = provider.codes.get(code)
                return found if found is not None and found.client_id == client.client_id else None

            def delete_authorization_code(self, authorization_code: Code) -> None:
                provider.codes.pop(authorization_code.code, None)

            def authenticate_user(self, authorization_code: Code) -> dict[str, Any]:
                return authorization_code.user

        class OpenID(OpenIDCode):
            def exists_nonce(self, nonce: str, request: OAuth2Request) -> bool:
                return False

            def resolve_client_private_key(self, client: Client) -> Any:
                return provider.tamper.get("key", provider.key)

            def get_client_claims(self, client: Client) -> dict[str, Any]:
                now = int(time.time())
                claims: dict[str, Any] = {"iss": provider.issuer, "aud": [client.get_client_id()]}
                if "aud" in provider.tamper:
                    claims["aud"] = provider.tamper["aud"]
                if "age" in provider.tamper:  # a token issued `age` seconds ago, valid for ten minutes
                    claims["iat"] = now - provider.tamper["age"]
                    claims["exp"] = claims["iat"] + 600
                    claims["auth_time"] = claims["iat"]
                return claims

            def get_authorization_code_claims(self, authorization_code: Code) -> dict[str, Any]:
                claims: dict[str, Any] = super().get_authorization_code_claims(authorization_code)
                if provider.tamper.get("replay_nonce") and provider.last_nonce:
                    claims["nonce"] = provider.last_nonce  # an earlier sign-in's nonce, replayed
                elif "nonce" in claims:
                    provider.last_nonce = claims["nonce"]
                return claims

            def generate_user_info(self, user: dict[str, Any], scope: str) -> UserInfo:
                return UserInfo(user)

            def encode_id_token(self, token: dict[str, Any], request: OAuth2Request) -> str:
                id_token: str = super().encode_id_token(token, request)
                provider.issued.append(id_token)
                return id_token

        server = Server(scopes_supported=["openid", "profile", "email"])
        server.register_token_generator("default", BearerTokenGenerator(lambda **kw: _token(), lambda **kw: _token()))
        server.register_grant(Grant, [CodeChallenge(required=True), OpenID(require_nonce=True)])
        return server

    # ---------------------------------------------------------------- HTTP

    def metadata(self) -> dict[str, Any]:
        return {
            "issuer": self.tamper.get("metadata_issuer", self.issuer),
            "authorization_endpoint": self.issuer + "/authorize",
            "token_endpoint": self.issuer + "/token",
            "jwks_uri": self.issuer + "/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        }

    def app(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/.well-known/openid-configuration":
            return _json(start_response, 200, self.metadata())
        if path == "/jwks":
            return _json(start_response, 200, KeySet([self.key]).as_dict(private=False))
        if path == "/authorize":
            request = WsgiRequest(environ)
            try:
                grant = self.authorization_server.get_consent_grant(request, end_user=self.person)
            except OAuth2Error as error:
                return _json(start_response, 400, {"error": error.error})
            status, body, headers = self.authorization_server.create_authorization_response(
                request, grant_user=self.person, grant=grant
            )
            return _reply(start_response, status, body, headers)
        if path == "/token":
            status, body, headers = self.authorization_server.create_token_response(WsgiRequest(environ))
            return _reply(start_response, status, body, headers)
        return _json(start_response, 404, {"error": "not_found"})


def _token() -> str:
    return secrets.token_urlsafe(24)


def _json(start_response: Any, status: int, data: Any) -> list[bytes]:
    return _reply(start_response, status, data, [("Content-Type", "application/json")])


def _reply(start_response: Any, status: int, body: Any, headers: Any) -> list[bytes]:
    payload = body if isinstance(body, str | bytes) else json.dumps(body)
    data = payload.encode() if isinstance(payload, str) else payload
    reasons = {200: "OK", 302: "Found", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found"}
    start_response(f"{status} {reasons.get(status, 'Status')}", [(str(k), str(v)) for k, v in headers or []])
    return [data]
