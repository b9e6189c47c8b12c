"""The suggestion system over JSON, at /api/suggestions/…: the same rules, selectors and services as
the pages. A suggestion is reached through `selectors.access_suggestion` (missing and forbidden both
answer 404); every write is one service call, which answers 403 when the rules say no.

Routes with a literal segment after /suggestions/ (mine, packs, offices, awards, report, receipts,
refilings) are declared before /suggestions/{suggestion_id}: Django tries the paths in order, and
the literal would otherwise be taken for an id (a 405 for a POST, a 422 for a GET)."""

import base64
import binascii
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from madang.calls import services as calls
from madang.calls.selectors import access_proposal
from madang.core.errors import DomainError, NotFound
from madang.people.api_auth import ERRORS, Id, Input, api_user, unknown
from madang.people.models import Organisation, User
from madang.suggestions import report, rules, selectors, services
from madang.suggestions.models import (
    Award,
    CreditKind,
    DecisionOutcome,
    Effect,
    Measure,
    RulingKind,
    Stage,
    Suggestion,
    SuggestionKind,
)
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


class SuggestionExtensionOut(Schema):
    extended_on: date
    previous_due: date
    new_due: date
    reason: str


class SuggestionImplementationOut(Schema):
    department: str | None
    plan_due: date | None
    implement_by: date | None
    implemented_on: date | None
    plan: str | None
    delays: list[dict[str, Any]]
    declarations: list[dict[str, Any]]
    rulings: list[dict[str, Any]]


class SuggestionEffectOut(Schema):
    id: int
    measure: Measure
    budget_saved_krw: int
    revenue_krw: int
    citizen_hours: int
    staff_hours: int
    other: str
    evidence: str
    evidence_name: str = Field(..., description="the evidence file's name, or empty")
    evidence_sha256: str = Field(..., description="the SHA-256 of the evidence file (as in the ledger entry), or empty")
    recorded_on: date
    current: bool = Field(..., description="false once a correction replaced it: its figures no longer count")
    superseded_on: date | None
    corrects: int | None = Field(..., description="the id of the record this one corrects")
    correction_reason: str


class SuggestionCreditOut(Schema):
    id: int
    person: str
    kind: CreditKind
    points: str | None
    note: str
    recorded_on: date


class SuggestionAwardOut(Schema):
    id: int
    suggestion_id: int
    number: str
    title: str
    grade: str
    grade_label: str
    rank: int
    amount_krw: int | None
    pack: str
    note: str
    implementer: str | None
    implementer_note: str
    awarded_on: date
    recommended_on: date | None
    recommendation_note: str | None = Field(..., description="for the suggestion office only")
    credits: list[SuggestionCreditOut] | None = Field(..., description="for the suggestion office only")


class SuggestionLineageOut(Schema):
    refines_proposal_id: int | None = Field(
        ..., description="the declined proposal this suggestion refines (null when it may not be named to you)"
    )
    refines_suggestion_id: int | None
    refines_number: str | None
    first_filed_on: date = Field(..., description="the day the idea was first filed: it counts for priority")
    refined_as_suggestion_id: int | None = Field(..., description="the suggestion that reopened this one's idea")
    refined_as_number: str | None


class SuggestionOut(SuggestionSummaryOut):
    evidence: str
    supplement_until: date | None
    supplements: list[SuggestionSupplementOut]
    decision_extensions: list[SuggestionExtensionOut]
    decisions: list[SuggestionDecisionOut]
    reexamination_requested_on: date | None
    implementation: SuggestionImplementationOut
    lineage: SuggestionLineageOut
    effects: list[SuggestionEffectOut]
    award: SuggestionAwardOut | None
    can: dict[str, bool]


class SuggestionPackVersionOut(Schema):
    version: str
    effective: date


