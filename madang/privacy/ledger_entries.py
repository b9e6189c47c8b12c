"""The public ledger's entries of the privacy app: the access records' chain head, and each
destruction of personal data. Neither carries a record or any personal data: an anchor holds
a hash and a length, a destruction the kind of data and how many people it concerned.

`madang ledger verify` recomputes the whole chain of access records and compares each anchored
head with the chain as it stands, so a record edited, removed or re-hashed after its anchor is
found; and it holds each destruction entry to its DestructionRecord.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from madang.ledger import kinds
from madang.ledger.kinds import Finding, Kind, Logged, compare
from madang.privacy import chain
from madang.privacy.models import DestructionRecord


class PrivacyEntry(StrEnum):
    ACCESS_CHAIN = "privacy.access_chain"
    DATA_DESTROYED = "privacy.data_destroyed"


WHERE = "access records"


def check_chain(entries: list[Logged]) -> Iterator[Finding]:
    anchored = {int(e.get("count") or 0) for e in entries}
    walked = chain.walk(chain.records_in_order(), keep=anchored)
    for b in walked.breaks:
        yield Finding(f"{WHERE}: record {b.n}", b.what, "chain")
    for e in entries:
        count = int(e.get("count") or 0)
        if count > walked.count:
            yield Finding(e.where, f"anchors {count} records but the chain has {walked.count}", "count")
        elif walked.heads.get(count) != e.get("head"):
            yield Finding(e.where, f"the first {count} records no longer hash to the anchored head", "head")


def check_destroyed(entries: list[Logged]) -> Iterator[Finding]:
    rows = DestructionRecord.objects.in_bulk([e.subject_id for e in entries])
    for e in entries:
        row = rows.get(e.subject_id)
        if row is None:
            yield e.gone(f"destruction record {e.subject_id}")
        else:
            yield from compare(e, {"data_kind": row.kind, "count": row.count})


def missing_destroyed(entries: list[Logged]) -> Iterator[Finding]:
    logged = {e.subject_id for e in entries}
    for pk in DestructionRecord.objects.exclude(pk__in=logged).values_list("pk", flat=True):
        yield Finding(f"destruction:{pk}", f"has no {PrivacyEntry.DATA_DESTROYED} entry", "record")


KINDS = (
    Kind(
        PrivacyEntry.ACCESS_CHAIN,
        "anchor",
        "the head of the chain of access records (접속기록), anchored without publishing any record",
        {"head": "SHA-256 chain hash after the first `count` records", "count": "how many records it covers"},
        check=check_chain,
        checked=("head", "count"),
    ),
    Kind(
        PrivacyEntry.DATA_DESTROYED,
        "destruction",
        "personal data was destroyed at the end of its retention period (never the data itself)",
        {
            "data_kind": "the kind of personal data (madang/privacy/registry.py)",
            "count": "how many people it concerned",
        },
        check=check_destroyed,
        missing=missing_destroyed,
        checked=("data_kind", "count"),
        unique="subject",
    ),
)


# How people read each kind on the ledger's pages (madang/ledger/kinds.py).
LABELS = {
    PrivacyEntry.ACCESS_CHAIN: _("Personal data access records anchored"),
    PrivacyEntry.DATA_DESTROYED: _("Personal data destroyed"),
}


def register() -> None:
    """Called from this app's AppConfig.ready()."""
    kinds.register("privacy", KINDS, labels=LABELS)
