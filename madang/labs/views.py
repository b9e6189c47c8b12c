from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from madang.calls.rules import can_view_proposal
from madang.calls.selectors import access_proposal
from madang.core.errors import DomainError, NotFound
from madang.labs import forms, rules, services
from madang.labs.models import Lab, LabDecision, LabState, Membership, Milestone, Objection


def access_lab(slug: str, user: Any = None) -> Lab:
    lab = Lab.objects.select_related("proposal__call__organisation", "home", "handed_to").filter(slug=slug).first()
    if lab is None or not rules.can_view_lab(user, lab):
        raise NotFound()
    return lab


def portfolio(request: HttpRequest) -> HttpResponse:
    every = Lab.objects.select_related("home", "proposal__call__organisation").prefetch_related("memberships")
    labs = [lab for lab in every if rules.can_view_lab(request.user, lab)]
    groups = [(label, [lab for lab in labs if lab.state == state]) for state, label in LabState.choices]
    return render(request, "labs/portfolio.html", {"groups": groups})


def lab_detail(request: HttpRequest, slug: str) -> HttpResponse:
    lab = access_lab(slug, request.user)
    for d in lab.decisions.filter(state="open"):
        services.settle_decision(decision=d)
    user = request.user
    members = list(lab.memberships.filter(state="member").select_related("user__department__parent", "home_department__parent"))
    for m in members:
        m.duties_shown = rules.can_see_released_duties(user, m)
    context = {
        "lab": lab,
        "members": members,
        "task_shown": can_view_proposal(user, lab.proposal),
        "history": lab.memberships.select_related("user").order_by("applied_at"),
        "applicants": lab.memberships.filter(state="applied").select_related("user__department__parent"),
        "decisions": lab.decisions.prefetch_related("objections__member").select_related("proposed_by"),
        "journal": lab.journal.select_related("author").prefetch_related("attachments")[:50],
        "milestones": lab.milestones.all(), "experiments": lab.experiments.all(), "reports": lab.reports.select_related("submitted_by"),
        "is_member": rules.is_member(user, lab), "can_work": rules.can_work(user, lab), "can_manage": rules.can_manage(user, lab),
        "can_apply": rules.can_apply(user, lab), "following": user.is_authenticated and lab.followers.filter(pk=user.pk).exists(),
        "f": {name: cls() for name, cls in FORMS.items()},
    }
    return render(request, "labs/detail.html", context)


