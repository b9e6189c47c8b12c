"""Calls, proposals, supports, comments and reports over JSON.

Objects are reached through `selectors.access_*` (missing and forbidden both answer 404),
every write goes through `services`, and the schemas hold the services' length limits.
"""

from datetime import datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from madang.calls import privacy, rules, selectors, services
from madang.calls.models import Call, Category, CoauthorInvitation, Comment, Confidentiality, Outcome, Proposal
from madang.calls.models import Status as ProposalStatus
from madang.people.api_auth import (
    ERRORS,
    PUBLIC,
    PUBLIC_OPENAPI,
    Id,
    Input,
    Pages,
    api_user,
    api_visitor,
    unknown,
)
from madang.people.models import Organisation, User

router = Router(tags=["calls"])

MAX_SLUG = 80
MAX_QUERY = 200
MAX_SIMILAR_TEXT = 5000
MAX_REPORT = 300
CommentPage = Annotated[int, Field(ge=1, le=selectors.MAX_COMMENT_PAGE, description="Page number, from 1.")]


def viewer(context: dict[str, Any]) -> Any:
    return context["request"].auth


# ---------------------------------------------------------------- shapes


class RefOut(Schema):
    id: int
    name: str


class PhaseOut(Schema):
    kind: str
    starts_at: datetime
    ends_at: datetime


class CriterionOut(Schema):
    id: int
    name: str
    description: str
    weight: float
    max_score: int


class CallSummaryOut(Schema):
    id: int
    slug: str
    title: str
    organisation: str
    audience: str
    confidentiality: str = Field(..., description="public, officials (only) or listed (organisations only)")
    is_published: bool
    current_phase: str | None
    submission_deadline: datetime | None

    @staticmethod
    def resolve_organisation(obj: Call) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_current_phase(obj: Call) -> str | None:
        phase = obj.phase_at()
        return phase.kind if phase else None

    @staticmethod
    def resolve_submission_deadline(obj: Call) -> datetime | None:
        return obj.submission_deadline()


class CallOut(CallSummaryOut):
    description: str = Field(..., description="Sanitised HTML.")
    hide_authors: bool
    required_fields: list[str]
    phases: list[PhaseOut]
    categories: list[RefOut]
    criteria: list[CriterionOut]
    can_submit: bool

    @staticmethod
    def resolve_phases(obj: Call) -> list[Any]:
        return obj.ordered_phases()

    @staticmethod
    def resolve_categories(obj: Call) -> list[Any]:
        return list(obj.categories.all())

    @staticmethod
    def resolve_criteria(obj: Call) -> list[Any]:
        return list(obj.criteria.all())

    @staticmethod
    def resolve_can_submit(obj: Call, context: dict[str, Any]) -> bool:
        return rules.can_submit(viewer(context), obj)


class PersonOut(Schema):
    display_name: str
    department: str | None
    grade: int | None

    @staticmethod
    def resolve_department(obj: User) -> str | None:
        return obj.department.label() if obj.department is not None else None


def authors_for(user: Any, proposal: Proposal) -> list[User] | None:
    if not rules.can_see_authors(user, proposal):
        return None
    return [proposal.author, *proposal.coauthors.all()]


class ProposalSummaryOut(Schema):
    id: int
    number: int | None
    reference: str
    title: str
    category: RefOut | None
    status: str
    outcome: str
    support_count: int = Field(
        ..., description="Supports; exact on a single proposal's read, up to a few seconds behind in lists."
    )
    comment_count: int
    submitted_at: datetime | None
    authors: list[PersonOut] | None = Field(..., description="null while the call hides authors from you.")

    @staticmethod
    def resolve_title(obj: Proposal, context: dict[str, Any]) -> str:
        return privacy.title_for(viewer(context), obj)

    @staticmethod
    def resolve_support_count(obj: Proposal) -> int:
        return getattr(obj, "live_supports", obj.support_count)

    @staticmethod
    def resolve_authors(obj: Proposal, context: dict[str, Any]) -> list[User] | None:
        return authors_for(viewer(context), obj)


class ProposalPermissionsOut(Schema):
    edit: bool
    submit: bool
    withdraw: bool
    support: bool
    comment: bool
    report: bool
    moderate: bool


