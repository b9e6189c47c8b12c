"""A reason before a large download: the safety-measures standard asks that the reason for a
download of personal data be confirmed (docs/privacy.md). Above `MADANG_PRIVACY_REASON_OVER`
people, a download or export first shows a form asking why; the form posts back to the same
address, and the view goes on with the reason, which it passes to `services.record`.

    if (asked := reasons.ask(request, count=n)) is not None:
        return asked
    privacy.record(request, action=Action.DOWNLOAD, ..., count=n, reason=reasons.given(request))
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from madang.privacy.forms import ReasonForm
from madang.privacy.selectors import reason_threshold


def given(request: HttpRequest) -> str:
    form = ReasonForm(request.POST) if request.method == "POST" else None
    return form.cleaned_data["reason"].strip() if form is not None and form.is_valid() else ""


def ask(request: HttpRequest, *, count: int) -> HttpResponse | None:
    """None when the download may go ahead (few enough people, or a reason given); else the form."""
    if count <= reason_threshold() or given(request):
        return None
    form = ReasonForm(request.POST if request.method == "POST" else None)
    return render(
        request,
        "privacy/reason.html",
        {"form": form, "count": count, "action": request.get_full_path()},
        status=400 if form.is_bound else 200,
    )
