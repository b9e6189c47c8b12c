"""The in-app inbox. A notification stores its kind and parameters, not rendered text,
so that each reader sees it in their own language."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    SUBMITTED = "submitted", _("A proposal was submitted")
    COMMENT = "comment", _("New comment")
    DECISION = "decision", _("Review decision")
    ROUTED = "routed", _("Routed to a department")
    ANSWERED = "answered", _("Department answered")
    EXECUTION = "execution", _("Execution update")
    OVERDUE = "overdue", _("Answer overdue")
    ASSIGNED = "assigned", _("Review assigned")
    MODERATED = "moderated", _("Moderation")
    COAUTHOR = "coauthor", _("Co-author invitation")
    SUGGESTION = "suggestion", _("Progress of a suggestion")
    SUGGESTION_DUE = "sugg_due", _("Suggestion deadlines")
    LAB = "lab", _("News from a G-Lab")
    PRIORITY = "priority", _("Similar filings at other agencies")


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=12, choices=NotificationKind.choices)
    proposal = models.ForeignKey("calls.Proposal", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    params = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"]), models.Index(fields=["emailed_at", "created_at"])]