@login_required
def lab_new(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = access_proposal(request.user, proposal_id)
    if not rules.is_innovation_team(request.user, proposal.call):
        raise NotFound()
    form = forms.LabForm(request.POST or None, initial={"title": proposal.title, "home": proposal.call.organisation_id})
    if request.method == "POST" and form.is_valid():
        lab = services.create_lab(actor=request.user, proposal=proposal, **form.cleaned_data)
        return redirect("labs:detail", lab.slug)
    return render(request, "labs/new.html", {"form": form, "p": proposal}, status=400 if form.errors else 200)


def _member_of(lab: Lab, pk: str) -> Membership:
    m = lab.memberships.filter(pk=int(pk) if pk.isdigit() else 0).first()
    if m is None:
        raise NotFound()
    return m


def _decision_of(lab: Lab, pk: str) -> LabDecision:
    d = lab.decisions.filter(pk=int(pk) if pk.isdigit() else 0).first()
    if d is None:
        raise NotFound()
    return d


# Each action: (form class or None, handler(request, lab, cleaned data)).
def _apply(r: HttpRequest, lab: Lab, d: dict) -> None:  # type: ignore[type-arg]
    services.apply_to_lab(actor=r.user, lab=lab, motivation=d["motivation"])


def _confirm(r: HttpRequest, lab: Lab, d: dict) -> None:  # type: ignore[type-arg]
    services.confirm_member(actor=r.user, membership=_member_of(lab, r.POST.get("membership", "")), accept=r.POST.get("accept") == "1")


def _start(r: HttpRequest, lab: Lab, d: dict) -> None:  # type: ignore[type-arg]
    services.start_lab(actor=r.user, lab=lab)


def _leave(r: HttpRequest, lab: Lab, d: dict) -> None:  # type: ignore[type-arg]
    services.leave_lab(actor=r.user, lab=lab, reason=r.POST.get("reason", "")[:300])


def _duties(r: HttpRequest, lab: Lab, d: dict) -> None:  # type: ignore[type-arg]
    services.set_released_duties(actor=r.user, lab=lab, duties=d["duties"])


def _decision(r: HttpRequest, lab: Lab, d: dict) -> None:  # type: ignore[type-arg]
    services.propose_decision(actor=r.user, lab=lab, **d)


def _object(r: HttpRequest, lab: Lab, d: dict) -> None:  # type: ignore[type-arg]
    services.object_to(actor=r.user, decision=_decision_of(lab, r.POST.get("decision", "")), reason=d["text"])


def _resolve(r: HttpRequest, lab: Lab, d: dict) -> None:  # type: ignore[type-arg]
    pk = r.POST.get("objection", "")
    o = Objection.objects.filter(decision__lab=lab, pk=int(pk) if pk.isdigit() else 0).first()
    if o is None:
        raise NotFound()
    services.resolve_objection(actor=r.user, objection=o, resolution=d["text"])


def _journal(r: HttpRequest, lab: Lab, d: dict) -> None:  # type: ignore[type-arg]
    files = [d["file"]] if d.get("file") else []
    services.add_journal_entry(actor=r.user, lab=lab, body=d["body"], happened_on=d["happened_on"], files=files)


def _milestone(r: HttpRequest, lab: Lab, d: dict) -> None:  # type: ignore[type-arg]
    services.add_milestone(actor=r.user, lab=lab, **d)


def _milestone_done(r: HttpRequest, lab: Lab, d: dict) -> None:  # type: ignore[type-arg]
    pk = r.POST.get("milestone", "")
    m = Milestone.objects.filter(lab=lab, pk=int(pk) if pk.isdigit() else 0).first()
    if m is None:
        raise NotFound()
    services.complete_milestone(actor=r.user, milestone=m)


def _experiment(r: HttpRequest, lab: Lab, d: dict) -> None:  # type: ignore[type-arg]
    services.record_experiment(actor=r.user, lab=lab, **d)


def _report(r: HttpRequest, lab: Lab, d: dict) -> None:  # type: ignore[type-arg]
    services.submit_report(actor=r.user, lab=lab, **d)


def _extend(r: HttpRequest, lab: Lab, d: dict) -> None:  # type: ignore[type-arg]
    services.extend_term(actor=r.user, lab=lab, **d)


def _close(r: HttpRequest, lab: Lab, d: dict) -> None:  # type: ignore[type-arg]
    services.close_lab(actor=r.user, lab=lab, outcome=d["outcome"], note=d["note"], department=d.get("department"))


def _follow(r: HttpRequest, lab: Lab, d: dict) -> None:  # type: ignore[type-arg]
    services.follow_lab(actor=r.user, lab=lab, follow=r.POST.get("follow") == "1")


ACTIONS: dict[str, tuple[type | None, Callable[..., None]]] = {
    "apply": (forms.ApplyForm, _apply), "confirm": (None, _confirm), "start": (None, _start), "leave": (None, _leave),
    "duties": (forms.DutiesForm, _duties), "decision": (forms.DecisionForm, _decision), "object": (forms.TextForm, _object),
    "resolve": (forms.TextForm, _resolve), "journal": (forms.JournalForm, _journal), "milestone": (forms.MilestoneForm, _milestone),
    "milestone_done": (None, _milestone_done), "experiment": (forms.ExperimentForm, _experiment), "report": (forms.ReportForm, _report),
    "extend": (forms.ExtendForm, _extend), "close": (forms.CloseForm, _close), "follow": (None, _follow),
}
FORMS = {name: cls for name, (cls, _h) in ACTIONS.items() if cls is not None}


@login_required
@require_POST
def lab_action(request: HttpRequest, slug: str, action: str) -> HttpResponse:
    lab = access_lab(slug, request.user)
    if action not in ACTIONS:
        raise NotFound()
    form_class, handler = ACTIONS[action]
    data: dict = {}  # type: ignore[type-arg]
    if form_class is not None:
        form = form_class(request.POST, request.FILES)
        if not form.is_valid():
            errors = "; ".join(f"{form.fields[f].label if f in form.fields else ''}: {' '.join(e)}" for f, e in form.errors.items())
            raise DomainError(errors, code="invalid")
        data = form.cleaned_data
    handler(request, lab, data)
    messages.success(request, _("Saved."))
    return redirect("labs:detail", lab.slug)
