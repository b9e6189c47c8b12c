"""Full-text matching over a model's `search_terms`, in whichever database Madang runs on.

Proposals, comments, board contributions and gallery comments each keep their text's index
terms (madang.solvers.korean.index_terms) in a `search_terms` column, indexed the same way in
both engines (calls migrations 0003 and 0006, events migration 0003): on SQLite an FTS5 table
named `<table>_fts`, on PostgreSQL a generated tsvector column `search_vector` with a GIN index.
So a query finds the same rows on both; only the relevance scores differ in scale (bm25 vs
ts_rank). Another database falls back to substring matching on the terms column, which is
correct but scans. A model's newest-first order is its `SEARCH_NEWEST` (default created_at, id).
"""

# ruff: noqa: S608  (the only names put into SQL here are model tables, checked by _safe; values are placeholders)

from __future__ import annotations

import math
import re
import time
from collections.abc import Collection, Sequence

from django.db import connection
from django.db.models import Exists, IntegerField, OuterRef, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.sql.where import ExtraWhere

from madang.solvers import korean

# The best matches that are ranked exactly; the rest follow newest first (ten pages of twenty).
TOP = 200
# A phrase common to 100,000 proposals would make the engine score every one of them to find
# the best 200. Above this many matches, the best are sought among the newest WINDOW matches
# (found in index order, which stops early) instead: bounded work, and for such a common phrase
# "best among the recent" is also what a reader wants. Rarer phrases are ranked over all matches.
WINDOW = 5000
# PostgreSQL reads every row of the window's id range to score it (about 5 µs a row, and a
# common phrase is in a tenth of them): half the window keeps a best-match page near 50 ms.
WINDOW_PG = 2500


def _fts5_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _fts5_match(terms: Sequence[str]) -> str:
    """An FTS5 query asking for every term (each as a phrase, so nothing in it is syntax)."""
    return " ".join(_fts5_phrase(t) for t in terms)


def _pg_test(table: str, walk: bool) -> str:
    """PostgreSQL's match of `table`'s vector against one query parameter. With `walk`, stated as
    the operator's own function: the same test, which the planner cannot serve from the GIN
    index and estimates (by default) to pass a third of the rows, so it walks an index instead."""
    if walk:
        return f"ts_match_vq({table}.search_vector, plainto_tsquery('simple', %s))"
    return f"{table}.search_vector @@ plainto_tsquery('simple', %s)"


def _safe(table: str) -> str:
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", table):
        raise ValueError(f"not a plain table name: {table!r}")
    return table


def _table(qs: QuerySet) -> str:
    return _safe(str(qs.model._meta.db_table))


def newest(model: type) -> tuple[str, ...]:
    """The model's newest-first order (its `SEARCH_NEWEST`)."""
    return tuple(getattr(model, "SEARCH_NEWEST", ("-created_at", "-id")))


def matching(qs: QuerySet, terms: Sequence[str], *, paged: bool = False) -> QuerySet:
    """The rows of `qs` whose search terms include every one of `terms`.

    `paged`: the caller reads a page (newest first, by an index on that order, or best match
    first from `by_relevance`'s ranked ids) and a capped count, never every match. On
    PostgreSQL, when the terms are common, the match is then stated so that the planner walks
    an index and tests each row until it has enough, instead of collecting every match from
    the GIN index first (see `_walk_is_cheaper`).
    """
    if not terms:
        return qs
    vendor = connection.vendor
    table = _table(qs)
    if vendor == "sqlite":
        match = _fts5_match(terms)
        found = _IndexMatch(f"SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH %s", [match])  # (placeholders only)
        # Marked, so that rows already known to match need not ask the index again (_Ranked) and
        # a capped count can probe the newest matches (capped_count).
        found.fts = (table, match)
        return qs.filter(pk__in=found)
    if vendor == "postgresql":
        where = _pg_test(table, paged and _walk_is_cheaper(terms, table))
        return qs.extra(where=[where], params=[" ".join(terms)])  # noqa: S610
    for term in terms:
        qs = qs.filter(search_terms__contains=term)
    return qs


class _IndexMatch(RawSQL):
    """`matching`'s SQLite index test, marked with (table, FTS5 query)."""

    fts: tuple[str, str]


