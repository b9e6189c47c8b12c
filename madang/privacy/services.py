"""Writes of the privacy app: recording an access, anchoring the chain, destroying due data.

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
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone, translation

from madang.core.addresses import client_address
from madang.ledger import services as ledger
from madang.privacy import chain, registry
from madang.privacy.ledger_entries import PrivacyEntry
from madang.privacy.models import AccessRecord, Action, ChainHead, DestructionRecord

log = logging.getLogger(__name__)

ANCHOR_SUBJECT = "privacy:access"


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


def retention_days() -> int:
    return int(getattr(settings, "MADANG_PRIVACY_ACCESS_RECORD_DAYS", 730))


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