class SuggestionPackOut(Schema):
    id: str
    title: str
    version: str = Field(..., description="the version in force today, or the first to come")
    effective: date
    in_force: bool
    proposers: list[str]
    extends: str | None
    later_versions: list[SuggestionPackVersionOut]


class SuggestionOfficeOut(Schema):
    id: int
    organisation: str
    organisation_code: str
    citizen_pack: str
    official_pack: str
    standing_call: str = Field(..., description="the slug of its always-open call")
    opened_at: datetime


class SuggestionReportFiguresOut(Schema):
    type: str = Field(..., description="standing, contest, implemented, or total")
    label: str
    received: int
    returned: int
    transferred: int
    reviewing: int
    not_adopted: int
    adopted: int
    implemented: int
    implemented_on_time: int
    returned_by_ground: dict[str, int]
    awarded_by_grade: dict[str, int]
    award_amount_krw: int
    actual: dict[str, int]
    projected: dict[str, int]


class SuggestionCodeLabelOut(Schema):
    code: str
    label: str


class SuggestionReportOut(Schema):
    organisation: str
    organisation_code: str
    year: int
    types: list[SuggestionReportFiguresOut]
    total: SuggestionReportFiguresOut
    grades: list[SuggestionCodeLabelOut]
    grounds: list[SuggestionCodeLabelOut]


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


# A 10 MB file in base64; the request as a whole is refused above 12 MB (DATA_UPLOAD_MAX_MEMORY_SIZE).
MAX_BASE64 = 14_000_000


class SuggestionEvidenceFileIn(Input):
    name: str = Field(..., min_length=1, max_length=255, description="the file's name, with its extension")
    content_base64: str = Field(..., min_length=1, max_length=MAX_BASE64, description="the file's bytes, in base64")


class SuggestionFiguresIn(Input):
    budget_saved_krw: int = Field(0, ge=0, le=services.MAX_AMOUNT)
    revenue_krw: int = Field(0, ge=0, le=services.MAX_AMOUNT)
    citizen_hours: int = Field(0, ge=0, le=services.MAX_HOURS)
    staff_hours: int = Field(0, ge=0, le=services.MAX_HOURS)
    other: str = Field("", max_length=MAX_TEXT, description="the non-financial effect")
    evidence: str = Field(..., min_length=1, max_length=MAX_TEXT)
    evidence_file: SuggestionEvidenceFileIn | None = Field(
        None, description="optional; its SHA-256 is answered and written in the ledger entry"
    )


class SuggestionEffectIn(SuggestionFiguresIn):
    measure: Measure


class SuggestionEffectCorrectionIn(SuggestionFiguresIn):
    reason: str = Field(..., min_length=1, max_length=MAX_TEXT)


class SuggestionAwardIn(Input):
    grade: str = Field(..., min_length=1, max_length=32, description="a grade code of the suggestion's pack")
    note: str = Field(..., min_length=1, max_length=MAX_TEXT)
    implementer_id: Id | None = Field(None, description="a liaison of the implementing department")
    implementer_note: str = Field("", max_length=MAX_TEXT)


class SuggestionCreditIn(Input):
    person_id: Id
    kind: CreditKind
    points: Decimal | None = Field(None, gt=0, lt=10_000, max_digits=6, decimal_places=2)
    note: str = Field(..., min_length=1, max_length=MAX_TEXT)


class SuggestionRecommendIn(Input):
    note: str = Field(..., min_length=1, max_length=MAX_TEXT, description="the recommendation package")


class SuggestionOfficeIn(Input):
    organisation_id: Id
    citizen_pack: str = Field("", max_length=64, description="a pack id for citizens' suggestions, or empty")
    official_pack: str = Field("", max_length=64, description="a pack id for officials' suggestions, or empty")
    title: str = Field("", max_length=200, description="the standing call's title; empty for the default")


