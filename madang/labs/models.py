"""G-Lab: voluntary, manager-less teams that work one selected task for 3–6 months.

Flat by design: a membership has no role field, and every right is a member's right.
Decisions pass by consent: a proposal passes when its consent window closes with no open
objection. History is kept: memberships end (left_on) rather than being deleted.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madang.calls.models import Proposal
from madang.people.models import Organisation


class LabState(models.TextChoices):
    FORMING = "forming", _("Forming")
    RUNNING = "running", _("Running")
    CLOSED = "closed", _("Closed")


class LabOutcome(models.TextChoices):
    ADOPTED = "adopted", _("Adopted into service")
    HANDED_OVER = "handed_over", _("Handed to a department")
    ENDED = "ended", _("Ended with lessons")


class Lab(models.Model):
    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="lab")
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    mission = models.TextField(_("mission"), blank=True)
    home = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="labs", verbose_name=_("home organisation")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    extended_at = models.DateTimeField(null=True, blank=True)
    extension_reason = models.TextField(blank=True)
    state = models.CharField(max_length=10, choices=LabState.choices, default=LabState.FORMING)
    started_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=12, choices=LabOutcome.choices, blank=True)
    outcome_note = models.TextField(_("outcome"), blank=True)
    handed_to = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    followers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="followed_labs")

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gt=models.F("starts_on")), name="lab_ends_after_start"),
            models.CheckConstraint(condition=~Q(state="closed") | ~Q(outcome=""), name="closed_lab_has_outcome"),
        ]

    def __str__(self) -> str:
        return self.title


class MemberState(models.TextChoices):
    APPLIED = "applied", _("Applied")
    MEMBER = "member", _("Member")
    DECLINED = "declined", _("Not confirmed")
    LEFT = "left", _("Left")


DUTIES = [
    ("weekly_reports", _("Weekly reports")),
    ("meeting_papers", _("Meeting papers")),
    ("budget", _("Budget and spending work")),
    ("civil_petitions", _("Routine civil petitions")),
    ("events", _("Events and ceremonies")),
]


def duty_labels(codes: list[str]) -> list[str]:
    """The duties' names in the active language, in the order of DUTIES (unknown codes are dropped)."""
    chosen = set(codes)
    return [str(label) for code, label in DUTIES if code in chosen]


class Membership(models.Model):
    lab = models.ForeignKey(Lab, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="lab_memberships")
    state = models.CharField(max_length=10, choices=MemberState.choices, default=MemberState.APPLIED)
    motivation = models.TextField(_("motivation"))
    applied_at = models.DateTimeField(default=timezone.now)
    joined_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)
    left_reason = models.CharField(max_length=300, blank=True)
    released_duties = models.JSONField(default=list, blank=True)
    # The department the member came from, kept even if they move later.
    home_department = models.ForeignKey(Organisation, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["applied_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["lab", "user"], condition=Q(state__in=["applied", "member"]), name="one_live_membership"
            ),
        ]

    @property
    def released_duty_labels(self) -> list[str]:
        return duty_labels(self.released_duties or [])


class DecisionState(models.TextChoices):
    OPEN = "open", _("Open for objections")
    PASSED = "passed", _("Passed by consent")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class LabDecision(models.Model):
    lab = models.ForeignKey(Lab, on_delete=models.CASCADE, related_name="decisions")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("proposal"))
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    consent_until = models.DateTimeField(_("objections until"))
    state = models.CharField(max_length=10, choices=DecisionState.choices, default=DecisionState.OPEN)
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at"]


class Objection(models.Model):
    decision = models.ForeignKey(LabDecision, on_delete=models.CASCADE, related_name="objections")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    raised_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.TextField(_("how it was resolved"), blank=True)
    # Not a column: set by selectors.shown_decisions when its text waits for a moderator (labs/screening.py).
    withheld = False

    class Meta:
        ordering = ["raised_at"]


class JournalEntry(models.Model):
    lab = models.ForeignKey(Lab, on_delete=models.CASCADE, related_name="journal")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    happened_on = models.DateField(_("date"))
    body = models.TextField(_("entry"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-happened_on", "-id"]


def journal_file_path(instance: "JournalAttachment", filename: str) -> str:
    return f"labs/{instance.entry.lab_id}/{instance.token}{instance.extension}"


class JournalAttachment(models.Model):
    entry = models.ForeignKey(JournalEntry, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=journal_file_path, max_length=300)
    token = models.CharField(max_length=32)
    extension = models.CharField(max_length=10)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()


class Milestone(models.Model):
    lab = models.ForeignKey(Lab, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=200)
    due_on = models.DateField(_("due"))
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]


class ExperimentState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Worked")
    FAILED = "failed", _("Did not work")


class Experiment(models.Model):
    lab = models.ForeignKey(Lab, on_delete=models.CASCADE, related_name="experiments")
    hypothesis = models.CharField(_("hypothesis"), max_length=300)
    method = models.TextField(_("method"), blank=True)
    state = models.CharField(max_length=10, choices=ExperimentState.choices, default=ExperimentState.PLANNED)
    result = models.TextField(_("result"), blank=True)
    lesson = models.TextField(_("lesson"), blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(state="failed") | ~Q(lesson=""), name="failure_states_a_lesson"),
        ]


class ReportKind(models.TextChoices):
    MIDTERM = "midterm", _("Mid-term report")
    FINAL = "final", _("Final outcome report")
    RETROSPECTIVE = "retrospective", _("Retrospective")


class LabReport(models.Model):
    lab = models.ForeignKey(Lab, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(max_length=14, choices=ReportKind.choices)
    body = models.TextField(_("report"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["submitted_at"]
        constraints = [models.UniqueConstraint(fields=["lab", "kind"], name="one_report_per_kind")]
