"""The public ledger's entries for the first-to-file check: the office's ruling on one of our suggestions
against a peer agency's filing, and a change of the key we trust for a peer's ledger. A ruling names
the peer's ledger and the index of its receipt entry there (anyone can fetch that receipt from the
peer), never a text or a person; the reasons are a commitment. A key change names the peer's ledger,
the new public key and the one before it, and how we came to trust it (vouched for by the old key in
the peer's export, or recorded by an administrator, whose reason is a commitment). `madang ledger
verify` rebuilds each from its record and finds records without one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from enum import StrEnum
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madang.ledger import kinds
from madang.ledger.kinds import Finding, Kind, Logged, compare
from madang.priority.models import KeyChange, PeerKey, Ruling

ROLE = "priority"


class PriorityEntry(StrEnum):
    RULED = "priority.ruled"
    PEER_KEY = "priority.peer_key"


def subject(proposal_id: int) -> str:
    return f"proposal:{proposal_id}"


def _live(r: Ruling) -> dict[str, Any]:
    f = r.match.filing
    return {
        "verdict": r.verdict,
        "peer": f.peer.origin,
        "peer_index": f.log_index,
        "peer_received_on": f.received_on.isoformat(),
        # A refined filing: its first filing day, as the peer's receipts prove it (null otherwise).
        "peer_first_filed_on": f.first_filed_on.isoformat() if f.first_filed_on else None,
        "similarity": round(r.match.similarity, 3),
        "ruled_on": r.ruled_on.isoformat(),
    }


def ruled_body(r: Ruling) -> dict[str, Any]:
    return {"ruling": r.pk, **_live(r)}


def _rulings() -> Any:
    return Ruling.objects.select_related("match__filing__peer", "match__suggestion")


def _check(entries: list[Logged]) -> Iterator[Finding]:
    rows = {r.pk: r for r in _rulings().filter(pk__in=[e.get("ruling") for e in entries])}
    for e in entries:
        r = rows.get(e.get("ruling"))
        if r is None:
            yield e.gone(f"ruling {e.get('ruling')}")
            continue
        if r.match.suggestion.proposal_id != e.subject_id:
            yield Finding(e.where, f"ruling {r.pk} is about proposal {r.match.suggestion.proposal_id}", "ruling")
        yield from compare(e, _live(r), {"note": r.note})


def _missing(entries: list[Logged]) -> Iterator[Finding]:
    logged = [e.get("ruling") for e in entries if isinstance(e.get("ruling"), int)]
    for r in _rulings().exclude(pk__in=logged):
        yield Finding(
            subject(r.match.suggestion.proposal_id), f"ruling {r.pk} has no {PriorityEntry.RULED} entry", "record"
        )


FIELDS = {
    "ruling": "the ruling's id",
    "verdict": "theirs_first (the same idea was received there first), ours_first or different",
    "peer": "the peer agency's ledger (its origin)",
    "peer_index": "the index of the peer's receipt entry in its ledger",
    "peer_received_on": "the day the peer received its suggestion, as its receipt proves",
    "peer_first_filed_on": "for a refined idea, the day it was first filed there, as the receipt of that first "
    "filing proves; null otherwise",
    "similarity": "the estimated similarity of the two texts (Jaccard, from fingerprints)",
    "ruled_on": "the day of the ruling",
}


def peer_subject(peer_id: int) -> str:
    return f"peer:{peer_id}"


def _key_live(k: PeerKey) -> dict[str, Any]:
    previous = PeerKey.objects.filter(peer_id=k.peer_id, pk__lt=k.pk).order_by("-pk").first()
    return {
        "peer": k.peer.origin,
        "key": k.vkey,
        "previous": previous.vkey if previous is not None else None,
        "how": k.how,
        "statement_sha256": hashlib.sha256(k.statement.encode()).hexdigest() if k.statement else None,
        "added_on": timezone.localdate(k.added_at).isoformat(),
    }


def peer_key_body(k: PeerKey) -> dict[str, Any]:
    return {"peer_key": k.pk, **_key_live(k)}


def _changes() -> Any:
    return PeerKey.objects.select_related("peer").exclude(how=KeyChange.INITIAL)


def _check_keys(entries: list[Logged]) -> Iterator[Finding]:
    rows = {k.pk: k for k in _changes().filter(pk__in=[e.get("peer_key") for e in entries])}
    for e in entries:
        k = rows.get(e.get("peer_key"))
        if k is None:
            yield e.gone(f"peer key {e.get('peer_key')}")
            continue
        if k.peer_id != e.subject_id:
            yield Finding(e.where, f"peer key {k.pk} is of peer {k.peer_id}", "peer_key")
        yield from compare(e, _key_live(k), {"reason": k.reason})


def _missing_keys(entries: list[Logged]) -> Iterator[Finding]:
    logged = [e.get("peer_key") for e in entries if isinstance(e.get("peer_key"), int)]
    for k in _changes().exclude(pk__in=logged):
        yield Finding(peer_subject(k.peer_id), f"peer key {k.pk} has no {PriorityEntry.PEER_KEY} entry", "record")


KEY_FIELDS = {
    "peer_key": "the key record's id",
    "peer": "the peer agency's ledger (its origin)",
    "key": "the public key we now trust for its ledger (its exports and checkpoints)",
    "previous": "the key it follows (which still verifies the receipts it signed)",
    "how": "signed (the previous key and this one signed a statement naming it, in the peer's export) or "
    "recorded (by a site administrator, with a reason)",
    "statement_sha256": "signed: the SHA-256 of the peer's signed statement, kept with the key; else null",
    "added_on": "the day we started trusting it",
}

KINDS = (
    Kind(
        PriorityEntry.RULED,
        ROLE,
        "the office ruled on one of our suggestions against an earlier or later filing at a peer agency "
        "(first to file, 국민 제안 규정 제6조제3항)",
        FIELDS,
        {"note": "the office's reasons"},
        check=_check,
        missing=_missing,
        checked=(*(f for f in FIELDS if f != "ruling"), "note"),
        unique="ruling",
    ),
    Kind(
        PriorityEntry.PEER_KEY,
        ROLE,
        "we trust a new key for a peer agency's ledger (its key changed): vouched for by its previous key, "
        "or recorded by a site administrator with the reason",
        KEY_FIELDS,
        {"reason": "the administrator's reason (recorded only)"},
        check=_check_keys,
        missing=_missing_keys,
        checked=(*(f for f in KEY_FIELDS if f != "peer_key"), "reason"),
        unique="peer_key",
    ),
)

LABELS = {
    PriorityEntry.RULED: _("Priority across agencies ruled"),
    PriorityEntry.PEER_KEY: _("Peer agency's ledger key changed"),
}


def _no_public_titles(ids: list[int]) -> dict[int, tuple[str, str]]:
    return {}


def register() -> None:
    """Called from this app's AppConfig.ready()."""
    kinds.register("priority", KINDS, labels=LABELS)
    kinds.register_subject("peer", _("Peer agency"), _no_public_titles, owner="priority")
