"""Reads of the privacy app: the monthly review of access records, and what other apps ask of them.

Working hours are Korean public-service hours (09:00 to 18:00, `MADANG_PRIVACY_WORK_HOURS`) on
working days: not Saturdays, Sundays or public holidays, lunar and substitute ones included,
from the `holidays` package through madang/solvers/legalclock.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Max, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from madang.core import params, sqlnames
from madang.core.errors import NotFound
from madang.privacy import exposure, places, rules
from madang.privacy.models import (
    OPEN_STATES,
    TAKEOUT,
    AccessRecord,
    Action,
    DestructionRecord,
    Screening,
    ScreeningState,
)
from madang.solvers.legalclock import Calendar


def reason_threshold() -> int:
    """Downloads and exports of more people than this need a reason (0: every one)."""
    return int(getattr(settings, "MADANG_PRIVACY_REASON_OVER", 100))


def work_hours() -> tuple[time, time]:
    start, end = getattr(settings, "MADANG_PRIVACY_WORK_HOURS", (9, 18))
    return time(int(start)), time(int(end))


@functools.lru_cache(maxsize=1)
def _calendar() -> Calendar:
    return Calendar()


def is_working_time(moment: datetime) -> bool:
    local = timezone.localtime(moment)
    start, end = work_hours()
    return _calendar().is_working_day(local.date()) and start <= local.time() < end


def last_access(*, kind: str, action: str, subject_ids: Iterable[int]) -> dict[int | None, datetime]:
    """When each person's data of this kind last had this done to it (e.g. an account deleted)."""
    rows = (
        AccessRecord.objects.filter(kind=kind, action=action, subject_id__in=list(subject_ids))
        .values("subject_id")
        .annotate(last=Max("at"))
    )
    return {r["subject_id"]: r["last"] for r in rows}


def month_bounds(month: date) -> tuple[datetime, datetime]:
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(first, time.min).replace(tzinfo=tz),
        datetime.combine(following, time.min).replace(tzinfo=tz),
    )


def records_of_month(month: date) -> QuerySet[AccessRecord]:
    start, end = month_bounds(month)
    return AccessRecord.objects.filter(at__gte=start, at__lt=end).order_by("n")


@dataclass
class Person:
    actor_id: int | None
    name: str
    records: int = 0
    people: int = 0
    takeouts: int = 0
    after_hours: int = 0


@dataclass
class Review:
    month: date
    total: int
    large: list[AccessRecord]  # downloads and exports above the threshold
    bulk: list[AccessRecord]  # downloads and exports of more than one person
    after_hours: list[AccessRecord]
    people: list[Person]
    by_action: list[tuple[str, int]]
    threshold: int
    destructions: list[DestructionRecord] = field(default_factory=list)


def review(month: date, *, limit: int = 500) -> Review:
    """The month's records sorted into what the privacy officer looks at (each list capped at `limit`)."""
    rows = list(records_of_month(month))
    threshold = reason_threshold()
    takeout = {str(a) for a in TAKEOUT}
    large: list[AccessRecord] = []
    bulk: list[AccessRecord] = []
    after: list[AccessRecord] = []
    people: dict[int | None, Person] = {}
    actions: Counter[str] = Counter()
    for r in rows:
        actions[r.action] += 1
        p = people.setdefault(r.actor_id, Person(r.actor_id, r.actor_name))
        p.records += 1
        p.people += r.count
        outside = not is_working_time(r.at)
        if r.action in takeout:
            p.takeouts += 1
            if r.count > threshold:
                large.append(r)
            if r.count > 1:
                bulk.append(r)
        if outside:
            p.after_hours += 1
            after.append(r)
    start, end = month_bounds(month)
    return Review(
        month=month,
        total=len(rows),
        large=large[:limit],
        bulk=bulk[:limit],
        after_hours=after[:limit],
        people=sorted(people.values(), key=lambda p: (-p.people, -p.records, p.name)),
        by_action=[(str(Action(a).label), n) for a, n in actions.most_common()],
        threshold=threshold,
        destructions=list(DestructionRecord.objects.filter(at__gte=start, at__lt=end)),
    )


def parse_month(text: Any) -> date:
    """ "2025-03" → 1 March 2025; anything else → this month."""
    try:
        year, month = (int(x) for x in str(text or "").split("-", 1))
        if 2000 <= year <= 2100:
            return date(year, month, 1)
    except ValueError:
        pass
    return timezone.localdate().replace(day=1)


# ---------------------------------------------------------------- the exposure filter's records