class ProposalOut(ProposalSummaryOut):
    call: str = Field(..., description="The call's slug.")
    call_id: int
    problem: str = Field(..., description="Sanitised HTML.")
    solution: str = Field(..., description="Sanitised HTML.")
    expected_effect: str = Field(..., description="Sanitised HTML.")
    suggested_department: RefOut | None
    merged_into_id: int | None
    is_internal: bool
    hidden: bool
    hidden_reason: str | None = Field(..., description="Shown to the authors and the innovation team.")
    created_at: datetime
    updated_at: datetime
    supported: bool = Field(..., description="Whether you support this proposal.")
    can: ProposalPermissionsOut

    @staticmethod
    def resolve_call(obj: Proposal) -> str:
        return obj.call.slug

    @staticmethod
    def resolve_suggested_department(obj: Proposal) -> dict[str, Any] | None:
        dept = obj.suggested_department
        return {"id": dept.pk, "name": dept.label()} if dept else None

    @staticmethod
    def resolve_hidden(obj: Proposal) -> bool:
        return obj.hidden_at is not None

    @staticmethod
    def resolve_hidden_reason(obj: Proposal, context: dict[str, Any]) -> str | None:
        user = viewer(context)
        if obj.hidden_at is None or not (rules.is_author(user, obj) or rules.can_moderate(user, obj.call)):
            return None
        return obj.hidden_reason

    @staticmethod
    def resolve_supported(obj: Proposal, context: dict[str, Any]) -> bool:
        user = viewer(context)
        return bool(user.is_authenticated and obj.supports.filter(user=user).exists())

    @staticmethod
    def resolve_can(obj: Proposal, context: dict[str, Any]) -> dict[str, bool]:
        user = viewer(context)
        is_author = rules.is_author(user, obj)
        return {
            "edit": rules.can_edit_proposal(user, obj),
            "submit": is_author and obj.status == ProposalStatus.DRAFT and rules.can_submit(user, obj.call),
            "withdraw": rules.can_withdraw(user, obj),
            "support": rules.can_support(user, obj),
            "comment": rules.can_comment(user, obj),
            "report": rules.can_report(user, obj),
            "moderate": rules.can_moderate(user, obj.call),
        }


class ProposalFilters(Schema):
    q: str = Field("", max_length=MAX_QUERY, description="Search words; Korean is matched on character pairs.")
    category: Id | None = None
    outcome: Outcome | None = None
    status: ProposalStatus | None = None
    order: Literal["recent", "relevance", "support", "comments"] = "recent"


class CommentFilters(Schema):
    q: str = Field("", max_length=MAX_QUERY, description="Search words; Korean is matched on character pairs.")
    category: Id | None = Field(None, description="Only comments on proposals of this category.")
    outcome: Outcome | None = Field(None, description="Only comments on proposals with this outcome.")
    order: Literal["recent", "relevance"] = "recent"


class CommentHitOut(Schema):
    id: int
    proposal_id: int
    proposal_title: str
    parent_id: int | None
    author: str | None = Field(..., description="null for the proposal's authors while authors are hidden.")
    by_proposal_author: bool
    body: str
    created_at: datetime

    @staticmethod
    def resolve_proposal_title(c: Comment, context: dict[str, Any]) -> str:
        return privacy.title_for(context["request"].auth, c.proposal)

    @staticmethod
    def resolve_by_proposal_author(c: Comment) -> bool:
        return bool(c.author_id == c.proposal.author_id)

    @staticmethod
    def resolve_author(c: Comment, context: dict[str, Any]) -> str | None:
        if c.author_id in rules.hidden_author_ids(context["request"].auth, c.proposal):
            return None
        return str(c.author.display_name)

    @staticmethod
    def resolve_body(c: Comment, context: dict[str, Any]) -> str:
        """Flagged text masked as for this reader (calls/privacy.py); held comments are not found at all."""
        selectors.mask_comment_hits(context["request"].auth, [c])
        return c.body


class ProposalIn(Input):
    title: str = Field(..., min_length=1, max_length=services.MAX_TITLE)
    problem: str = Field("", max_length=services.MAX_RICH)
    solution: str = Field("", max_length=services.MAX_RICH)
    expected_effect: str = Field("", max_length=services.MAX_RICH)
    category_id: Id | None = None
    suggested_department_id: Id | None = None


