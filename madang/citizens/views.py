from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from madang.citizens import services
from madang.citizens.forms import AttributesForm, DeleteForm, JoinForm
from madang.citizens.models import Purpose
from madang.core.errors import NotFound


def join(request: HttpRequest) -> HttpResponse:
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        user = services.join(username=d["username"], display_name=d["display_name"], email=d["email"], password=d["password"],
                             language=(get_language() or "ko")[:2])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome! We sent you an e-mail: please confirm your address."))
        return redirect("citizens:profile")
    return render(request, "citizens/join.html", {"form": form}, status=400 if form.errors else 200)


def verify(request: HttpRequest, token: str) -> HttpResponse:
    services.verify_email(token=token)
    messages.success(request, _("Your e-mail address is confirmed."))
    return redirect("citizens:profile" if request.user.is_authenticated else "people:login")


def _citizen(request: HttpRequest):  # type: ignore[no-untyped-def]
    if not request.user.is_citizen:
        raise NotFound()
    return services.profile_of(request.user)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    prof = _citizen(request)
    consented = services.has_consent(request.user, Purpose.ATTRIBUTES)
    form = AttributesForm(request.POST or None, initial={**prof.attributes(), "consent": consented})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if d["consent"]:
            services.grant_consent(actor=request.user, purpose=Purpose.ATTRIBUTES)
            services.update_attributes(actor=request.user, gender=d["gender"], age_band=d["age_band"], region=d["region"],
                                       occupation=d["occupation"], interests=d["interests"])
            messages.success(request, _("Saved."))
        elif consented:
            services.withdraw_consent(actor=request.user, purpose=Purpose.ATTRIBUTES)
            messages.success(request, _("Your consent was withdrawn and your answers were erased."))
        return redirect("citizens:profile")
    return render(request, "citizens/profile.html", {"form": form, "profile": prof, "consented": consented},
                  status=400 if form.errors else 200)


@login_required
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    _citizen(request)
    if fmt == "json":
        response = HttpResponse(services.export_json(request.user), content_type="application/json; charset=utf-8")
    elif fmt == "csv":
        response = HttpResponse(services.export_csv(request.user), content_type="text/csv; charset=utf-8")
    else:
        raise NotFound()
    response["Content-Disposition"] = f'attachment; filename="madang-my-data.{fmt}"'
    return response


@login_required
def delete(request: HttpRequest) -> HttpResponse:
    _citizen(request)
    form = DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.delete_account(actor=request.user, password=form.cleaned_data["password"])
        logout(request)
        messages.success(request, _("Your account and personal data were deleted. Your public contributions remain, without your name."))
        return redirect("core:home")
    return render(request, "citizens/delete.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_POST
def resend(request: HttpRequest) -> HttpResponse:
    _citizen(request)
    services.send_verification(request.user)
    messages.success(request, _("We sent the confirmation e-mail again."))
    return redirect("citizens:profile")