def _walks(qs: QuerySet) -> bool:
    """Whether `matching` stated its PostgreSQL test for a walk of an index (see `_pg_test`)."""
    return any(
        isinstance(node, ExtraWhere) and any(sql.startswith("ts_match_vq(") for sql in node.sqls)
        for node in qs.query.where.children
    )


def _fts_of(node: object) -> tuple[str, str] | None:
    """(table, FTS5 query) if a where-clause node is `matching`'s SQLite index test."""
    return getattr(getattr(node, "rhs", None), "fts", None)


def _without_match(qs: QuerySet) -> QuerySet:
    """`qs` (unordered) without `matching`'s SQLite index test, for rows already known to match."""
    clone = qs.order_by()
    clone.query.where.children = [c for c in clone.query.where.children if _fts_of(c) is None]
    return clone


# SQLite answers `id IN (full-text match)` by listing every match first: for a common phrase
# (100,000 proposals) that is most of a count capped at a thousand. The newest COUNT_PROBE
# matches are listed instead (the index yields them newest first and stops); only when those
# hold too few rows of the queryset to reach the cap, and there are more, is everything listed.
COUNT_PROBE = 5000


def capped_count(qs: QuerySet, cap: int) -> int:
    """min(number of rows of `qs`, cap + 1): exact up to `cap`, "more than cap" beyond it."""
    if not isinstance(qs, QuerySet):
        return len(qs[: cap + 1])
    fts = next((found for c in qs.query.where.children if (found := _fts_of(c)) is not None), None)
    if fts is None or connection.vendor != "sqlite":
        # Common words on PostgreSQL (`matching` stated its test for a walk): unordered, the count
        # read the table in its physical order, through a small ring of buffers that large scans
        # get, so every count read its ~10,000 rows from outside PostgreSQL's cache. In the
        # newest-first order the same walk reads the newest rows, which every page reads too and
        # which stay cached: 7 → 4 ms a proposal count, 15 → 6.5 ms a comment count at a million
        # rows each (bench/scale.md, issue 18). Any order gives the same capped count.
        order = newest(qs.model) if connection.vendor == "postgresql" and _walks(qs) else ()
        return int(qs.order_by(*order)[: cap + 1].count())
    table, match = fts
    newest_ids = RawSQL(  # noqa: S611
        f"SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH %s ORDER BY rowid DESC LIMIT %s", [match, COUNT_PROBE]
    )
    probe, params = _without_match(qs).filter(pk__in=newest_ids).values("pk")[: cap + 1].query.sql_with_params()
    with connection.cursor() as cursor:  # (one statement: the probe's count, and whether the probe held every match)
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM ({probe})), "
            f"(SELECT COUNT(*) FROM (SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH %s LIMIT %s))",
            [*params, match, COUNT_PROBE + 1],
        )
        probed, listed = cursor.fetchone()
    if probed > cap or listed <= COUNT_PROBE:  # capped, or exact (the probe held every match)
        return int(probed)
    return int(qs.order_by()[: cap + 1].count())


