"""The public ledger's entry for the first-to-file check: the office's ruling on one of our suggestions
against a peer agency's filing. It names the peer's ledger and the index of its receipt entry there
(anyone can fetch that receipt from the peer), never a text or a person; the reasons are a
commitment. `madang ledger verify` rebuilds it from the ruling and finds rulings without one.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy as _

from madang.ledger import kinds
from madang.ledger.kinds import Finding, Kind, Logged, compare
from madang.priority.models import Ruling

ROLE = "priority"


class PriorityEntry(StrEnum):
    RULED = "priority.ruled"


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
)

LABELS = {PriorityEntry.RULED: _("Priority across agencies ruled")}


def register() -> None:
    """Called from this app's AppConfig.ready()."""
    kinds.register("priority", KINDS, labels=LABELS)
