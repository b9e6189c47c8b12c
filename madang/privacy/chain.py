"""The hash chain over access records, and its check.

digest(n) = SHA-256("madang-access-v1" 0x00 prev 0x00 canonical JSON of record n's content),
prev of record 1 is 64 zeros, prev of record n is digest(n - 1). The content includes a random
salt, so a published head (in the ledger) cannot be tested against guessed records.

Once the oldest records have been purged after their retention period (madang/privacy/purge.py),
the chain is walked from the first record kept, whose `prev` must be the purged prefix's head as
the ledger anchored it before the purge.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from madang.privacy.models import AccessRecord

GENESIS = "0" * 64
LABEL = b"madang-access-v1"
CONTENT = ("n", "actor_id", "actor_name", "address", "action", "kind", "subject_id", "scope", "count", "reason", "path")


def content(record: AccessRecord) -> dict[str, Any]:
    data = {name: getattr(record, name) for name in CONTENT}
    data["at"] = record.at.isoformat()
    data["salt"] = record.salt
    return data


def digest(prev: str, data: dict[str, Any]) -> str:
    body = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode()
    return hashlib.sha256(LABEL + b"\x00" + prev.encode() + b"\x00" + body).hexdigest()


@dataclass(frozen=True)
class Break:
    n: int
    what: str


@dataclass
class Walk:
    """The chain as recomputed: the digest at each position, and where it breaks."""

    heads: dict[int, str]
    breaks: list[Break]

    @property
    def count(self) -> int:
        return max(self.heads, default=0)


def walk(
    records: Iterable[AccessRecord], *, keep: set[int] | None = None, start: tuple[int, str] = (0, GENESIS)
) -> Walk:
    """Check every record against its own hash and the one before it, and recompute the chain
    from `start` (how many records were purged, and the head they hashed to; none by default).
    `keep`: the positions whose recomputed head to return (the anchored ones); the last one is
    always kept. A record rewritten together with every hash after it passes the first two
    checks; only an anchored head, recomputed here, shows it."""
    heads: dict[int, str] = {start[0]: start[1]} if start[0] else {}
    breaks: list[Break] = []
    stored_prev, computed_prev, expected = start[1], start[1], start[0] + 1
    for record in records:
        data = content(record)
        if record.n != expected:
            breaks.append(Break(record.n, f"records {expected} to {record.n - 1} are missing"))
        elif record.prev != stored_prev:
            breaks.append(Break(record.n, "does not follow the record before it (its previous hash differs)"))
        if digest(record.prev, data) != record.digest:
            breaks.append(Break(record.n, "its content no longer matches its hash (the record was changed)"))
        computed_prev = digest(computed_prev, data)
        if keep is None or record.n in keep:
            heads[record.n] = computed_prev
        stored_prev, expected = record.digest, record.n + 1
    if expected > 1:
        heads[expected - 1] = computed_prev
    return Walk(heads, breaks)


def records_in_order(*, after: int = 0, through: int | None = None) -> Iterator[AccessRecord]:
    rows = AccessRecord.objects.filter(n__gt=after)
    if through is not None:
        rows = rows.filter(n__lte=through)
    return rows.order_by("n").iterator(chunk_size=2000)