def by_relevance(qs: QuerySet, terms: Sequence[str]) -> QuerySet:
    """`qs` (already narrowed by `matching` to the same terms) best matches first, ties newest first."""
    if not terms:
        return qs.order_by(*newest(qs.model))
    vendor = connection.vendor
    table = _table(qs)
    if vendor == "sqlite":
        match = _fts5_match(terms)
        # FTS5 orders by rank fastest inside the index itself; the page then orders by position in
        # that list (beyond it, newest first). An annotation, so count() leaves it out.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH %s ORDER BY rowid DESC LIMIT 1 OFFSET %s",
                [match, WINDOW - 1],
            )
            floor = cursor.fetchone()
            if floor is None:  # fewer than WINDOW matches: rank them all
                cursor.execute(
                    f"SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH %s ORDER BY rank LIMIT %s", [match, TOP]
                )
            else:
                cursor.execute(
                    f"SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH %s AND rowid >= %s ORDER BY rank LIMIT %s",
                    [match, floor[0], TOP],
                )
            ids = [row[0] for row in cursor.fetchall()]
        return _in_ranked_order(qs, ids)
    if vendor == "postgresql":
        query = " ".join(terms)
        # ts_rank reads each match's whole tsvector: only the newest WINDOW_PG matches are scored.
        # For a common phrase the planner's statistics tell where they start (finding the
        # WINDOW_PG-th newest match exactly would read every match); for a rarer one, finding it is cheap.
        estimate = min(_doc_freqs(terms, table).values())
        walk = False
        if estimate > 4 * WINDOW_PG:
            low, high = _id_span(table)
            floor = max(low, high - int((high - low + 1) * WINDOW_PG / estimate))
            walk = _walk_is_cheaper(terms, table)  # the id range's rows, each tested (see `matching`)
        else:
            found = list(
                qs.order_by("-id").values_list("id", flat=True)[WINDOW_PG - 1 : WINDOW_PG]
            )  # (qs holds the matches)
            floor = found[0] if found else 0
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id FROM {table} WHERE {_pg_test(table, walk)} AND id >= %s "
                # (normalisation 1, by the log of the text's length: every term is stored once, so
                # without it all matches tie; with it the shorter text ranks first, as bm25 does on SQLite)
                "ORDER BY ts_rank(search_vector, plainto_tsquery('simple', %s), 1) DESC, id DESC LIMIT %s",
                [query, floor, query, TOP],
            )
            ids = [row[0] for row in cursor.fetchall()]
        return _in_ranked_order(qs, ids)
    return qs.order_by(*newest(qs.model))


def _in_ranked_order(qs: QuerySet, ids: list[int]) -> QuerySet:
    """`qs` ordered by position in `ids` (the best matches), then newest first."""
    order = newest(qs.model)
    if not ids:
        return qs.order_by(*order)
    # Every match is sorted, so the position must be cheap for the many that are not ranked: the
    # IN test (one lookup in a temporary index) comes first, the position list only for the few.
    marks = ", ".join(["%s"] * len(ids))
    whens = " ".join(["WHEN %s THEN %s"] * len(ids))
    position = RawSQL(  # noqa: S611 (placeholders only)
        f"CASE WHEN {_table(qs)}.id IN ({marks}) THEN CASE {_table(qs)}.id {whens} END ELSE %s END",
        [*ids, *(x for n, pk in enumerate(ids) for x in (pk, n)), len(ids)],
        output_field=IntegerField(),
    )
    return ranked(qs.annotate(relevance=position).order_by("relevance", *order), ids)


def _id_span(table: str) -> tuple[int, int]:
    """The lowest and highest id of `table` (the full-text index's rowids on SQLite)."""
    with connection.cursor() as cursor:
        # Two subqueries, each one step down the primary key (one SELECT MIN(), MAX() reads the table).
        cursor.execute(f"SELECT (SELECT MIN(id) FROM {table}), (SELECT MAX(id) FROM {table})")
        low, high = cursor.fetchone()
    return int(low or 0), int(high or 0)


class _Ranked(QuerySet):
    """Mixed into a queryset in best-match order: its first pages come straight from the ranked ids.

    The SQL order (position in the ranked list, then newest first) is right for every page, but
    it sorts every match, which for a common word is most of a national call. A slice that lies
    within the ranked matches the reader may see is answered instead with two primary-key
    lookups: which ranked ids pass the queryset's filters, then those rows. Slices beyond them,
    and any queryset ordered otherwise, use the SQL order, so pages never disagree.
    """

    ranked_ids: tuple[int, ...] = ()

    def _clone(self):
        clone = super()._clone()  # type: ignore[misc]  # _clone is a QuerySet internal the stubs leave out
        clone.ranked_ids = self.ranked_ids
        return clone

    def order_by(self, *fields):
        clone = super().order_by(*fields)
        clone.ranked_ids = ()
        return clone

    def __getitem__(self, k):
        if (
            not self.ranked_ids
            or not isinstance(k, slice)
            or k.step is not None
            or k.stop is None
            or self._result_cache is not None
            or self.query.is_sliced
        ):
            return super().__getitem__(k)
        start = k.start or 0
        if start < 0 or k.stop <= start:
            return super().__getitem__(k)
        # The ranked ids came from the index's match itself: asking SQLite to test it again would
        # have it list every match first.
        unmatched = _without_match(self)
        allowed = visible_ids(unmatched, self.ranked_ids)
        visible = [pk for pk in self.ranked_ids if pk in allowed]
        if k.stop > len(visible):
            return super().__getitem__(k)
        wanted = visible[start : k.stop]
        rows = {row.pk: row for row in unmatched.filter(pk__in=wanted)}
        return [rows[pk] for pk in wanted if pk in rows]


