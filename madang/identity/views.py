"""Sign-in through identity providers, the second factor, and citizen verification pages."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from madang.core.addresses import client_address
from madang.core.errors import DomainError, NotFound
from madang.identity import claims, oidc, rules, saml, selectors, services, signin
from madang.identity.forms import CodeForm, EnrolForm
from madang.identity.models import IdentityProvider, Protocol
from madang.people import signin as people_signin
from madang.people.auth import signed_in
from madang.people.models import User

NEXT_KEY = "madang_sso_next"
ENROLMENT_KEY = "madang_totp_enrolment"


def _safe(request: HttpRequest, url: str) -> str:
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, require_https=request.is_secure()):
        return url
    return ""


def _refused(request: HttpRequest, provider: IdentityProvider | None, error: DomainError) -> HttpResponse:
    return render(request, "identity/refused.html", {"provider": provider, "error": error}, status=error.status)


def start(request: HttpRequest, slug: str) -> HttpResponse:
    provider = selectors.access_provider(slug)
    request.session[NEXT_KEY] = _safe(request, request.GET.get("next", ""))
    try:
        if provider.protocol == Protocol.OIDC:
            callback = request.build_absolute_uri(reverse("identity:oidc_callback", args=[provider.slug]))
            return oidc.start(request, provider, callback)
        if provider.protocol == Protocol.SAML:
            return saml.start(request, provider)
        raise services.SignInRefused(_("This provider's protocol is not available yet."), code="protocol")
    except DomainError as error:
        return _refused(request, provider, error)


def oidc_callback(request: HttpRequest, slug: str) -> HttpResponse:
    provider = selectors.access_provider(slug)
    try:
        answer = oidc.finish(request, provider)
        person = claims.read(provider, answer, subject=str(answer.get("sub", "")))
        return _signed_in_through(request, provider, person)
    except DomainError as error:
        return _refused(request, provider, error)


@require_GET
def saml_metadata(request: HttpRequest, slug: str) -> HttpResponse:
    """Our service provider's metadata for this provider (entity id, assertion consumer service)."""
    provider = selectors.access_provider(slug)
    if provider.protocol != Protocol.SAML:
        raise NotFound()
    try:
        return HttpResponse(saml.metadata(request, provider), content_type="application/samlmetadata+xml")
    except DomainError as error:
        return _refused(request, provider, error)


# The IdP's answer arrives in a cross-site POST, which carries no session cookie (SameSite=Lax).
# The first POST is relayed by a page of ours to the same address (same-site now, so with the
# session); it does not touch the session. The answer is signed and bound to the request id in
# the session, which is what keeps a forged or planted answer out: no CSRF token is needed.
RELAYED = "madang_relayed"


@csrf_exempt
@require_POST
def saml_acs(request: HttpRequest, slug: str) -> HttpResponse:
    provider = selectors.access_provider(slug)
    if provider.protocol != Protocol.SAML:
        raise NotFound()
    if request.POST.get(RELAYED) != "1":
        answer = request.POST.get("SAMLResponse", "")[:200_000]
        return render(request, "identity/saml_relay.html", {"answer": answer, "relayed": RELAYED})
    try:
        verified = saml.finish(request, provider)
        services.spend_assertion(
            provider=provider,
            assertion_id=verified.assertion_id,
            expires_at=verified.expires_at,
            skew_seconds=saml.CLOCK_SKEW_SECONDS,
        )
        person = claims.read(provider, verified.attributes, subject=verified.subject)
        return _signed_in_through(request, provider, person)
    except DomainError as error:
        return _refused(request, provider, error)


def _signed_in_through(request: HttpRequest, provider: IdentityProvider, person: claims.Person) -> HttpResponse:
    """The provider vouched for `person` (any protocol): sign in, or verify the citizen signed in here."""
    next_url = _safe(request, request.session.pop(NEXT_KEY, "") or "")
    if provider.citizen_verification:
        if request.user.is_authenticated:
            services.verify_citizen(actor=signed_in(request), provider=provider, person=person)
            messages.success(request, _("You are verified: you may now support, propose and take part in draws."))
            return redirect(next_url or "people:settings")
        user = services.sign_in_citizen(provider=provider, person=person)
    else:
        user = services.sign_in_official(provider=provider, person=person)
    return people_signin.finish(request, user, next_url=next_url)


# ---------------------------------------------------------------- second factor


def second_factor(request: HttpRequest) -> HttpResponse:
    """The code, after the first factor, for those who must give one (signin.second_factor_gate)."""
    waiting = signin.pending(request)
    if waiting is None:
        messages.info(request, _("Please log in again: the sign-in took too long."))
        return redirect("people:login")
    user, next_url, backend = waiting
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            ok = services.check_second_factor(
                user=user, code=form.cleaned_data["code"], address=client_address(request)
            )
        except DomainError as error:
            form.add_error("code", str(error.message))
            ok, status = False, 429
        if ok:
            signin.forget_pending(request)
            response = people_signin.complete(
                request, user, redirect(_safe(request, next_url) or "site:home"), backend=backend
            )
            signin.mark_given(request)
            return response
        if status == 200:
            form.add_error("code", _("This code is not right, or was used already."))
            status = 400
    elif request.method == "POST":
        status = 400
    return render(request, "identity/second_factor.html", {"form": form}, status=status)


def enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: during a sign-in that needs one, or from the settings page."""
    waiting = signin.pending(request)
    if waiting is not None:
        user: User = waiting[0]
    elif request.user.is_authenticated:
        user = signed_in(request)
    else:
        return redirect("people:login")
    secret = request.session.get(ENROLMENT_KEY)
    if not isinstance(secret, str) or request.method == "GET":
        secret = request.session[ENROLMENT_KEY] = services.new_totp_secret()
    form = EnrolForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.enrol_totp(actor=user, secret=secret, code=form.cleaned_data["code"])
        except DomainError as error:
            form.add_error("code", str(error.message))
            status = 400
        else:
            request.session.pop(ENROLMENT_KEY, None)
            response = render(
                request,
                "identity/recovery_codes.html",
                {"codes": codes, "next": _safe(request, waiting[1]) if waiting else ""},
            )
            if waiting is not None:
                signin.forget_pending(request)
                response = people_signin.complete(request, user, response, backend=waiting[2])
            signin.mark_given(request)
            return response
    elif request.method == "POST":
        status = 400
    uri = services.provisioning_uri(user, secret)
    qr = segno.make(uri, error="m")
    context = {
        "form": form,
        "qr": qr.svg_data_uri(scale=5, border=2),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "required": rules.requires_second_factor(user),
    }
    return render(request, "identity/enrol.html", context, status=status)


@login_required
@require_POST
def renew_recovery_codes(request: HttpRequest) -> HttpResponse:
    codes = services.regenerate_recovery_codes(actor=signed_in(request))
    return render(request, "identity/recovery_codes.html", {"codes": codes, "next": ""})
