"""Lab pages: the portfolio, a lab's page, creating a lab, and one POST address per action.

Labs are reached only through `selectors`; every write is one service call; reads write nothing
(due decisions are settled by the worker's upkeep and `madang settle_lab_decisions`)."""

from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from madang.calls.selectors import access_proposal
from madang.core.errors import DomainError, NotFound
from madang.labs import forms, rules, selectors, services
from madang.labs.models import Lab
from madang.labs.privacy_kinds import MEMBERSHIPS
from madang.people.auth import signed_in
from madang.people.models import User
from madang.privacy import services as privacy
from madang.privacy.models import Action

Data = dict[str, Any]


@require_GET
def portfolio(request: HttpRequest) -> HttpResponse:
    return render(request, "labs/portfolio.html", {"groups": selectors.portfolio(request.user)})


@require_GET
def lab_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = selectors.lab_page(request.user, selectors.access_lab(request.user, slug))
    if people := selectors.others_shown(request.user, page):
        privacy.record(request, action=Action.VIEW, kind=MEMBERSHIPS, scope=f"lab:{page.lab.pk}", count=people)
    can = page.can
    context = {
        "lab": page.lab,
        "members": page.members,
        "history": page.history,
        "applicants": page.applicants,
        "decisions": page.decisions,
        "journal": page.journal,
        "milestones": page.milestones,
        "experiments": page.experiments,
        "reports": page.reports,
        "following": page.following,
        "is_member": can["member"],
        "can_work": can["work"],
        "can_manage": can["manage"],
        "can_apply": can["apply"],
        "can_see_task": can["see_task"],
        "can_read_journal": can["read_journal"],
        "can_see_duties": can["see_duties"],
        # Many forms on one page share field names (title, body): each its own ids (KWCAG 8.1.1, 7.3.2).
        "f": {name: cls(auto_id=f"{name}-%s") for name, cls in FORMS.items()},
    }
    return render(request, "labs/detail.html", context)


