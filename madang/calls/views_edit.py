"""The innovation team changes a call after opening it: its text, categories and phase dates,
and the one-way steps (close submission early, extend it, move to review), each with a reason."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from madang.calls import rules, selectors, services
from madang.calls.forms import CallActionForm, CallEditForm
from madang.calls.models import Call
from madang.core import retry
from madang.core.errors import DomainError, NotFound
from madang.people.auth import signed_in


def _editable(request: HttpRequest, slug: str) -> Call:
    call = selectors.access_call(request.user, slug)
    if not rules.can_edit_call(request.user, call):
        raise NotFound()
    return call


def _page(
    request: HttpRequest, call: Call, form: CallEditForm, action_form: CallActionForm, status: int = 200
) -> HttpResponse:
    context = {
        "call": call,
        "form": form,
        "action_form": action_form,
        "phase": call.phase_at(),
        "changes": selectors.call_changes(call),
    }
    return render(request, "calls/call_edit.html", context, status=status)


@login_required
def call_edit(request: HttpRequest, slug: str) -> HttpResponse:
    actor = signed_in(request)
    call = _editable(request, slug)
    form = CallEditForm(request.POST or None, call=call)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        edit = services.CallEdit(
            description=d["description"], audience=d["audience"], categories=form.category_names(), phases=form.phases()
        )
        try:
            change = services.edit_call(actor=actor, call=call, reason=d["reason"], edit=edit)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            messages.success(request, _("The call was changed.") if change else _("Nothing was changed."))
            return redirect("calls:edit_call", call.slug)
    return _page(request, call, form, CallActionForm(prefix="step"), status=400 if form.errors else 200)


@login_required
@require_POST
def call_action(request: HttpRequest, slug: str) -> HttpResponse:
    actor = signed_in(request)
    call = _editable(request, slug)
    form = CallActionForm(request.POST, prefix="step")
    if form.is_valid():
        d = form.cleaned_data
        try:
            if d["action"] == "close":
                services.close_submission(actor=actor, call=call, reason=d["reason"])
            elif d["action"] == "review":
                services.move_to_review(actor=actor, call=call, reason=d["reason"])
            else:
                services.extend_submission(actor=actor, call=call, until=d["until"], reason=d["reason"])
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            messages.success(request, _("The call was changed."))
            return redirect("calls:edit_call", call.slug)
    # Back to the edit page (this address takes only POST: a reload here would answer 405).
    back = retry.back_with(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    if back is not None:
        return back
    call = selectors.access_call(request.user, slug)
    return _page(request, call, CallEditForm(call=call), form, status=400)
