"""Labs over JSON: the portfolio, a lab, volunteering and confirmation, the journal, decisions by
consent, milestones, reports and closing. The same rules, selectors and services as the pages:
a lab is reached through `selectors.access_lab` (missing and hidden both answer 404) and every
write is one service call, which answers 403 when the rules say no."""

from datetime import date, datetime
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from madang.core.errors import NotFound
from madang.labs import selectors, services
from madang.labs.models import (
    ExperimentState,
    JournalEntry,
    Lab,
    LabDecision,
    LabOutcome,
    Membership,
    Milestone,
    ReportKind,
)
from madang.labs.privacy_kinds import MEMBERSHIPS
from madang.labs.selectors import LabPage
from madang.people.api_auth import ERRORS, PUBLIC, PUBLIC_OPENAPI, Id, Input, api_user, api_visitor, unknown
from madang.privacy import services as privacy
from madang.privacy.models import Action

router = Router(tags=["labs"])
Slug = Annotated[str, Field(max_length=selectors.MAX_SLUG, pattern=r"^[-a-zA-Z0-9_]+$")]


# ---------------------------------------------------------------- shapes


class LabTaskOut(Schema):
    id: int
    title: str


class LabMemberOut(Schema):
    id: int
    name: str
    department: str | None
    joined_at: datetime | None
    released_duties: list[str] | None = Field(
        ..., description="null unless you are a member or on the innovation team."
    )


class LabSummaryOut(Schema):
    id: int
    slug: str
    title: str
    state: str
    home: str
    starts_on: date
    ends_on: date
    outcome: str


class LabPermissionsOut(Schema):
    apply: bool
    confirm: bool
    start: bool
    work: bool
    close: bool
    hand_over: bool
    follow: bool
    read_journal: bool


class LabObjectionOut(Schema):
    id: int
    member: str
    reason: str = Field(..., description="Empty while a moderator checks it for personal data (`held`).")
    raised_at: datetime
    resolved_at: datetime | None
    resolution: str
    held: bool = Field(False, description="Its text waits for a moderator: it still stands in the decision's way.")


class LabDecisionOut(Schema):
    id: int
    title: str
    body: str
    state: str
    proposed_by: str
    proposed_at: datetime
    consent_until: datetime
    settled_at: datetime | None
    objections: list[LabObjectionOut]


class LabMilestoneOut(Schema):
    id: int
    title: str
    due_on: date
    done_on: date | None


class LabExperimentOut(Schema):
    id: int
    hypothesis: str
    method: str
    state: ExperimentState
    result: str
    lesson: str
    updated_at: datetime


class LabReportOut(Schema):
    id: int
    kind: ReportKind
    body: str
    submitted_by: str
    submitted_at: datetime


class LabOut(LabSummaryOut):
    mission: str
    started_at: datetime | None
    closed_at: datetime | None
    extended_at: datetime | None
    extension_reason: str
    outcome_note: str
    handed_to: str | None
    task: LabTaskOut | None = Field(..., description="The proposal the lab works on; null when you may not see it.")
    members: list[LabMemberOut]
    milestones: list[LabMilestoneOut]
    experiments: list[LabExperimentOut]
    reports: list[LabReportOut]
    following: bool
    can: LabPermissionsOut


class LabAttachmentOut(Schema):
    name: str
    content_type: str
    size: int


class LabJournalOut(Schema):
    id: int
    author: str
    happened_on: date
    body: str
    attachments: list[LabAttachmentOut]


class LabMembershipOut(Schema):
    id: int
    name: str
    state: str
    applied_at: datetime
    joined_at: datetime | None


class LabApplyIn(Input):
    motivation: str = Field(..., min_length=1, max_length=2000)


class LabConfirmIn(Input):
    accept: bool = True


class LabJournalIn(Input):
    body: str = Field(..., min_length=1, max_length=10_000)
    happened_on: date | None = Field(None, description="Today when left out; never in the future.")


class LabDecisionIn(Input):
    title: str = Field(..., min_length=1, max_length=200)
    body: str = Field(..., min_length=1, max_length=5000)
    consent_days: int = Field(3, ge=1, le=14, description="Days the members have to object.")


class LabObjectionIn(Input):
    reason: str = Field(..., min_length=1, max_length=2000)


class LabResolutionIn(Input):
    resolution: str = Field(..., min_length=1, max_length=2000)


class LabMilestoneIn(Input):
    title: str = Field(..., min_length=1, max_length=200)
    due_on: date


class LabReportIn(Input):
    kind: ReportKind
    body: str = Field(..., min_length=1, max_length=20_000)


class LabCloseIn(Input):
    outcome: LabOutcome
    note: str = Field(..., min_length=1, max_length=5000)
    department_id: Id | None = Field(None, description="The department that takes the task over (handing over only).")


