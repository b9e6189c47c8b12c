"""Every write to calls, proposals, supports and comments.

Each function takes keyword arguments with a required `actor`, checks the rules, runs in
one transaction, writes its ledger entry inside that transaction, and leaves
notifications and e-mail to run after commit.
"""

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import partial
from itertools import pairwise
from typing import Any

import nh3
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Field
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madang.calls import counters, meaning, privacy, rules
from madang.calls import ledger_entries as entries
from madang.calls.ledger_entries import CallEntry
from madang.calls.models import (
    PROPOSAL_FIELDS,
    Attachment,
    Audience,
    Call,
    CallAction,
    CallChange,
    Category,
    CoauthorInvitation,
    Comment,
    Confidentiality,
    Criterion,
    Feature,
    InternalMark,
    InvitationState,
    PersonalDataConfirmation,
    Phase,
    PhaseKind,
    Proposal,
    ProposalRevision,
    Report,
    Status,
    Support,
)
from madang.calls.selectors import forget_call_copies, forget_plain_reader, routable_departments
from madang.core import ratelimit
from madang.core.errors import DomainError, Forbidden
from madang.core.groupcommit import GroupCommit
from madang.core.texts import clean_text
from madang.core.uploads import check_upload
from madang.identity import services as identity_services
from madang.inbox.models import NotificationKind
from madang.inbox.services import notify, notify_followers
from madang.ledger import services as ledger
from madang.ledger.models import Entry
from madang.people import rules as people_rules
from madang.people import services as people_services
from madang.people.models import Organisation, Role, User
from madang.privacy import exposure
from madang.privacy import selectors as privacy_reads
from madang.privacy import services as privacy_services
from madang.solvers import korean

RICH_TAGS = {"p", "br", "strong", "em", "b", "i", "u", "ul", "ol", "li", "blockquote", "h3", "h4", "a"}
RICH_ATTRIBUTES = {"a": {"href", "title"}}
MAX_TITLE = 200
MAX_RICH = 20_000
MAX_COMMENT = 4_000

MAX_ATTACHMENTS = 10


def sanitise(html: str) -> str:
    return nh3.clean(html, tags=RICH_TAGS, attributes=RICH_ATTRIBUTES, url_schemes={"http", "https", "mailto"})


def _check_length(value: str, limit: int, field: str) -> None:
    clean_text(value, field=field, limit=limit, required=False)


# ---------------------------------------------------------------- calls


@dataclass(frozen=True)
class PhaseSpec:
    kind: str
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class CriterionSpec:
    name: str
    weight: Decimal | float = 1
    max_score: int = 5
    description: str = ""


def create_call(
    *,
    actor: User,
    slug: str,
    title: str,
    organisation: Organisation,
    phases: Sequence[PhaseSpec],
    description: str = "",
    audience: str = Audience.OFFICIALS,
    eligible: Iterable[Organisation] = (),
    categories: Iterable[str] = (),
    criteria: Iterable[CriterionSpec] = (),
    required_fields: Iterable[str] = ("problem", "solution"),
    hide_authors: bool = False,
    confidentiality: str = Confidentiality.PUBLIC,
    verified_citizens_only: bool = False,
) -> Call:
    if not (
        people_rules.is_site_admin(actor)
        or people_rules.has_role(actor, Role.INNOVATION_TEAM, organisation=organisation)
    ):
        raise Forbidden(_("Only the innovation team of this organisation can open a call."))
    required = list(dict.fromkeys(required_fields))
    unknown = set(required) - set(PROPOSAL_FIELDS)
    if unknown:
        raise DomainError(_("Unknown proposal field: %(f)s") % {"f": ", ".join(sorted(unknown))}, code="bad_field")
    kinds = [p.kind for p in phases]
    if len(set(kinds)) != len(kinds) or PhaseKind.SUBMISSION not in kinds:
        raise DomainError(_("A call needs one submission phase, and each phase kind at most once."), code="bad_phases")
    ordered = sorted(phases, key=lambda p: p.starts_at)
    for p in ordered:
        if p.ends_at <= p.starts_at:
            raise DomainError(_("Each phase must end after it starts."), code="bad_phases")
    for a, b in pairwise(ordered):
        if b.starts_at < a.ends_at:
            raise DomainError(_("Phases may not overlap."), code="bad_phases")
    if Call.objects.filter(slug=slug).exists():
        raise DomainError(_("A call with this address already exists."), code="duplicate", field="slug")
    _check_confidentiality(confidentiality, audience)
    with transaction.atomic():
        call = Call.objects.create(
            slug=slug,
            title=title,
            description=sanitise(description),
            organisation=organisation,
            audience=audience,
            required_fields=required,
            hide_authors=hide_authors,
            confidentiality=confidentiality,
            verified_citizens_only=verified_citizens_only,
            created_by=actor,
        )
        call.eligible_organisations.set(list(eligible))
        Phase.objects.bulk_create(
            Phase(call=call, kind=p.kind, starts_at=p.starts_at, ends_at=p.ends_at) for p in phases
        )
        Category.objects.bulk_create(Category(call=call, name=name) for name in dict.fromkeys(categories))
        Criterion.objects.bulk_create(
            Criterion(
                call=call, name=c.name, weight=Decimal(str(c.weight)), max_score=c.max_score, description=c.description
            )
            for c in criteria
        )
        # A confidential call's title and address go into the public log only as salted hashes.
        data, sealed = entries.opened_parts(call)
        ledger.record(
            kind=CallEntry.CALL_OPENED,
            subject=f"call:{call.pk}",
            actor_id=actor.pk,
            data=data,
            commitments=sealed or None,
        )
    return call


