import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import connection
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from madang.calls import viewers
from madang.calls.models import Outcome, Proposal, Status
from madang.calls.rules import can_view_proposal
from madang.calls.selectors import access_proposal, shown_proposal
from madang.core import sqlnames
from madang.core.errors import NotFound
from madang.followup.models import Answer, AnswerKind, ExecutionState, ExecutionUpdate, Routing, RoutingState
from madang.followup.timeline import TimelineEvent, contributed
from madang.people.rules import is_innovation_team, liaison_paths
from madang.review import rules as review_rules
from madang.review.models import Assignment, Decision, Scorecard


def access_routing(user: Any, routing_id: int) -> Routing:
    r = (
        Routing.objects.select_related("proposal__call__organisation", "department__parent", "proposal__author")
        .prefetch_related("proposal__call__phases", "updates")
        .filter(pk=routing_id)
        .first()
    )
    if r is None:
        raise NotFound()
    is_liaison = any(r.department.path.startswith(p) for p in liaison_paths(user))
    if not (is_liaison or is_innovation_team(user, r.proposal.call) or can_view_proposal(user, r.proposal)):
        raise NotFound()
    return r


def liaison_inbox(user: Any) -> QuerySet[Routing]:
    paths = liaison_paths(user)
    if not paths:
        return Routing.objects.none()
    cond = Q()
    for p in paths:
        cond |= Q(department__path__startswith=p)
    return (
        Routing.objects.filter(cond)
        .select_related("proposal__call", "department__parent")
        .prefetch_related("updates")
        .order_by("state", "answer_due")
    )


def _routed_to(user: Any) -> QuerySet[Routing, Any] | None:
    paths = liaison_paths(user)
    if not paths:
        return None
    return Routing.objects.filter(Q(*[Q(department__path__startswith=p) for p in paths], _connector=Q.OR)).values(
        "proposal_id"
    )


def _routed_liaison(user: Any, proposal: Proposal) -> bool:
    paths = liaison_paths(user)
    if not paths:
        return False
    return proposal.routings.filter(Q(*[Q(department__path__startswith=p) for p in paths], _connector=Q.OR)).exists()


def register_viewers() -> None:
    """Called from FollowupConfig.ready(): the liaisons of the departments a proposal was sent to
    may read it while it is internal."""
    viewers.register("followup.liaisons", viewers.Workers(proposal_ids=_routed_to, works_on=_routed_liaison))


def routings_of(proposal: Proposal) -> list[Routing]:
    """The proposal's routings in the order they were made, with their departments, answers and
    execution updates (what its status shows of each)."""
    return list(
        proposal.routings.select_related("department__parent", "answer")
        .prefetch_related("updates")
        .order_by("routed_at", "id")
    )


@dataclass(frozen=True)
class Sources:
    """Which of the tables a status reads hold anything for one proposal."""

    routings: bool
    scorecards: bool
    decisions: bool


@functools.cache
def _sources_sql() -> str:
    """`sources`' query, made once from the models' table and column names."""

    def table(model: Any, fk: str) -> tuple[str, str]:
        return sqlnames.table(model), sqlnames.column(model, fk)

    routing, routing_fk = table(Routing, "proposal")
    assignment, assignment_fk = table(Assignment, "proposal")
    scorecard, scorecard_fk = table(Scorecard, "assignment")
    decision, decision_fk = table(Decision, "proposal")
    assignment_id = sqlnames.column(Assignment, "id")
    return (
        f"SELECT EXISTS(SELECT 1 FROM {routing} WHERE {routing_fk} = %s), "  # noqa: S608 (model names; values as parameters)
        f"EXISTS(SELECT 1 FROM {scorecard} s JOIN {assignment} a ON s.{scorecard_fk} = a.{assignment_id} "
        f"WHERE a.{assignment_fk} = %s), "
        f"EXISTS(SELECT 1 FROM {decision} WHERE {decision_fk} = %s)"
    )


def sources(proposal_id: int) -> Sources:
    """What the status of this proposal has to read, asked in one plain query. Most proposals of
    a call are never reviewed, decided or routed, and the three ORM queries that find nothing
    cost about 1.6 ms of the page (followup/tests/test_status.py)."""
    with connection.cursor() as cursor:
        cursor.execute(_sources_sql(), [proposal_id] * 3)
        routings, scorecards, decisions = cursor.fetchone()
    return Sources(bool(routings), bool(scorecards), bool(decisions))