# ---------------------------------------------------------------- builders


def _summary(lab: Lab) -> dict[str, Any]:
    return {
        "id": lab.pk,
        "slug": lab.slug,
        "title": lab.title,
        "state": lab.state,
        "home": lab.home.name,
        "starts_on": lab.starts_on,
        "ends_on": lab.ends_on,
        "outcome": lab.outcome,
    }


def _decision_out(d: LabDecision) -> LabDecisionOut:
    return LabDecisionOut(
        id=d.pk,
        title=d.title,
        body=d.body,
        state=d.state,
        proposed_by=d.proposed_by.display_name,
        proposed_at=d.proposed_at,
        consent_until=d.consent_until,
        settled_at=d.settled_at,
        objections=[
            LabObjectionOut(
                id=o.pk,
                member=o.member.display_name,
                reason=o.reason,
                raised_at=o.raised_at,
                resolved_at=o.resolved_at,
                resolution=o.resolution,
                held=o.withheld,
            )
            for o in d.objections.all()
        ],
    )


def _decision_shown(user: Any, lab: Lab, decision_id: int) -> LabDecisionOut:
    """One decision as `user` reads it on the lab's page (held objections withheld, flagged text masked)."""
    decision = next((d for d in selectors.shown_decisions(user, lab) if d.pk == decision_id), None)
    if decision is None:
        raise NotFound()
    return _decision_out(decision)


def _membership_out(m: Membership) -> LabMembershipOut:
    return LabMembershipOut(
        id=m.pk, name=m.user.display_name, state=m.state, applied_at=m.applied_at, joined_at=m.joined_at
    )


def _journal_out(e: JournalEntry) -> LabJournalOut:
    return LabJournalOut(
        id=e.pk,
        author=e.author.display_name,
        happened_on=e.happened_on,
        body=e.body,
        attachments=[
            LabAttachmentOut(name=a.original_name, content_type=a.content_type, size=a.size)
            for a in e.attachments.all()
        ],
    )


def _milestone_out(m: Milestone) -> LabMilestoneOut:
    return LabMilestoneOut(id=m.pk, title=m.title, due_on=m.due_on, done_on=m.done_on)


def _lab_out(page: LabPage) -> LabOut:
    lab, can = page.lab, page.can
    task = LabTaskOut(id=lab.proposal.pk, title=lab.proposal.shown_title) if can["see_task"] else None
    members = [
        LabMemberOut(
            id=m.pk,
            name=m.user.display_name,
            department=m.home_department.label() if m.home_department else None,
            joined_at=m.joined_at,
            released_duties=list(m.released_duties) if can["see_duties"] else None,
        )
        for m in page.members
    ]
    return LabOut(
        **_summary(lab),
        mission=lab.mission,
        started_at=lab.started_at,
        closed_at=lab.closed_at,
        extended_at=lab.extended_at,
        extension_reason=lab.extension_reason,
        outcome_note=lab.outcome_note,
        handed_to=lab.handed_to.label() if lab.handed_to else None,
        task=task,
        members=members,
        milestones=[_milestone_out(m) for m in page.milestones],
        experiments=[
            LabExperimentOut(
                id=x.pk,
                hypothesis=x.hypothesis,
                method=x.method,
                state=ExperimentState(x.state),
                result=x.result,
                lesson=x.lesson,
                updated_at=x.updated_at,
            )
            for x in page.experiments
        ],
        reports=[
            LabReportOut(
                id=r.pk,
                kind=ReportKind(r.kind),
                body=r.body,
                submitted_by=r.submitted_by.display_name,
                submitted_at=r.submitted_at,
            )
            for r in page.reports
        ],
        following=page.following,
        can=LabPermissionsOut(**{k: can[k] for k in LabPermissionsOut.model_fields}),
    )


def _lab_detail(request: HttpRequest, user: Any, slug: str) -> LabOut:
    page = selectors.lab_page(user, selectors.access_lab(user, slug))
    if people := selectors.others_shown(user, page):  # released duties of others (docs/privacy.md)
        privacy.record(
            request, user=user, action=Action.VIEW, kind=MEMBERSHIPS, scope=f"lab:{page.lab.pk}", count=people
        )
    return _lab_out(page)


# ---------------------------------------------------------------- the lab


@router.get("/labs", auth=PUBLIC, openapi_extra=PUBLIC_OPENAPI, response={200: list[LabSummaryOut], **ERRORS})
def list_labs(request: HttpRequest) -> list[LabSummaryOut]:
    return [LabSummaryOut(**_summary(lab)) for lab in selectors.labs_for(api_visitor(request))]


@router.get("/labs/{slug}", auth=PUBLIC, openapi_extra=PUBLIC_OPENAPI, response={200: LabOut, **ERRORS})
def lab_detail(request: HttpRequest, slug: Slug) -> LabOut:
    return _lab_detail(request, api_visitor(request), slug)