class ProposalPatch(Input):
    """Only the fields sent are changed; `null` clears a category or department."""

    title: str | None = Field(None, min_length=1, max_length=services.MAX_TITLE)
    problem: str | None = Field(None, max_length=services.MAX_RICH)
    solution: str | None = Field(None, max_length=services.MAX_RICH)
    expected_effect: str | None = Field(None, max_length=services.MAX_RICH)
    category_id: Id | None = None
    suggested_department_id: Id | None = None


class SimilarOut(Schema):
    id: int
    number: int | None
    title: str
    score: float
    shared: list[str]
    lexical: float = 0.0
    semantic: float | None = Field(None, description="cosine of the E5 embeddings; null when compared by words only")
    almost_same: bool = Field(False, description="true only when meaning, words and specifics all agree")
    reasons: list[str] = Field(default_factory=list, description="why it matches, in the request's language")
    reason_codes: list[str] = Field(default_factory=list)


class SupportOut(Schema):
    added: bool
    count: int


class SupportWithdrawnOut(Schema):
    removed: bool
    count: int


class CommentOut(Schema):
    id: int
    parent_id: int | None
    author: str | None = Field(..., description="null for the proposal's authors while authors are hidden.")
    by_proposal_author: bool
    body: str | None = Field(..., description="null when hidden, except for its own author.")
    hidden: bool
    hidden_reason: str | None
    created_at: datetime
    replies: list["CommentOut"] = Field(
        [], description="A top-level comment's first replies (at most 10); the rest: GET …/comments/{id}/replies."
    )
    more_replies: bool = Field(False, description="The thread has more replies than `replies` holds.")


class CommentIn(Input):
    body: str = Field(..., min_length=1, max_length=services.MAX_COMMENT)
    parent_id: Id | None = Field(None, description="Reply to this comment.")


class ReportIn(Input):
    reason: str = Field(..., min_length=1, max_length=MAX_REPORT)
    comment_id: Id | None = Field(None, description="Report this comment instead of the proposal.")


class ReportOut(Schema):
    id: int


class CoauthorIn(Input):
    username: str = Field(..., min_length=1, max_length=150)


class CoauthorInvitationOut(Schema):
    id: int
    proposal_id: int
    proposal_title: str
    invitee: str = Field(..., alias="invitee.display_name")
    invited_by: str = Field(..., alias="invited_by.display_name")
    state: str
    created_at: datetime
    answered_at: datetime | None

    @staticmethod
    def resolve_proposal_title(i: CoauthorInvitation, context: dict[str, Any]) -> str:
        return privacy.title_for(context["request"].auth, i.proposal)


class InvitationAnswerIn(Input):
    accept: bool


class InternalIn(Input):
    internal: bool
    reason: str = Field(..., min_length=1, max_length=MAX_REPORT)


class ConfidentialityIn(Input):
    confidentiality: Confidentiality


# ---------------------------------------------------------------- helpers


def category_for(call: Call, category_id: int | None) -> Category | None:
    if category_id is None:
        return None
    category = next((c for c in call.categories.all() if c.pk == category_id), None)
    if category is None:
        raise unknown("category_id")
    return category


def department_for(call: Call, department_id: int | None) -> Organisation | None:
    if department_id is None:
        return None
    dept = selectors.routable_departments(call).filter(pk=department_id).first()
    if dept is None:
        raise unknown("suggested_department_id")
    return dept


def comment_out(c: Comment, user: Any, proposal: Proposal, hidden: set[int], moderator: bool) -> CommentOut:
    own = bool(user.is_authenticated and c.author_id == user.pk)
    by_author = c.author_id in proposal.author_ids()
    return CommentOut(
        id=c.pk,
        parent_id=c.parent_id,
        author=None if c.author_id in hidden else c.author.display_name,
        by_proposal_author=by_author,
        body=c.body if (c.hidden_at is None or own) else None,
        hidden=c.hidden_at is not None,
        hidden_reason=c.hidden_reason if c.hidden_at is not None and (own or moderator) else None,
        created_at=c.created_at,
        replies=[comment_out(r, user, proposal, hidden, moderator) for r in getattr(c, "first_replies", ())],
        more_replies=getattr(c, "more_replies", False),
    )


# ---------------------------------------------------------------- calls


@router.get("/calls", auth=PUBLIC, openapi_extra=PUBLIC_OPENAPI, response={200: list[CallSummaryOut], **ERRORS})
def list_calls(request: HttpRequest) -> list[Call]:
    return selectors.calls_for(api_visitor(request))