def timeline(
    proposal: Proposal, routings: list[Routing] | None = None, found: Sources | None = None
) -> list[TimelineEvent]:
    """Everything that happened to a proposal, oldest first, for its public status page.
    `routings`: the proposal's routings as `routings_of` reads them, when the caller has them;
    `found`: what `sources` said of the proposal, when the caller asked."""
    events: list[TimelineEvent] = []
    if found is None:
        found = sources(proposal.pk)
    if proposal.submitted_at:
        events.append(TimelineEvent(proposal.submitted_at, "submitted", _("Submitted"), state="ok"))
    # That the review happened is public; who reviewed it and the scores stay with the team.
    reviewed: dict[str, Any] = {"n": 0}
    if found.scorecards:
        reviewed = Scorecard.objects.filter(assignment__proposal=proposal).aggregate(
            n=Count("id"), last=Max("submitted_at")
        )
    if reviewed["n"]:
        title = ngettext("Reviewed by %(n)d reviewer", "Reviewed by %(n)d reviewers", reviewed["n"]) % {
            "n": reviewed["n"]
        }
        events.append(TimelineEvent(reviewed["last"], "reviewed", title))
    # (The proposal a merge went into is read only for a merge, which few decisions are.)
    decisions = (
        Decision.objects.filter(proposal=proposal).select_related("department__parent") if found.decisions else []
    )
    for d in decisions:
        detail = d.reason
        if d.department is not None:
            detail = f"{d.department.label()} — {d.reason}" if d.reason else d.department.label()
        if d.merged_into is not None:
            detail = f"→ {d.merged_into.shown_title}"
        events.append(TimelineEvent(d.decided_at, f"decision.{d.kind}", str(d.get_kind_display()), detail, "ok"))
    if routings is None:
        routings = routings_of(proposal) if found.routings else []
    for r in routings:
        events.append(
            TimelineEvent(
                r.routed_at,
                "routed",
                _("Sent to %(dept)s; answer due %(due)s")
                % {"dept": r.department.label(), "due": r.answer_due.isoformat()},
                r.note,
                "warn" if r.is_overdue() else "",
                r.answer_due,
            )
        )
        if r.escalated_at:
            events.append(
                TimelineEvent(
                    r.escalated_at, "overdue", _("Answer overdue: escalated to the innovation team"), "", "bad"
                )
            )
    for r, a in ((r, a) for r in routings if (a := getattr(r, "answer", None)) is not None):
        state = {"accept": "ok", "partial": "ok", "decline": "bad", "transfer": ""}[a.kind]
        late = "" if a.on_time else " " + _("(late)")
        events.append(
            TimelineEvent(
                a.answered_at,
                f"answer.{a.kind}",
                f"{r.department.label()}: {a.get_kind_display()}{late}",
                a.reason,
                state,
            )
        )
    for u in (u for r in routings for u in r.updates.all()):
        events.append(
            TimelineEvent(
                u.posted_at,
                f"execution.{u.state}",
                f"{u.get_state_display()} ({u.percent}%) · {u.happened_on.isoformat()}",
                u.note,
                "ok" if u.state == "done" else ("bad" if u.state == "stopped" else ""),
            )
        )
    events.extend(contributed(proposal))  # the steps of apps above followup (madang/followup/timeline.py)
    events.sort(key=lambda e: e.at)
    return events


@dataclass(frozen=True)
class RoutingStatus:
    """One department's part: where it was sent, by when it must answer, what it said, how it goes."""

    id: int
    department: str
    state: str  # RoutingState value
    state_label: str
    routed_at: datetime
    answer_due: date
    overdue: bool
    escalated_at: datetime | None
    answer: str  # AnswerKind value or ""
    answer_label: str
    answered_at: datetime | None
    on_time: bool | None
    execution: str  # ExecutionState value or ""
    execution_label: str
    percent: int


@dataclass(frozen=True)
class ProposalStatus:
    """Where a proposal stands, as its status page and `GET /api/proposals/{pk}/status` show it.

    Built only for someone who may see the proposal (`access_status`), so the visibility rule of
    calls (drafts, hidden, withdrawn and internal proposals) decides who gets one at all.
    """

    proposal: Proposal
    steps: list[TimelineEvent]
    routings: list[RoutingStatus] = field(default_factory=list)
    can_decide: bool = False

    @property
    def hidden(self) -> bool:
        return self.proposal.hidden_at is not None