@router.post("/labs/{slug}/memberships", response={201: LabMembershipOut, **ERRORS})
def apply(request: HttpRequest, slug: Slug, payload: LabApplyIn) -> Status[LabMembershipOut]:
    """Volunteer for the lab (officials, while it is not closed)."""
    user = api_user(request)
    lab = selectors.access_lab(user, slug)
    return Status(201, _membership_out(services.apply_to_lab(actor=user, lab=lab, motivation=payload.motivation)))


@router.post("/labs/{slug}/memberships/{membership_id}/confirm", response={200: LabMembershipOut, **ERRORS})
def confirm(request: HttpRequest, slug: Slug, membership_id: Id, payload: LabConfirmIn) -> LabMembershipOut:
    """Confirm (or, with `accept: false`, decline) a volunteer: the innovation team."""
    user = api_user(request)
    lab = selectors.access_lab(user, slug)
    membership = selectors.access_membership(lab, membership_id)
    return _membership_out(services.confirm_member(actor=user, membership=membership, accept=payload.accept))


@router.post("/labs/{slug}/start", response={200: LabOut, **ERRORS})
def start(request: HttpRequest, slug: Slug) -> LabOut:
    user = api_user(request)
    services.start_lab(actor=user, lab=selectors.access_lab(user, slug))
    return _lab_detail(request, user, slug)


@router.post("/labs/{slug}/close", response={200: LabOut, **ERRORS})
def close(request: HttpRequest, slug: Slug, payload: LabCloseIn) -> LabOut:
    """Close a running lab with its outcome, after the final report. Handing over is the team's."""
    user = api_user(request)
    lab = selectors.access_lab(user, slug)
    department = None
    if payload.department_id is not None:
        department = selectors.handover_departments().filter(pk=payload.department_id).first()
        if department is None:
            raise unknown("department_id")
    services.close_lab(actor=user, lab=lab, outcome=payload.outcome.value, note=payload.note, department=department)
    return _lab_detail(request, user, slug)


# ---------------------------------------------------------------- journal


@router.get("/labs/{slug}/journal", response={200: list[LabJournalOut], **ERRORS})
def journal(request: HttpRequest, slug: Slug) -> list[LabJournalOut]:
    """The lab's working notes, newest first (officials and the innovation team)."""
    user = api_user(request)
    lab = selectors.access_lab(user, slug, perm="journal")
    return [_journal_out(e) for e in selectors.shown_journal(user, lab)]


@router.post("/labs/{slug}/journal", response={201: LabJournalOut, **ERRORS})
def add_journal_entry(
    request: HttpRequest, slug: Slug, payload: LabJournalIn, personal_data_ok: bool = False
) -> Status[LabJournalOut]:
    """Refused with code "personal_data" (masked findings in the message) when the entry seems to show
    personal data; `?personal_data_ok=true` confirms it is not, and is recorded."""
    user = api_user(request)
    lab = selectors.access_lab(user, slug)
    entry = services.add_journal_entry(
        actor=user, lab=lab, body=payload.body, happened_on=payload.happened_on, personal_data_ok=personal_data_ok
    )
    return Status(201, _journal_out(entry))


# ---------------------------------------------------------------- decisions by consent


@router.get(
    "/labs/{slug}/decisions", auth=PUBLIC, openapi_extra=PUBLIC_OPENAPI, response={200: list[LabDecisionOut], **ERRORS}
)
def decisions(request: HttpRequest, slug: Slug) -> list[LabDecisionOut]:
    """Newest first. A decision passes when its window closes with no open objection."""
    user = api_visitor(request)
    lab = selectors.access_lab(user, slug)
    return [_decision_out(d) for d in selectors.shown_decisions(user, lab)]


@router.post("/labs/{slug}/decisions", response={201: LabDecisionOut, **ERRORS})
def propose(
    request: HttpRequest, slug: Slug, payload: LabDecisionIn, personal_data_ok: bool = False
) -> Status[LabDecisionOut]:
    """Screened for personal data as the page's form is; `?personal_data_ok=true` confirms it is not."""
    user = api_user(request)
    lab = selectors.access_lab(user, slug)
    decision = services.propose_decision(actor=user, lab=lab, personal_data_ok=personal_data_ok, **payload.model_dump())
    return Status(201, _decision_shown(user, lab, decision.pk))