def held_ids(place: str) -> QuerySet[Screening, int]:
    """The ids of this place's items held for a moderator, as a subquery for the app's own reads:
    `items.exclude(pk__in=held_ids("calls.attachment"))`."""
    return Screening.objects.filter(place=place, state=ScreeningState.HELD).values_list("object_id", flat=True)


def is_held(place: str, object_id: int) -> bool:
    return Screening.objects.filter(place=place, object_id=object_id, state=ScreeningState.HELD).exists()


def ever_screened(place: str, id_column: str) -> RawSQL:
    """An annotation: whether the filter ever screened the item whose id is in `id_column` of the
    outer query (a quoted "table"."column"), for a page that would otherwise ask `screened` for
    one item that, as most are, was never flagged. Plain SQL: it costs the page's query next to
    nothing to compile. True where `screened` may find something; False where it finds nothing."""
    return sqlnames.exists(Screening, "object_id", id_column, place=place)


def screened(place: str, ids: Iterable[int]) -> dict[int, Screening]:
    """The newest screening record of each of these items, where it still flags text (not masked
    or deleted). An item screened again after a moderator's decision has several: the newest counts."""
    wanted = sorted({int(i) for i in ids})
    if not wanted:
        return {}
    newest: dict[int, Screening] = {}
    for start in range(0, len(wanted), 500):
        rows = Screening.objects.filter(place=place, object_id__in=wanted[start : start + 500]).order_by("pk")
        for r in rows.select_related("organisation"):
            newest[r.object_id] = r
    return {i: r for i, r in newest.items() if r.state not in (ScreeningState.MASKED, ScreeningState.DELETED)}


def visible_to(user: Any, place: str, ids: Iterable[int]) -> set[int]:
    """Of these items, those `user` may see: all but the held ones, which only their author and
    their moderators see."""
    wanted = set(ids)
    rows = screened(place, wanted)
    return {i for i in wanted if (row := rows.get(i)) is None or not row.is_held or rules.sees_exposed(user, row)}


def mask_for_reader(
    user: Any, place: str, items: Iterable[Any], fields: Iterable[str], *, rich_fields: Iterable[str] = ()
) -> None:
    """Replace, on these objects in memory only, the flagged text `user` may not see as written by
    what such a reader sees (exposure.shown). Nothing is saved; pages and the API read the objects after.
    `fields` hold plain text, `rich_fields` rich HTML (exposure.shown_html); one query for both."""
    objs = list(items)
    rows = screened(place, [o.pk for o in objs])
    if not rows:
        return
    names = [(name, False) for name in fields] + [(name, True) for name in rich_fields]
    for o in objs:
        row = rows.get(o.pk)
        if row is None or rules.sees_exposed(user, row):
            continue
        for name, html in names:
            text = getattr(o, name) or ""
            setattr(o, name, exposure.shown_html(text) if html else exposure.shown(text))


@dataclass
class Pending:
    """One item on the moderators' page."""

    screening: Screening
    place: places.Place
    shown: places.Shown
    labels: list[str]

    @property
    def texts(self) -> list[tuple[str, str]]:
        return [(self.place.field_label(name), text) for name, text in self.shown.texts.items()]

    @property
    def can(self) -> dict[str, bool]:
        return {d: self.place.can(d) for d in ("release", "mask", "delete")}


def pending_for(user: Any, *, limit: int = 200) -> list[Pending]:
    """Items waiting for `user` as a moderator, held ones first, then those published with their
    author's confirmation and not yet looked at; items gone since are left out."""
    if not rules.can_open_moderation(user):
        raise NotFound()
    rows = (
        Screening.objects.filter(state__in=OPEN_STATES)
        .select_related("organisation", "author")
        .order_by("-state", "created_at", "pk")  # "held" sorts after "confirmed": reversed
    )
    found: list[Pending] = []
    for row in rows.iterator(chunk_size=200):
        place = places.get(row.place)
        if place is None or not rules.can_moderate_exposures(user, row.organisation):
            continue
        shown = place.show(row.object_id)
        if shown is None:
            continue
        labels = [exposure.describe(exposure.Exposure(**f), place.fields) for f in row.findings]
        found.append(Pending(row, place, shown, labels))
        if len(found) >= limit:
            break
    return found


def access_screening(user: Any, raw_id: Any) -> Screening:
    pk = params.id_or_zero(raw_id)
    row = Screening.objects.select_related("organisation").filter(pk=pk).first() if pk else None
    if row is None or not rules.can_moderate_exposures(user, row.organisation):
        raise NotFound()
    return row
