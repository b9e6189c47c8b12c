"""The suggestion system over JSON, at /api/suggestions/…: the same rules, selectors and services as
the pages. A suggestion is reached through `selectors.access_suggestion` (missing and forbidden both
answer 404); every write is one service call, which answers 403 when the rules say no."""

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from madang.calls import services as calls
from madang.calls.selectors import access_proposal
from madang.people.api_auth import ERRORS, Id, Input, api_user, unknown
from madang.people.models import Organisation, User
from madang.suggestions import rules, selectors, services
from madang.suggestions.models import DecisionOutcome, RulingKind, Stage, Suggestion, SuggestionKind
from madang.suggestions.selectors import ClockView, SuggestionPage

router = Router(tags=["suggestions"])
MAX_TEXT = services.MAX_TEXT


# ---------------------------------------------------------------- shapes


class SuggestionClockOut(Schema):
    name: str = Field(..., description="decision, reexamination_decision, implementation_plan or implementation")
    due: date | None = Field(..., description="null while a supplement stops the clock")
    working_days_left: int = Field(..., description="never negative: 0 once due")
    overdue_days: int
    stopped_since: date | None
    projected_due: date | None = Field(..., description="while stopped: the due date if the answer came today")


class SuggestionSummaryOut(Schema):
    id: int
    proposal_id: int
    title: str
    number: str
    office: str
    type: SuggestionKind
    proposer: str
    stage: str
    received_on: date
    pack: str
    clock: SuggestionClockOut | None
    problem: str = Field(..., description="why the suggestion's rule pack cannot be used, if it cannot")


class SuggestionSupplementOut(Schema):
    id: int
    question: str
    asked_on: date
    answer_by: date
    answer: str
    answered_on: date | None
    lapsed_on: date | None


class SuggestionDecisionOut(Schema):
    round: str
    outcome: DecisionOutcome
    ground: str
    ground_label: str
    explanation: str
    decided_on: date
    due: date | None
    on_time: bool | None
    reexamination_until: date | None
    panel: list[str] | None = Field(..., description="the panel's names: for the suggestion office only")
    transferred_to: str | None


class SuggestionImplementationOut(Schema):
    department: str | None
    plan_due: date | None
    implement_by: date | None
    implemented_on: date | None
    plan: str | None
    delays: list[dict[str, Any]]
    declarations: list[dict[str, Any]]
    rulings: list[dict[str, Any]]


class SuggestionOut(SuggestionSummaryOut):
    evidence: str
    supplement_until: date | None
    supplements: list[SuggestionSupplementOut]
    decisions: list[SuggestionDecisionOut]
    reexamination_requested_on: date | None
    implementation: SuggestionImplementationOut
    can: dict[str, bool]


class SuggestionFileIn(Input):
    office_id: Id
    title: str = Field(..., min_length=1, max_length=200)
    problem: str = Field(..., min_length=1, max_length=20_000)
    solution: str = Field(..., min_length=1, max_length=20_000)
    expected_effect: str = Field("", max_length=20_000)
    type: SuggestionKind = SuggestionKind.STANDING
    evidence: str = Field("", max_length=MAX_TEXT, description="implemented: what is already in place")
    in_place_since: date | None = None


class SuggestionReceiveIn(Input):
    proposal_id: Id


class SuggestionSupplementIn(Input):
    question: str = Field(..., min_length=1, max_length=MAX_TEXT)
    answer_by: date


class SuggestionAnswerIn(Input):
    answer: str = Field(..., min_length=1, max_length=MAX_TEXT)


class SuggestionDecisionIn(Input):
    outcome: DecisionOutcome
    ground: str = Field("", max_length=40, description="a ground code of the suggestion's pack; empty when adopted")
    explanation: str = Field(..., min_length=1, max_length=MAX_TEXT)
    panel_ids: list[Id] = Field(..., min_length=1, max_length=20)
    department_id: Id | None = None
    implement_by: date | None = None
    transfer_to: str = Field("", max_length=200)
    transfer_reference: str = Field("", max_length=100)


class SuggestionReasonIn(Input):
    reason: str = Field(..., min_length=1, max_length=MAX_TEXT)