def _check_confidentiality(confidentiality: str, audience: str) -> None:
    if confidentiality not in Confidentiality.values:
        raise DomainError(_("Please choose who may read the call."), code="required", field="confidentiality")
    if confidentiality != Confidentiality.PUBLIC and audience != Audience.OFFICIALS:
        raise DomainError(
            _("A call open to citizens cannot be limited to officials."),
            code="bad_confidentiality",
            field="confidentiality",
        )


def set_call_confidentiality(*, actor: User, call: Call, confidentiality: str) -> Call:
    """Change who may read the call. A call opened in public cannot become confidential: its
    title is already in the signed public log, which is never rewritten."""
    if not rules.can_manage_call(actor, call):
        raise Forbidden(_("Only the innovation team can change who may read the call."))
    _check_confidentiality(confidentiality, call.audience)
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        opened = _opened_entry(call)
        if confidentiality != Confidentiality.PUBLIC and opened is not None and entries.opened_in_public(opened):
            raise DomainError(
                _("This call's title is already on the public ledger; open a new call to keep it confidential."),
                code="already_public",
                field="confidentiality",
            )
        call.confidentiality = confidentiality
        call.save(update_fields=["confidentiality"])
    return call


def _opened_entry(call: Call) -> Entry | None:
    return Entry.objects.filter(kind=CallEntry.CALL_OPENED, subject=f"call:{call.pk}").first()


# ---------------------------------------------------------------- proposals


@dataclass
class ProposalFields:
    title: str
    problem: str = ""
    solution: str = ""
    expected_effect: str = ""
    suggested_department: Organisation | None = None
    category: Category | None = None


def _apply_fields(proposal: Proposal, fields: ProposalFields) -> None:
    title = fields.title.strip()
    if not title:
        raise DomainError(_("Please give the proposal a title."), code="required", field="title")
    _check_length(title, MAX_TITLE, "title")
    for name in ("problem", "solution", "expected_effect"):
        _check_length(getattr(fields, name), MAX_RICH, name)
    if fields.category is not None and fields.category.call_id != proposal.call_id:
        raise DomainError(_("That category belongs to another call."), code="bad_category", field="category")
    if fields.suggested_department is not None and not fields.suggested_department.is_active:
        raise DomainError(_("That department no longer exists."), code="bad_department", field="suggested_department")
    if (
        fields.suggested_department is not None
        and not routable_departments(proposal.call).filter(pk=fields.suggested_department.pk).exists()
    ):
        raise DomainError(
            _("That department does not answer for this call."), code="bad_department", field="suggested_department"
        )
    proposal.title = title
    proposal.problem = sanitise(fields.problem)
    proposal.solution = sanitise(fields.solution)
    proposal.expected_effect = sanitise(fields.expected_effect)
    proposal.suggested_department = fields.suggested_department
    proposal.category = fields.category
    proposal.search_terms = _index_terms(proposal)


def _index_terms(proposal: Proposal) -> str:
    return korean.index_terms(" ".join([proposal.title, proposal.problem, proposal.solution, proposal.expected_effect]))


def _snapshot(proposal: Proposal) -> dict[str, Any]:
    return entries.snapshot(proposal)


def _add_revision(proposal: Proposal, editor: User) -> ProposalRevision:
    last = proposal.revisions.order_by("-number").values_list("number", flat=True).first() or 0
    return ProposalRevision.objects.create(
        proposal=proposal, number=last + 1, fields=_snapshot(proposal), editor=editor
    )


def create_proposal(*, actor: User, call: Call, fields: ProposalFields) -> Proposal:
    people_services.check_confirmed_email(actor)
    identity_services.check_verified_person(actor, required=call.verified_citizens_only)
    if not rules.can_submit(actor, call):
        if not rules.is_eligible(actor, call):
            raise Forbidden(_("This call is not open to you."))
        raise DomainError(_("This call is not taking proposals now."), code="closed")
    ratelimit.hit("proposal", actor.pk)
    with transaction.atomic():
        proposal = Proposal(call=call, author=actor)
        _apply_fields(proposal, fields)
        proposal.save()
        _add_revision(proposal, actor)
    forget_plain_reader(actor.pk)  # (their list shows their draft at once, in this process)
    return proposal


def _screen_personal_data(proposal: Proposal, actor: User, confirmed: bool) -> None:
    """Refuse to publish what looks like personal data, unless the author confirms it is not;
    the confirmation is kept with the masked findings (calls/privacy.py). A confirmed resident
    registration number or the like holds the proposal from others until a moderator decides;
    an edit that removes what was found lifts the hold. The caller saves the proposal."""
    found = privacy.check(proposal)
    if not found:
        if privacy_services.forget_exposure(place=privacy.PROPOSAL, object_id=proposal.pk):
            _unhold_proposal(proposal)
        return
    if not confirmed:
        raise privacy.refuse(found)
    PersonalDataConfirmation.objects.create(proposal=proposal, actor=actor, findings=[e.as_dict() for e in found])
    was_held = privacy_reads.is_held(privacy.PROPOSAL, proposal.pk)
    row = privacy_services.note_exposure(
        actor=actor,
        place=privacy.PROPOSAL,
        object_id=proposal.pk,
        found=found,
        organisation=proposal.call.organisation,
    )
    if row is not None and row.is_held:
        if proposal.hidden_at is None:
            proposal.hidden_at = timezone.now()
            proposal.hidden_reason = privacy.held_reason()
    elif was_held:
        _unhold_proposal(proposal)


