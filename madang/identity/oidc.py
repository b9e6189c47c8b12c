"""OpenID Connect sign-in, the relying party's side, with Authlib's Django client.

Per provider, a client is made from its row (the issuer's discovery document gives the
endpoints and the JWKS). The authorisation code flow with PKCE; state and nonce are kept in the
session by Authlib and spent on the way back, so an answer cannot be used twice. The ID token's
signature is checked against the issuer's JWKS, and its `iss`, `aud`, `exp`, `iat` and `nonce`
against what we expect (`CLAIMS`: Authlib alone accepts a token whose `aud` names another client
as long as its `azp` names us). Every way this can fail becomes a `SignInRefused` with a
sentence for the person, never a stack trace.
"""

from __future__ import annotations

from typing import Any

import requests
from authlib.integrations.base_client.errors import MismatchingStateError, OAuthError
from authlib.integrations.django_client import DjangoIntegration, DjangoOAuth2App
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from joserfc.errors import (
    BadSignatureError,
    ClaimError,
    ExpiredTokenError,
    JoseError,
)

from madang.core import security
from madang.identity.models import IdentityProvider
from madang.identity.services import SignInRefused

TIMEOUT_SECONDS = 10
# Clock difference allowed between us and the provider when reading `exp` and `iat`.
LEEWAY_SECONDS = 60


class ProviderNotConfigured(SignInRefused):
    status = 503


def client_secret(provider: IdentityProvider) -> str:
    """The client secret, from the settings (`MADANG_IDP_SECRET_<SLUG>`), never the database."""
    return str(settings.MADANG_IDENTITY_CLIENT_SECRETS.get(provider.slug, ""))


def _client(provider: IdentityProvider) -> DjangoOAuth2App:
    secret = client_secret(provider)
    if not secret:
        raise ProviderNotConfigured(
            _("Sign-in through %(name)s is not set up yet (its client secret is missing).") % {"name": provider.name},
            code="not_configured",
        )
    return DjangoOAuth2App(
        DjangoIntegration(f"madang-{provider.slug}"),
        name=provider.slug,
        client_id=provider.client_id,
        client_secret=secret,
        server_metadata_url=provider.issuer.rstrip("/") + "/.well-known/openid-configuration",
        client_kwargs={"scope": provider.scopes, "code_challenge_method": "S256", "timeout": TIMEOUT_SECONDS},
    )


def _load(client: DjangoOAuth2App, provider: IdentityProvider) -> None:
    try:
        metadata = client.load_server_metadata()
    except (requests.RequestException, ValueError) as exc:
        raise _unreachable(provider) from exc
    if metadata.get("issuer") != provider.issuer:
        # OIDC Discovery 1.0 section 4.3: the document must name the issuer we asked.
        security.event("oidc_issuer_mismatch", provider=provider.slug)
        raise SignInRefused(
            _("The identity provider's configuration names another issuer. Sign-in was stopped."),
            code="issuer_mismatch",
        )


def _unreachable(provider: IdentityProvider) -> SignInRefused:
    return SignInRefused(
        _("%(name)s could not be reached. Please try again in a moment.") % {"name": provider.name},
        code="unreachable",
    )


def start(request: HttpRequest, provider: IdentityProvider, redirect_uri: str, *, fresh: bool = False) -> HttpResponse:
    """`fresh`: the person must sign in at the provider again (prompt=login, max_age=0), not ride on
    a session there; the ID token's auth_time says whether they did."""
    client = _client(provider)
    _load(client, provider)
    try:
        response: HttpResponse = client.authorize_redirect(
            request, redirect_uri, **({"prompt": "login", "max_age": 0} if fresh else {})
        )
    except (requests.RequestException, OAuthError) as exc:
        raise _unreachable(provider) from exc
    return response


def claims_options(provider: IdentityProvider) -> dict[str, Any]:
    return {
        "iss": {"essential": True, "value": provider.issuer},
        "aud": {"essential": True, "value": provider.client_id},
        "exp": {"essential": True},
        "iat": {"essential": True},
        "sub": {"essential": True},
        "nonce": {"essential": True},
    }


def finish(request: HttpRequest, provider: IdentityProvider) -> dict[str, Any]:
    """The verified claims of the ID token the provider sent back (the callback's request)."""
    client = _client(provider)
    _load(client, provider)
    try:
        token = client.authorize_access_token(request, claims_options=claims_options(provider), leeway=LEEWAY_SECONDS)
    except MismatchingStateError as exc:
        security.event("oidc_refused", provider=provider.slug, reason="state")
        raise SignInRefused(
            _(
                "This sign-in answer was already used, has expired, or was started in another browser. "
                "Please start again."
            ),
            code="bad_state",
        ) from exc
    except OAuthError as exc:
        security.event("oidc_refused", provider=provider.slug, reason=f"provider:{exc.error}"[:60])
        raise SignInRefused(
            _("The identity provider did not sign you in (%(error)s).") % {"error": str(exc.error or "")[:60]},
            code="provider_error",
        ) from exc
    except requests.RequestException as exc:
        raise _unreachable(provider) from exc
    except JoseError as exc:
        raise _token_refused(provider, exc) from exc
    userinfo = token.get("userinfo")
    if not userinfo:
        security.event("oidc_refused", provider=provider.slug, reason="no_id_token")
        raise SignInRefused(_("The identity provider sent no ID token."), code="no_id_token")
    return dict(userinfo)


def _token_refused(provider: IdentityProvider, exc: JoseError) -> SignInRefused:
    claim = getattr(exc, "claim", "") or ""
    if isinstance(exc, ExpiredTokenError):
        reason, message = "expired", _("The identity provider's answer has expired. Please sign in again.")
    elif isinstance(exc, BadSignatureError):
        reason, message = (
            "signature",
            _("The identity provider's answer is not signed with its key. Sign-in was stopped."),
        )
    elif isinstance(exc, ClaimError) and claim == "aud":
        reason, message = (
            "audience",
            _("The identity provider's answer was meant for another site. Sign-in was stopped."),
        )
    elif isinstance(exc, ClaimError) and claim == "nonce":
        reason, message = "nonce", _("This sign-in answer was already used. Please start again.")
    elif isinstance(exc, ClaimError) and claim == "iss":
        reason, message = (
            "issuer",
            _("The answer came from another issuer than your organisation's. Sign-in was stopped."),
        )
    elif isinstance(exc, ClaimError):
        reason, message = (
            f"claim:{claim}",
            _("The identity provider's answer could not be verified. Sign-in was stopped."),
        )
    else:
        reason, message = "token", _("The identity provider's answer could not be verified. Sign-in was stopped.")
    security.event("oidc_refused", provider=provider.slug, reason=reason[:60])
    return SignInRefused(message, code=f"token_{reason.split(':')[0]}")
