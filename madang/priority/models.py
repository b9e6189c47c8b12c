"""First to file, across agencies (국민 제안 규정 제6조제3항: of two proposals with the same content,
the one received first has priority).

Agencies that agree on an exchange key export the fingerprints of their suggestions with the
ledger receipts that fix each one's day of receipt (`exchange.py`). Here are the other agencies
we check against (`Peer`), the checkpoints of their logs we verified (`PeerCheckpoint`: their log
may only grow from these), their filings as their exports proved them (`Filing`: no text, no
names), our suggestions that look like one of them (`Match`), and the office's ruling on each
(`Ruling`), which is written to our own ledger.
"""

from datetime import date, datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madang.suggestions.models import Suggestion


class Peer(models.Model):
    """Another agency's installation whose filings our suggestions are checked against: the name and
    public key of its ledger, as it gave them to us (not as an export claims them)."""

    name = models.CharField(_("agency"), max_length=120, unique=True)
    origin = models.CharField(_("its ledger's name"), max_length=200, unique=True)
    vkey = models.CharField(_("its ledger's public key"), max_length=300)
    url = models.URLField(_("its export address"), blank=True)
    active = models.BooleanField(default=True)
    added_at = models.DateTimeField(default=timezone.now)
    last_import_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("peer agency")

    def __str__(self) -> str:
        return self.name

    @property
    def current_key(self) -> "PeerKey | None":
        """The key record of `vkey`, the key its exports are checked with now."""
        return self.keys.filter(vkey=self.vkey).first()


class KeyChange(models.TextChoices):
    INITIAL = "initial", _("Given when the agency was added")
    SIGNED = "signed", _("Announced in its export, signed with its previous key")
    RECORDED = "recorded", _("Recorded by a site administrator, with the reason")


class PeerKey(models.Model):
    """Every ledger key we have trusted for a peer, oldest first. The newest is `Peer.vkey`, the key its
    exports must be signed with (or vouched for by, during a change); an older one still verifies the
    receipts of the checkpoints it signed (`PeerCheckpoint.key`). A change is written to our ledger
    (`priority.peer_key`)."""

    peer = models.ForeignKey(Peer, on_delete=models.CASCADE, related_name="keys")
    vkey = models.CharField(_("public key"), max_length=300)
    how = models.CharField(max_length=10, choices=KeyChange.choices)
    # SIGNED: the peer's statement listing its keys, signed by the previous key and by this one.
    statement = models.TextField(blank=True)
    reason = models.TextField(_("reason"), blank=True)  # RECORDED: why the administrator trusts it
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["peer", "vkey"], name="one_peer_key_row"),
            models.CheckConstraint(
                condition=~models.Q(how="recorded") | ~models.Q(reason=""), name="recorded_key_has_reason"
            ),
            models.CheckConstraint(
                condition=~models.Q(how="signed") | ~models.Q(statement=""), name="signed_key_has_statement"
            ),
        ]

    @property
    def key_id(self) -> str:
        """The key's id as its signature lines show it (8 hex digits)."""
        return self.vkey.split("+")[1] if self.vkey.count("+") >= 2 else ""


class PeerCheckpoint(models.Model):
    """A signed checkpoint of a peer's log that an import verified. The newest is the size its log
    must grow from at the next import (a consistency proof); filings keep the one they were proven
    against, so that their receipts can be shown again."""

    peer = models.ForeignKey(Peer, on_delete=models.CASCADE, related_name="checkpoints")
    size = models.BigIntegerField()
    root_hash = models.CharField(max_length=64)
    note = models.TextField()
    # The key of the peer's that verified it: its receipts are checked again with that key, whatever
    # key the peer signs with today.
    key = models.ForeignKey(PeerKey, null=True, blank=True, on_delete=models.PROTECT, related_name="checkpoints")
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-size"]
        constraints = [models.UniqueConstraint(fields=["peer", "size"], name="one_peer_checkpoint_per_size")]


