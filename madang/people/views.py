from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from madang.core import security
from madang.core.errors import NotFound
from madang.inbox.models import NotificationKind
from madang.people import rules, services
from madang.people.forms import ImportForm, LoginForm, SettingsForm, TokenForm


def _address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "")[:64]


def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        next_url = ""
    status = 200
    if request.method == "POST" and form.is_valid():
        username, password = form.cleaned_data["username"], form.cleaned_data["password"]
        if services.login_locked(username, _address(request)):
            security.event("login_locked", username=username, address=_address(request))
            form.add_error(None, _("Too many failed attempts. Please wait 15 minutes and try again."))
            status = 429
        else:
            user = authenticate(request, username=username, password=password)
            if user is None:
                services.record_login_failure(username, _address(request))
                security.event("login_failed", username=username, address=_address(request))
                form.add_error(None, _("The username or password is not correct."))
                status = 400
            else:
                services.clear_login_failures(username)
                login(request, user)  # rotates the session key: no fixation
                translation.activate(user.language)
                response = redirect(next_url or "site:home")
                response.set_cookie("django_language", user.language, samesite="Lax")
                return response
    elif request.method == "POST":
        status = 400
    return render(request, "people/login.html", {"form": form, "next": next_url}, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("site:home")


@login_required
def settings_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    initial = {
        "language": user.language,
        "email_mode": user.email_mode,
        "receive": [k for k in NotificationKind.values if k not in (user.muted_kinds or [])],
    }
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        muted = [k for k in NotificationKind.values if k not in form.cleaned_data["receive"]]
        services.update_settings(
            actor=user, language=form.cleaned_data["language"], email_mode=form.cleaned_data["email_mode"], muted_kinds=muted
        )
        translation.activate(user.language)
        messages.success(request, _("Your settings were saved."))
        response = redirect("people:settings")
        response.set_cookie("django_language", user.language, samesite="Lax")
        return response
    tokens = user.api_tokens.filter(revoked_at__isnull=True).order_by("-created_at")
    return render(request, "people/settings.html", {"form": form, "tokens": tokens, "token_form": TokenForm()})


@login_required
@require_POST
def create_token(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give the token a name."))
        return redirect("people:settings")
    token, secret = services.issue_api_token(actor=request.user, name=form.cleaned_data["name"])
    return render(request, "people/token_created.html", {"token": token, "secret": secret})


@login_required
@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    token = request.user.api_tokens.filter(pk=token_id).first()
    if token is None:
        raise NotFound()
    services.revoke_api_token(actor=request.user, token=token)
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
        report = run(actor=request.user, rows=rows, dry_run=not form.cleaned_data["confirm"])
    status = 400 if request.method == "POST" and not form.is_valid() else 200
    return render(request, "people/import.html", {"form": form, "report": report}, status=status)
