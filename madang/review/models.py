"""Review of proposals: reviewer assignments, scorecards and the recorded decisions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madang.calls.models import Criterion, Proposal
from madang.people.models import Organisation


class Assignment(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="review_assignments")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_assignments")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proposal", "reviewer"], name="one_assignment_per_reviewer")]


class Verdict(models.TextChoices):
    FEASIBLE = "feasible", _("Feasible")
    CONDITIONAL = "conditional", _("Feasible with conditions")
    INFEASIBLE = "infeasible", _("Not feasible")


class Scorecard(models.Model):
    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="scorecard")
    verdict = models.CharField(_("feasibility"), max_length=12, choices=Verdict.choices)
    comment = models.TextField(_("comment"), blank=True)
    total = models.FloatField(help_text="Weighted score on a 0–100 scale, computed when submitted.")
    submitted_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)


class Score(models.Model):
    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    value = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scorecard", "criterion"], name="one_score_per_criterion")]


class DecisionKind(models.TextChoices):
    SELECT = "select", _("Selected for a lab")
    ROUTE = "route", _("Routed to a department")
    MERGE = "merge", _("Merged into another proposal")
    REJECT = "reject", _("Not adopted")


class Decision(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(max_length=10, choices=DecisionKind.choices)
    reason = models.TextField(_("reason"), blank=True)
    department = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    merged_into = models.ForeignKey(Proposal, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["decided_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="route") | Q(department__isnull=False), name="route_has_department"
            ),
            models.CheckConstraint(condition=~Q(kind="merge") | Q(merged_into__isnull=False), name="merge_has_target"),
        ]