class SuggestionPlanIn(Input):
    text: str = Field(..., min_length=1, max_length=MAX_TEXT)
    implement_by: date
    department_id: Id | None = None


class SuggestionDelayIn(Input):
    reason: str = Field(..., min_length=1, max_length=MAX_TEXT)
    new_date: date


class SuggestionRulingIn(Input):
    kind: RulingKind
    note: str = Field(..., min_length=1, max_length=MAX_TEXT)
    new_date: date | None = None


# ---------------------------------------------------------------- builders


def _clock(c: ClockView | None) -> SuggestionClockOut | None:
    if c is None:
        return None
    return SuggestionClockOut(
        name=c.name,
        due=c.due,
        working_days_left=c.working_days_left,
        overdue_days=c.overdue_days,
        stopped_since=c.stopped_since,
        projected_due=c.projected,
    )


def _summary(s: Suggestion, clock: ClockView | None, problem: str = "") -> dict[str, Any]:
    return {
        "id": s.pk,
        "proposal_id": s.proposal_id,
        "title": s.proposal.title,
        "number": s.receipt_number,
        "office": s.office.organisation.name,
        "type": SuggestionKind(s.kind),
        "proposer": s.proposer_kind,
        "stage": s.stage,
        "received_on": s.received_on,
        "pack": s.pack_key,
        "clock": _clock(clock),
        "problem": problem,
    }


def _detail(user: Any, suggestion_id: int) -> SuggestionOut:
    s = selectors.access_suggestion(user, suggestion_id)
    page: SuggestionPage = selectors.suggestion_page(user, s)
    office = page.can["office"]
    grounds = page.pack.grounds if page.pack else {}
    decisions = [
        SuggestionDecisionOut(
            round=d.round,
            outcome=DecisionOutcome(d.outcome),
            ground=d.ground,
            ground_label=grounds[d.ground].label if d.ground in grounds else "",
            explanation=d.explanation,
            decided_on=d.decided_on,
            due=d.due,
            on_time=d.on_time,
            reexamination_until=d.reexamination_until,
            panel=[u.display_name for u in d.panel.all()] if office else None,
            transferred_to=d.transfer.recipient if hasattr(d, "transfer") else None,
        )
        for d in page.decisions
    ]
    plan = s.plan if selectors.has_plan(s) else None
    implementation = SuggestionImplementationOut(
        department=s.department.label() if s.department else None,
        plan_due=s.plan_due,
        implement_by=s.implement_by,
        implemented_on=s.implemented_on,
        plan=plan.text if plan else None,
        delays=[
            {"notified_on": n.notified_on, "previous_date": n.previous_date, "new_date": n.new_date, "reason": n.reason}
            for n in s.delays.all()
        ],
        declarations=[{"declared_on": c.declared_on, "reason": c.reason} for c in s.cannot_implement.all()],
        rulings=[
            {"kind": r.kind, "ruled_on": r.ruled_on, "new_date": r.new_date, "note": r.note} for r in s.rulings.all()
        ],
    )
    return SuggestionOut(
        **_summary(s, page.clock, page.problem),
        evidence=s.evidence,
        supplement_until=s.supplement_until,
        supplements=[
            SuggestionSupplementOut(
                id=x.pk,
                question=x.question,
                asked_on=x.asked_on,
                answer_by=x.answer_by,
                answer=x.answer,
                answered_on=x.answered_on,
                lapsed_on=x.lapsed_on,
            )
            for x in page.supplements
        ],
        decisions=decisions,
        reexamination_requested_on=s.reexamination.requested_on if rules.has_reexamination(s) else None,
        implementation=implementation,
        can=page.can,
    )


def _panel(s: Suggestion, ids: list[int]) -> list[User]:
    people = {u.pk: u for u in selectors.panel_candidates(s.office).filter(pk__in=ids)}
    missing = [i for i in ids if i not in people]
    if missing:
        raise unknown("panel_ids")
    return list(people.values())