class SuggestionRefileIn(Input):
    proposal_id: Id = Field(..., description="the declined proposal (a suggestion's or a call's) to refine")
    title: str = Field(..., min_length=1, max_length=200)
    problem: str = Field(..., min_length=1, max_length=20_000)
    solution: str = Field(..., min_length=1, max_length=20_000)
    expected_effect: str = Field("", max_length=20_000)
    type: SuggestionKind = SuggestionKind.STANDING
    evidence: str = Field("", max_length=MAX_TEXT, description="implemented: what is already in place")
    in_place_since: date | None = None


class SuggestionAwardsQuery(Schema):
    office_id: Id | None = None
    year: int | None = Field(None, ge=report.FIRST_YEAR, le=report.LAST_YEAR)


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
        "title": s.proposal.shown_title,
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


def _effect(e: Effect) -> SuggestionEffectOut:
    return SuggestionEffectOut(
        id=e.pk,
        measure=Measure(e.measure),
        budget_saved_krw=e.budget_saved_krw,
        revenue_krw=e.revenue_krw,
        citizen_hours=e.citizen_hours,
        staff_hours=e.staff_hours,
        other=e.other,
        evidence=e.evidence,
        evidence_name=e.evidence_name,
        evidence_sha256=e.evidence_sha256,
        recorded_on=e.recorded_on,
        current=e.is_current,
        superseded_on=e.superseded_on,
        corrects=e.corrects_id,
        correction_reason=e.correction_reason,
    )


def _award(a: Award, *, office: bool) -> SuggestionAwardOut:
    s = a.suggestion
    return SuggestionAwardOut(
        id=a.pk,
        suggestion_id=s.pk,
        number=s.receipt_number,
        title=s.proposal.shown_title,
        grade=a.grade,
        grade_label=a.grade_label,
        rank=a.rank,
        amount_krw=a.amount_krw,
        pack=a.pack_key,
        note=a.note,
        implementer=a.implementer.display_name if a.implementer else None,
        implementer_note=a.implementer_note,
        awarded_on=a.awarded_on,
        recommended_on=a.recommended_on,
        recommendation_note=a.recommendation_note if office else None,
        credits=[
            SuggestionCreditOut(
                id=c.pk,
                person=c.person.display_name,
                kind=CreditKind(c.kind),
                points=str(c.points) if c.points is not None else None,
                note=c.note,
                recorded_on=c.recorded_on,
            )
            for c in a.credits.all()
        ]
        if office
        else None,
    )


def _lineage(s: Suggestion, *, insider: bool) -> SuggestionLineageOut:
    """The line as the page shows it: the office and the proposer see both sides; the liaisons and
    the panel see a side only where naming it names no one (`selectors.names_public`)."""
    line = selectors.lineage(s)
    earlier = line.earlier if insider or line.earlier_public else None
    later = line.later if insider or line.later_public else None
    return SuggestionLineageOut(
        refines_proposal_id=s.refines_id if insider or line.earlier_public else None,
        refines_suggestion_id=earlier.pk if earlier else None,
        refines_number=earlier.receipt_number if earlier else None,
        first_filed_on=s.priority_date,
        refined_as_suggestion_id=later.pk if later else None,
        refined_as_number=later.receipt_number if later else None,
    )


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
        decision_extensions=[
            SuggestionExtensionOut(
                extended_on=e.extended_on, previous_due=e.previous_due, new_due=e.new_due, reason=e.reason
            )
            for e in s.decision_extensions.all()
        ],
        decisions=decisions,
        reexamination_requested_on=s.reexamination.requested_on if rules.has_reexamination(s) else None,
        implementation=implementation,
        lineage=_lineage(s, insider=office or page.can["proposer"]),
        effects=[_effect(e) for e in selectors.effects_of(s)],
        award=_award(s.award, office=office) if selectors.has_award(s) else None,
        can=page.can,
    )


def _panel(s: Suggestion, ids: list[int]) -> list[User]:
    people = {u.pk: u for u in selectors.panel_candidates(s.office).filter(pk__in=ids)}
    missing = [i for i in ids if i not in people]
    if missing:
        raise unknown("panel_ids")
    return list(people.values())


