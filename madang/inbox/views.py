from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from madang.inbox import services
from madang.inbox.forms import PreferencesForm
from madang.inbox.models import NotificationKind
from madang.people.auth import signed_in
from madang.people.models import User


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    qs = signed_in(request).notifications.select_related("proposal")
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    items = [(n, services.describe(n)) for n in page]
    return render(request, "inbox/list.html", {"page": page, "items": items})


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    services.mark_read(actor=signed_in(request))
    return redirect("inbox:list")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    """What to be notified about, and how (once a part of the settings page in people)."""
    user = request.user
    assert isinstance(user, User)  # (login_required)
    receive = [k for k in NotificationKind.values if k not in (user.muted_kinds or [])]
    form = PreferencesForm(request.POST or None, initial={"email_mode": user.email_mode, "receive": receive})
    if request.method == "POST" and form.is_valid():
        muted = [k for k in NotificationKind.values if k not in form.cleaned_data["receive"]]
        services.set_preferences(actor=user, email_mode=form.cleaned_data["email_mode"], muted_kinds=muted)
        messages.success(request, _("Your settings were saved."))
        return redirect("inbox:preferences")
    return render(request, "inbox/preferences.html", {"form": form}, status=400 if form.errors else 200)