def _department(s: Suggestion, department_id: int | None) -> Organisation | None:
    if department_id is None:
        return None
    found = selectors.departments(s.office).filter(pk=department_id).first()
    if found is None:
        raise unknown("department_id")
    return found


# ---------------------------------------------------------------- reads


@router.get("/suggestions", response={200: list[SuggestionSummaryOut], **ERRORS})
def desk(request: HttpRequest, stage: str = "") -> list[SuggestionSummaryOut]:
    """The suggestion office's desk: its suggestions with their running clocks, the most urgent first."""
    rows = selectors.desk(api_user(request), stage=stage if stage in Stage.values else "")
    return [SuggestionSummaryOut(**_summary(r.suggestion, r.clock, r.problem)) for r in rows]


@router.get("/suggestions/mine", response={200: list[SuggestionSummaryOut], **ERRORS})
def mine(request: HttpRequest) -> list[SuggestionSummaryOut]:
    """The suggestions you filed."""
    return [SuggestionSummaryOut(**_summary(s, None)) for s in selectors.my_suggestions(api_user(request))]


# Before /suggestions/{suggestion_id}: Django tries the paths in order, and "receipts" would be taken
# for an id there (405 for a POST).
@router.post("/suggestions/receipts", response={201: SuggestionOut, **ERRORS})
def receive(request: HttpRequest, payload: SuggestionReceiveIn) -> Status[SuggestionOut]:
    """Receive a submitted proposal as a suggestion (the office): standing, or a contest entry."""
    user = api_user(request)
    s = services.receive(actor=user, proposal=access_proposal(user, payload.proposal_id))
    return Status(201, _detail(user, s.pk))


@router.get("/suggestions/{suggestion_id}", response={200: SuggestionOut, **ERRORS})
def detail(request: HttpRequest, suggestion_id: Id) -> SuggestionOut:
    return _detail(api_user(request), suggestion_id)


# ---------------------------------------------------------------- writes


@router.post("/suggestions", response={201: SuggestionOut, **ERRORS})
def file(request: HttpRequest, payload: SuggestionFileIn) -> Status[SuggestionOut]:
    """File a suggestion with an office: it is received at once and numbered."""
    user = api_user(request)
    office = selectors.filing_office(payload.office_id)
    fields = calls.ProposalFields(
        title=payload.title, problem=payload.problem, solution=payload.solution, expected_effect=payload.expected_effect
    )
    s = services.file_suggestion(
        actor=user,
        office=office,
        fields=fields,
        kind=payload.type.value,
        evidence=payload.evidence,
        in_place_since=payload.in_place_since,
    )
    return Status(201, _detail(user, s.pk))


@router.post("/suggestions/{suggestion_id}/supplements", response={201: SuggestionOut, **ERRORS})
def request_supplement(
    request: HttpRequest, suggestion_id: Id, payload: SuggestionSupplementIn
) -> Status[SuggestionOut]:
    """Ask for a supplement (the office, within the pack's window): the decision clock stops."""
    user = api_user(request)
    s = selectors.access_suggestion(user, suggestion_id)
    services.request_supplement(actor=user, suggestion=s, question=payload.question, answer_by=payload.answer_by)
    return Status(201, _detail(user, suggestion_id))


@router.post("/suggestions/{suggestion_id}/supplements/{supplement_id}/answer", response={200: SuggestionOut, **ERRORS})
def answer_supplement(
    request: HttpRequest, suggestion_id: Id, supplement_id: Id, payload: SuggestionAnswerIn
) -> SuggestionOut:
    """Send the supplement (the proposer): the decision clock runs again."""
    user = api_user(request)
    s = selectors.access_suggestion(user, suggestion_id)
    services.answer_supplement(
        actor=user, supplement=selectors.access_supplement(s, supplement_id), answer=payload.answer
    )
    return _detail(user, suggestion_id)


