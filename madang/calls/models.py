"""Open calls (공모) and the proposals, supports and comments they gather.

Phases are rows with dates, and each phase kind declares the features it enables
(`PHASE_FEATURES`): "may this be done now" is always read from the phase, never
from date arithmetic in a view.
"""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madang.people.models import Organisation
from madang.privacy import exposure


class Audience(models.TextChoices):
    OFFICIALS = "officials", _("Officials of the chosen organisations")
    CITIZENS = "citizens", _("Citizens")
    BOTH = "both", _("Officials and citizens")


class Confidentiality(models.TextChoices):
    """Who may read a call and what is in it (proposals, comments, search, exports, dashboards)."""

    PUBLIC = "public", _("Public: anyone may read")
    OFFICIALS = "officials", _("Officials only")
    LISTED = "listed", _("Officials of the listed organisations only")


class CallQuerySet(models.QuerySet["Call"]):
    def public(self) -> "CallQuerySet":
        return self.filter(is_published=True, confidentiality=Confidentiality.PUBLIC)


class PhaseKind(models.TextChoices):
    SUBMISSION = "submission", _("Submission")
    REVIEW = "review", _("Review")
    SELECTION = "selection", _("Selection")
    FOLLOW_THROUGH = "follow_through", _("Follow-through")


class Feature(models.TextChoices):
    SUBMIT = "submit", _("submitting and editing proposals")
    SUPPORT = "support", _("supporting proposals")
    COMMENT = "comment", _("commenting")
    REVIEW = "review", _("reviewing")
    DECIDE = "decide", _("recording decisions")


PHASE_FEATURES: dict[str, frozenset[str]] = {
    PhaseKind.SUBMISSION: frozenset({Feature.SUBMIT, Feature.SUPPORT, Feature.COMMENT}),
    PhaseKind.REVIEW: frozenset({Feature.SUPPORT, Feature.COMMENT, Feature.REVIEW, Feature.DECIDE}),
    PhaseKind.SELECTION: frozenset({Feature.COMMENT, Feature.REVIEW, Feature.DECIDE}),
    PhaseKind.FOLLOW_THROUGH: frozenset({Feature.COMMENT, Feature.DECIDE}),
}

PROPOSAL_FIELDS = ("problem", "solution", "expected_effect", "suggested_department")


