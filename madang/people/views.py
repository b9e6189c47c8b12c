from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from madang.core import accessrecords, links, ratelimit
from madang.core.addresses import client_address
from madang.core.errors import NotFound
from madang.people import gates, rules, services, sessions, signin, throttle
from madang.people.api_auth import MAX_ID
from madang.people.auth import signed_in
from madang.people.context_processors import clock_of
from madang.people.forms import (
    ImportForm,
    LoginForm,
    NewPasswordForm,
    PasswordChangeForm,
    PasswordForm,
    PasswordResetForm,
    SettingsForm,
    TokenForm,
)
from madang.people.models import User


def _safe_next(request: HttpRequest) -> str:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        return ""
    return next_url


def _password_error(request: HttpRequest) -> tuple[str, int]:
    """Why a password check failed, for the form: a wait (429) or a wrong password (400)."""
    wait = getattr(request, "login_wait", 0)
    if wait:
        return throttle.wait_message(wait), 429
    refused = getattr(request, "login_refused", "")
    if refused:
        return refused, 403
    return _("The username or password is not correct."), 400


def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    next_url = _safe_next(request)
    status = 200
    if request.method == "POST" and form.is_valid():
        # The backend applies the one log-in throttle (madang/people/throttle.py) and records failures.
        user = authenticate(request, username=form.cleaned_data["username"], password=form.cleaned_data["password"])
        if user is None:
            message, status = _password_error(request)
            form.add_error(None, message)
        else:
            # The gates (a second factor) first, then the session: madang/people/signin.py.
            return signin.finish(request, user, next_url=next_url)
    elif request.method == "POST":
        status = 400
    if getattr(request, "session_timed_out", False) and request.method == "GET":
        messages.info(request, _("You were logged out after a while without activity. Please log in again."))
    links = gates.sign_in_links(request, next_url)
    response = render(request, "people/login.html", {"form": form, "next": next_url, "links": links}, status=status)
    if status == 429:
        response["Retry-After"] = str(request.login_wait)  # type: ignore[attr-defined]  # HttpRequest declares no login_wait; people/backends.py sets it when the throttle refuses
    return response


@login_required
def reauth_view(request: HttpRequest) -> HttpResponse:
    """The password again, before a sensitive action (sessions.recent_password_required)."""
    form = PasswordForm(request.POST or None)
    next_url = _safe_next(request)
    status = 200
    if request.method == "POST" and form.is_valid():
        if authenticate(request, username=request.user.get_username(), password=form.cleaned_data["password"]) is None:
            message, status = _password_error(request)
            form.add_error("password", message)
        else:
            sessions.mark_authenticated(request)
            return redirect(next_url or "people:settings")
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "people/reauth.html",
        {
            "form": form,
            "next": next_url,
            "minutes": settings.MADANG_REAUTH_MINUTES,
            # Officials signed in through their agency (no password here) confirm it there.
            "has_password": signed_in(request).has_usable_password(),
            "links": gates.reauth_links(request, next_url),
        },
        status=status,
    )


@login_required
def password_change_view(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST or None, user=signed_in(request))
    status = 200
    if request.method == "POST" and form.is_valid():
        user = authenticate(request, username=request.user.get_username(), password=form.cleaned_data["old_password"])
        if user is None:
            message, status = _password_error(request)
            form.add_error("old_password", message)
        else:
            services.change_password(actor=signed_in(request), new_password=form.cleaned_data["new_password1"])
            # This session goes on; every other session of the account ends (its hash no longer matches).
            update_session_auth_hash(request, signed_in(request))
            sessions.mark_authenticated(request)
            messages.success(
                request,
                _(
                    "Your password was changed. You were logged out everywhere else. Your API tokens "
                    "still work: revoke them below if you think one was exposed."
                ),
            )
            return redirect("people:settings")
    elif request.method == "POST":
        status = 400
    return render(request, "people/password_change.html", {"form": form}, status=status)


def password_reset_view(request: HttpRequest) -> HttpResponse:
    form = PasswordResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ratelimit.hit("password_reset", client_address(request))

        def make_link(user: User) -> str:
            uid = urlsafe_base64_encode(force_bytes(user.pk))
            return links.absolute(
                reverse("people:password_reset_confirm", args=[uid, default_token_generator.make_token(user)]), request
            )

        services.request_password_reset(email=form.cleaned_data["email"], make_link=make_link)
        # The same page whether or not an account has this address.
        return render(request, "people/password_reset_sent.html", {"email": form.cleaned_data["email"]})
    return render(request, "people/password_reset.html", {"form": form}, status=400 if form.errors else 200)