_ranked_classes: dict[type, type] = {}


def ranked(qs: QuerySet, ids: Sequence[int]) -> QuerySet:
    """`qs` (already in best-match order) that serves slices within `ids` by primary key."""
    if isinstance(qs, _Ranked):
        marked = qs
    else:
        cls = qs.__class__
        if cls not in _ranked_classes:
            _ranked_classes[cls] = type(f"Ranked{cls.__name__}", (_Ranked, cls), {})
        marked = qs._chain()  # type: ignore[attr-defined]  # _chain is a QuerySet internal the stubs leave out
        marked.__class__ = _ranked_classes[cls]
    marked.ranked_ids = tuple(ids)
    return marked


def by_key(qs: QuerySet, ids: Collection[int]) -> QuerySet:
    """The rows of `qs` among `ids`, looked up by primary key (plain columns only: a fresh queryset).

    `qs.filter(pk__in=ids)` says the same, but SQLite (without statistics, which Madang leaves it
    without: with them it misjudges full-text matches) prefers an index on the call to a list of
    a few hundred primary keys, and at a national call's size that reads every proposal. On
    SQLite the rows are found by key alone and `qs`'s conditions tested on each through a
    correlated EXISTS, which SQLite answers by key too.
    """
    if connection.vendor != "sqlite":
        return qs.filter(pk__in=ids)
    inner = qs.filter(pk=OuterRef("pk")).order_by().values("pk")
    return qs.model.objects.filter(pk__in=list(ids)).filter(Exists(inner))


def visible_ids(qs: QuerySet, ids: Collection[int]) -> set[int]:
    """Which of `ids` are in `qs` (see `by_key`)."""
    return set(by_key(qs, ids).values_list("pk", flat=True)) if ids else set()


def candidates(qs: QuerySet, terms: Sequence[str], limit: int) -> list[int]:
    """Ids of the rows of `qs` sharing the most (and rarest) of `terms`: any term may match."""
    if not terms:
        return []
    vendor = connection.vendor
    table = _table(qs)
    if vendor == "sqlite":
        chosen, floor = _bounded_terms(terms, table)
        match = " OR ".join(_fts5_phrase(t) for t in chosen)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH %s AND rowid >= %s ORDER BY bm25({table}_fts) "
                "LIMIT %s",
                [match, floor, limit * 4],
            )
            ids = [row[0] for row in cursor.fetchall()]
        allowed = visible_ids(qs, ids)
        return [i for i in ids if i in allowed][:limit]
    if vendor == "postgresql":
        chosen, floor = _bounded_terms(terms, table)
        query = " || ".join(["plainto_tsquery('simple', %s)"] * len(chosen))
        rank = RawSQL(f"ts_rank({table}.search_vector, ({query}))", list(chosen))  # noqa: S611 (placeholders only)
        where = f"{table}.search_vector @@ ({query})"
        ranked = (
            qs.filter(pk__gte=floor)
            .extra(where=[where], params=list(chosen))  # noqa: S610
            .annotate(relevance=rank)
            .order_by("-relevance", "-id")
        )
        return list(ranked.values_list("pk", flat=True)[:limit])
    return list(qs.values_list("pk", flat=True)[:limit])


