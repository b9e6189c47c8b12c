"""Exact support tallies that many people can change at once.

A popular proposal takes supports from many people at the same moment. Adding one to
`calls_proposal.support_count` in every support would make each of them wait for the previous
one's commit on that one row. Instead a support adds +1 (a withdrawal -1) to one of `SHARDS`
rows of `calls_supportshard` for the proposal, chosen by the supporter's id, with one upsert;
concurrent supporters touch different rows. The exact live tally is `support_count` plus the
proposal's shards (`live`, one query). `fold` moves the shards into `support_count`: the
worker does it every few seconds when idle, a support does it for its own proposal once the
shards hold `FOLD_AT` or more, and anything that publishes a tally (the ledger snapshot, the
merge, exports) folds first. Lists sort by `support_count`, so their order may lag the live tally
by a few seconds on a busy proposal; the figures they show are live (`attach_live`, one query
per page), as are the proposal page, the support button and the API's proposal read.

Folding never loses a change made while it runs: it locks the shard rows it reads (a
concurrent upsert on the same row waits for the fold's commit and then adds to the zeroed row;
one on another row is untouched) and updates only `support_count`, which no supporter's lock
guards (PostgreSQL: the supporters' foreign-key KEY SHARE locks don't conflict with the fold's
NO KEY UPDATE). On SQLite every write transaction is IMMEDIATE, so a fold simply runs alone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import F, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from madang.core import sqlnames
from madang.core.writelock import sqlite_writer

SHARDS = 8
FOLD_AT = 64
BATCH = 2000

_UPSERT_MANY = (
    "INSERT INTO calls_supportshard (proposal_id, shard, delta) VALUES {values} "
    "ON CONFLICT (proposal_id, shard) DO UPDATE SET delta = calls_supportshard.delta + excluded.delta"
)
_UPSERT = _UPSERT_MANY.format(values="(%s, %s, %s)")
_TALLIES = (
    "SELECT p.id, p.support_count, COALESCE((SELECT SUM(s.delta) FROM calls_supportshard s "
    "WHERE s.proposal_id = p.id), 0) FROM calls_proposal p WHERE p.id IN ({marks})"
)


def _tallies(cursor: Any, proposal_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    """{proposal id: (folded count, pending change)}; their sum is the exact tally."""
    cursor.execute(_TALLIES.format(marks=", ".join(["%s"] * len(proposal_ids))), list(proposal_ids))
    return {int(pk): (int(base), int(pending)) for pk, base, pending in cursor.fetchall()}


def add_supports(items: Sequence[tuple[int, int, datetime]]) -> list[tuple[bool, int, bool]]:
    """Add the supports (proposal id, user id, time) in one transaction, three statements in all.

    For each item: (inserted, the proposal's exact tally at commit, whether this one should fold
    the proposal now: the first of its proposal in the batch, once the shards hold `FOLD_AT`).
    A person already supporting (before, or earlier in the same batch) inserts nothing. Returns
    only after the commit (the caller's, when called inside an atomic block).

    Rows are written in (proposal, user) and shard rows in (proposal, shard) order, the order
    `_fold_batch` locks shards in, so concurrent batches and folds on PostgreSQL wait for one
    another instead of deadlocking.
    """
    fresh: dict[tuple[int, int], datetime] = {}
    for proposal_id, user_id, at in items:
        fresh.setdefault((proposal_id, user_id), at)
    keys = sorted(fresh)
    adapt = connection.ops.adapt_datetimefield_value
    with sqlite_writer(), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO calls_support (proposal_id, user_id, created_at) VALUES "  # noqa: S608 (placeholders only)
            f"{', '.join(['(%s, %s, %s)'] * len(keys))} "
            "ON CONFLICT (proposal_id, user_id) DO NOTHING RETURNING proposal_id, user_id",
            [v for key in keys for v in (*key, adapt(fresh[key]))],
        )
        inserted = {(int(p), int(u)) for p, u in cursor.fetchall()}
        deltas: dict[tuple[int, int], int] = defaultdict(int)
        for proposal_id, user_id in inserted:
            deltas[(proposal_id, user_id % SHARDS)] += 1
        if deltas:
            rows = sorted(deltas.items())
            cursor.execute(
                _UPSERT_MANY.format(values=", ".join(["(%s, %s, %s)"] * len(rows))),
                [v for (proposal_id, shard), delta in rows for v in (proposal_id, shard, delta)],
            )
        tallies = _tallies(cursor, sorted({key[0] for key in keys}))
    out: list[tuple[bool, int, bool]] = []
    told: set[tuple[int, int]] = set()
    folding: set[int] = set()
    for proposal_id, user_id, _at in items:
        key = (proposal_id, user_id)
        base, pending = tallies.get(proposal_id, (0, 0))
        fold_now = abs(pending) >= FOLD_AT and proposal_id not in folding
        if fold_now:
            folding.add(proposal_id)
        out.append((key in inserted and key not in told, base + pending, fold_now))
        told.add(key)
    return out


def bump(proposal_id: int, user_id: int, delta: int) -> None:
    """Add `delta` to the proposal's tally, inside the caller's transaction."""
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT, [proposal_id, user_id % SHARDS, delta])


def hold(proposal_id: int) -> None:
    """Take the lock a support's foreign key takes, for a withdrawal (which inserts nothing).

    Supporters hold it together; a merge's FOR UPDATE waits for them, and they for it.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM calls_proposal WHERE id = %s FOR KEY SHARE", [proposal_id])


def live(proposal_id: int) -> tuple[int, int]:
    """(folded count, pending change) of one proposal; their sum is the exact tally."""
    with connection.cursor() as cursor:
        return _tallies(cursor, [proposal_id]).get(proposal_id, (0, 0))


def with_live(qs: QuerySet) -> QuerySet:
    """Annotate proposals with `live_supports`, their exact tally (one subquery per row)."""
    from madang.calls.models import SupportShard

    pending = (
        SupportShard.objects.filter(proposal=OuterRef("pk"))
        .order_by()
        .values("proposal")
        .annotate(s=Sum("delta"))
        .values("s")
    )
    return qs.annotate(
        live_supports=F("support_count") + Coalesce(Subquery(pending, output_field=IntegerField()), Value(0))
    )


def live_sql() -> RawSQL:
    """`with_live`'s tally as a plain SQL annotation of a query of proposals: the same sum, at
    next to no cost to compile, for a page that reads one proposal (calls.selectors.read_proposal)."""
    from madang.calls.models import Proposal, SupportShard

    table, fk, delta = (
        sqlnames.table(SupportShard),
        sqlnames.column(SupportShard, "proposal"),
        sqlnames.column(SupportShard, "delta"),
    )
    count = f"{sqlnames.table(Proposal)}.{sqlnames.column(Proposal, 'support_count')}"
    own = sqlnames.pk(Proposal)
    sql = f"{count} + COALESCE((SELECT SUM({delta}) FROM {table} WHERE {fk} = {own}), 0)"  # noqa: S608 (names from the models)
    return RawSQL(sql, (), output_field=IntegerField())  # noqa: S611 (the same)


def attach_live(proposals: Iterable[Any]) -> list[Any]:
    """Set `live_supports`, the exact tally, on each of a page of proposals: their folded counts
    (already loaded) plus their shards, in one query for the page. For list pages, where the
    folded count alone lags (it reads 0 until the worker folds, which may be minutes after a
    start while it is busy); unlike `with_live` it leaves the page's own query untouched."""
    from madang.calls.models import SupportShard

    proposals = list(proposals)
    items = [p for p in proposals if getattr(p, "live_supports", None) is None]
    if items:
        rows = SupportShard.objects.filter(proposal_id__in=[p.pk for p in items]).order_by().values("proposal_id")
        pending = dict(rows.annotate(s=Sum("delta")).values_list("proposal_id", "s"))
        for p in items:
            p.live_supports = p.support_count + (pending.get(p.pk) or 0)
    return proposals


def live_count(proposal_id: int) -> int:
    base, pending = live(proposal_id)
    return base + pending


def fold(proposal_ids: Iterable[int] | None = None, *, wait: bool = True) -> int:
    """Move pending shard changes into `support_count`. Returns how many proposals were folded.

    `proposal_ids` limits the fold to those proposals (None: all, in batches). With
    `wait=False` rows another fold or supporter holds are skipped instead of waited for
    (PostgreSQL's SKIP LOCKED), so a fold on the request path never queues.
    """
    ids = None if proposal_ids is None else list(proposal_ids)
    if ids is not None and not ids:
        return 0
    total = 0
    for _round in range(1000):  # (bounded: supporters may keep adding while it runs)
        folded = _fold_batch(ids, wait=wait)
        total += folded
        if folded < BATCH:
            break
    return total


def _fold_batch(ids: list[int] | None, *, wait: bool) -> int:
    postgres = connection.vendor == "postgresql"
    where, params = "delta <> 0", []
    if ids is not None:
        where += f" AND proposal_id IN ({', '.join(['%s'] * len(ids))})"
        params = list(ids)
    with sqlite_writer(), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT proposal_id FROM calls_supportshard WHERE {where} LIMIT {BATCH}", params)  # noqa: S608
        proposals = sorted(row[0] for row in cursor.fetchall())
        if not proposals:
            return 0
        marks = ", ".join(["%s"] * len(proposals))
        if postgres:
            # Locks in one order everywhere: the proposal rows first (as a merge does), then their
            # shards. NO KEY UPDATE leaves supporters' foreign-key locks alone.
            skip = "" if wait else " SKIP LOCKED"
            cursor.execute(
                f"SELECT id FROM calls_proposal WHERE id IN ({marks}) ORDER BY id FOR NO KEY UPDATE{skip}",  # noqa: S608
                proposals,
            )
            proposals = [row[0] for row in cursor.fetchall()]
            if not proposals:
                return 0
            marks = ", ".join(["%s"] * len(proposals))
        # (proposal, shard): the order a batch of supports upserts them in (add_supports).
        lock = " ORDER BY proposal_id, shard FOR UPDATE" if postgres else ""
        cursor.execute(
            "SELECT id, proposal_id, delta FROM calls_supportshard WHERE delta <> 0 AND proposal_id IN "  # noqa: S608
            f"({marks}){lock}",
            proposals,
        )
        rows = cursor.fetchall()
        by_proposal: dict[int, int] = defaultdict(int)
        for _pk, proposal_id, delta in rows:
            by_proposal[proposal_id] += delta
        # The rows are ours until commit, so zeroing them is exact.
        shard_ids = [pk for pk, _p, _d in rows]
        for start in range(0, len(shard_ids), 500):
            chunk = shard_ids[start : start + 500]
            cursor.execute(
                f"UPDATE calls_supportshard SET delta = 0 WHERE id IN ({', '.join(['%s'] * len(chunk))})",  # noqa: S608
                chunk,
            )
        cursor.executemany(
            "UPDATE calls_proposal SET support_count = support_count + %s WHERE id = %s",
            [(delta, pk) for pk, delta in sorted(by_proposal.items()) if delta],
        )
    return len(proposals)


def reset(proposal_id: int) -> None:
    """Drop a proposal's pending changes; the caller sets `support_count` from the rows itself."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM calls_supportshard WHERE proposal_id = %s", [proposal_id])
