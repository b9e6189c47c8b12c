"""Periods counted as Korean law counts them, with clock stops.

Three ways of counting, each named for the law that sets it:

``CIVIL_CODE`` — 민법 제155조–제161조, which 행정기본법 제6조제1항 applies to periods in
administration unless a law says otherwise (an agency's time to decide a suggestion, a
proposer's time to ask for re-examination):

* 제157조: a period in days, weeks, months or years does not count its first day (초일 불산입),
  unless it starts at midnight;
* 제159조: it ends at the end of its last day;
* 제160조: weeks, months and years follow the calendar; a period not counted from the start of a
  week, month or year ends on the day before the day in the last week, month or year that
  corresponds to its first counted day, and on the last day of that month when there is none;
* 제161조: when the last day is a Saturday or a public holiday the period ends on the next day
  (repeated here until a working day: the next day may itself be a holiday).

``CIVIL_PETITION`` — 「민원 처리에 관한 법률」 제19조 for periods of handling a civil petition (민원):
a period of five days or less counts working hours from receipt (read here at the level of
dates: that many working days after the day of receipt); six days or more counts days with the
first day included and Saturdays and public holidays left out; weeks, months and years include
the first day and then follow 민법 제159조–제161조.

``RESTRICTION`` — 행정기본법 제6조제2항, for the time during which a law or a disposition limits a
citizen's rights or imposes a duty: the first day is counted, and a period ending on a Saturday
or a public holiday still ends that day. The same paragraph's proviso says this does not apply
where it would be to the citizen's disadvantage; choosing this counting is the caller's
judgement that it is not.

Clock stops (보완: "보완에 걸리는 기간은 ... 기간에 산입하지 아니한다") are spans during which the
period does not run. A stop is recorded by the day the request went out and the day the answer
came back; the request day still counts (the agency worked on it that day), the days after it up
to and including the day of the answer do not, and the clock runs again from the next day. A
stop therefore adds ``(resumed - stopped).days`` calendar days to a calendar-counted period, or
the working days in (stopped, resumed] to a working-day-counted one. A stop that starts after
the period has already run out adds nothing: it cannot revive a lapsed period.
"""

from __future__ import annotations

import calendar as _cal
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from madang.solvers.legalclock.calendar import Calendar


class LegalClockError(ValueError):
    """A period or a stop that cannot be counted (a negative length, a stop before the start ...)."""


class Unit(StrEnum):
    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"
    YEARS = "years"
    WORKING_DAYS = "working_days"  # a period stated in working days (근무일): holidays never count


class Counting(StrEnum):
    CIVIL_CODE = "civil_code"  # 민법 제157조–제161조 (행정기본법 제6조제1항)
    CIVIL_PETITION = "civil_petition"  # 「민원 처리에 관한 법률」 제19조
    RESTRICTION = "restriction"  # 행정기본법 제6조제2항


@dataclass(frozen=True)
class Period:
    length: int
    unit: Unit
    counting: Counting = Counting.CIVIL_CODE

    def __post_init__(self) -> None:
        if not isinstance(self.length, int) or self.length < 0:
            raise LegalClockError(f"a period's length must be a whole number of {self.unit} ≥ 0, not {self.length!r}")
        object.__setattr__(self, "unit", Unit(self.unit))
        object.__setattr__(self, "counting", Counting(self.counting))

    @property
    def by_working_days(self) -> bool:
        """Whether stops are measured in working days for this period."""
        return self.unit == Unit.WORKING_DAYS or (self.counting == Counting.CIVIL_PETITION and self.unit == Unit.DAYS)

    def __str__(self) -> str:
        return f"{self.length} {self.unit} ({self.counting})"


@dataclass(frozen=True)
class Stop:
    """The clock stopped on ``stopped`` (a request went out) and runs again after ``resumed``.

    ``resumed`` is None while the stop is still open (the answer has not come).
    """

    stopped: date
    resumed: date | None = None

    def __post_init__(self) -> None:
        if self.resumed is not None and self.resumed < self.stopped:
            raise LegalClockError(f"a stop cannot resume ({self.resumed}) before it started ({self.stopped})")


@dataclass(frozen=True)
class Deadline:
    """The end of a period: ``due`` is the last day on which the act is in time.

    ``raw_end`` is the end before 민법 제161조 moved it off a Saturday or holiday; ``stopped_days``
    is what the stops added (calendar or working days, see ``Period.by_working_days``); ``open_stop``
    is set while a stop is open, and then ``due`` is the due date if the clock ran again tomorrow
    (``as_of`` + 1), or None when no ``as_of`` was given.
    """

    start: date
    period: Period
    raw_end: date | None
    due: date | None
    stopped_days: int = 0
    rolled_over: tuple[date, ...] = field(default=())  # the Saturdays/holidays the end was moved past
    open_stop: Stop | None = None

    @property
    def running(self) -> bool:
        return self.open_stop is None


# --- calendar arithmetic -------------------------------------------------------------------------------------


def add_months(d: date, months: int) -> tuple[date, bool]:
    """``d`` moved by whole months; the flag says the day does not exist there (then the month's last day)."""
    index = d.year * 12 + (d.month - 1) + months
    year, month = divmod(index, 12)
    last = _cal.monthrange(year, month + 1)[1]
    if d.day > last:
        return date(year, month + 1, last), True
    return date(year, month + 1, d.day), False


