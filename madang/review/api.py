"""Reviewers' assignments and scorecards; the innovation team's results, assignments and decisions."""

from datetime import date, datetime
from typing import Any, Literal

from django.db.models import Q
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from madang.calls.models import Call, Proposal
from madang.calls.selectors import access_call, access_proposal, routable_departments
from madang.core.errors import DomainError, NotFound
from madang.people.api_auth import ERRORS, Id, Input, api_user, unknown
from madang.people.models import Role, User
from madang.review import rules, selectors, services
from madang.review.models import Decision, Scorecard, Verdict

router = Router(tags=["review"])

MAX_TEXT = 4000
MAX_REVIEWERS = 200
MAX_PER_PROPOSAL = 10


class ScorecardOut(Schema):
    verdict: str
    comment: str
    total: float
    scores: dict[int, int] = Field(..., description="criterion id → score")
    submitted_at: datetime
    updated_at: datetime


class AssignmentOut(Schema):
    id: int
    proposal_id: int
    proposal_number: int | None
    proposal_title: str
    call: str
    can_score: bool
    scorecard: ScorecardOut | None


class ScorecardIn(Input):
    scores: dict[Id, int] = Field(..., description="criterion id → score (0 to the criterion's highest score)")
    verdict: Verdict
    comment: str = Field("", max_length=MAX_TEXT)


class ResultOut(Schema):
    proposal_id: int
    number: int | None
    title: str
    outcome: str
    raw_mean: float
    normalised_mean: float
    n_reviews: int


class AssignIn(Input):
    reviewer_ids: list[Id] = Field(..., min_length=1, max_length=MAX_REVIEWERS)
    per_proposal: int = Field(2, ge=1, le=MAX_PER_PROPOSAL)


class AssignedOut(Schema):
    created: int


class DecisionIn(Input):
    kind: Literal["select", "route", "merge", "reject"]
    reason: str = Field("", max_length=MAX_TEXT)
    department_id: Id | None = Field(None, description="route: the department that answers")
    answer_due: date | None = Field(None, description="route: the answer deadline")
    merge_into_id: Id | None = Field(None, description="merge: the proposal that absorbs this one")


class DecisionOut(Schema):
    id: int
    proposal_id: int
    kind: str
    reason: str
    department_id: int | None
    merged_into_id: int | None
    decided_at: datetime


def scorecard_out(card: Scorecard | None) -> ScorecardOut | None:
    if card is None:
        return None
    return ScorecardOut(
        verdict=card.verdict,
        comment=card.comment,
        total=card.total,
        scores={s.criterion_id: s.value for s in card.scores.all()},
        submitted_at=card.submitted_at,
        updated_at=card.updated_at,
    )


def assignment_out(a: Any, user: Any) -> AssignmentOut:
    return AssignmentOut(
        id=a.pk,
        proposal_id=a.proposal_id,
        proposal_number=a.proposal.number,
        proposal_title=a.proposal.shown_title,
        call=a.proposal.call.slug,
        can_score=rules.can_score(user, a),
        scorecard=scorecard_out(getattr(a, "scorecard", None)),
    )


def team_call(user: Any, slug: str) -> Call:
    call = access_call(user, slug[:80])
    if not rules.can_see_all_scores(user, call):
        raise NotFound()
    return call


def eligible_reviewers(call: Call, ids: list[int]) -> list[User]:
    """The reviewers the review board offers: reviewer grants on this call, its organiser's tree, or site-wide."""
    ancestors = [int(x) for x in call.organisation.path.strip("/").split("/") if x]
    scope = (
        Q(role_grants__call=call)
        | Q(role_grants__organisation_id__in=ancestors)
        | Q(role_grants__organisation__isnull=True, role_grants__call__isnull=True)
    )
    found = {
        u.pk: u
        for u in User.objects.filter(pk__in=ids, is_active=True, role_grants__role=Role.REVIEWER)
        .filter(scope)
        .distinct()
    }
    for pk in ids:
        if pk not in found:
            raise unknown("reviewer_ids")
    return [found[pk] for pk in dict.fromkeys(ids)]


@router.get("/assignments", response={200: list[AssignmentOut], **ERRORS})
def my_assignments(request: HttpRequest) -> list[AssignmentOut]:
    user = api_user(request)
    rows = selectors.my_assignments(user).prefetch_related("proposal__call__phases", "scorecard__scores")
    return [assignment_out(a, user) for a in rows]


@router.put("/assignments/{pk}/scorecard", response={200: ScorecardOut, **ERRORS})
def submit_scorecard(request: HttpRequest, pk: Id, payload: ScorecardIn) -> ScorecardOut | None:
    """Fill in (or revise, while the review phase runs) your scorecard for one assignment."""
    user = api_user(request)
    assignment = selectors.access_assignment(user, pk)
    card = services.submit_scorecard(
        actor=user,
        assignment=assignment,
        scores=dict(payload.scores),
        verdict=payload.verdict.value,
        comment=payload.comment,
    )
    return scorecard_out(card)


@router.get("/calls/{slug}/results", response={200: list[ResultOut], **ERRORS})
def results(request: HttpRequest, slug: str) -> list[ResultOut]:
    """Raw and reviewer-normalised mean scores, best normalised first (innovation team only)."""
    call = team_call(api_user(request), slug)
    combined = services.results(call)
    proposals = Proposal.objects.in_bulk([r.proposal for r in combined])
    return [
        ResultOut(
            proposal_id=p.pk,
            number=p.number,
            title=p.shown_title,
            outcome=p.outcome,
            raw_mean=r.raw_mean,
            normalised_mean=r.normalised_mean,
            n_reviews=r.n_reviews,
        )
        for r in combined
        if (p := proposals.get(r.proposal)) is not None
    ]


@router.post("/calls/{slug}/assignments", response={201: AssignedOut, **ERRORS})
def assign_reviewers(request: HttpRequest, slug: str, payload: AssignIn) -> Status[AssignedOut]:
    """Give every pending submitted proposal `per_proposal` of these reviewers, avoiding conflicts of interest."""
    user = api_user(request)
    call = team_call(user, slug)
    reviewers = eligible_reviewers(call, payload.reviewer_ids)
    created = services.assign_reviewers(actor=user, call=call, reviewers=reviewers, per_proposal=payload.per_proposal)
    return Status(201, AssignedOut(created=len(created)))


@router.post("/proposals/{pk}/decision", response={201: DecisionOut, **ERRORS})
def decide(request: HttpRequest, pk: Id, payload: DecisionIn) -> Status[Decision]:
    """Select, route (department and deadline), merge (into another proposal) or reject (with a reason)."""
    user = api_user(request)
    proposal = access_proposal(user, pk)
    if not rules.can_see_all_scores(user, proposal.call):
        raise NotFound()
    department = None
    if payload.kind == "route" and payload.department_id is not None:
        department = routable_departments(proposal.call).filter(pk=payload.department_id).first()
        if department is None:
            raise unknown("department_id")
    into = None
    if payload.kind == "merge" and payload.merge_into_id is not None:
        try:
            into = access_proposal(user, payload.merge_into_id)
        except NotFound:
            raise unknown("merge_into_id") from None
    try:
        decision = services.decide(
            actor=user,
            proposal=proposal,
            kind=payload.kind,
            reason=payload.reason,
            department=department,
            answer_due=payload.answer_due,
            merge_into=into,
        )
    except DomainError as exc:
        if exc.field in ("department", "merge_into"):
            exc.field = f"{exc.field}_id"
        raise
    return Status(201, decision)