@router.post("/labs/{slug}/decisions/{decision_id}/objections", response={201: LabDecisionOut, **ERRORS})
def object_to(
    request: HttpRequest, slug: Slug, decision_id: Id, payload: LabObjectionIn, personal_data_ok: bool = False
) -> Status[LabDecisionOut]:
    """Object while the window is open (members); the decision waits until the objector resolves it.
    Screened for personal data as the page's form is; `?personal_data_ok=true` confirms it is not."""
    user = api_user(request)
    lab = selectors.access_lab(user, slug)
    services.object_to(
        actor=user,
        decision=selectors.access_decision(lab, decision_id),
        reason=payload.reason,
        personal_data_ok=personal_data_ok,
    )
    return Status(201, _decision_shown(user, lab, decision_id))


@router.post("/labs/{slug}/decisions/{decision_id}/withdraw", response={200: LabDecisionOut, **ERRORS})
def withdraw(request: HttpRequest, slug: Slug, decision_id: Id) -> LabDecisionOut:
    """The member who proposed a decision withdraws it while its window is open."""
    user = api_user(request)
    lab = selectors.access_lab(user, slug)
    services.withdraw_decision(actor=user, decision=selectors.access_decision(lab, decision_id))
    return _decision_shown(user, lab, decision_id)


@router.post("/labs/{slug}/objections/{objection_id}/resolve", response={200: LabDecisionOut, **ERRORS})
def resolve(
    request: HttpRequest, slug: Slug, objection_id: Id, payload: LabResolutionIn, personal_data_ok: bool = False
) -> LabDecisionOut:
    """Withdraw one's own objection, saying how it was resolved (screened for personal data;
    `?personal_data_ok=true` confirms it is not)."""
    user = api_user(request)
    lab = selectors.access_lab(user, slug)
    objection = selectors.access_objection(lab, objection_id)
    services.resolve_objection(
        actor=user, objection=objection, resolution=payload.resolution, personal_data_ok=personal_data_ok
    )
    return _decision_shown(user, lab, objection.decision_id)


# ---------------------------------------------------------------- milestones and reports


@router.get(
    "/labs/{slug}/milestones",
    auth=PUBLIC,
    openapi_extra=PUBLIC_OPENAPI,
    response={200: list[LabMilestoneOut], **ERRORS},
)
def milestones(request: HttpRequest, slug: Slug) -> list[LabMilestoneOut]:
    lab = selectors.access_lab(api_visitor(request), slug)
    return [_milestone_out(m) for m in selectors.shown_milestones(api_visitor(request), lab)]


@router.post("/labs/{slug}/milestones", response={201: LabMilestoneOut, **ERRORS})
def add_milestone(
    request: HttpRequest, slug: Slug, payload: LabMilestoneIn, personal_data_ok: bool = False
) -> Status[LabMilestoneOut]:
    """Screened for personal data as the page's form is; `?personal_data_ok=true` confirms it is not."""
    user = api_user(request)
    lab = selectors.access_lab(user, slug)
    milestone = services.add_milestone(
        actor=user, lab=lab, title=payload.title, due_on=payload.due_on, personal_data_ok=personal_data_ok
    )
    return Status(201, _milestone_out(milestone))


@router.post("/labs/{slug}/milestones/{milestone_id}/done", response={200: LabMilestoneOut, **ERRORS})
def complete_milestone(request: HttpRequest, slug: Slug, milestone_id: Id) -> LabMilestoneOut:
    user = api_user(request)
    lab = selectors.access_lab(user, slug)
    return _milestone_out(
        services.complete_milestone(actor=user, milestone=selectors.access_milestone(lab, milestone_id))
    )


@router.get(
    "/labs/{slug}/reports", auth=PUBLIC, openapi_extra=PUBLIC_OPENAPI, response={200: list[LabReportOut], **ERRORS}
)
def reports(request: HttpRequest, slug: Slug) -> list[LabReportOut]:
    """The mid-term, final outcome and retrospective reports, oldest first."""
    user = api_visitor(request)
    lab = selectors.access_lab(user, slug)
    return [
        LabReportOut(
            id=r.pk,
            kind=ReportKind(r.kind),
            body=r.body,
            submitted_by=r.submitted_by.display_name,
            submitted_at=r.submitted_at,
        )
        for r in selectors.shown_reports(user, lab)
    ]


@router.post("/labs/{slug}/reports", response={201: LabReportOut, **ERRORS})
def submit_report(
    request: HttpRequest, slug: Slug, payload: LabReportIn, personal_data_ok: bool = False
) -> Status[LabReportOut]:
    """Screened for personal data as the page's form is; `?personal_data_ok=true` confirms it is not.
    A held report goes to the public ledger when a moderator releases it."""
    user = api_user(request)
    lab = selectors.access_lab(user, slug)
    r = services.submit_report(
        actor=user, lab=lab, kind=payload.kind.value, body=payload.body, personal_data_ok=personal_data_ok
    )
    return Status(
        201,
        LabReportOut(
            id=r.pk, kind=ReportKind(r.kind), body=r.body, submitted_by=user.display_name, submitted_at=r.submitted_at
        ),
    )