# The similar-ideas prefilter scores every proposal holding any of the draft's terms. A draft's
# common words ("민원", "서류") each hold a tenth of a national call, so that is most of it. The
# work is bounded instead: the rarest terms come first (they say most about a match, and the
# whole-text ranking afterwards weighs every term anyway), as many as fit in POSTINGS postings,
# at least MIN_TERMS of them; if even those hold more, the scoring is limited to the newest
# proposals in proportion. The embedding neighbours and the newest proposals are candidates too.
# PostgreSQL reads each match's row to score it (about 5 µs, against FTS5's bm25 from the postings
# alone), so it gets half of SQLite's budget (bench/search.md; 120,000 on SQLite gave a p95 of 475 ms
# on a million proposals, 60,000 gave 231 ms with the same drafts getting similar ideas shown).
POSTINGS = 60_000
POSTINGS_PG = 30_000
MIN_TERMS = 3
_DF_SECONDS = 60.0
_df_cache: dict[tuple[str, str], tuple[float, int]] = {}


def _doc_freqs(terms: Sequence[str], table: str = "calls_proposal") -> dict[str, int]:
    """How many rows of `table` hold each term, a minute old at most.

    SQLite: exact, from FTS5's own vocabulary. PostgreSQL: estimated from the planner's
    statistics of the terms column (its most common elements and their frequencies, which
    ANALYZE keeps); a term not among them is rarer than the rarest listed, and counts as half of it.
    """
    if connection.vendor == "postgresql":
        return _pg_doc_freqs(terms, table)
    now = time.monotonic()
    known = {t: hit[1] for t in terms if (hit := _df_cache.get((table, t))) is not None and hit[0] > now}
    missing = [t for t in terms if t not in known]
    if missing:
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{table}_fts_terms USING fts5vocab(main, '{table}_fts', 'row')"
            )
            for term in missing:
                cursor.execute(f"SELECT doc FROM temp.{table}_fts_terms WHERE term = %s", [term])
                row = cursor.fetchone()
                known[term] = int(row[0]) if row else 0
                _df_cache[(table, term)] = (now + _DF_SECONDS, known[term])
        if len(_df_cache) > 50_000:
            _df_cache.clear()
    return known


_pg_stats: dict[str, tuple[float, dict[str, int], int]] = {}
_pg_rows: dict[str, float] = {}


def _pg_doc_freqs(terms: Sequence[str], table: str) -> dict[str, int]:
    now = time.monotonic()
    cached = _pg_stats.get(table)
    if cached is None or cached[0] <= now:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples FROM pg_stats s "
                "JOIN pg_class c ON c.relname = s.tablename AND c.relkind = 'r' "
                "WHERE s.schemaname = current_schema() AND s.tablename = %s AND s.attname = 'search_vector'",
                [table],
            )
            row = cursor.fetchone()
        common: dict[str, int] = {}
        rare = 1
        if row:
            _pg_rows[table] = max(float(row[2] or 0), 1.0)
        if row and row[0] and row[1]:
            rows = max(float(row[2] or 0), 1.0)
            elems, freqs = row[0], row[1]
            common = {e: int(f * rows) for e, f in zip(elems, freqs[: len(elems)], strict=False)}
            rare = max(1, int(min(freqs[: len(elems)]) * rows / 2))
        cached = _pg_stats[table] = (now + _DF_SECONDS, common, rare)
    _expires, common, rare = cached
    return {t: common.get(t, rare) for t in terms}


# A page of newest-first matches costs about PAGE ÷ (share of rows matching) rows when the
# newest-first index is walked, and about one row per match when every match is collected from
# the GIN index and sorted. Measured at 1,000,000 proposals (bench/search.md): walking took 15-20 ms
# wherever a page filled, collecting up to 1.3 s, and walking for a phrase with no match read
# the whole call (0.6 s). So the walk is chosen only when every term is among the column's most
# common elements (a term outside them is rarer than all of those, and its matches few: the GIN
# index finds them quickly) and the words together are expected in at least √(PAGE × rows) ÷
# WALK_SLACK rows (the estimate multiplies the words as if independent, which phrases are not).
PAGE = 20
WALK_SLACK = 4.0


def _word_groups(terms: Sequence[str]) -> list[list[str]]:
    """The terms in runs that overlap by a character (the bigrams of one word: 정류 류장)."""
    groups: list[list[str]] = []
    for term in terms:
        if groups and groups[-1][-1][-1:] == term[:1] and len(term) == 2:
            groups[-1].append(term)
        else:
            groups.append([term])
    return groups