@router.get("/calls/{slug}", auth=PUBLIC, openapi_extra=PUBLIC_OPENAPI, response={200: CallOut, **ERRORS})
def call_detail(request: HttpRequest, slug: str) -> Call:
    return selectors.access_call(api_visitor(request), slug[:MAX_SLUG])


@router.get(
    "/calls/{slug}/proposals",
    auth=PUBLIC,
    openapi_extra=PUBLIC_OPENAPI,
    response={200: list[ProposalSummaryOut], **ERRORS},
)
@paginate(Pages)
def list_proposals(request: HttpRequest, slug: str, filters: Query[ProposalFilters]) -> Any:
    user = api_visitor(request)
    call = selectors.access_call(user, slug[:MAX_SLUG])
    return (
        selectors.search_proposals(
            user,
            call,
            query=filters.q,
            category=filters.category,
            order=filters.order,
            outcome=filters.outcome.value if filters.outcome else None,
            status=filters.status.value if filters.status else None,
        )
        .select_related("call__organisation")
        .prefetch_related("call__phases", "coauthors__department__parent")
    )


@router.get(
    "/calls/{slug}/comments", auth=PUBLIC, openapi_extra=PUBLIC_OPENAPI, response={200: list[CommentHitOut], **ERRORS}
)
@paginate(Pages)
def search_comments(request: HttpRequest, slug: str, filters: Query[CommentFilters]) -> Any:
    """The call's comments that match `q` (all of them without it), on proposals this user may see."""
    user = api_visitor(request)
    call = selectors.access_call(user, slug[:MAX_SLUG])
    return selectors.search_comments(
        user,
        call,
        query=filters.q,
        category=filters.category,
        order=filters.order,
        outcome=filters.outcome.value if filters.outcome else None,
    ).prefetch_related("proposal__call__phases")


@router.post("/calls/{slug}/proposals", response={201: ProposalOut, **ERRORS})
def create_proposal(request: HttpRequest, slug: str, payload: ProposalIn) -> Status[Proposal]:
    user = api_user(request)
    call = selectors.access_call(user, slug[:MAX_SLUG])
    fields = services.ProposalFields(
        title=payload.title,
        problem=payload.problem,
        solution=payload.solution,
        expected_effect=payload.expected_effect,
        category=category_for(call, payload.category_id),
        suggested_department=department_for(call, payload.suggested_department_id),
    )
    proposal = services.create_proposal(actor=user, call=call, fields=fields)
    return Status(201, selectors.access_proposal(user, proposal.pk))


@router.get(
    "/calls/{slug}/similar", auth=PUBLIC, openapi_extra=PUBLIC_OPENAPI, response={200: list[SimilarOut], **ERRORS}
)
def similar(
    request: HttpRequest, slug: str, text: str = Query(..., max_length=MAX_SIMILAR_TEXT), exclude: Id | None = None
) -> list[SimilarOut]:
    """Submitted public proposals resembling a draft's text, best first."""
    call = selectors.access_call(api_visitor(request), slug[:MAX_SLUG])
    selectors.check_similar_budget(request)
    found = selectors.similar_proposals(call, text, exclude=exclude)
    return [
        SimilarOut(
            id=p.pk,
            number=p.number,
            title=p.shown_title,
            score=m.score,
            shared=list(m.shared),
            lexical=m.lexical,
            semantic=m.semantic,
            almost_same=m.almost_same,
            reasons=m.reasons,
            reason_codes=[code for code, _detail in m.reason_codes],
        )
        for p, m in found
    ]


# ---------------------------------------------------------------- proposals


@router.get("/proposals/{pk}", auth=PUBLIC, openapi_extra=PUBLIC_OPENAPI, response={200: ProposalOut, **ERRORS})
def proposal_detail(request: HttpRequest, pk: Id) -> Proposal:
    """Text published with its author's confirmation comes masked for everyone but its authors
    and moderators (docs/privacy-filter.md)."""
    user = api_visitor(request)
    return selectors.shown_proposal(user, selectors.access_proposal(user, pk))