def _calendar_end(first: date, length: int, unit: Unit) -> date:
    """Last day of a period whose first counted day is ``first`` (민법 제159조, 제160조)."""
    if unit == Unit.DAYS:
        return first + timedelta(days=length - 1)
    if unit == Unit.WEEKS:
        return first + timedelta(weeks=length) - timedelta(days=1)
    months = length * (12 if unit == Unit.YEARS else 1)
    if first.day == 1:
        # counted from the start of a month (제160조제1항): it ends at the end of the last month
        end, _ = add_months(first, months - 1)
        return date(end.year, end.month, _cal.monthrange(end.year, end.month)[1])
    corresponding, missing = add_months(first, months)
    if missing:
        return corresponding  # 제160조제3항: no such day in the last month, so its last day
    return corresponding - timedelta(days=1)  # 제160조제2항: the day before the corresponding day


def raw_end(start: date, period: Period, calendar: Calendar) -> date:
    """The last day of ``period`` counted from ``start`` (the day of receipt, notice ...), before any
    move off a holiday and before stops. A period of length 0 ends on ``start``."""
    n, unit, counting = period.length, period.unit, period.counting
    if n == 0:
        return start
    if unit == Unit.WORKING_DAYS:
        first_counted = counting != Counting.CIVIL_CODE
        return _working_end(start, n, calendar, first_counted)
    if counting == Counting.CIVIL_PETITION and unit == Unit.DAYS:
        # 민원처리법 제19조: ≤5 days run in working hours from receipt; ≥6 days include the first day.
        return _working_end(start, n, calendar, first_counted=n >= 6)
    first = start + timedelta(days=1) if counting == Counting.CIVIL_CODE else start
    return _calendar_end(first, n, unit)


def _working_end(start: date, n: int, calendar: Calendar, first_counted: bool) -> date:
    if first_counted and calendar.is_working_day(start):
        return calendar.add_working_days(start, n - 1)
    return calendar.add_working_days(start, n)


def roll_forward(d: date, calendar: Calendar) -> tuple[date, tuple[date, ...]]:
    """민법 제161조: a last day on a Saturday or public holiday moves to the next day, until a working day."""
    passed = []
    while not calendar.is_working_day(d):
        passed.append(d)
        d += timedelta(days=1)
    return d, tuple(passed)


# --- stops ---------------------------------------------------------------------------------------------------


def merge_stops(stops: Iterable[Stop]) -> list[Stop]:
    """Stops in order, overlapping or touching ones merged; at most one open stop, and it is last."""
    ordered = sorted(stops, key=lambda s: (s.stopped, s.resumed or date.max))
    merged: list[Stop] = []
    for s in ordered:
        if merged:
            last = merged[-1]
            if last.resumed is None:
                raise LegalClockError(f"a stop starts on {s.stopped} while the stop of {last.stopped} is still open")
            if s.stopped <= last.resumed:
                resumed = None if s.resumed is None else max(last.resumed, s.resumed)
                merged[-1] = Stop(last.stopped, resumed)
                continue
        merged.append(s)
    return merged


def stop_length(stop: Stop, *, working: bool, calendar: Calendar, resumed: date | None = None) -> int:
    end = resumed or stop.resumed
    if end is None:
        raise LegalClockError("an open stop has no length yet")
    if working:
        return calendar.working_days_between(stop.stopped, end)
    return (end - stop.stopped).days


def _extend(end: date, days: int, *, working: bool, calendar: Calendar) -> date:
    if days == 0:
        return end
    if working:
        return calendar.add_working_days(end, days)
    return end + timedelta(days=days)


def deadline(
    start: date,
    period: Period,
    calendar: Calendar,
    stops: Sequence[Stop] = (),
    *,
    as_of: date | None = None,
) -> Deadline:
    """When ``period``, counted from ``start``, runs out given the clock ``stops``.

    With an open stop the result has ``open_stop`` set and, if ``as_of`` is given, the due date the
    period would have if the clock ran again the day after ``as_of``.
    """
    for s in stops:
        if s.stopped < start:
            raise LegalClockError(f"a stop on {s.stopped} is before the period's start on {start}")
    merged = merge_stops(stops)
    working = period.by_working_days
    end = raw_end(start, period, calendar)
    added = 0
    open_stop = None
    for s in merged:
        if s.stopped > end:
            break  # the period had run out before this stop began
        if s.resumed is None:
            open_stop = s
            if as_of is None:
                return Deadline(start, period, None, None, added, (), open_stop)
            if as_of < s.stopped:
                raise LegalClockError(f"as_of {as_of} is before the open stop of {s.stopped}")
            n = stop_length(s, working=working, calendar=calendar, resumed=as_of)
        else:
            n = stop_length(s, working=working, calendar=calendar)
        added += n
        end = _extend(end, n, working=working, calendar=calendar)
    if period.counting == Counting.RESTRICTION:
        return Deadline(start, period, end, end, added, (), open_stop)
    due, passed = roll_forward(end, calendar)
    return Deadline(start, period, end, due, added, passed, open_stop)


def extend(original: Deadline, extension: Period, calendar: Calendar) -> Deadline:
    """A period extended by ``extension``, counted from the day the original ran out (its ``due``).

    The extension starts the day after the original expired, as a new period would (민법 제157조).
    """
    if original.due is None:
        raise LegalClockError("a period whose clock is stopped cannot be extended until it runs again")
    more = deadline(original.due, extension, calendar)
    return Deadline(
        original.start, original.period, more.raw_end, more.due, original.stopped_days, more.rolled_over, None
    )


def working_days_left(today: date, due: date, calendar: Calendar) -> int:
    """Working days from the day after ``today`` up to and including ``due``; negative when overdue."""
    if due >= today:
        return calendar.working_days_between(today, due)
    return -calendar.working_days_between(due, today)
