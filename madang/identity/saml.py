"""SAML 2.0 sign-in, the service provider's side, with pysaml2.

Per provider, a service provider is configured from its row: our entity id (`client_id`), the
IdP's metadata (`metadata_xml`: its entity id, single sign-on address and signing certificate)
and our assertion consumer service. The AuthnRequest goes out over HTTP-Redirect, its id is kept
in the session and spent when the answer comes back over HTTP-POST, so an answer counts only in
the browser that asked, once. pysaml2 checks that the assertion is signed with a certificate from
the IdP's metadata (a signed assertion is required), its audience (our entity id), NotBefore and
NotOnOrAfter (with `CLOCK_SKEW_SECONDS`) and InResponseTo; we check the issuer is the configured
one. The caller spends the assertion id (services.spend_assertion) against replay. Every way this
can fail becomes a `SignInRefused` with a sentence for the person, never a stack trace.
"""

from __future__ import annotations

import calendar
import logging
import shutil
import time
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.metadata import create_metadata_string
from saml2.response import StatusError, UnsolicitedResponse
from saml2.saml import NAMEID_FORMAT_PERSISTENT
from saml2.sigver import SignatureError
from saml2.time_util import str_to_time
from saml2.validate import ResponseLifetimeExceed, ToEarly

from madang.core import security
from madang.identity.models import IdentityProvider
from madang.identity.services import SignInRefused

logger = logging.getLogger(__name__)

# Clock difference allowed between us and the IdP when reading NotBefore and NotOnOrAfter.
CLOCK_SKEW_SECONDS = 60
# The AuthnRequest we are waiting an answer to: {"provider": slug, "id": request id, "at": time}.
REQUEST_KEY = "madang_saml_request"
# How long a person may take at the IdP before the request is forgotten.
REQUEST_SECONDS = 600
# When an assertion has no NotOnOrAfter, how long its id is kept against replay.
DEFAULT_LIFETIME_SECONDS = 3600


class ProviderNotConfigured(SignInRefused):
    status = 503


@dataclass(frozen=True)
class Answer:
    """What a verified assertion says: the subject, its attributes, and what replay needs."""

    subject: str
    attributes: dict[str, list[str]]
    assertion_id: str
    expires_at: float  # seconds since the epoch, when the assertion stops being valid
    authenticated_at: float | None = None  # the AuthnStatement's AuthnInstant: when the person last signed in there


def acs_url(request: HttpRequest, provider: IdentityProvider) -> str:
    return request.build_absolute_uri(reverse("identity:saml_acs", args=[provider.slug]))


