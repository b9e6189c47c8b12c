"""Routings of proposals to departments, their answers and execution reports."""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from madang.calls.models import Call, Proposal
from madang.calls.selectors import access_call, access_proposal, routable_departments
from madang.core.errors import NotFound
from madang.followup import rules, selectors, services, suggest
from madang.followup.models import AnswerKind, ExecutionState, ExecutionUpdate, Routing
from madang.people.api_auth import (
    ERRORS,
    MAX_PAGE,
    PUBLIC,
    PUBLIC_OPENAPI,
    Id,
    Input,
    api_user,
    api_visitor,
    unknown,
)
from madang.review import rules as review_rules
from madang.review import selectors as review_selectors
from madang.review import services as review
from madang.review.api import DecisionOut
from madang.review.models import Decision

router = Router(tags=["follow-through"])
# Mounted at /api/ beside calls' /proposals/{pk}: a proposal's status is read where the proposal is.
proposals_router = Router(tags=["follow-through"])


class AnswerOut(Schema):
    kind: str
    reason: str
    answered_at: datetime
    on_time: bool


class UpdateOut(Schema):
    id: int
    state: str
    percent: int
    note: str
    happened_on: date
    posted_at: datetime


class RoutingOut(Schema):
    id: int
    proposal_id: int
    proposal_title: str
    department_id: int
    department: str
    state: str
    answer_due: date
    overdue: bool
    note: str
    routed_at: datetime
    transferred_from_id: int | None
    answer: AnswerOut | None
    updates: list[UpdateOut]
    can_answer: bool
    can_report: bool


class AnswerIn(Input):
    kind: AnswerKind
    reason: str = Field("", max_length=services.MAX_TEXT, description="Required unless you accept in full.")
    transfer_to: Id | None = Field(None, description="transfer: the department id that should answer instead")
    transfer_due: date | None = Field(None, description="transfer: the new deadline (default: the current one)")


class ExecutionIn(Input):
    state: ExecutionState
    percent: int = Field(0, ge=0, le=100)
    note: str = Field("", max_length=services.MAX_TEXT)
    happened_on: date | None = Field(None, description="Default: today")


class StepOut(Schema):
    at: datetime
    kind: str = Field(
        ...,
        description="submitted, reviewed, decision.<kind>, routed, overdue, answer.<kind>, execution.<state>, "
        "or suggestion.<step> for a statutory suggestion (received, supplement_requested, "
        "supplement_answered, <round>.<outcome>, reexamination_requested, planned, delayed, "
        "cannot_implement, ruling.<kind>, notice.<receipt, supplement, decision, reexamination, plan or delay>: "
        "that the proposer was sent that notice)",
    )
    title: str = Field(..., description="In the reader's language (Accept-Language).")
    detail: str
    state: str = Field(..., description="ok, warn, bad or empty: how the step went.")
    due: date | None = Field(
        ..., description="The deadline the step set (a routing's answer date, a suggestion's due date)."
    )


class RoutingStatusOut(Schema):
    id: int
    department: str
    state: str
    routed_at: datetime
    answer_due: date
    overdue: bool
    escalated_at: datetime | None
    answer: str = Field(..., description="accept, partial, decline, transfer or empty.")
    answered_at: datetime | None
    on_time: bool | None
    execution: str = Field(..., description="The latest execution state, or empty.")
    percent: int


class StatusCanOut(Schema):
    decide: bool = Field(..., description="Whether you may record the decision now.")


class ProposalStatusOut(Schema):
    proposal_id: int
    title: str
    status: str
    outcome: str
    is_internal: bool
    hidden: bool
    submitted_at: datetime | None
    steps: list[StepOut]
    routings: list[RoutingStatusOut]
    can: StatusCanOut


def status_out(status: selectors.ProposalStatus) -> ProposalStatusOut:
    p = status.proposal
    return ProposalStatusOut(
        proposal_id=p.pk,
        title=p.title,
        status=p.status,
        outcome=p.outcome,
        is_internal=p.is_internal,
        hidden=status.hidden,
        submitted_at=p.submitted_at,
        steps=[
            StepOut(at=e.at, kind=e.kind, title=e.title, detail=e.detail, state=e.state, due=e.due)
            for e in status.steps
        ],
        routings=[
            RoutingStatusOut(
                id=r.id,
                department=r.department,
                state=r.state,
                routed_at=r.routed_at,
                answer_due=r.answer_due,
                overdue=r.overdue,
                escalated_at=r.escalated_at,
                answer=r.answer,
                answered_at=r.answered_at,
                on_time=r.on_time,
                execution=r.execution,
                percent=r.percent,
            )
            for r in status.routings
        ],
        can=StatusCanOut(decide=status.can_decide),
    )