@router.patch("/proposals/{pk}", response={200: ProposalOut, **ERRORS})
def update_proposal(request: HttpRequest, pk: Id, payload: ProposalPatch, personal_data_ok: bool = False) -> Proposal:
    """An edit of a published proposal is screened for personal data as a submission is."""
    user = api_user(request)
    proposal = selectors.access_proposal(user, pk)
    sent = payload.model_dump(exclude_unset=True)
    call = proposal.call
    fields = services.ProposalFields(
        title=sent.get("title") or proposal.title,
        problem=proposal.problem if sent.get("problem") is None else sent["problem"],
        solution=proposal.solution if sent.get("solution") is None else sent["solution"],
        expected_effect=proposal.expected_effect if sent.get("expected_effect") is None else sent["expected_effect"],
        category=category_for(call, sent["category_id"]) if "category_id" in sent else proposal.category,
        suggested_department=(
            department_for(call, sent["suggested_department_id"])
            if "suggested_department_id" in sent
            else proposal.suggested_department
        ),
    )
    services.update_proposal(actor=user, proposal=proposal, fields=fields, personal_data_ok=personal_data_ok)
    return selectors.access_proposal(user, pk)


@router.post("/proposals/{pk}/submit", response={200: ProposalOut, **ERRORS})
def submit_proposal(request: HttpRequest, pk: Id, personal_data_ok: bool = False) -> Proposal:
    """Refused with code "personal_data" (masked findings in the message) when the text or an
    attachment seems to show personal data; `?personal_data_ok=true` confirms it is not, and is recorded."""
    user = api_user(request)
    services.submit_proposal(
        actor=user, proposal=selectors.access_proposal(user, pk), personal_data_ok=personal_data_ok
    )
    return selectors.access_proposal(user, pk)


@router.post("/proposals/{pk}/withdraw", response={200: ProposalOut, **ERRORS})
def withdraw_proposal(request: HttpRequest, pk: Id) -> Proposal:
    user = api_user(request)
    services.withdraw_proposal(actor=user, proposal=selectors.access_proposal(user, pk))
    return selectors.access_proposal(user, pk)


@router.post("/proposals/{pk}/support", response={200: SupportOut, **ERRORS})
def support(request: HttpRequest, pk: Id) -> SupportOut:
    user = api_user(request)
    added, count = services.support_proposal(actor=user, proposal=selectors.proposal_for_support(user, pk))
    return SupportOut(added=added, count=count)


@router.delete("/proposals/{pk}/support", response={200: SupportWithdrawnOut, **ERRORS})
def withdraw_support(request: HttpRequest, pk: Id) -> SupportWithdrawnOut:
    user = api_user(request)
    removed, count = services.withdraw_support(actor=user, proposal=selectors.access_proposal(user, pk))
    return SupportWithdrawnOut(removed=removed, count=count)


@router.get(
    "/proposals/{pk}/comments", auth=PUBLIC, openapi_extra=PUBLIC_OPENAPI, response={200: list[CommentOut], **ERRORS}
)
def list_comments(request: HttpRequest, pk: Id, page: CommentPage = 1) -> list[CommentOut]:
    """Top-level comments, oldest first, 30 a page, each with its first replies. A page past
    the last is "not found" (the first page is an empty list when there are no comments)."""
    user = api_visitor(request)
    proposal = selectors.access_proposal(user, pk)
    window = selectors.comment_window(user, proposal, page)
    hidden, moderator = rules.hidden_author_ids(user, proposal), rules.can_moderate(user, proposal.call)
    return [comment_out(c, user, proposal, hidden, moderator) for c in window.comments]


@router.get(
    "/proposals/{pk}/comments/{comment_id}/replies",
    auth=PUBLIC,
    openapi_extra=PUBLIC_OPENAPI,
    response={200: list[CommentOut], **ERRORS},
)
def list_replies(request: HttpRequest, pk: Id, comment_id: Id, page: CommentPage = 1) -> list[CommentOut]:
    """A top-level comment's replies, oldest first, 50 a page."""
    user = api_visitor(request)
    proposal = selectors.access_proposal(user, pk)
    top = proposal.comments.filter(pk=comment_id, parent=None).first()
    if top is None:
        raise unknown("comment_id")
    window = selectors.comment_window(user, proposal, page, thread=top)
    hidden, moderator = rules.hidden_author_ids(user, proposal), rules.can_moderate(user, proposal.call)
    return [comment_out(c, user, proposal, hidden, moderator) for c in window.comments]