def _unhold_proposal(proposal: Proposal) -> None:
    """Show a proposal the filter held (not one the moderators hid themselves). The caller saves it."""
    if proposal.hidden_at is not None and proposal.hidden_by_id is None:
        proposal.hidden_at = None
        proposal.hidden_reason = ""


def release_held_proposal(*, actor: User, object_id: int) -> None:
    """A moderator releases a proposal the filter held, or keeps one published as its author
    confirmed it (privacy.services.decide_exposure checked the right and records the decision):
    it is shown, flagged text still masked for other readers. One the moderators hid stays hidden."""
    proposal = Proposal.objects.select_for_update().filter(pk=object_id).first()
    if proposal is not None and privacy_reads.is_held(privacy.PROPOSAL, object_id):
        _unhold_proposal(proposal)
        proposal.save(update_fields=["hidden_at", "hidden_reason"])


def mask_proposal(*, actor: User, object_id: int) -> None:
    """A moderator edits out what the filter found in the proposal's text (every kind), then shows
    it. The masked text is a revision by the moderator, in the public ledger like any edit, so the
    ledger still matches the proposal; the earlier revisions stay for its authors and the ledger's
    checks. An attachment cannot be masked: its finding stays for the moderators to judge."""
    proposal = Proposal.objects.select_for_update().select_related("call").filter(pk=object_id).first()
    if proposal is None:
        return
    before = _snapshot(proposal)
    proposal.title = exposure.masked_all(proposal.title)
    for name in ("problem", "solution", "expected_effect"):
        setattr(proposal, name, exposure.masked_all_html(getattr(proposal, name)))
    if privacy_reads.is_held(privacy.PROPOSAL, object_id):
        _unhold_proposal(proposal)
    if _snapshot(proposal) == before:
        proposal.save(update_fields=["hidden_at", "hidden_reason"])
        return
    proposal.search_terms = _index_terms(proposal)
    proposal.updated_at = timezone.now()
    proposal.save()
    revision = _add_revision(proposal, actor)
    if proposal.status in (Status.SUBMITTED, Status.WITHDRAWN):
        ledger.record(
            kind=CallEntry.EDITED,
            subject=f"proposal:{proposal.pk}",
            actor_id=actor.pk,
            data=entries.edited_body(proposal, revision.number),
        )
        transaction.on_commit(partial(_embed_later, proposal.pk))


def update_proposal(
    *, actor: User, proposal: Proposal, fields: ProposalFields, personal_data_ok: bool = False
) -> Proposal:
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().select_related("call").get(pk=proposal.pk)
        if not rules.is_author(actor, proposal):
            raise Forbidden(_("Only the authors can edit this proposal."))
        if not rules.can_edit_proposal(actor, proposal):
            raise DomainError(_("The submission period is over: the proposal can no longer be edited."), code="closed")
        before = _snapshot(proposal)
        _apply_fields(proposal, fields)
        if _snapshot(proposal) == before:
            return proposal
        if proposal.status == Status.SUBMITTED:  # an edit of a published proposal is published at once
            _screen_personal_data(proposal, actor, personal_data_ok)
        proposal.updated_at = timezone.now()
        proposal.save()
        revision = _add_revision(proposal, actor)
        if proposal.status == Status.SUBMITTED:
            ledger.record(
                kind=CallEntry.EDITED,
                subject=f"proposal:{proposal.pk}",
                actor_id=actor.pk,
                data=entries.edited_body(proposal, revision.number),
            )
            transaction.on_commit(partial(_embed_later, proposal.pk))
    return proposal


def _embed_later(proposal_id: int) -> None:
    # After commit: similar ideas read the proposal's embedding, computed by a background job.
    embeddings = meaning.source()
    if embeddings is not None:
        embeddings.queue_embedding(proposal_id)


def _field_label(name: str) -> str:
    """A proposal column's label (a required field is one of PROPOSAL_FIELDS, never a reverse relation)."""
    field = Proposal._meta.get_field(name)
    return str(field.verbose_name) if isinstance(field, Field) else name


def _check_required(proposal: Proposal) -> None:
    missing = []
    for name in proposal.call.required_fields:
        value = getattr(proposal, name if name != "suggested_department" else "suggested_department_id")
        if value in (None, "") or (isinstance(value, str) and not nh3.clean(value, tags=set()).strip()):
            missing.append(name)
    if missing:
        raise DomainError(
            _("Please fill in: %(fields)s") % {"fields": ", ".join(_field_label(m) for m in missing)},
            code="required",
            field=missing[0],
        )