@proposals_router.get(
    "/proposals/{pk}/status", auth=PUBLIC, openapi_extra=PUBLIC_OPENAPI, response={200: ProposalStatusOut, **ERRORS}
)
def proposal_status(request: HttpRequest, pk: Id) -> ProposalStatusOut:
    """Where a proposal stands: the steps so far with their dates and deadlines, each department's
    answer and execution, the same facts as its status page (/followup/p/{pk}/)."""
    return status_out(selectors.access_status(api_visitor(request), pk))


def routing_out(r: Routing, user: Any) -> RoutingOut:
    answer = getattr(r, "answer", None)
    return RoutingOut(
        id=r.pk,
        proposal_id=r.proposal_id,
        proposal_title=r.proposal.shown_title,
        department_id=r.department_id,
        department=r.department.label(),
        state=r.state,
        answer_due=r.answer_due,
        overdue=r.is_overdue(),
        note=r.note,
        routed_at=r.routed_at,
        transferred_from_id=r.transferred_from_id,
        answer=AnswerOut(kind=answer.kind, reason=answer.reason, answered_at=answer.answered_at, on_time=answer.on_time)
        if answer is not None
        else None,
        updates=[update_out(u) for u in r.updates.all()],
        can_answer=rules.can_answer(user, r),
        can_report=rules.can_report_execution(user, r),
    )


def update_out(u: ExecutionUpdate) -> UpdateOut:
    return UpdateOut(
        id=u.pk, state=u.state, percent=u.percent, note=u.note, happened_on=u.happened_on, posted_at=u.posted_at
    )


@router.get(
    "/proposals/{pk}/routings", auth=PUBLIC, openapi_extra=PUBLIC_OPENAPI, response={200: list[RoutingOut], **ERRORS}
)
def proposal_routings(request: HttpRequest, pk: Id) -> list[RoutingOut]:
    """Where a proposal was sent, what each department answered, and how execution goes."""
    user = api_visitor(request)
    proposal = access_proposal(user, pk)
    rows = proposal.routings.select_related("department__parent", "answer").prefetch_related("updates")
    return [routing_out(r, user) for r in rows.order_by("routed_at", "id")]


@router.get("/inbox", response={200: list[RoutingOut], **ERRORS})
def liaison_inbox(request: HttpRequest) -> list[RoutingOut]:
    """Routings to the departments you are liaison for, awaiting ones first."""
    user = api_user(request)
    return [routing_out(r, user) for r in selectors.liaison_inbox(user).select_related("answer")]


@router.get("/routings/{pk}", auth=PUBLIC, openapi_extra=PUBLIC_OPENAPI, response={200: RoutingOut, **ERRORS})
def routing_detail(request: HttpRequest, pk: Id) -> RoutingOut:
    user = api_visitor(request)
    return routing_out(selectors.access_routing(user, pk), user)


@router.post("/routings/{pk}/answer", response={200: RoutingOut, **ERRORS})
def answer(request: HttpRequest, pk: Id, payload: AnswerIn) -> RoutingOut:
    """The liaison's answer: accept, partial, decline (with a reason) or transfer (to another department)."""
    user = api_user(request)
    routing = selectors.access_routing(user, pk)
    transfer_to = None
    if payload.transfer_to is not None:
        transfer_to = routable_departments(routing.proposal.call).filter(pk=payload.transfer_to).first()
        if transfer_to is None:
            raise unknown("transfer_to")
    services.answer_routing(
        actor=user,
        routing=routing,
        kind=payload.kind.value,
        reason=payload.reason,
        transfer_to=transfer_to if payload.kind == AnswerKind.TRANSFER else None,
        transfer_due=payload.transfer_due,
    )
    return routing_out(selectors.access_routing(user, pk), user)


