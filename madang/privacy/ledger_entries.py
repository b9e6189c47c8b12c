"""The public ledger's entries of the privacy app: the access records' chain head, the head of
the records purged after their retention period, each destruction of personal data, and each
moderator's decision on an item the exposure filter held. None carries a record or any personal
data: an anchor holds a hash and a length, a destruction the kind of data and how many people it
concerned, a decision where the item was, what was decided and the kinds of data found.

`madang ledger verify` recomputes the chain of access records from the last purge's anchored
head and compares each later anchor with the chain as it stands, so a record edited, removed or
re-hashed after its anchor is found; anchors before the last purge were compared with the chain
by the purge itself, which refuses to run on a broken chain. It holds each destruction entry to
its DestructionRecord, and each decision to its Screening.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from madang.ledger import kinds
from madang.ledger.kinds import Finding, Kind, Logged, compare
from madang.privacy import chain
from madang.privacy.models import OPEN_STATES, ChainHead, DestructionRecord, Screening


class PrivacyEntry(StrEnum):
    ACCESS_CHAIN = "privacy.access_chain"
    DATA_DESTROYED = "privacy.data_destroyed"
    ACCESS_PURGED = "privacy.access_purged"
    EXPOSURE_DECIDED = "privacy.exposure_decided"


WHERE = "access records"


def purge_start() -> tuple[int, str]:
    """Where the chain now starts: how many records were purged, and the head they hashed to."""
    head = ChainHead.objects.filter(pk=1).values_list("purged_through", "purged_head").first()
    return (int(head[0]), str(head[1])) if head and head[0] else (0, chain.GENESIS)


def check_chain(entries: list[Logged]) -> Iterator[Finding]:
    start = purge_start()
    anchored = {int(e.get("count") or 0) for e in entries}
    walked = chain.walk(chain.records_in_order(after=start[0]), keep=anchored, start=start)
    for b in walked.breaks:
        yield Finding(f"{WHERE}: record {b.n}", b.what, "chain")
    for e in entries:
        count = int(e.get("count") or 0)
        if count < start[0]:
            continue  # purged: the purge compared it with the chain before anchoring its own head
        if count > walked.count:
            yield Finding(e.where, f"anchors {count} records but the chain has {walked.count}", "count")
        elif walked.heads.get(count) != e.get("head"):
            yield Finding(e.where, f"the first {count} records no longer hash to the anchored head", "head")


def check_purged(entries: list[Logged]) -> Iterator[Finding]:
    """The newest purge's anchor is where the chain starts now; each purge starts where the one before ended."""
    start = purge_start()
    ordered = sorted(entries, key=lambda e: int(e.get("count") or 0))
    previous = 0
    for e in ordered:
        if int(e.get("from") or 0) != previous:
            yield Finding(e.where, f"starts after record {e.get('from')}, the purge before ended at {previous}", "from")
        previous = int(e.get("count") or 0)
    if ordered:
        last = ordered[-1]
        if (int(last.get("count") or 0), last.get("head")) != start:
            yield Finding(last.where, f"the chain starts after record {start[0]}, not where this purge ended", "head")
    elif start[0]:
        yield Finding(f"{WHERE}: record {start[0] + 1}", f"records up to {start[0]} are gone without a purge entry")


def check_decided(entries: list[Logged]) -> Iterator[Finding]:
    rows = Screening.objects.in_bulk([e.subject_id for e in entries])
    for e in entries:
        row = rows.get(e.subject_id)
        if row is None:
            yield e.gone(f"screening {e.subject_id}")
        else:
            yield from compare(e, {"place": row.place, "decision": row.state, "kinds": row.kinds})


def missing_decided(entries: list[Logged]) -> Iterator[Finding]:
    logged = {e.subject_id for e in entries}
    decided = Screening.objects.exclude(state__in=OPEN_STATES).exclude(pk__in=logged)
    for pk in decided.values_list("pk", flat=True):
        yield Finding(f"screening:{pk}", f"has no {PrivacyEntry.EXPOSURE_DECIDED} entry", "record")


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
    Kind(
        PrivacyEntry.ACCESS_PURGED,
        "anchor",
        "the head of the access records purged after their retention period, anchored before they were deleted",
        {
            "head": "SHA-256 chain hash after the first `count` records: the `prev` of the first record kept",
            "count": "the last record purged",
            "from": "the last record purged before (0 for the first purge)",
        },
        check=check_purged,
        checked=("head", "count", "from"),
    ),
    Kind(
        PrivacyEntry.EXPOSURE_DECIDED,
        "moderator",
        "a moderator released, masked or deleted an item the personal-data filter held or its author confirmed "
        "(never the item or what was found in it)",
        {
            "place": "the kind of item (madang/privacy/places.py), e.g. calls.comment",
            "decision": "released, masked or deleted",
            "kinds": "the kinds of personal data the filter found, e.g. rrn",
        },
        check=check_decided,
        missing=missing_decided,
        checked=("place", "decision", "kinds"),
        unique="subject",
    ),
)


# How people read each kind on the ledger's pages (madang/ledger/kinds.py).
LABELS = {
    PrivacyEntry.ACCESS_CHAIN: _("Personal data access records anchored"),
    PrivacyEntry.DATA_DESTROYED: _("Personal data destroyed"),
    PrivacyEntry.ACCESS_PURGED: _("Access records past their retention period purged"),
    PrivacyEntry.EXPOSURE_DECIDED: _("Moderator's decision on exposed personal data"),
}


def _no_public_titles(ids: list[int]) -> dict[int, tuple[str, str]]:
    return {}  # where a held item was is for its moderators, not the public ledger's readers


def register() -> None:
    """Called from this app's AppConfig.ready()."""
    kinds.register("privacy", KINDS, labels=LABELS)
    kinds.register_subject("screening", _("Personal data check"), _no_public_titles, owner="privacy")