def submit_proposal(*, actor: User, proposal: Proposal, personal_data_ok: bool = False) -> Proposal:
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().select_related("call").get(pk=proposal.pk)
        if not rules.is_author(actor, proposal):
            raise Forbidden(_("Only the authors can submit this proposal."))
        people_services.check_confirmed_email(actor)
        identity_services.check_verified_person(actor, required=proposal.call.verified_citizens_only)
        if proposal.status == Status.SUBMITTED:
            raise DomainError(_("This proposal has already been submitted."), code="already_submitted")
        if proposal.status == Status.WITHDRAWN:
            raise DomainError(_("A withdrawn proposal cannot be submitted again."), code="withdrawn")
        if not proposal.call.allows(Feature.SUBMIT):
            raise DomainError(_("The submission period is over."), code="closed")
        _check_required(proposal)
        _screen_personal_data(proposal, actor, personal_data_ok)
        # The call row lock makes numbers gapless and unique under concurrent submissions.
        call = Call.objects.select_for_update().get(pk=proposal.call_id)
        proposal.number = call.next_number
        Call.objects.filter(pk=call.pk).update(next_number=F("next_number") + 1)
        proposal.status = Status.SUBMITTED
        proposal.submitted_at = timezone.now()
        proposal.save()
        revision = proposal.revisions.order_by("-number").values_list("number", flat=True).first() or 0
        ledger.record(
            kind=CallEntry.SUBMITTED,
            subject=f"proposal:{proposal.pk}",
            actor_id=actor.pk,
            data=entries.submitted_body(proposal, revision),
        )
        transaction.on_commit(partial(_embed_later, proposal.pk))
    return proposal


def withdraw_proposal(*, actor: User, proposal: Proposal, reason: str = "") -> Proposal:
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().select_related("call").get(pk=proposal.pk)
        if not rules.is_author(actor, proposal):
            raise Forbidden(_("Only the authors can withdraw this proposal."))
        if not rules.can_withdraw(actor, proposal):
            raise DomainError(_("This proposal can no longer be withdrawn."), code="closed")
        proposal.status = Status.WITHDRAWN
        proposal.updated_at = timezone.now()
        proposal.save(update_fields=["status", "updated_at"])
        ledger.record(kind=CallEntry.WITHDRAWN, subject=f"proposal:{proposal.pk}", actor_id=actor.pk, data={})
    return proposal


def invite_coauthor(*, actor: User, proposal: Proposal, invitee: User) -> CoauthorInvitation:
    """Ask `invitee` to co-author; they become a co-author only by accepting (`answer_invitation`)."""
    if not rules.can_edit_proposal(actor, proposal):
        raise Forbidden(_("Only the authors can invite co-authors while the proposal can be edited."))
    if invitee.pk in proposal.author_ids():
        raise DomainError(_("%(name)s is already an author.") % {"name": invitee}, code="duplicate")
    if not rules.is_eligible(invitee, proposal.call):
        raise DomainError(_("%(name)s may not take part in this call.") % {"name": invitee}, code="not_eligible")
    with transaction.atomic():
        if proposal.coauthor_invitations.filter(invitee=invitee, state=InvitationState.PENDING).exists():
            raise DomainError(_("%(name)s has already been invited.") % {"name": invitee}, code="duplicate")
        invitation = CoauthorInvitation.objects.create(proposal=proposal, invitee=invitee, invited_by=actor)
        notify(
            users=[invitee],
            kind=NotificationKind.COAUTHOR,
            proposal=proposal,
            params={"invitation": invitation.pk},
            actor=actor,
        )
    return invitation


def answer_invitation(*, actor: User, invitation: CoauthorInvitation, accept: bool) -> CoauthorInvitation:
    """The invitee accepts (and becomes a co-author) or declines.

    A reviewer of the proposal cannot accept; any other conflict of interest the new co-author
    brings (a reviewer from their department) is caught when a score is written, and the review
    board flags the assignment (madang.review.rules.has_conflict)."""
    with transaction.atomic():
        invitation = (
            CoauthorInvitation.objects.select_for_update().select_related("proposal__call").get(pk=invitation.pk)
        )
        if invitation.invitee_id != actor.pk:
            raise Forbidden(_("Only the person invited can answer this invitation."))
        if invitation.state != InvitationState.PENDING:
            raise DomainError(_("This invitation has already been answered or cancelled."), code="answered")
        proposal = invitation.proposal
        if accept and proposal.status == Status.WITHDRAWN:
            raise DomainError(_("This proposal was withdrawn."), code="withdrawn")
        if accept and rules.is_assigned_reviewer(actor, proposal):
            raise DomainError(_("You review this proposal, so you cannot co-author it."), code="conflict")
        invitation.state = InvitationState.ACCEPTED if accept else InvitationState.DECLINED
        invitation.answered_at = timezone.now()
        invitation.save(update_fields=["state", "answered_at"])
        if accept:
            proposal.coauthors.add(actor)
            proposal.__dict__.pop("known_author_ids", None)
            forget_plain_reader(actor.pk)
    return invitation


def remove_coauthor(*, actor: User, proposal: Proposal, coauthor: User) -> None:
    """Remove a co-author, or cancel a pending invitation; a co-author may also leave."""
    if not (rules.can_edit_proposal(actor, proposal) or (actor.pk == coauthor.pk and actor.pk != proposal.author_id)):
        raise Forbidden(_("Only the authors can change co-authors while the proposal can be edited."))
    with transaction.atomic():
        proposal.coauthors.remove(coauthor)
        proposal.coauthor_invitations.filter(invitee=coauthor, state=InvitationState.PENDING).update(
            state=InvitationState.CANCELLED, answered_at=timezone.now()
        )


