"""Follow-through: a routed proposal, the department's answer and its execution reports."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madang.calls.models import Proposal
from madang.people.models import Organisation


class RoutingState(models.TextChoices):
    AWAITING = "awaiting", _("Awaiting answer")
    ANSWERED = "answered", _("Answered")
    TRANSFERRED = "transferred", _("Transferred")


class Routing(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="routings")
    department = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="routings")
    answer_due = models.DateField(_("answer due"))
    state = models.CharField(max_length=12, choices=RoutingState.choices, default=RoutingState.AWAITING)
    note = models.TextField(_("note to the department"), blank=True)
    routed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    routed_at = models.DateTimeField(default=timezone.now)
    transferred_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="transfers"
    )
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["routed_at", "id"]
        indexes = [models.Index(fields=["department", "state"]), models.Index(fields=["state", "answer_due"])]

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.state == RoutingState.AWAITING and self.answer_due < today


class AnswerKind(models.TextChoices):
    ACCEPT = "accept", _("Accepted")
    PARTIAL = "partial", _("Partially accepted")
    DECLINE = "decline", _("Declined")
    TRANSFER = "transfer", _("Transferred to another department")


class Answer(models.Model):
    routing = models.OneToOneField(Routing, on_delete=models.PROTECT, related_name="answer")
    kind = models.CharField(_("answer"), max_length=10, choices=AnswerKind.choices)
    reason = models.TextField(_("reason"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(default=timezone.now)
    on_time = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["accept"]) | ~Q(reason=""), name="answer_reason_unless_accept"
            ),
        ]


class ExecutionState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    STOPPED = "stopped", _("Stopped")


class ExecutionUpdate(models.Model):
    routing = models.ForeignKey(Routing, on_delete=models.PROTECT, related_name="updates")
    state = models.CharField(_("state"), max_length=12, choices=ExecutionState.choices)
    percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    note = models.TextField(_("note"), blank=True)
    happened_on = models.DateField(_("date"))
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    posted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["posted_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(percent__lte=100), name="percent_at_most_100"),
            models.CheckConstraint(condition=~Q(state="stopped") | ~Q(note=""), name="stopped_needs_reason"),
        ]