class Filing(models.Model):
    """A suggestion a peer received, as its export proved it: the ledger entry of the receipt, that
    entry's inclusion proof to one of the peer's signed checkpoints, and the fingerprint with the
    salt that opens the entry's commitment to it."""

    peer = models.ForeignKey(Peer, on_delete=models.PROTECT, related_name="filings")
    log_index = models.BigIntegerField()
    entry = models.BinaryField()  # as logged: canonical JSON
    proof = models.TextField()  # the inclusion proof, base64 hashes one per line
    checkpoint = models.ForeignKey(PeerCheckpoint, on_delete=models.PROTECT, related_name="filings")
    fingerprint = models.CharField(max_length=400)
    salt = models.CharField(max_length=64)
    number = models.CharField(max_length=20)  # its receipt number there
    received_on = models.DateField()
    recorded_at = models.DateTimeField()  # the entry's time
    # A refined idea (its receipt names the proposal it refines): the first filing, as its own receipt
    # proves it (`exchange.First`); null when the filing refines nothing or its lineage was not proven.
    first_filed_on = models.DateField(null=True, blank=True)
    first_recorded_at = models.DateTimeField(null=True, blank=True)
    first_index = models.BigIntegerField(null=True, blank=True)
    # The lineage's entries and proofs to `checkpoint`, as JSON: [{"index", "entry", "proof"}, …].
    lineage = models.TextField(blank=True)
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["peer", "log_index"]
        constraints = [
            models.UniqueConstraint(fields=["peer", "log_index"], name="one_filing_per_peer_entry"),
            models.CheckConstraint(
                condition=models.Q(first_filed_on__isnull=True) | models.Q(first_filed_on__lte=models.F("received_on")),
                name="filing_first_filed_before_receipt",
            ),
        ]

    @property
    def priority_date(self) -> date:
        """The day that counts for 제6조제3항: the first filing of a refined idea, else the day of receipt."""
        return self.first_filed_on or self.received_on

    @property
    def priority_at(self) -> datetime:
        return self.first_recorded_at or self.recorded_at


class Match(models.Model):
    """One of our suggestions and a peer's filing whose fingerprints say they are alike."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="priority_matches")
    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, related_name="matches")
    similarity = models.FloatField()  # the estimated Jaccard similarity of the two texts' terms
    found_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-similarity", "id"]
        constraints = [models.UniqueConstraint(fields=["suggestion", "filing"], name="one_match_per_pair")]

    @property
    def order(self) -> str:
        """Which was filed first: "theirs", "ours", or "tie" (the same day and second). A refined idea, on
        either side, counts from its first filing (`priority_date`), as 제6조제3항 is read here."""
        s, f = self.suggestion, self.filing
        theirs = (f.priority_date, f.priority_at)
        ours = (s.priority_date, s.first_filed_at().replace(microsecond=0))
        return "theirs" if theirs < ours else "ours" if ours < theirs else "tie"


class Verdict(models.TextChoices):
    THEIRS_FIRST = "theirs_first", _("The same idea, filed there first: ours is the later filing")
    OURS_FIRST = "ours_first", _("The same idea, filed here first")
    DIFFERENT = "different", _("Not the same idea")


class Ruling(models.Model):
    """The office's ruling on a match, written to the ledger (`priority.ruled`)."""

    match = models.OneToOneField(Match, on_delete=models.PROTECT, related_name="ruling")
    verdict = models.CharField(_("ruling"), max_length=16, choices=Verdict.choices)
    note = models.TextField(_("reasons"))
    ruled_on = models.DateField()
    ruled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.CheckConstraint(condition=~models.Q(note=""), name="priority_ruling_has_reasons")]


class KeyStatement(models.Model):
    """A statement of our own ledger keys, signed by each of them (`exchange.key_statement`), made while
    the key file holds the old key and the new one (a rotation, docs/ledger.md): every export carries
    it, so a peer that trusts the old key follows to the new one, even after the old key is gone."""

    text = models.TextField(unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