def add_attachment(
    *, actor: User, proposal: Proposal, upload: UploadedFile, personal_data_ok: bool = False
) -> Attachment:
    """Attach a file. To a published proposal it is published at once, so it is screened for
    personal data first (a draft's files are screened when it is submitted)."""
    if not rules.can_edit_proposal(actor, proposal):
        raise Forbidden(_("Attachments can only be added by the authors while the proposal can be edited."))
    checked = check_upload(upload)
    if proposal.attachments.count() >= MAX_ATTACHMENTS:
        raise DomainError(_("At most %(n)d attachments per proposal.") % {"n": MAX_ATTACHMENTS}, code="too_many")
    found: list[exposure.Exposure] = []
    if proposal.status == Status.SUBMITTED and not checked.content_type.startswith("image/"):
        found = exposure.in_file(checked.name, checked.data)
        exposure.screen(found, confirmed=personal_data_ok)
    with transaction.atomic():
        attachment = Attachment(
            proposal=proposal,
            token=secrets.token_hex(16),
            extension=checked.extension,
            original_name=checked.name,
            content_type=checked.content_type,
            size=len(checked.data),
            sha256=checked.sha256,
            uploaded_by=actor,
        )
        attachment.file.save("upload", ContentFile(checked.data), save=False)
        attachment.save()
        privacy_services.note_exposure(
            actor=actor,
            place=privacy.ATTACHMENT,
            object_id=attachment.pk,
            found=found,
            organisation=proposal.call.organisation,
        )
    return attachment


def release_held_attachment(*, actor: User, object_id: int) -> None:
    """A moderator releases a held attachment: it is listed and served again once its screening
    record is no longer held (privacy.services.decide_exposure), so nothing changes here."""


def delete_held_attachment(*, actor: User, object_id: int) -> None:
    """A moderator deletes an attachment the filter held (privacy.services.decide_exposure checked the right)."""
    attachment = Attachment.objects.filter(pk=object_id).first()
    if attachment is not None:
        attachment.file.delete(save=False)
        attachment.delete()


def remove_attachment(*, actor: User, attachment: Attachment) -> None:
    """Remove a file. A published proposal the filter held is screened again: when the file was
    what held it, and nothing else is found, it is shown again."""
    if not rules.can_edit_proposal(actor, attachment.proposal):
        raise Forbidden(_("Attachments can only be removed while the proposal can be edited."))
    with transaction.atomic():
        attachment.file.delete(save=False)
        attachment.delete()
        proposal = Proposal.objects.select_for_update().get(pk=attachment.proposal_id)
        if privacy_reads.is_held(privacy.PROPOSAL, proposal.pk) and not privacy.check(proposal):
            privacy_services.forget_exposure(place=privacy.PROPOSAL, object_id=proposal.pk)
            _unhold_proposal(proposal)
            proposal.save(update_fields=["hidden_at", "hidden_reason"])


# ---------------------------------------------------------------- supports


def support_proposal(*, actor: User, proposal: Proposal) -> tuple[bool, int]:
    """Add the actor's support. Returns (added, live count); a second support is a no-op."""
    people_services.check_confirmed_email(actor)
    identity_services.check_verified_person(actor, required=proposal.call.verified_citizens_only)
    if not rules.can_support(actor, proposal):
        if rules.is_author(actor, proposal):
            raise DomainError(_("You cannot support your own proposal."), code="own_proposal")
        raise DomainError(_("Supports are not being taken for this proposal now."), code="closed")
    ratelimit.hit("support", actor.pk)
    item = (proposal.pk, actor.pk, timezone.now())
    if transaction.get_connection().in_atomic_block:
        # Inside the caller's transaction (a test, a larger service): written with it, not
        # acknowledged by a batch commit that would not be the caller's.
        added, count, fold = counters.add_supports([item])[0]
    else:
        # Written together with the supports other threads of this process send meanwhile, in one
        # transaction; answered once it has committed. The unique constraint decides a race between
        # two clicks: the loser inserts nothing.
        added, count, fold = _support_batches.submit(item)
    if fold:
        counters.fold([proposal.pk], wait=False)
    return added, count


_support_batches: GroupCommit[tuple[int, int, datetime], tuple[bool, int, bool]] = GroupCommit(
    counters.add_supports, max_batch=64
)


def withdraw_support(*, actor: User, proposal: Proposal) -> tuple[bool, int]:
    if not proposal.call.allows(Feature.SUPPORT):
        raise DomainError(_("Supports can no longer be changed for this proposal."), code="closed")
    ratelimit.hit("support", actor.pk)
    with transaction.atomic():
        counters.hold(proposal.pk)
        deleted, _rows = Support.objects.filter(proposal=proposal, user=actor).delete()
        if deleted:
            counters.bump(proposal.pk, actor.pk, -1)
    return bool(deleted), _count_after_change(proposal.pk)


def _count_after_change(proposal_id: int) -> int:
    """The live tally; folds the proposal's shards once they hold many changes (never waits)."""
    base, pending = counters.live(proposal_id)
    if abs(pending) >= counters.FOLD_AT:
        counters.fold([proposal_id], wait=False)
    return base + pending


def fold_support_counts() -> int:
    """Fold every pending support change into the proposals' counts (the worker calls this)."""
    return counters.fold()