@router.post("/suggestions/{suggestion_id}/decision", response={200: SuggestionOut, **ERRORS})
def decide(request: HttpRequest, suggestion_id: Id, payload: SuggestionDecisionIn) -> SuggestionOut:
    """Decide (the office): adopt, not adopt, return or transfer, with a ground code of the suggestion's pack."""
    user = api_user(request)
    s = selectors.access_suggestion(user, suggestion_id)
    services.decide(
        actor=user,
        suggestion=s,
        outcome=payload.outcome.value,
        ground=payload.ground,
        explanation=payload.explanation,
        panel=_panel(s, payload.panel_ids),
        adoption=services.Adoption(department=_department(s, payload.department_id), implement_by=payload.implement_by),
        transfer_to=payload.transfer_to,
        transfer_reference=payload.transfer_reference,
    )
    return _detail(user, suggestion_id)


@router.post("/suggestions/{suggestion_id}/reexamination", response={201: SuggestionOut, **ERRORS})
def request_reexamination(
    request: HttpRequest, suggestion_id: Id, payload: SuggestionReasonIn
) -> Status[SuggestionOut]:
    """Ask for re-examination (the proposer, within the pack's window from the notice)."""
    user = api_user(request)
    services.request_reexamination(
        actor=user, suggestion=selectors.access_suggestion(user, suggestion_id), reason=payload.reason
    )
    return Status(201, _detail(user, suggestion_id))


@router.post("/suggestions/{suggestion_id}/reexamination/decision", response={200: SuggestionOut, **ERRORS})
def decide_reexamination(request: HttpRequest, suggestion_id: Id, payload: SuggestionDecisionIn) -> SuggestionOut:
    """Decide the re-examination (the office), by a panel with no one from the first review."""
    user = api_user(request)
    s = selectors.access_suggestion(user, suggestion_id)
    services.decide_reexamination(
        actor=user,
        suggestion=s,
        outcome=payload.outcome.value,
        ground=payload.ground,
        explanation=payload.explanation,
        panel=_panel(s, payload.panel_ids),
        adoption=services.Adoption(department=_department(s, payload.department_id), implement_by=payload.implement_by),
    )
    return _detail(user, suggestion_id)


@router.post("/suggestions/{suggestion_id}/plan", response={201: SuggestionOut, **ERRORS})
def plan(request: HttpRequest, suggestion_id: Id, payload: SuggestionPlanIn) -> Status[SuggestionOut]:
    user = api_user(request)
    s = selectors.access_suggestion(user, suggestion_id)
    services.plan_implementation(
        actor=user,
        suggestion=s,
        text=payload.text,
        implement_by=payload.implement_by,
        department=_department(s, payload.department_id),
    )
    return Status(201, _detail(user, suggestion_id))


@router.post("/suggestions/{suggestion_id}/delays", response={201: SuggestionOut, **ERRORS})
def delay(request: HttpRequest, suggestion_id: Id, payload: SuggestionDelayIn) -> Status[SuggestionOut]:
    """Notify a delay: the proposer is told the reason and the new date."""
    user = api_user(request)
    services.notify_delay(
        actor=user,
        suggestion=selectors.access_suggestion(user, suggestion_id),
        reason=payload.reason,
        new_date=payload.new_date,
    )
    return Status(201, _detail(user, suggestion_id))


@router.post("/suggestions/{suggestion_id}/cannot-implement", response={201: SuggestionOut, **ERRORS})
def cannot_implement(request: HttpRequest, suggestion_id: Id, payload: SuggestionReasonIn) -> Status[SuggestionOut]:
    user = api_user(request)
    services.declare_cannot_implement(
        actor=user, suggestion=selectors.access_suggestion(user, suggestion_id), reason=payload.reason
    )
    return Status(201, _detail(user, suggestion_id))


@router.post("/suggestions/{suggestion_id}/ruling", response={201: SuggestionOut, **ERRORS})
def ruling(request: HttpRequest, suggestion_id: Id, payload: SuggestionRulingIn) -> Status[SuggestionOut]:
    """The office's ruling: implemented, or on a declaration that it cannot be, accepted or not (with a new date)."""
    user = api_user(request)
    services.rule_on_implementation(
        actor=user,
        suggestion=selectors.access_suggestion(user, suggestion_id),
        kind=payload.kind.value,
        note=payload.note,
        new_date=payload.new_date,
    )
    return Status(201, _detail(user, suggestion_id))