@router.post("/routings/{pk}/updates", response={201: UpdateOut, **ERRORS})
def post_update(request: HttpRequest, pk: Id, payload: ExecutionIn) -> Status[UpdateOut]:
    """An execution report by the liaison of a department that accepted the proposal."""
    user = api_user(request)
    routing = selectors.access_routing(user, pk)
    update = services.post_execution_update(
        actor=user,
        routing=routing,
        state=payload.state.value,
        percent=payload.percent,
        note=payload.note,
        happened_on=payload.happened_on,
    )
    return Status(201, update_out(update))


SUGGESTIONS_PAGE = 50


class PrecedentOut(Schema):
    proposal_id: int
    number: int | None
    title: str
    department_id: int
    similarity: float = Field(..., description="How alike the two proposals are, 0 to 1.")


class RoutingSuggestionOut(Schema):
    proposal_id: int
    number: int | None
    title: str
    department_id: int | None = Field(
        ..., description="The suggested department, or null when nothing points anywhere."
    )
    department: str
    score: float = Field(
        ...,
        description="The weight of the evidence for it (similar past routings, the author's pick, a word of its name).",
    )
    precedents: list[PrecedentOut] = Field(
        ..., description="Similar proposals routed before that ended up in that department."
    )
    authors_choice: bool = Field(..., description="The author named that department on the proposal.")
    named: str = Field(..., description="The word of the department's name found in the text, or empty.")


class SuggestionsQuery(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE)


class RouteIn(Input):
    proposal_id: Id
    department_id: Id


class RouteManyIn(Input):
    routes: list[RouteIn] = Field(..., min_length=1, max_length=review.MAX_ROUTES_AT_ONCE)
    answer_due: date
    reason: str = Field("", max_length=services.MAX_TEXT, description="A note to every department, on each decision.")


def team_call(user: Any, slug: str) -> Call:
    call = access_call(user, slug[:80])
    if not review_rules.can_see_all_scores(user, call):
        raise NotFound()
    return call


@router.get("/calls/{slug}/suggestions", response={200: list[RoutingSuggestionOut], **ERRORS})
def routing_suggestions(request: HttpRequest, slug: str, query: Query[SuggestionsQuery]) -> list[RoutingSuggestionOut]:
    """A suggested department for each undecided proposal of the call (50 a page, by number), with
    its reasons; the innovation team's, and only a suggestion: nothing is recorded."""
    user = api_user(request)
    call = team_call(user, slug)
    start = (query.page - 1) * SUGGESTIONS_PAGE
    proposals = list(review_selectors.undecided(call)[start : start + SUGGESTIONS_PAGE])
    found = suggest.suggest_departments(user, call, proposals)
    return [suggestion_out(p, found[p.pk]) for p in proposals]


def suggestion_out(p: Proposal, s: suggest.Suggestion) -> RoutingSuggestionOut:
    return RoutingSuggestionOut(
        proposal_id=p.pk,
        number=p.number,
        title=p.shown_title,
        department_id=s.department.pk if s.department else None,
        department=s.department.label() if s.department else "",
        score=s.score,
        precedents=[
            PrecedentOut(
                proposal_id=x.proposal_id,
                number=x.number,
                title=x.title,
                department_id=x.department_id,
                similarity=x.similarity,
            )
            for x in s.precedents
        ],
        authors_choice=s.authors_choice,
        named=s.named,
    )


@router.post("/calls/{slug}/routings", response={201: list[DecisionOut], **ERRORS})
def route_many(request: HttpRequest, slug: str, payload: RouteManyIn) -> Status[list[Decision]]:
    """Route several proposals of the call at once, each to its department: one decision each, all or none."""
    user = api_user(request)
    call = team_call(user, slug)
    proposals = Proposal.objects.filter(call=call).in_bulk([r.proposal_id for r in payload.routes])
    departments = routable_departments(call).in_bulk([r.department_id for r in payload.routes])
    routes = []
    for r in payload.routes:
        if r.proposal_id not in proposals:
            raise unknown("proposal_id")
        if r.department_id not in departments:
            raise unknown("department_id")
        routes.append((proposals[r.proposal_id], departments[r.department_id]))
    decisions = review.route_decisions(
        actor=user, call=call, routes=routes, answer_due=payload.answer_due, reason=payload.reason
    )
    return Status(201, decisions)