class Call(models.Model):
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="calls")
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices, default=Audience.OFFICIALS)
    eligible_organisations = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="eligible_calls",
        help_text=_("Officials of these (and below) may propose."),
    )
    required_fields = models.JSONField(_("required fields"), default=list, blank=True)
    hide_authors = models.BooleanField(
        _("hide authors until selection"),
        default=False,
        help_text=_("Other participants do not see authors' names and grades until the selection phase."),
    )
    # Citizens must be verified people (madang/identity) to propose or support: one person, one support.
    verified_citizens_only = models.BooleanField(
        _("verified citizens only"),
        default=False,
        help_text=_("Citizens propose and support only once an identity broker has verified them."),
    )
    is_published = models.BooleanField(_("published"), default=True)
    confidentiality = models.CharField(
        _("who may read"),
        max_length=10,
        choices=Confidentiality.choices,
        default=Confidentiality.PUBLIC,
        help_text=_("Listed organisations: the eligible organisations, or the organising body when none are listed."),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    next_number = models.PositiveIntegerField(default=1, editable=False)

    objects = CallQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("call")
        verbose_name_plural = _("calls")

    def __str__(self) -> str:
        return self.title

    def phase_at(self, when: datetime | None = None) -> "Phase | None":
        when = when or timezone.now()
        for phase in self.ordered_phases():
            if phase.starts_at <= when < phase.ends_at:
                return phase
        return None

    def ordered_phases(self) -> list["Phase"]:
        cached = getattr(self, "_prefetched_objects_cache", {}).get("phases")
        phases = list(cached) if cached is not None else list(self.phases.all())
        return sorted(phases, key=lambda p: p.starts_at)

    def allows(self, feature: str, when: datetime | None = None) -> bool:
        phase = self.phase_at(when)
        return phase is not None and feature in PHASE_FEATURES[phase.kind]

    def is_taking_submissions(self) -> bool:
        """Still in its submission phase: a submitted proposal is not "under review" yet."""
        return self.allows(Feature.SUBMIT)

    def submission_deadline(self) -> datetime | None:
        ends = [p.ends_at for p in self.ordered_phases() if p.kind == PhaseKind.SUBMISSION]
        return max(ends) if ends else None

    def authors_hidden(self, when: datetime | None = None) -> bool:
        if not self.hide_authors:
            return False
        phase = self.phase_at(when)
        if phase is not None and phase.kind in (PhaseKind.SELECTION, PhaseKind.FOLLOW_THROUGH):
            return False
        deadline = [p.starts_at for p in self.ordered_phases() if p.kind == PhaseKind.SELECTION]
        return not (deadline and (when or timezone.now()) >= min(deadline))

    def is_open_to_citizens(self) -> bool:
        return self.audience in (Audience.CITIZENS, Audience.BOTH)

    def is_open_to_officials(self) -> bool:
        return self.audience in (Audience.OFFICIALS, Audience.BOTH)

    def is_public(self) -> bool:
        return self.is_published and self.confidentiality == Confidentiality.PUBLIC

    def listed_paths(self) -> list[str]:
        """The organisations (with everything under them) a "listed organisations" call is read by."""
        return [o.path for o in self.eligible_organisations.all()] or [self.organisation.path]


class Phase(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(max_length=20, choices=PhaseKind.choices)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="phase_ends_after_start"),
            models.UniqueConstraint(fields=["call", "kind"], name="one_phase_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d}–{self.ends_at:%Y-%m-%d}"


class Category(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["call", "name"], name="unique_category_name")]

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=1)
    max_score = models.PositiveSmallIntegerField(_("highest score"), default=5)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
            models.CheckConstraint(condition=Q(max_score__gte=1), name="criterion_max_score_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Outcome(models.TextChoices):
    PENDING = "pending", _("Under review")
    SELECTED = "selected", _("Selected for a lab")
    ROUTED = "routed", _("Routed to a department")
    MERGED = "merged", _("Merged into another proposal")
    NOT_ADOPTED = "not_adopted", _("Not adopted")


class ProposalQuerySet(models.QuerySet["Proposal"]):
    """The one definition of which proposals are on the record for their call's readers.

    `shared()`: submitted, not internal, not hidden, in a published call: everyone who may read
    the call may read it. `public()`: shared, in a call anyone may read. Drafts, withdrawn,
    hidden and internal proposals are never in either (see `Proposal.is_shared`, the same rule
    for one row, and `calls.selectors.visible_proposals` for what one person may see).
    """

    def shared(self) -> "ProposalQuerySet":
        return self.filter(status=Status.SUBMITTED, is_internal=False, hidden_at__isnull=True, call__is_published=True)

    def public(self) -> "ProposalQuerySet":
        return self.shared().filter(call__confidentiality=Confidentiality.PUBLIC)


class Proposal(models.Model):
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="proposals")
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    problem = models.TextField(_("problem"), blank=True)
    solution = models.TextField(_("proposed solution"), blank=True)
    expected_effect = models.TextField(_("expected effect"), blank=True)
    suggested_department = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="suggested_proposals",
        verbose_name=_("responsible department (if known)"),
    )
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposals")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proposals")
    coauthors = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="coauthored_proposals")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, default=Outcome.PENDING)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from")
    is_internal = models.BooleanField(
        _("internal"), default=False, help_text=_("Internal proposals are not shown to the public.")
    )
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=300, blank=True)
    # Who hid it; none while the exposure filter holds it for a moderator (calls/privacy.py).
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    support_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    # Character bigrams of the text, space separated: the search and similar-idea index.
    search_terms = models.TextField(blank=True, default="", editable=False)
    SEARCH_NEWEST = ("-submitted_at", "-id")
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        constraints = [
            models.UniqueConstraint(fields=["call", "number"], name="unique_proposal_number"),
            models.CheckConstraint(
                condition=Q(outcome="merged", merged_into__isnull=False) | ~Q(outcome="merged"),
                name="merged_has_target",
            ),
        ]
        indexes = [
            models.Index(fields=["call", "status", "outcome"]),
            # The newest-first list of a call, read in index order (a national call has 100,000+).
            models.Index(fields=["call", "-submitted_at", "-id"], name="calls_prop_call_recent"),
        ]

    def __str__(self) -> str:
        return self.shown_title  # a form's choices, the admin: as other readers see it

    @property
    def shown_title(self) -> str:
        """The title as every reader but its authors and its moderators sees it: what the
        exposure filter finds masked (calls/privacy.py). Lists, exports, documents, notifications
        and the API show this; only the proposal's own page and form show its authors and its
        moderators the title as written."""
        return exposure.shown(self.title)

    @property
    def reference(self) -> str:
        return f"{self.call.slug}-{self.number}" if self.number else f"draft-{self.pk}"

    def is_shared(self) -> bool:
        """This row by `ProposalQuerySet.shared()`."""
        return (
            self.status == Status.SUBMITTED
            and not self.is_internal
            and self.hidden_at is None
            and self.call.is_published
        )

    def is_public(self) -> bool:
        """This row by `ProposalQuerySet.public()`."""
        return self.is_shared() and self.call.confidentiality == Confidentiality.PUBLIC

    def author_ids(self) -> set[int]:
        """The author and the co-authors who accepted (pending invitations do not count)."""
        known = self.__dict__.get("known_author_ids")  # (set by a read that fetched them already)
        if known is not None:
            return known
        # Read from the prefetch, when there is one, without making the related manager, which
        # cost about 0.06 ms each of the six times a proposal's page asks (issue 18). Django drops
        # the prefetch when co-authors are added or removed through the manager, so this answers
        # as `self.coauthors.all()` would.
        fetched = self.__dict__.get("_prefetched_objects_cache", {}).get("coauthors")
        coauthors = self.coauthors.all() if fetched is None else fetched
        return {self.author_id, *(u.pk for u in coauthors)}


