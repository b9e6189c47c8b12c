"""Reads for labs. Views and the API reach labs only through `access_*`, which answer "not
found" both for what is missing and for what the user may not see. Nothing here writes."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Prefetch, QuerySet

from madang.core import params
from madang.core.errors import NotFound
from madang.labs import rules
from madang.labs.models import (
    Experiment,
    JournalEntry,
    Lab,
    LabDecision,
    LabReport,
    LabState,
    Membership,
    MemberState,
    Milestone,
    Objection,
)
from madang.labs.screening import DECISION, EXPERIMENT, EXPERIMENT_FIELDS, JOURNAL, MILESTONE, OBJECTION, REPORT
from madang.people.models import Organisation, OrgKind
from madang.privacy import selectors as privacy_reads

# Ids fit a 64-bit signed integer in SQLite and PostgreSQL; a larger one overflows in the driver.
MAX_SLUG = 80
JOURNAL_PAGE = 50
PERMS = {
    "view": rules.can_view_lab,
    "journal": rules.can_read_journal,
    "manage": rules.can_manage,
    "work": rules.can_work,
}


def parse_id(value: Any) -> int | None:
    """An id from a request (core.params' strict rule), or None for anything else."""
    return params.id_or_zero(value) or None


def _labs() -> QuerySet[Lab]:
    return Lab.objects.select_related("proposal__call__organisation", "home__parent", "handed_to__parent")


def access_lab(user: Any, slug_or_id: str | int, *, perm: str = "view") -> Lab:
    """The lab if `user` may `perm` it ("view", "journal", "manage" or "work"), else NotFound."""
    if isinstance(slug_or_id, int):
        lab = _labs().filter(pk=slug_or_id).first() if parse_id(slug_or_id) else None
    else:
        lab = _labs().filter(slug=str(slug_or_id)[:MAX_SLUG]).first()
    if lab is None or not rules.can_view_lab(user, lab) or not PERMS[perm](user, lab):
        raise NotFound()
    return lab


def labs_for(user: Any) -> list[Lab]:
    """Every lab this user may see, newest term first."""
    labs = _labs().prefetch_related("memberships")
    return [lab for lab in labs if rules.can_view_lab(user, lab)]


def portfolio(user: Any) -> list[tuple[str, list[Lab]]]:
    labs = labs_for(user)
    return [(str(label), [lab for lab in labs if lab.state == state]) for state, label in LabState.choices]


def members(lab: Lab) -> QuerySet[Membership]:
    return lab.memberships.filter(state=MemberState.MEMBER).select_related(
        "user__department__parent", "home_department__parent"
    )


def applicants(lab: Lab) -> QuerySet[Membership]:
    return lab.memberships.filter(state=MemberState.APPLIED).select_related("user__department__parent")


def membership_history(lab: Lab) -> QuerySet[Membership]:
    return lab.memberships.select_related("user").order_by("applied_at", "id")


def decisions(lab: Lab) -> QuerySet[LabDecision]:
    return lab.decisions.select_related("proposed_by").prefetch_related(
        Prefetch("objections", queryset=Objection.objects.select_related("member"))
    )


def journal(lab: Lab) -> QuerySet[JournalEntry]:
    return lab.journal.select_related("author").prefetch_related("attachments")


type Screened = JournalEntry | LabDecision | Objection | LabReport | Experiment | Milestone


def _shown[T: Screened](user: Any, place: str, rows: list[T], fields: list[str] | tuple[str, ...]) -> list[T]:
    """Of these, what `user` may see (a held one: its author and the moderators only), with text
    the personal-data filter flagged masked as for `user` (in memory only; labs/screening.py)."""
    seen = privacy_reads.visible_to(user, place, [r.pk for r in rows])
    kept = [r for r in rows if r.pk in seen]
    privacy_reads.mask_for_reader(user, place, kept, fields)
    return kept


def shown_journal(user: Any, lab: Lab, *, limit: int = JOURNAL_PAGE) -> list[JournalEntry]:
    return _shown(user, JOURNAL, list(journal(lab)[: limit * 2]), ["body"])[:limit]


def shown_decisions(user: Any, lab: Lab) -> list[LabDecision]:
    """The decisions `user` may read, and their objections: a held objection still stands, its
    text withheld (`withheld`) from everyone but its author and the moderators."""
    shown = _shown(user, DECISION, list(decisions(lab)), ["title", "body"])
    objections = [o for d in shown for o in d.objections.all()]
    seen = privacy_reads.visible_to(user, OBJECTION, [o.pk for o in objections])
    privacy_reads.mask_for_reader(user, OBJECTION, objections, ["reason", "resolution"])
    for o in objections:
        o.withheld = o.pk not in seen
        if o.withheld:
            o.reason = o.resolution = ""
    return shown


def milestones(lab: Lab) -> QuerySet[Milestone]:
    return lab.milestones.all()


def experiments(lab: Lab) -> QuerySet[Experiment]:
    return lab.experiments.all()


def reports(lab: Lab) -> QuerySet[LabReport]:
    return lab.reports.select_related("submitted_by")


def shown_milestones(user: Any, lab: Lab) -> list[Milestone]:
    return _shown(user, MILESTONE, list(milestones(lab)), ["title"])


def shown_experiments(user: Any, lab: Lab) -> list[Experiment]:
    return _shown(user, EXPERIMENT, list(experiments(lab)), EXPERIMENT_FIELDS)


def shown_reports(user: Any, lab: Lab) -> list[LabReport]:
    return _shown(user, REPORT, list(reports(lab)), ["body"])


def is_following(user: Any, lab: Lab) -> bool:
    return bool(user.is_authenticated and lab.followers.filter(pk=user.pk).exists())


def _one(qs: QuerySet[Any], raw_id: Any) -> Any:
    pk = parse_id(raw_id)
    found = qs.filter(pk=pk).first() if pk is not None else None
    if found is None:
        raise NotFound()
    return found


def access_membership(lab: Lab, raw_id: Any) -> Membership:
    return _one(lab.memberships.select_related("lab__proposal__call__organisation", "user"), raw_id)


def access_decision(lab: Lab, raw_id: Any) -> LabDecision:
    return _one(decisions(lab).select_related("lab__proposal__call__organisation"), raw_id)


def access_objection(lab: Lab, raw_id: Any) -> Objection:
    return _one(Objection.objects.filter(decision__lab=lab).select_related("decision__lab", "member"), raw_id)


def access_milestone(lab: Lab, raw_id: Any) -> Milestone:
    return _one(lab.milestones.select_related("lab__proposal__call__organisation"), raw_id)


@dataclass
class LabPage:
    """What a lab's page shows this user, read once."""

    lab: Lab
    members: list[Membership]
    history: list[Membership]
    applicants: list[Membership]
    decisions: list[LabDecision]
    journal: list[JournalEntry]
    milestones: list[Milestone]
    experiments: list[Experiment]
    reports: list[LabReport]
    can: dict[str, bool]
    following: bool


def permissions(user: Any, lab: Lab) -> dict[str, bool]:
    member = rules.is_member(user, lab)
    manage = rules.can_manage(user, lab)
    return {
        "see_task": rules.can_see_task(user, lab),
        "read_journal": rules.can_read_journal(user, lab),
        "see_duties": rules.can_see_released_duties(user, lab),
        "apply": rules.can_apply(user, lab),
        "confirm": rules.can_confirm(user, lab),
        "start": rules.can_start(user, lab),
        "work": rules.can_work(user, lab),
        "close": rules.can_close(user, lab),
        "hand_over": rules.can_hand_over(user, lab),
        "follow": rules.can_follow(user, lab),
        "member": member,
        "manage": manage,
    }


def lab_page(user: Any, lab: Lab) -> LabPage:
    can = permissions(user, lab)
    return LabPage(
        lab=lab,
        members=list(members(lab)),
        history=list(membership_history(lab)),
        applicants=list(applicants(lab)) if can["confirm"] else [],
        decisions=shown_decisions(user, lab),
        journal=shown_journal(user, lab) if can["read_journal"] else [],
        milestones=shown_milestones(user, lab),
        experiments=shown_experiments(user, lab),
        reports=shown_reports(user, lab),
        can=can,
        following=is_following(user, lab),
    )


def others_shown(user: Any, page: LabPage) -> int:
    """How many people's memberships this page shows beyond the lab's public face (volunteers'
    motivations, members' released duties), the viewer's own left out: what its access record counts."""
    me = getattr(user, "pk", None)
    shown = {m.user_id for m in page.applicants}
    if page.can["see_duties"]:
        shown |= {m.user_id for m in page.members}
    return len(shown - {me})


def handover_departments() -> QuerySet[Organisation]:
    """The departments a closing lab's task may be handed to (the page's choices and the API's)."""
    return Organisation.objects.filter(kind=OrgKind.DEPARTMENT, is_active=True).select_related("parent")


def volunteers_to_confirm(user: Any) -> list[Membership]:
    """Applications waiting for the innovation team's confirmation in the labs this user manages."""
    rows = (
        Membership.objects.filter(state=MemberState.APPLIED)
        .exclude(lab__state=LabState.CLOSED)
        .select_related("lab__proposal__call__organisation", "user")
        .order_by("applied_at", "pk")
    )
    return [m for m in rows if rules.can_confirm(user, m.lab)]


def labs_due(user: Any, today: date, *, within_days: int = 14) -> list[Lab]:
    """Running labs whose term ends within `within_days` (or has ended): close, extend or hand over."""
    rows = _labs().filter(state=LabState.RUNNING, ends_on__lte=today + timedelta(days=within_days)).order_by("ends_on")
    return [lab for lab in rows if rules.can_manage(user, lab)]


def my_labs(user: Any) -> list[Membership]:
    """The labs this user applied to or works in (not the ones they left)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Membership.objects.filter(user=user, state__in=[MemberState.APPLIED, MemberState.MEMBER])
        .select_related("lab")
        .order_by("-applied_at")
    )