def access_status(user: Any, proposal_id: int) -> ProposalStatus:
    """The status of a proposal this user may see; "not found" for a missing or forbidden one."""
    return proposal_status(user, shown_proposal(user, access_proposal(user, proposal_id)))


def proposal_status(user: Any, proposal: Proposal) -> ProposalStatus:
    """The status of a proposal already reached through `calls.selectors.access_proposal`."""
    routings = []
    found = sources(proposal.pk)
    rows = routings_of(proposal) if found.routings else []
    for r in rows:
        answer = getattr(r, "answer", None) if r.state != RoutingState.AWAITING else None
        updates = sorted(r.updates.all(), key=lambda u: (u.posted_at, u.pk))
        last = updates[-1] if updates else None
        routings.append(
            RoutingStatus(
                id=r.pk,
                department=r.department.label(),
                state=r.state,
                state_label=str(r.get_state_display()),
                routed_at=r.routed_at,
                answer_due=r.answer_due,
                overdue=r.is_overdue(),
                escalated_at=r.escalated_at,
                answer=answer.kind if answer else "",
                answer_label=str(answer.get_kind_display()) if answer else "",
                answered_at=answer.answered_at if answer else None,
                on_time=answer.on_time if answer else None,
                execution=last.state if last else "",
                execution_label=str(last.get_state_display()) if last else "",
                percent=last.percent if last else 0,
            )
        )
    can_decide = (
        review_rules.can_decide(user, proposal.call)
        and proposal.outcome == Outcome.PENDING
        and proposal.status == Status.SUBMITTED
    )
    return ProposalStatus(
        proposal=proposal, steps=timeline(proposal, rows, found), routings=routings, can_decide=can_decide
    )


@dataclass(frozen=True)
class FollowState:
    department: str
    answer: str  # AnswerKind value or ""
    answer_label: str
    execution: str  # ExecutionState value or ""
    execution_label: str
    percent: int
    overdue: bool
    answer_due: Any


def follow_states(proposal_ids: list[int]) -> dict[int, FollowState]:
    """The current follow-through state of each proposal, in three queries for any number."""
    routings = {}
    for r in (
        Routing.objects.filter(proposal_id__in=proposal_ids)
        .select_related("department__parent")
        .order_by("routed_at", "id")
    ):
        if r.state != RoutingState.TRANSFERRED:
            routings[r.proposal_id] = r  # the last live routing wins
    answers = {a.routing_id: a for a in Answer.objects.filter(routing__in=list(routings.values()))}
    latest: dict[int, ExecutionUpdate] = {}
    for u in ExecutionUpdate.objects.filter(routing__in=list(routings.values())).order_by("posted_at", "id"):
        latest[u.routing_id] = u
    out = {}
    for pid, r in routings.items():
        a = answers.get(r.pk)
        last = latest.get(r.pk)
        out[pid] = FollowState(
            department=r.department.label(),
            answer=a.kind if a else "",
            answer_label=str(a.get_kind_display()) if a else "",
            execution=last.state if last else "",
            execution_label=str(last.get_state_display()) if last else "",
            percent=last.percent if last else 0,
            overdue=r.is_overdue(),
            answer_due=r.answer_due,
        )
    return out


@dataclass(frozen=True)
class RoutingFact:
    """One live routing as plain data, for counting (no ORM, no clock)."""

    proposal_id: int
    department: str
    answer_due: date
    answer: str = ""  # AnswerKind value, "" while unanswered
    on_time: bool = True
    execution: str = ""  # the latest ExecutionState value, "" before any report


@dataclass
class Stats:
    """Every routing falls in exactly one of four answer states:

    answered on time + answered late + overdue (due date passed, no answer) + waiting (within
    its deadline, no answer) = routed. "Due so far" is every routing that is answered or past
    its deadline (routed − waiting); rates are over that, so an unanswered overdue routing
    pulls the on-time rate down instead of vanishing from it.
    """

    received: int = 0
    decided: int = 0
    selected: int = 0
    routed: int = 0
    answered_on_time: int = 0
    answered_late: int = 0
    overdue: int = 0
    waiting: int = 0
    accepted: int = 0
    partial: int = 0
    declined: int = 0
    executing: int = 0
    executed: int = 0
    stopped: int = 0

    @property
    def adopted(self) -> int:
        return self.accepted + self.partial

    @property
    def answered(self) -> int:
        return self.answered_on_time + self.answered_late

    @property
    def due(self) -> int:
        return self.answered + self.overdue

    @property
    def on_time_rate(self) -> int | None:
        """Answered on time over all routings due so far; None when nothing is due yet."""
        return round(100 * self.answered_on_time / self.due) if self.due else None

    @property
    def overdue_rate(self) -> int | None:
        return round(100 * self.overdue / self.due) if self.due else None


