"""Writes of the privacy app: recording an access, anchoring the chain, destroying due data
(the access records' own oldest prefix among it), and the exposure filter's records: an item
published with its author's confirmation or held, and a moderator's decision on it.

`record(request_or_user, action=..., kind=..., subject=..., scope=..., count=..., reason=...)`
is the one call every staff page makes when it shows, searches, downloads, exports, changes or
deletes personal data of others. It writes nothing for an anonymous visitor. It runs in its
own (nested) transaction and locks the chain's head row, so records are numbered and chained
one at a time; a view that fails after recording rolls the record back with its own work only
when it runs inside a transaction itself.
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from madang.core.addresses import client_address
from madang.core.errors import DomainError, Forbidden
from madang.ledger import services as ledger
from madang.ledger.models import Entry
from madang.people.models import Organisation, User
from madang.privacy import chain, exposure, places, registry, rules
from madang.privacy.ledger_entries import PrivacyEntry
from madang.privacy.models import (
    OPEN_STATES,
    AccessRecord,
    Action,
    ChainHead,
    DestructionRecord,
    Screening,
    ScreeningState,
)
from madang.privacy.registry import Destroyed

log = logging.getLogger(__name__)

ANCHOR_SUBJECT = "privacy:access"
# The kind of personal data a moderator's mask or deletion changes (declared in kinds.py, which imports this module).
EXPOSURES = "privacy.exposures"


def clock() -> datetime:
    """The time written in a record (one place, so tests can set the clock)."""
    return timezone.now()


def _head() -> ChainHead:
    head, _created = ChainHead.objects.select_for_update().get_or_create(pk=1)
    return head


def _who(who: Any, user: Any) -> tuple[Any, HttpRequest | None]:
    if isinstance(who, HttpRequest):
        return user if user is not None else getattr(who, "user", None), who
    return who, None


def _subject_id(subject: Any) -> int | None:
    if subject is None:
        return None
    return int(getattr(subject, "pk", subject))


def _name(user: Any) -> str:
    shown = getattr(user, "display_name", "") or ""
    return f"{shown} ({user.get_username()})"[:160] if shown else str(user.get_username())[:160]


def record(
    who: Any,
    *,
    action: Action | str,
    kind: str,
    subject: Any = None,
    scope: str = "",
    count: int = 1,
    reason: str = "",
    path: str | None = None,
    user: Any = None,
) -> AccessRecord | None:
    """Record that the signed-in person behind `who` (a request, or a user for work done outside
    a request) did `action` to personal data of `kind`: one person's (`subject`, a user or a
    user id) or a group's (`scope`, e.g. "pool:3", with `count` people). Nothing for anonymous visitors.
    `user`: who is signed in when the request does not say (the API's token holder)."""
    user, request = _who(who, user)
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    action = Action(action)
    with transaction.atomic():
        head = _head()
        made = AccessRecord(
            n=head.count + 1,
            at=clock(),
            actor_id=user.pk,
            actor_name=_name(user),
            address=client_address(request) if request is not None else "",
            action=action.value,
            kind=kind[:60],
            subject_id=_subject_id(subject),
            scope=scope[:80],
            count=max(0, int(count)),
            reason=reason.strip()[:300],
            path=(path if path is not None else (request.path if request is not None else ""))[:200],
            salt=secrets.token_hex(16),
            prev=head.head,
        )
        made.digest = chain.digest(made.prev, chain.content(made))
        made.save()
        ChainHead.objects.filter(pk=head.pk).update(count=made.n, head=made.digest)
    return made


def anchor_chain(*, force: bool = False) -> int | None:
    """Write the chain's head and length to the public ledger when records were added since the
    last anchor (periodic upkeep, jobs/registry.py; `force` anchors even when nothing is new).
    Returns the anchored length, or None when there was nothing to anchor."""
    with transaction.atomic():
        head = _head()
        if head.count == 0 or (head.count <= head.anchored and not force):
            return None
        ledger.record(
            kind=PrivacyEntry.ACCESS_CHAIN,
            subject=ANCHOR_SUBJECT,
            actor_id=None,
            data={"head": head.head, "count": head.count},
        )
        ChainHead.objects.filter(pk=head.pk).update(anchored=head.count)
    return head.count


# The standard's minimum (제8조①); the database's triggers refuse to delete a younger record whatever the setting.
MIN_ACCESS_RECORD_DAYS = 365


def retention_days() -> int:
    return max(int(getattr(settings, "MADANG_PRIVACY_ACCESS_RECORD_DAYS", 730)), MIN_ACCESS_RECORD_DAYS)


def _anchored_heads() -> dict[int, str]:
    heads: dict[int, str] = {}
    for entry in Entry.objects.filter(kind=PrivacyEntry.ACCESS_CHAIN).order_by("seq"):
        body = ledger.body_of(entry)
        heads[int(body.get("count") or 0)] = str(body.get("head"))
    return heads


def purge_access_records(now: datetime) -> Destroyed:
    """Delete the oldest access records once their retention period is over, keeping the chain
    verifiable: the records to go are first walked and compared with every anchor they cover
    (a broken chain is never purged: it is evidence), then the head they hash to is anchored in
    the public ledger (`privacy.access_purged`), then they are deleted. The chain goes on from
    that head: the first record kept names it as its `prev`, and `madang ledger verify` starts
    there (docs/privacy.md, "Purging access records"). Only a prefix goes, never a record in
    the middle; the database refuses any record younger than a year whatever this computes.

    The access records' `destroy` in the registry (kinds.py); the hourly destruction runs it
    under the chain head's lock, and writes the DestructionRecord (its count: records, not people)."""
    # The database judges age by its own clock: a `now` in the future (a test's) purges nothing more.
    cutoff = min(now, timezone.now()) - timedelta(days=retention_days())
    head = _head()
    start = head.purged_through
    first_kept = (
        AccessRecord.objects.filter(n__gt=start, at__gte=cutoff).order_by("n").values_list("n", flat=True).first()
    )
    through = first_kept - 1 if first_kept is not None else head.count
    if through <= start:
        return Destroyed(0)
    anchors = {n: h for n, h in _anchored_heads().items() if start < n <= through}
    walked = chain.walk(
        chain.records_in_order(after=start, through=through), keep=set(anchors), start=(start, head.purged_head)
    )
    wrong = [n for n, h in anchors.items() if walked.heads.get(n) != h]
    if walked.breaks or wrong or walked.count != through:
        log.error(
            "privacy: access records %s to %s not purged: the chain is broken (%s) or differs from anchors %s",
            start + 1,
            through,
            "; ".join(f"{b.n}: {b.what}" for b in walked.breaks[:5]),
            wrong[:5],
        )
        return Destroyed(0)
    prefix_head = walked.heads[through]
    ledger.record(
        kind=PrivacyEntry.ACCESS_PURGED,
        subject=ANCHOR_SUBJECT,
        actor_id=None,
        data={"head": prefix_head, "count": through, "from": start},
    )
    ChainHead.objects.filter(pk=head.pk).update(
        purged_through=through, purged_head=prefix_head, anchored=max(head.anchored, through)
    )
    with connection.cursor() as cursor:
        # The manager refuses deletes; the triggers let this prefix go (migration 0004).
        cursor.execute("DELETE FROM privacy_accessrecord WHERE n > %s AND n <= %s", [start, through])
    return Destroyed(through - start, (f"access:{start + 1}-{through}",))


def destroy_due_data(*, now: datetime | None = None, actor: Any = None) -> list[DestructionRecord]:
    """Destroy, kind by kind, the personal data whose retention period has passed; one
    DestructionRecord and one public ledger entry (kind and count, no data) per kind that had
    any. Periodic upkeep (jobs/registry.py), safe on several workers at once: each kind runs
    under the chain head's lock, and what is already destroyed is not counted again."""
    now = now or timezone.now()
    made = []
    for kind in registry.destroyable():
        assert kind.destroy is not None  # (destroyable() keeps only these)
        with transaction.atomic():
            _head()  # one destruction at a time
            done = kind.destroy(now)
            if done.count <= 0:
                continue
            with translation.override(settings.LANGUAGE_CODE):
                retention, basis = kind.retention_text(), str(kind.basis)
            row = DestructionRecord(
                at=now,
                kind=kind.name,
                count=done.count,
                retention=retention[:200],
                basis=basis[:300],
                scopes=list(done.scopes)[:1000],
                actor_id=getattr(actor, "pk", None),
            )
            row.save()
            ledger.record(
                kind=PrivacyEntry.DATA_DESTROYED,
                subject=f"destruction:{row.pk}",
                actor_id=None,
                data={"data_kind": kind.name, "count": done.count},
            )
        log.info("privacy: destroyed %s of %s (%s)", done.count, kind.name, retention)
        made.append(row)
    return made


# ---------------------------------------------------------------- the exposure filter's records


def note_exposure(
    *,
    actor: User,
    place: str,
    object_id: int,
    found: list[exposure.Exposure],
    organisation: Organisation | None,
    hold: bool = True,
    add: bool = False,
) -> Screening | None:
    """Keep what the filter found in an item its author published anyway (masked, never as found),
    in the caller's transaction, once the item is saved. Returns the record, held when a finding
    must wait for a moderator (`exposure.must_hold`, unless `hold` is off for a kind of item that
    is never held); None when nothing was found. The item's app keeps a held item from others.

    Screening an item again (an edit: `found` covers all of its text) starts afresh: its open
    record is replaced, and a record a moderator decided on is kept as it was, a new one taking
    its place (its ledger entry states the decision). `add`: `found` is only what a new part of
    the item shows (an objection's resolution), added to its open record, which stays held if it was."""
    if not found:
        return None
    row = Screening.objects.select_for_update().filter(place=place, object_id=object_id, state__in=OPEN_STATES).first()
    held = hold and exposure.must_hold(found)
    findings = [e.as_dict() for e in found]
    if add and row is not None:
        held = held or row.is_held
        findings = [*row.findings, *(f for f in findings if f not in row.findings)]
    if row is None:
        row = Screening(place=place, object_id=object_id)
    row.organisation = organisation
    row.author = actor
    row.findings = findings
    row.state = ScreeningState.HELD if held else ScreeningState.CONFIRMED
    row.created_at = timezone.now()
    row.decided_at = None
    row.decided_by = None
    row.save()
    return row


def forget_exposure(*, place: str, object_id: int) -> bool:
    """The author removed what the filter had found (an edit screened again found nothing): the
    item's open record goes, a held item with it. Records a moderator decided on stay. Returns
    whether the item was held."""
    rows = Screening.objects.filter(place=place, object_id=object_id, state__in=OPEN_STATES)
    held = rows.filter(state=ScreeningState.HELD).exists()
    rows.delete()
    return held


DECISIONS = {
    "release": ScreeningState.RELEASED,
    "mask": ScreeningState.MASKED,
    "delete": ScreeningState.DELETED,
}


def decide_exposure(
    *, actor: User, screening: Screening, decision: str, request: HttpRequest | None = None
) -> Screening:
    """A moderator releases the item (it is published, flagged text still masked for other
    readers), masks it (what was found is replaced by its mask in the item itself, for good) or
    deletes it. The item's app does the work (places.py); the decision goes to the public ledger
    without the item, and a mask or a deletion, which changes personal data of the author, to the
    access records. `request`: the moderator's, for the record's address."""
    if decision not in DECISIONS:
        raise DomainError(_("Choose release, mask or delete."), code="invalid", field="decision")
    if not rules.can_moderate_exposures(actor, screening.organisation):
        raise Forbidden(_("Only the moderators of this item decide on it."))
    place = places.get(screening.place)
    if place is None or not place.can(decision):
        raise DomainError(_("This cannot be done to this kind of item."), code="unsupported", field="decision")
    with transaction.atomic():
        row = Screening.objects.select_for_update().get(pk=screening.pk)
        if row.state not in OPEN_STATES:
            raise DomainError(_("A moderator has already decided on this item."), code="decided")
        places.decide(place, decision, actor=actor, object_id=row.object_id)
        row.state = DECISIONS[decision]
        row.decided_at = timezone.now()
        row.decided_by = actor
        row.save(update_fields=["state", "decided_at", "decided_by"])
        ledger.record(
            kind=PrivacyEntry.EXPOSURE_DECIDED,
            subject=f"screening:{row.pk}",
            actor_id=actor.pk,
            data={"place": row.place, "decision": row.state, "kinds": row.kinds},
        )
        if decision != "release":
            record(
                request if request is not None else actor,
                user=actor,
                action=Action.EDIT if decision == "mask" else Action.DELETE,
                kind=EXPOSURES,
                subject=row.author_id,
                scope=f"{row.place}:{row.object_id}",
            )
    return row