def snapshot_support_tally(*, actor: User, call: Call) -> int:
    """Log the support tally of every proposal in the call (never individual supports)."""
    submitted = counters.with_live(call.proposals.filter(status=Status.SUBMITTED))
    rows = list(submitted.order_by("number").values_list("number", "live_supports"))
    with transaction.atomic():
        ledger.record(
            kind=CallEntry.SUPPORT_TALLY, subject=f"call:{call.pk}", actor_id=actor.pk, data=entries.tally_body(rows)
        )
    return len(rows)


# ---------------------------------------------------------------- comments and moderation


def add_comment(
    *, actor: User, proposal: Proposal, body: str, parent: Comment | None = None, personal_data_ok: bool = False
) -> Comment:
    """Post a comment. It is screened for personal data (calls/privacy.py): refused with the
    findings masked unless the author confirms it is not personal data; a confirmed resident
    registration number or the like holds it from others until a moderator decides."""
    body = body.strip()
    if not body:
        raise DomainError(_("The comment is empty."), code="required", field="body")
    _check_length(body, MAX_COMMENT, "body")
    people_services.check_confirmed_email(actor)
    if not rules.can_comment(actor, proposal):
        raise DomainError(_("Comments are closed for this proposal."), code="closed")
    if parent is not None and parent.proposal_id != proposal.pk:
        raise DomainError(_("You can only reply to a comment on the same proposal."), code="bad_parent")
    if parent is not None and parent.parent_id is not None:
        parent = parent.parent  # replies stay one level deep
    found = exposure.in_text("body", body)
    exposure.screen(found, confirmed=personal_data_ok, field_labels={"body": _("comment")})
    ratelimit.hit("comment", actor.pk)
    with transaction.atomic():
        comment = Comment.objects.create(
            proposal=proposal, author=actor, body=body, parent=parent, search_terms=korean.index_terms(body)
        )
        Proposal.objects.filter(pk=proposal.pk).update(comment_count=F("comment_count") + 1)
        screening = privacy_services.note_exposure(
            actor=actor,
            place=privacy.COMMENT,
            object_id=comment.pk,
            found=found,
            organisation=proposal.call.organisation,
        )
        if screening is not None and screening.is_held:
            comment.hidden_at = timezone.now()
            comment.hidden_reason = privacy.held_reason()
            comment.save(update_fields=["hidden_at", "hidden_reason"])
        else:
            _tell_followers(comment)
    return comment


def _tell_followers(comment: Comment) -> None:
    notify_followers(
        proposal=comment.proposal, kind=NotificationKind.COMMENT, actor=comment.author, params={"comment": comment.pk}
    )


def _held_comment(object_id: int) -> Comment | None:
    return Comment.objects.select_for_update().select_related("proposal", "author").filter(pk=object_id).first()


def _unhold(comment: Comment) -> None:
    was_held = comment.hidden_at is not None and comment.hidden_by_id is None
    if was_held:
        comment.hidden_at = None
        comment.hidden_reason = ""
    comment.save(update_fields=["hidden_at", "hidden_reason", "body", "search_terms"])
    if was_held:
        _tell_followers(comment)  # its followers hear of it now, not while it was held


def release_held_comment(*, actor: User, object_id: int) -> None:
    """A moderator releases a comment the filter held (privacy.services.decide_exposure checked
    the right): it is shown again, flagged text still masked for other readers, and its proposal's
    followers hear of it now. A comment the moderators hid themselves stays hidden."""
    comment = _held_comment(object_id)
    if comment is not None:
        _unhold(comment)


def mask_comment(*, actor: User, object_id: int) -> None:
    """A moderator edits out what the filter found: the comment's text keeps its mask for good."""
    comment = _held_comment(object_id)
    if comment is not None:
        comment.body = exposure.masked_all(comment.body)
        comment.search_terms = korean.index_terms(comment.body)
        _unhold(comment)


def delete_held_comment(*, actor: User, object_id: int) -> None:
    """A moderator deletes a flagged comment, with its replies."""
    comment = _held_comment(object_id)
    if comment is None:
        return
    gone = 1 + comment.replies.count()
    comment.delete()
    Proposal.objects.filter(pk=comment.proposal_id).update(comment_count=F("comment_count") - gone)


def report_content(
    *, actor: User, reason: str, proposal: Proposal | None = None, comment: Comment | None = None
) -> Report:
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Please say why you are reporting this."), code="required", field="reason")
    _check_length(reason, 300, "reason")
    target = proposal or (comment.proposal if comment else None)
    if target is None or not rules.can_report(actor, target):
        raise DomainError(_("You cannot report this."), code="forbidden")
    return Report.objects.create(
        reporter=actor, reason=reason, proposal=proposal if comment is None else None, comment=comment
    )


def hide_comment(*, actor: User, comment: Comment, reason: str) -> Comment:
    if not rules.can_moderate(actor, comment.proposal.call):
        raise Forbidden(_("Only the innovation team moderates comments."))
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Hiding needs a reason; the author will see it."), code="required", field="reason")
    _check_length(reason, 300, "reason")
    with transaction.atomic():
        comment.hidden_at = timezone.now()
        comment.hidden_reason = reason
        comment.hidden_by = actor
        comment.save(update_fields=["hidden_at", "hidden_reason", "hidden_by"])
        comment.reports.filter(resolved_at__isnull=True).update(resolved_at=timezone.now(), resolved_by=actor)
        notify(
            users=[comment.author],
            kind=NotificationKind.MODERATED,
            proposal=comment.proposal,
            params={"reason": reason, "what": "comment"},
        )
    return comment