def _upload(given: SuggestionEvidenceFileIn | None) -> SimpleUploadedFile | None:
    """The evidence file sent in base64, as an upload for `core.uploads.check_upload` (which checks
    its type, size and content as it does for the page's file field)."""
    if given is None:
        return None
    try:
        data = base64.b64decode(given.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise DomainError(
            _("The evidence file is not valid base64."), code="bad_content", field="evidence_file"
        ) from None
    return SimpleUploadedFile(given.name, data)


def _figures(payload: SuggestionFiguresIn) -> services.EffectFigures:
    return services.EffectFigures(
        budget_saved_krw=payload.budget_saved_krw,
        revenue_krw=payload.revenue_krw,
        citizen_hours=payload.citizen_hours,
        staff_hours=payload.staff_hours,
        other=payload.other,
    )


def _award_of(s: Suggestion) -> Award:
    if not selectors.has_award(s):
        raise DomainError(_("This suggestion has not been awarded."), code="not_awarded")
    return s.award


def _implementer(s: Suggestion, user_id: int | None) -> User | None:
    if user_id is None:
        return None
    found = selectors.implementers(s).filter(pk=user_id).first()
    if found is None:
        # The same answer for an id that is no one's: it says nothing of who exists.
        raise DomainError(
            _("The implementer recognised must be a liaison of the implementing department."),
            code="bad_implementer",
            field="implementer_id",
        )
    return found


def _credited(s: Suggestion, user_id: int) -> User:
    found = selectors.credit_candidates(s).filter(pk=user_id).first()
    if found is None:
        raise DomainError(
            _("Personnel credit goes to an official who proposed or implemented this suggestion."),
            code="bad_person",
            field="person_id",
        )
    return found


def _awards_answer(user: Any, a: Award) -> SuggestionAwardOut:
    a = Award.objects.select_related("suggestion__proposal", "suggestion__office__standing_call", "implementer").get(
        pk=a.pk
    )
    return _award(a, office=rules.is_office(user, a.suggestion.office))


def _report_figures(t: report.TypeFigures, label: str) -> SuggestionReportFiguresOut:
    return SuggestionReportFiguresOut(
        type=t.kind,
        label=label,
        received=t.received,
        returned=t.returned,
        transferred=t.transferred,
        reviewing=t.reviewing,
        not_adopted=t.not_adopted,
        adopted=t.adopted,
        implemented=t.implemented,
        implemented_on_time=t.implemented_on_time,
        returned_by_ground=t.returned_by_ground,
        awarded_by_grade=t.awarded_by_grade,
        award_amount_krw=t.award_amount_krw,
        actual=t.actual,
        projected=t.projected,
    )


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


# ---------------------------------------------------------------- literal paths, before /suggestions/{suggestion_id}


@router.get("/suggestions/packs", response={200: list[SuggestionPackOut], **ERRORS})
def pack_list(request: HttpRequest, proposer: str = "") -> list[SuggestionPackOut]:
    """The rule packs an office may follow, each with the version in force today and any later one;
    `proposer` (citizen or official) keeps those for that kind of proposer."""
    api_user(request)
    who = proposer if proposer in ("citizen", "official") else ""
    return [
        SuggestionPackOut(
            id=c.id,
            title=c.title,
            version=c.version,
            effective=c.effective,
            in_force=c.in_force,
            proposers=list(c.proposers),
            extends=c.extends,
            later_versions=[SuggestionPackVersionOut(version=v, effective=d) for v, d in c.later],
        )
        for c in selectors.pack_choices(who)
    ]


@router.post("/suggestions/offices", response={201: SuggestionOfficeOut, **ERRORS})
def open_office(request: HttpRequest, payload: SuggestionOfficeIn) -> Status[SuggestionOfficeOut]:
    """Open an organisation's suggestion office (a site administrator or its innovation team), with the
    packs its suggestions follow: each must have a version in force today."""
    user = api_user(request)
    organisation = selectors.organisation_by_id(payload.organisation_id)
    if organisation is None:
        raise unknown("organisation_id")
    o = services.open_office(
        actor=user,
        organisation=organisation,
        citizen_pack=payload.citizen_pack,
        official_pack=payload.official_pack,
        title=payload.title,
    )
    return Status(
        201,
        SuggestionOfficeOut(
            id=o.pk,
            organisation=o.organisation.name,
            organisation_code=o.organisation.code,
            citizen_pack=o.citizen_pack,
            official_pack=o.official_pack,
            standing_call=o.standing_call.slug,
            opened_at=o.opened_at,
        ),
    )


@router.get("/suggestions/awards", response={200: list[SuggestionAwardOut], **ERRORS})
def awards(request: HttpRequest, query: Query[SuggestionAwardsQuery]) -> list[SuggestionAwardOut]:
    """The awards of the offices you work in (the suggestion office; empty for anyone else), the newest first."""
    user = api_user(request)
    office = selectors.access_office(user, query.office_id) if query.office_id is not None else None
    return [_award(a, office=True) for a in selectors.awards_for(user, office=office, year=query.year)]


@router.get("/suggestions/report/{org}/{year}", response={200: SuggestionReportOut, **ERRORS})
def yearly_report(request: HttpRequest, org: str, year: int) -> SuggestionReportOut:
    """An office's yearly report, as on its page: the suggestions received in the year, per type."""
    office = selectors.report_office(api_user(request), org)
    if not report.FIRST_YEAR <= year <= report.LAST_YEAR:
        raise NotFound()
    data = report.yearly(office, year)
    grounds = selectors.ground_labels(office)
    return SuggestionReportOut(
        organisation=office.organisation.name,
        organisation_code=office.organisation.code,
        year=year,
        types=[_report_figures(t, t.label) for t in data.types],
        total=_report_figures(data.total, _("Total")),
        grades=[SuggestionCodeLabelOut(code=c, label=label) for c, label in data.grades],
        grounds=[SuggestionCodeLabelOut(code=g, label=grounds.get(g, g)) for g in data.grounds],
    )


@router.post("/suggestions/refilings", response={201: SuggestionOut, **ERRORS})
def refile(request: HttpRequest, payload: SuggestionRefileIn) -> Status[SuggestionOut]:
    """Reopen a declined idea for refinement (its proposer): a suggestion not adopted, or a proposal not
    adopted in a call, filed again as a new suggestion that keeps the first filing date."""
    user = api_user(request)
    earlier = access_proposal(user, payload.proposal_id)
    fields = calls.ProposalFields(
        title=payload.title, problem=payload.problem, solution=payload.solution, expected_effect=payload.expected_effect
    )
    s = services.refile_suggestion(
        actor=user,
        earlier=earlier,
        fields=fields,
        kind=payload.type.value,
        evidence=payload.evidence,
        in_place_since=payload.in_place_since,
    )
    return Status(201, _detail(user, s.pk))


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


@router.post("/suggestions/{suggestion_id}/decision-extensions", response={201: SuggestionOut, **ERRORS})
def extend_decision(request: HttpRequest, suggestion_id: Id, payload: SuggestionReasonIn) -> Status[SuggestionOut]:
    """Extend the decision period (the office), by the extension the suggestion's pack allows, before it
    runs out: the proposer is told the reason and the new due date."""
    user = api_user(request)
    services.extend_decision(
        actor=user, suggestion=selectors.access_suggestion(user, suggestion_id), reason=payload.reason
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


# ---------------------------------------------------------------- effect, award, personnel credit, recommendation


@router.get("/suggestions/{suggestion_id}/effects", response={200: list[SuggestionEffectOut], **ERRORS})
def effects(request: HttpRequest, suggestion_id: Id) -> list[SuggestionEffectOut]:
    """Every effect record, corrections after the records they replace (only `current` ones count)."""
    s = selectors.access_suggestion(api_user(request), suggestion_id)
    return [_effect(e) for e in selectors.effects_of(s)]


@router.post("/suggestions/{suggestion_id}/effects", response={201: SuggestionEffectOut, **ERRORS})
def record_effect(request: HttpRequest, suggestion_id: Id, payload: SuggestionEffectIn) -> Status[SuggestionEffectOut]:
    """Record the projected (once adopted) or actual (once implemented) effect (the office), with evidence."""
    user = api_user(request)
    e = services.record_effect(
        actor=user,
        suggestion=selectors.access_suggestion(user, suggestion_id),
        measure=payload.measure.value,
        figures=_figures(payload),
        evidence=payload.evidence,
        upload=_upload(payload.evidence_file),
    )
    return Status(201, _effect(e))


@router.post(
    "/suggestions/{suggestion_id}/effects/{effect_id}/correction", response={201: SuggestionEffectOut, **ERRORS}
)
def correct_effect(
    request: HttpRequest, suggestion_id: Id, effect_id: Id, payload: SuggestionEffectCorrectionIn
) -> Status[SuggestionEffectOut]:
    """Correct a recorded effect (the office): a new record replaces it, and the earlier figures stay.
    Without a new file the correction keeps the earlier evidence file."""
    user = api_user(request)
    s = selectors.access_suggestion(user, suggestion_id)
    e = services.correct_effect(
        actor=user,
        effect=selectors.access_effect(s, effect_id),
        figures=_figures(payload),
        evidence=payload.evidence,
        reason=payload.reason,
        upload=_upload(payload.evidence_file),
    )
    return Status(201, _effect(e))


@router.post("/suggestions/{suggestion_id}/award", response={201: SuggestionAwardOut, **ERRORS})
def award(request: HttpRequest, suggestion_id: Id, payload: SuggestionAwardIn) -> Status[SuggestionAwardOut]:
    """Award an adopted suggestion a grade of its pack (the office). Refused, with the reason, when the
    pack sets no grades: no shipped pack does, since none could be confirmed in the rules' text."""
    user = api_user(request)
    s = selectors.access_suggestion(user, suggestion_id)
    a = services.award(
        actor=user,
        suggestion=s,
        grade=payload.grade,
        note=payload.note,
        implementer=_implementer(s, payload.implementer_id),
        implementer_note=payload.implementer_note,
    )
    return Status(201, _awards_answer(user, a))


@router.post("/suggestions/{suggestion_id}/award/credits", response={201: SuggestionAwardOut, **ERRORS})
def add_credit(request: HttpRequest, suggestion_id: Id, payload: SuggestionCreditIn) -> Status[SuggestionAwardOut]:
    """Record a personnel credit for an official who proposed or implemented the awarded suggestion (the office)."""
    user = api_user(request)
    s = selectors.access_suggestion(user, suggestion_id)
    a = _award_of(s)
    services.add_personnel_credit(
        actor=user,
        award=a,
        person=_credited(s, payload.person_id),
        kind=payload.kind.value,
        points=payload.points,
        note=payload.note,
    )
    return Status(201, _awards_answer(user, a))


@router.post("/suggestions/{suggestion_id}/award/recommendation", response={201: SuggestionAwardOut, **ERRORS})
def recommend(request: HttpRequest, suggestion_id: Id, payload: SuggestionRecommendIn) -> Status[SuggestionAwardOut]:
    """Recommend the awarded suggestion upward as a 자체우수제안 (the office), once."""
    user = api_user(request)
    s = selectors.access_suggestion(user, suggestion_id)
    a = services.recommend(actor=user, award=_award_of(s), note=payload.note)
    return Status(201, _awards_answer(user, a))
