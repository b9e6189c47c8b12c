"""The decision ledger's entries: one canonical, versioned record per decision.

Entries hold no personal data: people appear as pseudonymous ids (a keyed hash), and
free text as salted commitments. The Merkle log over these entries lives in
madang.solvers.tlog.
"""

from django.db import models
from django.utils import timezone


class Entry(models.Model):
    seq = models.BigAutoField(primary_key=True)
    kind = models.CharField(max_length=40)
    subject = models.CharField(max_length=80, db_index=True, help_text="e.g. proposal:12")
    body = models.BinaryField(help_text="Canonical JSON (UTF-8, sorted keys, no spaces).")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["seq"]
        verbose_name_plural = "entries"