@login_required
def lab_new(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = access_proposal(request.user, proposal_id)
    if not rules.is_innovation_team(request.user, proposal.call):
        raise NotFound()
    form = forms.LabForm(request.POST or None, initial={"title": proposal.title, "home": proposal.call.organisation_id})
    if request.method == "POST" and form.is_valid():
        lab = services.create_lab(actor=signed_in(request), proposal=proposal, **form.cleaned_data)
        return redirect("labs:detail", lab.slug)
    return render(request, "labs/new.html", {"form": form, "p": proposal}, status=400 if form.errors else 200)


# Each action: (form class or None, handler(request, lab, cleaned data)). Ids of the thing acted
# on come from hidden fields and are parsed strictly by the selectors (404 for anything else).
def _apply(r: HttpRequest, actor: User, lab: Lab, d: Data) -> None:
    services.apply_to_lab(actor=actor, lab=lab, motivation=d["motivation"])


def _confirm(r: HttpRequest, actor: User, lab: Lab, d: Data) -> None:
    membership = selectors.access_membership(lab, r.POST.get("membership", ""))
    services.confirm_member(actor=actor, membership=membership, accept=r.POST.get("accept") == "1")


def _start(r: HttpRequest, actor: User, lab: Lab, d: Data) -> None:
    services.start_lab(actor=actor, lab=lab)


def _leave(r: HttpRequest, actor: User, lab: Lab, d: Data) -> None:
    services.leave_lab(actor=actor, lab=lab, reason=r.POST.get("reason", "")[:300])


def _duties(r: HttpRequest, actor: User, lab: Lab, d: Data) -> None:
    services.set_released_duties(actor=actor, lab=lab, duties=d["duties"])


def _personal_data_ok(r: HttpRequest) -> bool:
    """The author ticked "this is not personal data" (shown once the filter has found something)."""
    return r.POST.get("personal_data_ok") == "1"


def _decision(r: HttpRequest, actor: User, lab: Lab, d: Data) -> None:
    services.propose_decision(actor=actor, lab=lab, personal_data_ok=_personal_data_ok(r), **d)


def _object(r: HttpRequest, actor: User, lab: Lab, d: Data) -> None:
    services.object_to(
        actor=actor,
        decision=selectors.access_decision(lab, r.POST.get("decision", "")),
        reason=d["text"],
        personal_data_ok=_personal_data_ok(r),
    )


def _withdraw(r: HttpRequest, actor: User, lab: Lab, d: Data) -> None:
    services.withdraw_decision(actor=actor, decision=selectors.access_decision(lab, r.POST.get("decision", "")))


def _resolve(r: HttpRequest, actor: User, lab: Lab, d: Data) -> None:
    objection = selectors.access_objection(lab, r.POST.get("objection", ""))
    services.resolve_objection(
        actor=actor, objection=objection, resolution=d["text"], personal_data_ok=_personal_data_ok(r)
    )


def _journal(r: HttpRequest, actor: User, lab: Lab, d: Data) -> None:
    files = [d["file"]] if d.get("file") else []
    services.add_journal_entry(
        actor=actor,
        lab=lab,
        body=d["body"],
        happened_on=d["happened_on"],
        files=files,
        personal_data_ok=_personal_data_ok(r),
    )


def _milestone(r: HttpRequest, actor: User, lab: Lab, d: Data) -> None:
    services.add_milestone(actor=actor, lab=lab, personal_data_ok=_personal_data_ok(r), **d)


def _milestone_done(r: HttpRequest, actor: User, lab: Lab, d: Data) -> None:
    services.complete_milestone(actor=actor, milestone=selectors.access_milestone(lab, r.POST.get("milestone", "")))


def _experiment(r: HttpRequest, actor: User, lab: Lab, d: Data) -> None:
    services.record_experiment(actor=actor, lab=lab, personal_data_ok=_personal_data_ok(r), **d)


def _report(r: HttpRequest, actor: User, lab: Lab, d: Data) -> None:
    services.submit_report(actor=actor, lab=lab, personal_data_ok=_personal_data_ok(r), **d)


def _extend(r: HttpRequest, actor: User, lab: Lab, d: Data) -> None:
    services.extend_term(actor=actor, lab=lab, **d)


def _close(r: HttpRequest, actor: User, lab: Lab, d: Data) -> None:
    services.close_lab(actor=actor, lab=lab, outcome=d["outcome"], note=d["note"], department=d.get("department"))


def _follow(r: HttpRequest, actor: User, lab: Lab, d: Data) -> None:
    services.follow_lab(actor=actor, lab=lab, follow=r.POST.get("follow") == "1")


ACTIONS: dict[str, tuple[type[django_forms.Form] | None, Callable[[HttpRequest, User, Lab, Data], None]]] = {
    "apply": (forms.ApplyForm, _apply),
    "confirm": (None, _confirm),
    "start": (None, _start),
    "leave": (None, _leave),
    "duties": (forms.DutiesForm, _duties),
    "decision": (forms.DecisionForm, _decision),
    "object": (forms.TextForm, _object),
    "withdraw": (None, _withdraw),
    "resolve": (forms.TextForm, _resolve),
    "journal": (forms.JournalForm, _journal),
    "milestone": (forms.MilestoneForm, _milestone),
    "milestone_done": (None, _milestone_done),
    "experiment": (forms.ExperimentForm, _experiment),
    "report": (forms.ReportForm, _report),
    "extend": (forms.ExtendForm, _extend),
    "close": (forms.CloseForm, _close),
    "follow": (None, _follow),
}
FORMS = {name: cls for name, (cls, _h) in ACTIONS.items() if cls is not None}


@login_required
@require_POST
def lab_action(request: HttpRequest, slug: str, action: str) -> HttpResponse:
    lab = selectors.access_lab(request.user, slug)
    if action not in ACTIONS:
        raise NotFound()
    form_class, handler = ACTIONS[action]
    data: Data = {}
    if form_class is not None:
        form = form_class(request.POST, request.FILES)
        if not form.is_valid():
            errors = "; ".join(
                f"{form.fields[f].label if f in form.fields else ''}: {' '.join(map(str, e))}"
                for f, e in form.errors.items()
            )
            raise DomainError(errors, code="invalid")
        data = form.cleaned_data
    handler(request, signed_in(request), lab, data)
    messages.success(request, _("Saved."))
    return redirect("labs:detail", lab.slug)