def password_reset_confirm_view(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    user = _reset_user(uidb64, token)
    if user is None:
        return render(request, "people/password_reset_invalid.html", status=400)
    form = NewPasswordForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        services.reset_password(user=user, new_password=form.cleaned_data["new_password1"])
        messages.success(request, _("Your new password is set. Please log in with it."))
        return redirect("people:login")
    return render(request, "people/password_reset_confirm.html", {"form": form}, status=400 if form.errors else 200)


def _reset_user(uidb64: str, token: str) -> User | None:
    """The account a reset link is for, if the link is genuine, unused and not expired.

    Django's token generator hashes the password and last log-in into the token: setting a new
    password (or logging in) spends it."""
    if len(uidb64) > 40 or len(token) > 100:
        return None
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode("ascii"))
    except (ValueError, UnicodeDecodeError):
        return None
    if not 1 <= pk <= MAX_ID:
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or not user.has_usable_password() or not default_token_generator.check_token(user, token):
        return None
    return user


@require_POST
def session_view(request: HttpRequest) -> HttpResponse:
    """ "Stay signed in" from the warning before the session ends (KWCAG 6.2.1): the idle time starts
    again, and the script is told the new end. Without the script, back to the page."""
    wants_json = "application/json" in request.headers.get("Accept", "")
    ends = sessions.extend(request) if request.user.is_authenticated else None
    if not wants_json:
        return redirect(_safe_next(request) or "site:home") if ends else redirect("people:login")
    if ends is None:
        return JsonResponse({"signed_in": False}, status=401)
    clock = clock_of(ends)
    message = (
        _("Your session has reached its longest time and ends at %(time)s.")
        if ends.final
        else _("You stay logged in. Your session now ends at %(time)s.")
    ) % {"time": clock.ends_at.strftime("%H:%M")}
    return JsonResponse(
        {
            "signed_in": True,
            "seconds_left": clock.seconds_left,
            "ends_at": clock.ends_at.isoformat(),
            "final": ends.final,
            "message": message,
        }
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("site:home")


@login_required
def settings_view(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    form = SettingsForm(request.POST or None, initial={"language": user.language})
    if request.method == "POST" and form.is_valid():
        services.set_language(actor=user, language=form.cleaned_data["language"])
        translation.activate(user.language)
        messages.success(request, _("Your settings were saved."))
        response = redirect("people:settings")
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            user.language,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
        return response
    tokens = user.api_tokens.filter(revoked_at__isnull=True).order_by("-created_at")
    return render(
        request,
        "people/settings.html",
        {"form": form, "tokens": tokens, "token_form": TokenForm(), "now": timezone.now()},
    )


@login_required
@require_POST
@sessions.recent_password_required
def create_token(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(error) for error in errors))
        return redirect("people:settings")
    token, secret = services.issue_api_token(
        actor=signed_in(request), name=form.cleaned_data["name"], days=form.cleaned_data["days"]
    )
    return render(request, "people/token_created.html", {"token": token, "secret": secret})


@login_required
@require_POST
@sessions.recent_password_required
def rotate_token(request: HttpRequest, token_id: int) -> HttpResponse:
    token = signed_in(request).api_tokens.filter(pk=token_id, revoked_at__isnull=True).first()
    if token is None:
        raise NotFound()
    new, secret = services.rotate_api_token(actor=signed_in(request), token=token)
    return render(request, "people/token_created.html", {"token": new, "secret": secret, "rotated": True})


@login_required
@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    token = signed_in(request).api_tokens.filter(pk=token_id).first()
    if token is None:
        raise NotFound()
    services.revoke_api_token(actor=signed_in(request), token=token)
    messages.success(request, _("The token was revoked."))
    return redirect("people:settings")


@login_required
def import_view(request: HttpRequest) -> HttpResponse:
    if not rules.is_site_admin(request.user):
        raise NotFound()
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        rows = services.read_table(upload.read(), upload.name)
        run = services.import_organisations if form.cleaned_data["what"] == "organisations" else services.import_staff
        report = run(actor=signed_in(request), rows=rows, dry_run=not form.cleaned_data["confirm"])
        if form.cleaned_data["what"] != "organisations" and not report.dry_run:
            # Staff accounts written in bulk: an entry in the access records (madang/privacy).
            accessrecords.note(request, action="edit", kind="people.accounts", count=report.created + report.updated)
    status = 400 if request.method == "POST" and not form.is_valid() else 200
    return render(request, "people/import.html", {"form": form, "report": report}, status=status)
