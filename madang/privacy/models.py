"""Access records (접속기록) and destruction records (파기 기록): append-only, hash-chained.

An access record says who (the account and its name at the time), when, from where (the
client's address), whose data (one person, or a pool or an event for a bulk view), what was
done and to what kind of data, for how many people, and why (a reason, required for large
downloads). The fields are those the safety-measures standard names for 접속기록 (계정,
접속일시, 접속지 정보, 처리한 정보주체 정보, 수행업무); docs/privacy.md cites it.

Neither kind of record can be changed or deleted through the application: `save()` refuses an
update, `delete()` raises, the manager's `update()` and `delete()` raise, the admin offers no
change or delete, and database triggers refuse UPDATE and DELETE (migration 0002). People are
stored as plain ids, not foreign keys, so that deleting an account never cascades into them.

Each access record also carries the SHA-256 of the previous record's hash and its own content
(with a random salt, so that a published head reveals nothing guessable): an edited, removed
or reordered record breaks the chain, and the head is anchored in the public ledger from time
to time (madang/privacy/ledger_entries.py) without publishing any record.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnly(Exception):
    """An attempt to change or delete a privacy record."""


def _refuse(what: str) -> NoReturn:
    raise AppendOnly(f"privacy records are append-only: {what} is refused")


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> NoReturn:
        _refuse("update")

    def delete(self) -> NoReturn:
        _refuse("delete")

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse("bulk update")

    def update_or_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse("update_or_create")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            _refuse("changing a saved record")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse("delete")


class Action(models.TextChoices):
    VIEW = "view", _("Viewed")
    SEARCH = "search", _("Searched")
    DOWNLOAD = "download", _("Downloaded")
    EXPORT = "export", _("Exported")
    EDIT = "edit", _("Edited")
    DELETE = "delete", _("Deleted")


# Actions that take personal data out of the system: their reason is asked above the threshold.
TAKEOUT = (Action.DOWNLOAD, Action.EXPORT)


class AccessRecord(AppendOnlyModel):
    n = models.PositiveBigIntegerField(_("number"), unique=True, help_text="Position in the chain, from 1.")
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor_id = models.BigIntegerField(_("account"), null=True, blank=True, db_index=True)
    actor_name = models.CharField(_("name"), max_length=160, blank=True)
    address = models.CharField(_("from where"), max_length=64, blank=True)
    action = models.CharField(_("what was done"), max_length=10, choices=Action.choices)
    kind = models.CharField(_("what data"), max_length=60)
    subject_id = models.BigIntegerField(_("whose data"), null=True, blank=True, db_index=True)
    scope = models.CharField(_("which group"), max_length=80, blank=True, help_text="e.g. pool:3, event:4, call:2")
    count = models.PositiveIntegerField(_("people"), default=1)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    path = models.CharField(_("page"), max_length=200, blank=True)
    salt = models.CharField(max_length=32)
    prev = models.CharField(max_length=64)
    digest = models.CharField(max_length=64)

    class Meta:
        ordering = ["n"]
        verbose_name = _("access record")
        verbose_name_plural = _("access records")

    def __str__(self) -> str:
        return f"#{self.n} {self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.kind}"


class ChainHead(models.Model):
    """One row: the newest record's number and hash, how far the chain has been anchored, and
    how far its oldest records have been purged after their retention period (the chain then
    starts after `purged_through`, from `purged_head`, which the ledger anchored first).
    Locked by every writer, so records are numbered and chained one at a time."""

    count = models.PositiveBigIntegerField(default=0)
    head = models.CharField(max_length=64, default="0" * 64)
    anchored = models.PositiveBigIntegerField(default=0)
    purged_through = models.PositiveBigIntegerField(default=0)
    purged_head = models.CharField(max_length=64, default="0" * 64)


class DestructionRecord(AppendOnlyModel):
    """What was destroyed, when, on what basis, how much of it: never the data itself."""

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    kind = models.CharField(_("what data"), max_length=60)
    count = models.PositiveIntegerField(_("people"))
    retention = models.CharField(_("retention period"), max_length=200)
    basis = models.CharField(_("basis"), max_length=300)
    scopes = models.JSONField(_("which groups"), default=list, blank=True)
    actor_id = models.BigIntegerField(null=True, blank=True, help_text="Empty when the scheduled job destroyed it.")

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("destruction record")
        verbose_name_plural = _("destruction records")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.kind} ({self.count})"


class ScreeningState(models.TextChoices):
    CONFIRMED = "confirmed", _("Published with the author's confirmation")
    HELD = "held", _("Held for a moderator")
    RELEASED = "released", _("Released by a moderator")
    MASKED = "masked", _("Masked by a moderator")
    DELETED = "deleted", _("Deleted by a moderator")


# What a moderator may still decide on; the others are decided.
OPEN_STATES = (ScreeningState.HELD, ScreeningState.CONFIRMED)


class Screening(models.Model):
    """What the exposure filter found in one posted item (a comment, a board note, a journal
    entry ...) that its author published anyway, saying it is not personal data: the masked
    findings only, never what was found. Held items wait for a moderator (madang/privacy/exposure.py).

    `place` names the kind of item as its app registered it (madang/privacy/places.py) and
    `object_id` the item; `organisation` is whose moderators decide (the call's, the event's).

    An item has at most one open record (held, or confirmed and not looked at yet). A record a
    moderator decided on stays as it is, since its ledger entry states the decision: an item
    edited afterwards and screened again gets a new record, and the newest one is what its
    readers go by (selectors.screened)."""

    place = models.CharField(_("where"), max_length=40)
    object_id = models.BigIntegerField()
    organisation = models.ForeignKey(
        "people.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    findings = models.JSONField(default=list)  # [{"field", "kind", "masked", "source"}]
    state = models.CharField(max_length=10, choices=ScreeningState.choices, default=ScreeningState.CONFIRMED)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["place", "object_id"],
                condition=models.Q(state__in=["held", "confirmed"]),
                name="one_open_screening_per_item",
            )
        ]
        indexes = [
            models.Index(fields=["place", "state"], name="privacy_screening_state"),
            models.Index(fields=["place", "object_id"], name="privacy_screening_item"),
        ]

    def __str__(self) -> str:
        return f"{self.place}:{self.object_id} ({self.state})"

    @property
    def is_held(self) -> bool:
        return self.state == ScreeningState.HELD

    @property
    def kinds(self) -> list[str]:
        return sorted({str(f.get("kind", "")) for f in self.findings})