@router.post("/proposals/{pk}/comments", response={201: CommentOut, **ERRORS})
def add_comment(request: HttpRequest, pk: Id, payload: CommentIn, personal_data_ok: bool = False) -> Status[CommentOut]:
    """Refused with code "personal_data" (masked findings in the message) when the comment seems to
    show personal data; `?personal_data_ok=true` confirms it is not, and is recorded. A confirmed
    unique identifier (a resident registration number) holds the comment for a moderator."""
    user = api_user(request)
    proposal = selectors.access_proposal(user, pk)
    parent = None
    if payload.parent_id is not None:
        parent = proposal.comments.filter(pk=payload.parent_id).first()
        if parent is None:
            raise unknown("parent_id")
    comment = services.add_comment(
        actor=user, proposal=proposal, body=payload.body, parent=parent, personal_data_ok=personal_data_ok
    )
    hidden, moderator = rules.hidden_author_ids(user, proposal), rules.can_moderate(user, proposal.call)
    return Status(201, comment_out(comment, user, proposal, hidden, moderator))


@router.post("/proposals/{pk}/reports", response={201: ReportOut, **ERRORS})
def report(request: HttpRequest, pk: Id, payload: ReportIn) -> Status[ReportOut]:
    """Flag the proposal, or one of its comments, for the moderators."""
    user = api_user(request)
    proposal = selectors.access_proposal(user, pk)
    comment = None
    if payload.comment_id is not None:
        comment = proposal.comments.filter(pk=payload.comment_id).first()
        if comment is None:
            raise unknown("comment_id")
    flagged = services.report_content(
        actor=user, reason=payload.reason, proposal=None if comment else proposal, comment=comment
    )
    return Status(201, ReportOut(id=flagged.pk))


# ---------------------------------------------------------------- co-authors, internal marks, confidentiality


@router.post("/proposals/{pk}/coauthors", response={201: CoauthorInvitationOut, **ERRORS})
def invite_coauthor(request: HttpRequest, pk: Id, payload: CoauthorIn) -> Status[Any]:
    """Invite a co-author; they join (and may edit) only when they accept."""
    user = api_user(request)
    proposal = selectors.access_proposal(user, pk)
    invitee = (
        User.objects.filter(username=payload.username, is_active=True).first()
        if "\x00" not in payload.username
        else None
    )
    if invitee is None:
        raise unknown("username")
    return Status(201, services.invite_coauthor(actor=user, proposal=proposal, invitee=invitee))


@router.delete("/proposals/{pk}/coauthors/{user_id}", response={204: None, **ERRORS})
def remove_coauthor(request: HttpRequest, pk: Id, user_id: Id) -> Status[None]:
    """Remove a co-author or cancel an invitation (the authors), or leave (the co-author)."""
    user = api_user(request)
    proposal = selectors.access_proposal(user, pk)
    services.remove_coauthor(actor=user, proposal=proposal, coauthor=selectors.access_coauthor(proposal, user_id))
    return Status(204, None)


@router.get("/invitations", response={200: list[CoauthorInvitationOut], **ERRORS})
def my_invitations(request: HttpRequest) -> Any:
    """Co-author invitations sent to you, waiting ones first."""
    return list(selectors.my_invitations(api_user(request)).select_related("invitee"))


@router.post("/invitations/{pk}/answer", response={200: CoauthorInvitationOut, **ERRORS})
def answer_invitation(request: HttpRequest, pk: Id, payload: InvitationAnswerIn) -> Any:
    user = api_user(request)
    invitation = selectors.access_invitation(user, pk)
    services.answer_invitation(actor=user, invitation=invitation, accept=payload.accept)
    return selectors.access_invitation(user, pk)


@router.post("/proposals/{pk}/internal", response={200: ProposalOut, **ERRORS})
def mark_internal(request: HttpRequest, pk: Id, payload: InternalIn) -> Proposal:
    """Mark a proposal internal, or public again (innovation team; the reason is kept with who and when)."""
    user = api_user(request)
    services.set_internal(
        actor=user, proposal=selectors.access_proposal(user, pk), internal=payload.internal, reason=payload.reason
    )
    return selectors.access_proposal(user, pk)


@router.put("/calls/{slug}/confidentiality", response={200: CallOut, **ERRORS})
def set_confidentiality(request: HttpRequest, slug: str, payload: ConfidentialityIn) -> Call:
    """Who may read the call (innovation team): public, officials only, or the listed organisations only."""
    user = api_user(request)
    call = selectors.access_call(user, slug[:MAX_SLUG])
    services.set_call_confidentiality(actor=user, call=call, confidentiality=payload.confidentiality.value)
    return selectors.access_call(user, slug[:MAX_SLUG])