def hide_proposal(*, actor: User, proposal: Proposal, reason: str) -> Proposal:
    if not rules.can_moderate(actor, proposal.call):
        raise Forbidden(_("Only the innovation team moderates proposals."))
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Hiding needs a reason; the author will see it."), code="required", field="reason")
    _check_length(reason, 300, "reason")
    with transaction.atomic():
        proposal.hidden_at = timezone.now()
        proposal.hidden_reason = reason
        proposal.hidden_by = actor
        proposal.save(update_fields=["hidden_at", "hidden_reason", "hidden_by"])
        proposal.reports.filter(resolved_at__isnull=True).update(resolved_at=timezone.now(), resolved_by=actor)
        notify(
            users=[proposal.author],
            kind=NotificationKind.MODERATED,
            proposal=proposal,
            params={"reason": reason, "what": "proposal"},
        )
    return proposal


def set_internal(*, actor: User, proposal: Proposal, internal: bool, reason: str) -> Proposal:
    """Mark a proposal internal (only its authors, the team, its reviewers and liaisons see it)
    or public again, with the reason kept beside who did it and when."""
    if not rules.can_mark_internal(actor, proposal):
        raise Forbidden(_("Only the innovation team can mark proposals internal."))
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Please give a reason."), code="required", field="reason")
    _check_length(reason, 300, "reason")
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().select_related("call").get(pk=proposal.pk)
        if proposal.is_internal == internal:
            return proposal
        proposal.is_internal = internal
        proposal.save(update_fields=["is_internal"])
        InternalMark.objects.create(proposal=proposal, internal=internal, reason=reason, marked_by=actor)
    return proposal


# ---------------------------------------------------------------- editing a call

MAX_REASON = 300
PHASE_ORDER = [PhaseKind.SUBMISSION, PhaseKind.REVIEW, PhaseKind.SELECTION, PhaseKind.FOLLOW_THROUGH]


@dataclass(frozen=True)
class CallEdit:
    """What to change; None leaves a part as it is. `phases` name only the phases that move."""

    description: str | None = None
    audience: str | None = None
    categories: Sequence[str] | None = None
    phases: Sequence[PhaseSpec] | None = None


def _check_phase_order(phases: Sequence[PhaseSpec]) -> None:
    """Phases are data: each ends after it starts, they follow the fixed order and never overlap."""
    for p in phases:
        if p.ends_at <= p.starts_at:
            raise DomainError(_("Each phase must end after it starts."), code="bad_phases", field="phases")
    ordered = sorted(phases, key=lambda p: PHASE_ORDER.index(PhaseKind(p.kind)))
    for a, b in pairwise(ordered):
        if b.starts_at < a.ends_at:
            raise DomainError(
                _(
                    "The phases must follow each other: submission, review, selection, follow-through, without "
                    "overlapping."
                ),
                code="bad_phases",
                field="phases",
            )


def _progress(phases: Sequence[PhaseSpec], now: datetime) -> tuple[int, int]:
    """How far the call has come: (phases started, phases ended) at `now`."""
    return sum(p.starts_at <= now for p in phases), sum(p.ends_at <= now for p in phases)


def _iso(value: datetime) -> str:
    return timezone.localtime(value).isoformat(timespec="minutes")


def edit_call(
    *, actor: User, call: Call, reason: str, edit: CallEdit, action: str = CallAction.EDIT, now: datetime | None = None
) -> CallChange | None:
    """Change a call after it was opened, with the reason; None when nothing changed.

    A call only moves forward: an edit may not reopen a phase that has ended or un-start one that
    has begun (closing submission and moving to review are one-way). Phase dates are public
    commitments, so a change to them is also written to the ledger.
    """
    if not rules.can_edit_call(actor, call):
        raise Forbidden(_("Only the innovation team of this call can change it."))
    reason = clean_text(reason, field="reason", limit=MAX_REASON, required=True)
    now = now or timezone.now()
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        changes: dict[str, dict[str, Any]] = {}
        if edit.description is not None:
            _check_length(edit.description, MAX_RICH, "description")
            description = sanitise(edit.description)
            if description != call.description:
                changes["description"] = {"from": call.description, "to": description}
                call.description = description
        if edit.audience is not None and edit.audience != call.audience:
            if edit.audience not in Audience.values:
                raise DomainError(_("Please choose who may propose."), code="invalid", field="audience")
            _check_confidentiality(call.confidentiality, edit.audience)
            changes["audience"] = {"from": call.audience, "to": edit.audience}
            call.audience = edit.audience
        if edit.categories is not None:
            changes.update(_edit_categories(call, edit.categories))
        phase_changes = _edit_phases(call, edit.phases or (), now) if edit.phases else {}
        changes.update(phase_changes)
        if not changes:
            return None
        call.save(update_fields=["description", "audience"])
        change = CallChange.objects.create(call=call, action=action, changes=changes, reason=reason, changed_by=actor)
        if phase_changes:
            ledger.record(
                kind=CallEntry.CALL_EDITED,
                subject=f"call:{call.pk}",
                actor_id=actor.pk,
                data=entries.edited_call_body(change),
                commitments={"reason": reason},
            )
    forget_call_copies()
    return change