def _config(request: HttpRequest, provider: IdentityProvider, *, with_idp: bool = True) -> SPConfig:
    """Our service provider for `provider`; `with_idp=False` for our metadata alone, which the
    IdP's administrators need before they can send theirs."""
    xmlsec = shutil.which("xmlsec1")
    if not xmlsec:
        raise ProviderNotConfigured(
            _("Sign-in through %(name)s is not available on this server (the xmlsec1 program is missing).")
            % {"name": provider.name},
            code="no_xmlsec",
        )
    if with_idp and not provider.metadata_xml.strip():
        raise _no_metadata(provider)
    config = SPConfig()
    try:
        config.load(
            {
                "entityid": provider.client_id,
                "xmlsec_binary": xmlsec,
                "metadata": {"inline": [provider.metadata_xml]} if with_idp else {},
                "accepted_time_diff": CLOCK_SKEW_SECONDS,
                "allow_unknown_attributes": True,
                "service": {
                    "sp": {
                        "name": "Madang",
                        "endpoints": {"assertion_consumer_service": [(acs_url(request, provider), BINDING_HTTP_POST)]},
                        "want_assertions_signed": True,
                        "want_response_signed": False,
                        "authn_requests_signed": False,
                        "allow_unsolicited": False,
                        "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                    }
                },
            }
        )
    except Exception as exc:  # pysaml2 raises many kinds for unreadable metadata
        raise _no_metadata(provider) from exc
    if with_idp and provider.issuer not in config.metadata.identity_providers():
        raise _no_metadata(provider)
    return config


def _no_metadata(provider: IdentityProvider) -> ProviderNotConfigured:
    return ProviderNotConfigured(
        _("Sign-in through %(name)s is not set up yet (its SAML metadata is missing or does not name its issuer).")
        % {"name": provider.name},
        code="not_configured",
    )


def metadata(request: HttpRequest, provider: IdentityProvider) -> str:
    """Our service provider's metadata, for the IdP's administrators."""
    return str(create_metadata_string(None, config=_config(request, provider, with_idp=False), valid=None).decode())


def start(request: HttpRequest, provider: IdentityProvider, *, fresh: bool = False) -> HttpResponse:
    """Send the browser to the IdP with an AuthnRequest (HTTP-Redirect); remember its id.

    `fresh`: the person must sign in at the IdP again, not ride on a session there (ForceAuthn)."""
    client = Saml2Client(config=_config(request, provider))
    try:
        request_id, info = client.prepare_for_authenticate(
            entityid=provider.issuer, binding=BINDING_HTTP_REDIRECT, **({"force_authn": "true"} if fresh else {})
        )
    except Exception as exc:  # no single sign-on address for this binding in the metadata
        raise _no_metadata(provider) from exc
    request.session[REQUEST_KEY] = {"provider": provider.slug, "id": request_id, "at": int(time.time())}
    return HttpResponseRedirect(dict(info["headers"])["Location"])


def _outstanding(request: HttpRequest, provider: IdentityProvider) -> dict[str, str]:
    """The request we sent this provider from this browser, spent now whatever the answer."""
    sent: Any = request.session.pop(REQUEST_KEY, None)
    if (
        isinstance(sent, dict)
        and sent.get("provider") == provider.slug
        and isinstance(sent.get("id"), str)
        and isinstance(sent.get("at"), int)
        and time.time() - sent["at"] <= REQUEST_SECONDS
    ):
        return {sent["id"]: ""}
    return {}


def finish(request: HttpRequest, provider: IdentityProvider) -> Answer:
    """The verified assertion in the IdP's answer (the ACS's POST)."""
    outstanding = _outstanding(request, provider)
    encoded = request.POST.get("SAMLResponse", "")
    if not encoded:
        raise SignInRefused(_("No answer from the identity provider was received."), code="no_response")
    client = Saml2Client(config=_config(request, provider))
    try:
        response = client.parse_authn_request_response(encoded, BINDING_HTTP_POST, outstanding=outstanding)
    except Exception as exc:  # pysaml2 raises bare Exception for some checks: sorted in _refused
        raise _refused(provider, exc) from exc
    if response is None or response.assertion is None:
        raise _refused(provider, ValueError("no assertion"))
    issuer = str(response.issuer() or "").strip()
    if issuer != provider.issuer:
        security.event("saml_refused", provider=provider.slug, reason="issuer")
        raise SignInRefused(
            _("The answer came from another issuer than your organisation's. Sign-in was stopped."), code="issuer"
        )
    assertion = response.assertion
    name_id = getattr(assertion.subject, "name_id", None)
    subject = str(getattr(name_id, "text", "") or "").strip()
    expires = response.not_on_or_after or 0  # the assertion's NotOnOrAfter, read by pysaml2
    return Answer(
        subject=subject,
        attributes=_attributes(assertion),
        assertion_id=str(assertion.id or ""),
        expires_at=float(expires or time.time() + DEFAULT_LIFETIME_SECONDS),
        authenticated_at=_authn_instant(assertion),
    )


def _authn_instant(assertion: Any) -> float | None:
    for statement in assertion.authn_statement or []:
        if statement.authn_instant:
            try:
                return float(calendar.timegm(str_to_time(str(statement.authn_instant))))
            except (ValueError, TypeError):
                return None
    return None


def _attributes(assertion: Any) -> dict[str, list[str]]:
    """Attribute values by name and by friendly name, as the claim mapping may use either."""
    found: dict[str, list[str]] = {}
    for statement in assertion.attribute_statement or []:
        for attribute in statement.attribute or []:
            values = [str(value.text or "").strip() for value in attribute.attribute_value or []]
            for key in (attribute.name, attribute.friendly_name):
                if key:
                    found.setdefault(str(key), values)
    return found


def _refused(provider: IdentityProvider, exc: Exception) -> SignInRefused:
    message: str | Promise
    if isinstance(exc, UnsolicitedResponse):
        reason, message = (
            "unsolicited",
            _(
                "This sign-in answer does not answer a sign-in started in this browser, or was already used. "
                "Please start again."
            ),
        )
    elif isinstance(exc, ResponseLifetimeExceed):
        reason, message = "expired", _("The identity provider's answer has expired. Please sign in again.")
    elif isinstance(exc, ToEarly):
        reason, message = (
            "not_yet_valid",
            _("The identity provider's answer is not valid yet: its clock and ours differ. Please try again."),
        )
    elif isinstance(exc, SignatureError):
        reason, message = (
            "signature",
            _("The identity provider's answer is not signed with its key. Sign-in was stopped."),
        )
    elif "AudienceRestrictions" in str(exc):
        reason, message = (
            "audience",
            _("The identity provider's answer was meant for another site. Sign-in was stopped."),
        )
    elif isinstance(exc, StatusError):
        reason, message = (
            "status",
            _("The identity provider did not sign you in (%(error)s).") % {"error": type(exc).__name__[:60]},
        )
    else:
        logger.warning("SAML answer from %s refused: %s: %s", provider.slug, type(exc).__name__, str(exc)[:300])
        reason, message = "invalid", _("The identity provider's answer could not be verified. Sign-in was stopped.")
    security.event("saml_refused", provider=provider.slug, reason=reason)
    return SignInRefused(message, code=f"saml_{reason}")
