"""The decision ledger's entries and the signed checkpoints of the Merkle log over them.

Entries hold no personal data: people appear as pseudonymous ids (a keyed hash), and free
text as salted commitments whose salts stay here, in `salts`, never in the log. The log
itself (tiles, entry bundles, the signed checkpoint) lives on disk in MADANG_LEDGER_DIR, in
the C2SP tlog-tiles layout, written by madang.solvers.tlog.DurableLog.
"""

from django.db import models
from django.utils import timezone


class Entry(models.Model):
    seq = models.BigAutoField(primary_key=True)
    kind = models.CharField(max_length=40)
    subject = models.CharField(max_length=80, db_index=True, help_text="e.g. proposal:12")
    body = models.BinaryField(help_text="Canonical JSON (UTF-8, sorted keys, no spaces).")
    created_at = models.DateTimeField(default=timezone.now)
    # Set once, when the sequencer puts the entry in the log; never changed afterwards.
    log_index = models.BigIntegerField(null=True, blank=True, unique=True)
    # Salt of each committed text field, by field name; deleting one makes that commitment
    # unlinkable to the text (a deletion request) without touching the log.
    salts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["seq"]
        verbose_name_plural = "entries"
        indexes = [
            models.Index(fields=["log_index"], name="ledger_pending", condition=models.Q(log_index__isnull=True))
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject} (#{self.log_index if self.log_index is not None else '-'})"


class LogHead(models.Model):
    """One row: how many entries have been given a log index. Locked by the sequencer."""

    size = models.BigIntegerField(default=0)
    # Set by `madang ledger reissue`: the new log's name ("<origin>/v2"); empty means
    # MADANG_LEDGER_ORIGIN. The archived log keeps its own name (see docs/ledger.md).
    origin = models.CharField(max_length=200, blank=True, default="")

    def __str__(self) -> str:
        return f"log head at {self.size}"


class Checkpoint(models.Model):
    size = models.BigIntegerField(unique=True)
    root_hash = models.CharField(max_length=64)
    note = models.TextField(help_text="The signed checkpoint as published, with any witness cosignatures.")
    created_at = models.DateTimeField(default=timezone.now)
    cosigned_by = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-size"]

    def __str__(self) -> str:
        return f"checkpoint {self.size}"


class Witness(models.Model):
    """An independent witness (an audit office, a university) that cosigns our checkpoints."""

    name = models.CharField(max_length=120, unique=True)
    vkey = models.CharField(max_length=300, help_text="The witness's cosignature verifier key.")
    url = models.URLField(help_text="Its add-checkpoint endpoint.")
    active = models.BooleanField(default=True)
    last_size = models.BigIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    last_contact_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name