def _edit_categories(call: Call, names: Sequence[str]) -> dict[str, dict[str, Any]]:
    wanted = list(dict.fromkeys(n.strip() for n in names if n.strip()))
    for name in wanted:
        _check_length(name, 100, "categories")
    current = list(call.categories.all())
    before = [c.name for c in current]
    if wanted == before:
        return {}
    dropped = [c for c in current if c.name not in wanted]
    in_use = [c.name for c in dropped if c.proposals.exists()]
    if in_use:
        raise DomainError(
            _("A category with proposals cannot be removed: %(names)s") % {"names": ", ".join(in_use)},
            code="category_in_use",
            field="categories",
        )
    Category.objects.filter(pk__in=[c.pk for c in dropped]).delete()
    Category.objects.bulk_create(Category(call=call, name=n) for n in wanted if n not in before)
    return {"categories": {"from": before, "to": wanted}}


def _edit_phases(call: Call, specs: Sequence[PhaseSpec], now: datetime) -> dict[str, dict[str, Any]]:
    phases = {p.kind: p for p in Phase.objects.select_for_update().filter(call=call)}
    if any(s.kind not in phases for s in specs) or len({s.kind for s in specs}) != len(specs):
        raise DomainError(_("This call has no such phase."), code="bad_phases", field="phases")
    before = [PhaseSpec(p.kind, p.starts_at, p.ends_at) for p in phases.values()]
    moved = {s.kind: s for s in specs}
    after = [moved.get(p.kind, p) for p in before]
    _check_phase_order(after)
    started, ended = _progress(before, now)
    started_after, ended_after = _progress(after, now)
    if started_after < started or ended_after < ended:
        raise DomainError(
            _("A call only moves forward: a phase that has begun or ended cannot be moved back into the future."),
            code="backwards",
            field="phases",
        )
    changes: dict[str, dict[str, Any]] = {}
    for spec in specs:
        phase = phases[spec.kind]
        if (phase.starts_at, phase.ends_at) == (spec.starts_at, spec.ends_at):
            continue
        changes[f"phase:{spec.kind}"] = {
            "from": [_iso(phase.starts_at), _iso(phase.ends_at)],
            "to": [_iso(spec.starts_at), _iso(spec.ends_at)],
        }
        phase.starts_at, phase.ends_at = spec.starts_at, spec.ends_at
    Phase.objects.bulk_update([phases[k] for k in moved], ["starts_at", "ends_at"])
    if hasattr(call, "_prefetched_objects_cache"):
        call._prefetched_objects_cache.pop("phases", None)
    return changes


def _phase_specs(call: Call) -> dict[str, PhaseSpec]:
    return {p.kind: PhaseSpec(p.kind, p.starts_at, p.ends_at) for p in Phase.objects.filter(call=call)}


def close_submission(*, actor: User, call: Call, reason: str, now: datetime | None = None) -> CallChange | None:
    """Stop taking proposals now; review starts on its own date."""
    now = now or timezone.now()
    sub = _phase_specs(call).get(PhaseKind.SUBMISSION)
    if sub is None or not sub.starts_at <= now < sub.ends_at:
        raise DomainError(_("Submission is not open, so it cannot be closed."), code="not_open", field="phases")
    return edit_call(
        actor=actor,
        call=call,
        reason=reason,
        action=CallAction.CLOSE_SUBMISSION,
        now=now,
        edit=CallEdit(phases=[PhaseSpec(PhaseKind.SUBMISSION, sub.starts_at, now)]),
    )


def extend_submission(
    *, actor: User, call: Call, until: datetime, reason: str, now: datetime | None = None
) -> CallChange | None:
    """Take proposals until `until`; a review that would start before then starts at `until`."""
    now = now or timezone.now()
    specs = _phase_specs(call)
    sub = specs[PhaseKind.SUBMISSION]
    if until <= sub.ends_at:
        raise DomainError(
            _("The new closing date must be later than the current one."), code="not_later", field="until"
        )
    moved = [PhaseSpec(PhaseKind.SUBMISSION, sub.starts_at, until)]
    review = specs.get(PhaseKind.REVIEW)
    if review is not None and review.starts_at < until:
        moved.append(PhaseSpec(PhaseKind.REVIEW, until, review.ends_at))
    return edit_call(
        actor=actor, call=call, reason=reason, action=CallAction.EXTEND_SUBMISSION, now=now, edit=CallEdit(phases=moved)
    )


def move_to_review(*, actor: User, call: Call, reason: str, now: datetime | None = None) -> CallChange | None:
    """End submission now and start the review now (only forward: from submission or the gap after it)."""
    now = now or timezone.now()
    specs = _phase_specs(call)
    sub, review = specs.get(PhaseKind.SUBMISSION), specs.get(PhaseKind.REVIEW)
    if review is None or sub is None:
        raise DomainError(_("This call has no review phase."), code="bad_phases", field="phases")
    if review.starts_at <= now or sub.starts_at > now:
        raise DomainError(
            _("A call moves to review only from submission, and only once."), code="backwards", field="phases"
        )
    moved = [
        PhaseSpec(PhaseKind.SUBMISSION, sub.starts_at, min(sub.ends_at, now)),
        PhaseSpec(PhaseKind.REVIEW, now, review.ends_at),
    ]
    return edit_call(
        actor=actor, call=call, reason=reason, action=CallAction.MOVE_TO_REVIEW, now=now, edit=CallEdit(phases=moved)
    )