def count_routings(facts: Iterable[RoutingFact], today: date) -> Stats:
    """The follow-through figures of these routings on `today` (pure counting; see `Stats`)."""

    s = Stats()
    for f in facts:
        s.routed += 1
        if not f.answer:
            if f.answer_due < today:
                s.overdue += 1
            else:
                s.waiting += 1
            continue
        if f.on_time:
            s.answered_on_time += 1
        else:
            s.answered_late += 1
        if f.answer == AnswerKind.ACCEPT:
            s.accepted += 1
        elif f.answer == AnswerKind.PARTIAL:
            s.partial += 1
        elif f.answer == AnswerKind.DECLINE:
            s.declined += 1
        if f.execution == ExecutionState.DONE:
            s.executed += 1
        elif f.execution == ExecutionState.STOPPED:
            s.stopped += 1
        elif f.execution in (ExecutionState.IN_PROGRESS, ExecutionState.PLANNED):
            s.executing += 1
    return s


def routing_facts(routings: Any) -> list[RoutingFact]:
    """Live routings as facts (a transferred routing counts once, at its final department)."""
    from madang.followup.models import RoutingState

    rows = (
        routings.exclude(state=RoutingState.TRANSFERRED)
        .select_related("department__parent", "answer")
        .prefetch_related("updates")
    )
    facts = []
    for r in rows:
        answer = getattr(r, "answer", None) if r.state == RoutingState.ANSWERED else None
        updates = sorted(r.updates.all(), key=lambda u: (u.posted_at, u.pk))
        facts.append(
            RoutingFact(
                proposal_id=r.proposal_id,
                department=r.department.label(),
                answer_due=r.answer_due,
                answer=answer.kind if answer else "",
                on_time=answer.on_time if answer else True,
                execution=updates[-1].state if updates else "",
            )
        )
    return facts


def routing_stats(routings: Any, today: date | None = None) -> tuple[Stats, dict[str, Stats]]:
    """Counts over live routings, total and per department (see `Stats` for the definitions)."""
    today = today or timezone.localdate()
    facts = routing_facts(routings)
    by_dept: dict[str, list[RoutingFact]] = {}
    for f in facts:
        by_dept.setdefault(f.department, []).append(f)
    return count_routings(facts, today), {name: count_routings(fs, today) for name, fs in sorted(by_dept.items())}


@dataclass(frozen=True)
class ProposalSummary:
    """Where one proposal (an event's agreed task sent to many agencies) stands across them."""

    proposal_id: int
    title: str
    stats: Stats


def proposal_summaries(routings: Any, today: date | None = None) -> list[ProposalSummary]:
    """One line per routed proposal: accepted / partial / declined / overdue / waiting across
    every department it went to, most routings first (a ministry reports these upward)."""
    today = today or timezone.localdate()
    by_proposal: dict[int, list[RoutingFact]] = {}
    for f in routing_facts(routings):
        by_proposal.setdefault(f.proposal_id, []).append(f)
    titles = {p.pk: p.shown_title for p in Proposal.objects.filter(pk__in=by_proposal).only("pk", "title")}
    out = [ProposalSummary(pid, titles.get(pid, ""), count_routings(fs, today)) for pid, fs in by_proposal.items()]
    return sorted(out, key=lambda x: (-x.stats.routed, x.proposal_id))


def escalations(calls: list[Any]) -> QuerySet[Routing]:
    """Unanswered routings past their due date in these calls (the team chases them), oldest due first."""
    from madang.followup.models import RoutingState

    return (
        Routing.objects.filter(
            proposal__call__in=calls, state=RoutingState.AWAITING, answer_due__lt=timezone.localdate()
        )
        .select_related("proposal__call", "department__parent")
        .order_by("answer_due", "pk")
    )


def liaison_queue(user: Any) -> QuerySet[Routing]:
    """What a liaison's departments still have to answer, nearest deadline first."""
    from madang.followup.models import RoutingState

    return liaison_inbox(user).filter(state=RoutingState.AWAITING).order_by("answer_due", "pk")