class InvitationState(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


class CoauthorInvitation(models.Model):
    """An author asks someone to co-author; they become a co-author (and may edit) only by accepting."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="coauthor_invitations")
    invitee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coauthor_invitations")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=10, choices=InvitationState.choices, default=InvitationState.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "invitee"], condition=Q(state="pending"), name="one_pending_invitation"
            ),
        ]


class InternalMark(models.Model):
    """Each time the innovation team marks a proposal internal or public again: who, when and why."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="internal_marks")
    internal = models.BooleanField()
    reason = models.CharField(_("reason"), max_length=300)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-marked_at", "-id"]


class ProposalRevision(models.Model):
    """A snapshot of the proposal's text after each save, kept for the edit history."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    fields = models.JSONField()
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["proposal", "number"], name="unique_revision_number")]


def attachment_path(instance: "Attachment", filename: str) -> str:
    # The stored name never comes from the user: no path tricks, no clashes.
    return f"attachments/{instance.proposal.call_id}/{instance.proposal_id}/{instance.token}{instance.extension}"


class Attachment(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    token = models.CharField(max_length=32, editable=False)
    extension = models.CharField(max_length=10, editable=False)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class Support(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supports")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proposal", "user"], name="one_support_per_person")]


class SupportShard(models.Model):
    """Pending change to a proposal's support tally, spread over a few rows per proposal.

    A support adds +1 (a withdrawal -1) to one of the proposal's shards (by the supporter's id),
    so concurrent supporters of one popular proposal touch different rows and never queue on the
    proposal row. `Proposal.support_count` plus the shards is the exact live tally; folding moves
    the shards into `support_count` (see madang.calls.counters).
    """

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="support_shards")
    shard = models.PositiveSmallIntegerField()
    delta = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proposal", "shard"], name="one_row_per_support_shard")]
        indexes = [models.Index(fields=["delta"], name="calls_shard_pending", condition=~Q(delta=0))]


class Comment(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="comments")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    body = models.TextField(_("comment"))
    # The body's index terms (madang.solvers.korean.index_terms): comments are searched like proposals.
    search_terms = models.TextField(blank=True, default="", editable=False)
    # Newest first by id alone (ids rise with time): the primary key can then be walked from the
    # top until a page of matches is found, where ordering by created_at would sort every match.
    SEARCH_NEWEST = ("-id",)
    created_at = models.DateTimeField(default=timezone.now)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=300, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # A page of a proposal's comments, and of a thread's replies, in order (selectors.comment_window).
            models.Index(
                fields=["proposal", "created_at", "id"], name="calls_comment_top", condition=Q(parent__isnull=True)
            ),
            models.Index(fields=["parent", "created_at", "id"], name="calls_comment_replies"),
        ]

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class Report(models.Model):
    """Someone flagged a comment or proposal for moderation."""

    proposal = models.ForeignKey(Proposal, null=True, blank=True, on_delete=models.CASCADE, related_name="reports")
    comment = models.ForeignKey(Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(proposal__isnull=False, comment__isnull=True)
                | Q(proposal__isnull=True, comment__isnull=False),
                name="report_one_target",
            ),
        ]


class CallAction(models.TextChoices):
    EDIT = "edit", _("Edited")
    CLOSE_SUBMISSION = "close_submission", _("Closed submission early")
    EXTEND_SUBMISSION = "extend_submission", _("Extended submission")
    MOVE_TO_REVIEW = "move_to_review", _("Moved to review")


class CallChange(models.Model):
    """One change to a call after it was opened: what changed (before and after), who and why."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(max_length=20, choices=CallAction.choices, default=CallAction.EDIT)
    # {"field": {"from": ..., "to": ...}}; phases as "phase:<kind>" with ISO start/end pairs.
    changes = models.JSONField(default=dict)
    reason = models.CharField(_("reason"), max_length=300)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-id"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="call_change_has_reason")]


class PersonalDataConfirmation(models.Model):
    """An author's word that what the personal-data filter found in a proposal is not personal
    data (madang/calls/privacy.py). Only the masked findings are kept, never what was found."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="personal_data_confirmations")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    findings = models.JSONField(default=list)  # [{"field", "kind", "masked", "source"}]
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