def _estimated_matches(terms: Sequence[str], table: str) -> tuple[float, float]:
    """(rows matching every term, rows in `table`) as PostgreSQL's statistics suggest.

    The planner multiplies every term's share, as if independent; but a word's overlapping
    bigrams nearly always come together ("정류" with "류장"), which makes it expect a hundred
    matches of a phrase that a tenth of a national call holds. Here a word counts its rarest
    bigram only, and the words multiply.
    """
    df = _doc_freqs(terms, table)
    rows = max(1.0, _pg_rows.get(table, 1.0))
    share = 1.0
    for group in _word_groups(terms):
        share *= min(df[t] for t in group) / rows
    return share * rows, rows


def _walk_is_cheaper(terms: Sequence[str], table: str) -> bool:
    matches, rows = _estimated_matches(terms, table)
    common = _pg_stats[table][1] if table in _pg_stats else {}
    return all(t in common for t in terms) and matches >= math.sqrt(PAGE * rows) / WALK_SLACK


def _bounded_terms(terms: Sequence[str], table: str = "calls_proposal") -> tuple[list[str], int]:
    """(terms to score, lowest rowid to score) within the POSTINGS budget."""
    df = _doc_freqs(terms, table)
    budget = POSTINGS_PG if connection.vendor == "postgresql" else POSTINGS
    chosen: list[str] = []
    total = 0
    for term in sorted(dict.fromkeys(terms), key=lambda t: (df[t], t)):
        if df[term] == 0:
            continue
        if len(chosen) >= MIN_TERMS and total + df[term] > budget:
            break
        chosen.append(term)
        total += df[term]
    if not chosen:
        return list(terms), 0
    if total <= budget:
        return chosen, 0
    low, high = _id_span(table)
    span = int((high - low + 1) * budget / total)
    return chosen, max(low, high - span)


def index_statements(table: str, vendor: str) -> tuple[list[str], list[str]]:
    """(create, drop) statements of `table`'s full-text index over its `search_terms`, for migrations.

    SQLite: an FTS5 table with external content kept in step by triggers (bulk loads that bypass
    the ORM are indexed too). PostgreSQL: a stored generated tsvector column with the 'simple'
    configuration (no stemming: the terms are already what is matched) and a GIN index.
    """
    table = _safe(table)
    if vendor == "sqlite":
        fts = f"{table}_fts"
        delete = f"INSERT INTO {fts}({fts}, rowid, search_terms) VALUES ('delete', old.id, old.search_terms);"
        insert = f"INSERT INTO {fts}(rowid, search_terms) VALUES (new.id, new.search_terms);"
        return [
            f"CREATE VIRTUAL TABLE {fts} USING fts5(search_terms, content='{table}', content_rowid='id', "
            "tokenize='unicode61 remove_diacritics 0')",
            f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN {insert} END",
            f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN {delete} END",
            f"CREATE TRIGGER {fts}_au AFTER UPDATE OF search_terms ON {table} BEGIN {delete} {insert} END",
            f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
        ], [f"DROP TRIGGER IF EXISTS {fts}_{t}" for t in ("au", "ad", "ai")] + [f"DROP TABLE IF EXISTS {fts}"]
    if vendor == "postgresql":
        return [
            f"ALTER TABLE {table} ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (to_tsvector('simple', "
            "search_terms)) STORED",
            f"CREATE INDEX {table}_search_vector ON {table} USING gin (search_vector)",
        ], [f"DROP INDEX IF EXISTS {table}_search_vector", f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector"]
    return [], []


def fill_terms(model: type, field: str, batch: int = 2000) -> None:
    """Write `search_terms` of every row of `model` from its text `field` (a data migration's step)."""
    last = 0
    while True:
        rows = list(model.objects.filter(pk__gt=last).order_by("pk").values_list("pk", field)[:batch])  # type: ignore[attr-defined]  # model is type[Model] (any searchable model); the stubs give objects only to concrete models
        if not rows:
            return
        model.objects.bulk_update(  # type: ignore[attr-defined]  # model is type[Model] (any searchable model); the stubs give objects only to concrete models
            [model(pk=pk, search_terms=korean.index_terms(text or "")) for pk, text in rows], ["search_terms"]
        )
        last = rows[-1][0]
