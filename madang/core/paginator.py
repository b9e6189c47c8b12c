"""Pages of a list whose total is counted only up to a cap.

Counting every match of a common word in a national call (100,000 proposals or more) costs
more than showing the page itself; beyond CAP the page says "1,000+" and offers the first
CAP / per_page pages, which is all anyone reads before refining the search.

A page of a query is read in two steps: the keys of its rows, in order, from the query alone
(one table, the order's index, no joins), then those rows with everything the query joins to
them, by their keys alone. Asked in one statement, a database may join every match before
sorting them and taking twenty (PostgreSQL did, for a small call: 7–11 ms a page against about
1 ms); asked with the query's conditions again, SQLite walked the call's index (`rows_by_key`).
"""

from collections.abc import Callable, Sequence
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.db.models.sql.where import WhereNode
from django.utils.functional import cached_property

CAP = 1000


class CappedPaginator(Paginator):
    """`rows`, when given, reads a page's rows by their keys (in any order) in place of
    `rows_by_key`: a caller whose rows are always the same shape may read them with SQL compiled
    once (`core.prepared`); it must return exactly what `rows_by_key(object_list, keys)` would."""

    cap = CAP

    def __init__(
        self,
        object_list: Any,
        per_page: int,
        *args: Any,
        rows: Callable[[list[Any]], Sequence[Any]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(object_list, per_page, *args, **kwargs)
        self.rows = rows

    @cached_property
    def count(self) -> int:
        from madang.core.fulltext import capped_count

        return capped_count(self.object_list, self.cap)  # type: ignore[arg-type]  # the pages that use this paginator give it a QuerySet; Paginator types object_list as any sliceable

    @property
    def capped(self) -> bool:
        return self.count > self.cap

    def page(self, number: Any) -> Page:
        qs = self.object_list
        if (
            not isinstance(qs, QuerySet)
            or type(qs).__getitem__ is not QuerySet.__getitem__  # (slices served its own way: fulltext.ranked)
            or qs.query.distinct
            or qs.query.combinator
        ):
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = list(qs.values_list("pk", flat=True)[bottom:top])
        if self.rows is None:
            return Page(rows_by_key(qs, keys), number, self)
        found = {row.pk: row for row in self.rows(keys)}
        return Page([found[k] for k in keys if k in found], number, self)


def rows_by_key(qs: QuerySet, keys: list[Any]) -> list[Any]:
    """The rows of `qs` whose keys were just read through its conditions, in that order, with
    everything `qs` joins and annotates, asked for by key alone. With the conditions kept,
    SQLite walked the call's index over every shared proposal of a national call to find the
    twenty keys (12–19 ms; issue 18): the keys already passed them. (A row changed between the
    two reads shows as it is now, as it would have a moment later.)"""
    rows_qs = qs.order_by()
    rows_qs.query.where = WhereNode()
    rows = {row.pk: row for row in rows_qs.filter(pk__in=keys)}
    return [rows[k] for k in keys if k in rows]
