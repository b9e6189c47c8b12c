"""Working days in Korea: Saturdays, Sundays and public holidays are not working days.

Sundays are public holidays by 「관공서의 공휴일에 관한 규정」 제2조제1호; Saturdays are named beside
public holidays in 민법 제161조 and in 「민원 처리에 관한 법률」 제19조. The other public holidays
(lunar 설날 and 추석, 부처님오신날, substitute holidays, election days, temporary holidays known at its
release) come from the maintained ``holidays`` package (country ``KR``), not from a list kept here.
A temporary holiday declared after that release can be added with ``extra``.

A calendar keeps the working days of the years it has seen as a sorted array of ordinals, so
"the n-th working day after d" and "working days between a and b" are two bisections, not a loop.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from datetime import date, timedelta

HolidaySource = Callable[[int], Iterable[date]]

# The years a calendar loads at once around the first date it is asked about: a year of
# suggestions rarely looks more than a year ahead, and loading is the slow part.
_SPAN = 2


def korean_public_holidays(year: int) -> Iterable[date]:
    """Korea's public holidays of ``year`` from the ``holidays`` package (Sundays are not listed there)."""
    import holidays  # imported here so that a calendar with its own source needs no package

    return holidays.country_holidays("KR", years=year).keys()


class Calendar:
    """Which days are working days; loads years on demand from ``source``.

    ``extra`` adds non-working days (a temporary holiday the package does not know yet);
    ``removed`` takes days back (a holiday cancelled). Both apply to every year.
    """

    def __init__(
        self,
        source: HolidaySource = korean_public_holidays,
        *,
        extra: Iterable[date] = (),
        removed: Iterable[date] = (),
        saturday_off: bool = True,
    ) -> None:
        self._source = source
        self._extra = {d.toordinal() for d in extra}
        self._removed = {d.toordinal() for d in removed}
        self._weekend = {5, 6} if saturday_off else {6}
        self._holidays: set[int] = set()
        self._years: tuple[int, int] | None = None  # inclusive range loaded
        self._working: list[int] = []  # sorted ordinals of working days in the loaded range

    @classmethod
    def fixed(cls, holidays: Iterable[date], *, saturday_off: bool = True) -> Calendar:
        """A calendar with a given list of holidays and no package behind it (for tests and tools)."""
        days = sorted(set(holidays))
        by_year: dict[int, list[date]] = {}
        for d in days:
            by_year.setdefault(d.year, []).append(d)
        return cls(lambda y: by_year.get(y, []), saturday_off=saturday_off)

    # --- loading ---------------------------------------------------------------------------------------------

    def _cover(self, year: int) -> None:
        if self._years and self._years[0] <= year <= self._years[1]:
            return
        if self._years is None:
            lo, hi = year - _SPAN, year + _SPAN
        else:
            lo, hi = min(self._years[0], year - _SPAN), max(self._years[1], year + _SPAN)
        if not (lo >= 1 and hi <= 9998):
            raise ValueError(f"year {year} is outside the calendar's range")
        for y in range(lo, hi + 1):
            if self._years and self._years[0] <= y <= self._years[1]:
                continue
            self._holidays.update(d.toordinal() for d in self._source(y))
        self._years = (lo, hi)
        first, last = date(lo, 1, 1).toordinal(), date(hi, 12, 31).toordinal()
        self._working = [o for o in range(first, last + 1) if not self._off(o)]

    def _off(self, ordinal: int) -> bool:
        if ordinal in self._removed:
            return False
        # date.fromordinal(1) is a Monday, so weekday() == (ordinal - 1) % 7.
        return (ordinal - 1) % 7 in self._weekend or ordinal in self._holidays or ordinal in self._extra

    # --- questions -------------------------------------------------------------------------------------------

    def is_working_day(self, d: date) -> bool:
        self._cover(d.year)
        return not self._off(d.toordinal())

    def is_holiday(self, d: date) -> bool:
        """A public holiday or a Sunday (and a Saturday when Saturdays are off): what 민법 제161조 names."""
        return not self.is_working_day(d)

    def _rank(self, d: date) -> int:
        """How many loaded working days fall on or before ``d``."""
        self._cover(d.year)
        return bisect.bisect_right(self._working, d.toordinal())

    def _at(self, rank: int) -> date:
        """The working day with ``rank`` working days on or before it (1-based), loading years as needed."""
        while rank > len(self._working):
            assert self._years is not None
            self._cover(self._years[1] + 1)
        while rank < 1:
            assert self._years is not None
            before = len(self._working)
            self._cover(self._years[0] - 1)
            rank += len(self._working) - before
        return date.fromordinal(self._working[rank - 1])

    def next_working_day(self, d: date) -> date:
        """``d`` itself if it is a working day, else the first working day after it."""
        if self.is_working_day(d):
            return d
        return self._at(self._rank(d) + 1)

    def add_working_days(self, d: date, n: int) -> date:
        """The n-th working day after ``d`` (``d`` itself not counted); n = 0 gives ``next_working_day(d)``."""
        if n < 0:
            raise ValueError("n must not be negative")
        if n == 0:
            return self.next_working_day(d)
        return self._at(self._rank(d) + n)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in the half-open span (start, end]: 0 when end <= start."""
        if end <= start:
            return 0
        self._cover(start.year)
        self._cover(end.year)
        return self._rank(end) - self._rank(start)

    def holidays_between(self, start: date, end: date) -> list[date]:
        """The non-working days in (start, end], in order."""
        out = []
        d = start + timedelta(days=1)
        while d <= end:
            if not self.is_working_day(d):
                out.append(d)
            d += timedelta(days=1)
        return out
