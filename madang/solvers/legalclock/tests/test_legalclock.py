"""Legal periods: worked examples around 설날, 추석, substitute holidays and year ends, then properties
checked against an independent day-by-day count that asks the ``holidays`` package directly."""

from datetime import date, timedelta

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from madang.solvers.legalclock import (
    Calendar,
    Counting,
    LegalClockError,
    Period,
    Stop,
    Unit,
    add_months,
    deadline,
    extend,
    raw_end,
    working_days_left,
)

KR = Calendar()
MONTH = Period(1, Unit.MONTHS)


def due(start, length, unit=Unit.DAYS, counting=Counting.CIVIL_CODE, stops=(), **kw):
    return deadline(start, Period(length, unit, counting), KR, stops, **kw).due


# --- worked examples -----------------------------------------------------------------------------------------


def test_it_moves_a_month_ending_on_a_temporary_holiday_past_the_whole_seollal():
    # Received Fri 2024-12-27: counting starts the 28th (초일 불산입), so one month ends Mon 2025-01-27,
    # the temporary holiday before 설날 (28th–30th); the first working day is Fri the 31st.
    d = deadline(date(2024, 12, 27), MONTH, KR)
    assert d.raw_end == date(2025, 1, 27)
    assert d.due == date(2025, 1, 31)
    assert d.rolled_over == (date(2025, 1, 27), date(2025, 1, 28), date(2025, 1, 29), date(2025, 1, 30))


def test_it_moves_past_chuseok_its_substitute_day_and_hangul_day():
    # 2025: 추석 Oct 5–7 (the 5th a Sunday), substitute holiday Wed Oct 8, 한글날 Thu Oct 9.
    assert deadline(date(2025, 9, 5), MONTH, KR).raw_end == date(2025, 10, 5)
    assert due(date(2025, 9, 5), 1, Unit.MONTHS) == date(2025, 10, 10)
    # the re-examination window as read (15 days from the notice) lands in the same week
    assert due(date(2025, 9, 22), 15) == date(2025, 10, 10)


def test_it_counts_a_month_from_the_first_of_a_month_to_its_end_and_then_past_a_substitute_holiday():
    # Received Sat 2026-01-31: counting starts Sun Feb 1, the start of a month (민법 제160조제1항), so the
    # month ends Sat Feb 28; Sun Mar 1 is 삼일절 and Mon Mar 2 its substitute, so the due day is Tue Mar 3.
    d = deadline(date(2026, 1, 31), MONTH, KR)
    assert d.raw_end == date(2026, 2, 28)
    assert d.due == date(2026, 3, 3)


def test_it_ends_on_the_last_day_of_a_month_without_the_corresponding_day():
    # 민법 제160조제3항: counting from Jan 31 there is no Feb 31, so the month's last day.
    assert raw_end(date(2025, 1, 30), MONTH, KR) == date(2025, 2, 28)
    assert raw_end(date(2024, 1, 30), MONTH, KR) == date(2024, 2, 29)  # leap year
    # and the day before the corresponding day otherwise: from Mar 1 to Mar 31, not "Feb 28 + 1 month"
    assert raw_end(date(2025, 2, 28), MONTH, KR) == date(2025, 3, 31)
    assert add_months(date(2025, 2, 28), 1) == (date(2025, 3, 28), False)


def test_it_crosses_the_year_end_and_new_years_day():
    assert due(date(2025, 12, 24), 7) == date(2025, 12, 31)
    assert due(date(2025, 12, 25), 7) == date(2026, 1, 2)  # Jan 1 is a holiday
    assert due(date(2025, 12, 15), 1, Unit.YEARS) == date(2026, 12, 15)
    assert due(date(2026, 2, 9), 7) == date(2026, 2, 19)  # 설날 2026 is Feb 16–18


def test_it_counts_weeks_on_the_same_weekday():
    assert raw_end(date(2025, 1, 22), Period(1, Unit.WEEKS), KR) == date(2025, 1, 29)
    assert due(date(2025, 1, 22), 1, Unit.WEEKS) == date(2025, 1, 31)


def test_it_counts_civil_petition_days_from_the_first_day_without_saturdays_and_holidays():
    # 10 days from Wed 2025-10-01, the first day included: 1, 2, (3–9 closed), 10, 13–17, 20, 21.
    assert due(date(2025, 10, 1), 10, counting=Counting.CIVIL_PETITION) == date(2025, 10, 21)
    # a period of five days or less runs from receipt: that many working days after the day itself
    assert due(date(2025, 10, 1), 3, counting=Counting.CIVIL_PETITION) == date(2025, 10, 13)
    # received on a holiday: the first working day is the first counted day
    assert due(date(2025, 10, 5), 6, counting=Counting.CIVIL_PETITION) == date(2025, 10, 17)


def test_it_keeps_a_restriction_ending_on_a_sunday_on_that_sunday():
    # 행정기본법 제6조제2항: the first day counts and a holiday end does not move.
    d = deadline(date(2025, 9, 26), Period(10, Unit.DAYS, Counting.RESTRICTION), KR)
    assert d.due == d.raw_end == date(2025, 10, 5)


def test_it_stops_the_clock_for_a_supplement_and_runs_it_again_after_the_answer():
    receipt = date(2025, 3, 4)
    assert deadline(receipt, MONTH, KR).due == date(2025, 4, 4)
    # asked on Fri Mar 7, answered Mon Mar 17: ten days do not count
    d = deadline(receipt, MONTH, KR, [Stop(date(2025, 3, 7), date(2025, 3, 17))])
    assert d.stopped_days == 10
    assert d.raw_end == date(2025, 4, 14)
    assert d.due == date(2025, 4, 14)
    # an answer on the day of the request stops nothing
    assert deadline(receipt, MONTH, KR, [Stop(date(2025, 3, 7), date(2025, 3, 7))]).due == date(2025, 4, 4)


def test_it_reports_an_open_stop_and_the_due_day_if_the_clock_ran_again_tomorrow():
    receipt = date(2025, 3, 4)
    open_stop = Stop(date(2025, 3, 7))
    d = deadline(receipt, MONTH, KR, [open_stop])
    assert d.open_stop == open_stop and d.due is None and not d.running
    d = deadline(receipt, MONTH, KR, [open_stop], as_of=date(2025, 3, 10))
    assert d.stopped_days == 3 and d.due == date(2025, 4, 7)


def test_it_measures_a_stop_in_working_days_for_a_working_day_period():
    start = date(2025, 9, 29)  # Mon; the day itself not counted: Sep 30, Oct 1, 2, 10, 13–17, 20
    base = deadline(start, Period(10, Unit.WORKING_DAYS), KR)
    assert base.due == date(2025, 10, 20)
    # stopped Tue Sep 30, answered Fri Oct 10: Oct 1, 2 and 10 are the working days in (Sep 30, Oct 10]
    d = deadline(start, Period(10, Unit.WORKING_DAYS), KR, [Stop(date(2025, 9, 30), date(2025, 10, 10))])
    assert d.stopped_days == 3
    assert d.due == date(2025, 10, 23)


def test_it_does_not_revive_a_period_with_a_stop_after_it_ran_out():
    receipt = date(2025, 3, 4)
    d = deadline(receipt, MONTH, KR, [Stop(date(2025, 4, 10), date(2025, 4, 20))])
    assert d.stopped_days == 0 and d.due == date(2025, 4, 4)


def test_it_merges_overlapping_stops():
    stops = [Stop(date(2025, 3, 7), date(2025, 3, 12)), Stop(date(2025, 3, 10), date(2025, 3, 17))]
    assert deadline(date(2025, 3, 4), MONTH, KR, stops).stopped_days == 10


def test_it_extends_from_the_day_the_original_period_ran_out():
    original = deadline(date(2024, 12, 27), MONTH, KR)  # due 2025-01-31
    longer = extend(original, MONTH, KR)
    assert longer.raw_end == date(2025, 2, 28)
    assert longer.due == date(2025, 2, 28)


def test_it_counts_working_days_left_and_overdue():
    assert working_days_left(date(2025, 10, 1), date(2025, 10, 10), KR) == 2  # Oct 2 and 10
    assert working_days_left(date(2025, 10, 13), date(2025, 10, 10), KR) == -1
    assert working_days_left(date(2025, 10, 10), date(2025, 10, 10), KR) == 0


def test_it_works_with_a_calendar_of_its_own():
    cal = Calendar.fixed([date(2030, 5, 6)])
    assert deadline(date(2030, 5, 2), Period(4, Unit.DAYS), cal).due == date(2030, 5, 7)
    assert cal.is_working_day(date(2030, 5, 7)) and not cal.is_working_day(date(2030, 5, 4))


def test_it_takes_a_temporary_holiday_declared_after_the_package_release():
    cal = Calendar(extra=[date(2025, 10, 10)])
    assert deadline(date(2025, 9, 5), MONTH, cal).due == date(2025, 10, 13)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Period(-1, Unit.DAYS), "≥ 0"),
        (lambda: Stop(date(2025, 3, 10), date(2025, 3, 9)), "before it started"),
        (
            lambda: deadline(date(2025, 3, 4), MONTH, KR, [Stop(date(2025, 3, 1), date(2025, 3, 2))]),
            "before the period",
        ),
        (lambda: deadline(date(2025, 3, 4), MONTH, KR, [Stop(date(2025, 3, 5)), Stop(date(2025, 3, 6))]), "still open"),
        (lambda: extend(deadline(date(2025, 3, 4), MONTH, KR, [Stop(date(2025, 3, 5))]), MONTH, KR), "stopped"),
    ],
)
def test_it_refuses_what_cannot_be_counted_with_a_clear_message(make, message):
    with pytest.raises(LegalClockError, match=message):
        make()


# --- properties against an independent count ---------------------------------------------------------------

PKG = holidays.country_holidays("KR", years=range(2018, 2034))


def naive_off(d: date) -> bool:
    return d.weekday() >= 5 or d in PKG


def naive_civil_days(start: date, n: int) -> date:
    """민법: skip the first day, count n days one by one, then step off Saturdays and holidays."""
    d = start + timedelta(days=n)
    while naive_off(d):
        d += timedelta(days=1)
    return d


def naive_petition_days(start: date, n: int) -> date:
    """민원처리법 제19조제2항: count working days one by one, the first day included."""
    d, counted = start, 0
    while True:
        if not naive_off(d):
            counted += 1
            if counted == n:
                return d
        d += timedelta(days=1)


dates = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))
periods = st.one_of(
    st.builds(
        Period, st.integers(0, 120), st.just(Unit.DAYS), st.sampled_from([Counting.CIVIL_CODE, Counting.CIVIL_PETITION])
    ),
    st.builds(
        Period, st.integers(0, 10), st.just(Unit.WEEKS), st.sampled_from([Counting.CIVIL_CODE, Counting.CIVIL_PETITION])
    ),
    st.builds(
        Period,
        st.integers(0, 24),
        st.just(Unit.MONTHS),
        st.sampled_from([Counting.CIVIL_CODE, Counting.CIVIL_PETITION]),
    ),
    st.builds(
        Period,
        st.integers(0, 60),
        st.just(Unit.WORKING_DAYS),
        st.sampled_from([Counting.CIVIL_CODE, Counting.CIVIL_PETITION]),
    ),
)


@settings(max_examples=300, deadline=None)
@given(dates, st.integers(1, 120))
def test_it_agrees_with_a_day_by_day_count(start, n):
    assert due(start, n) == naive_civil_days(start, n)
    if n >= 6:
        assert due(start, n, counting=Counting.CIVIL_PETITION) == naive_petition_days(start, n)


@settings(max_examples=300, deadline=None)
@given(dates, periods)
def test_it_never_lets_a_period_run_out_on_a_holiday_or_a_saturday(start, period):
    d = deadline(start, period, KR)
    assert d.due is not None and not naive_off(d.due)
    assert d.due >= d.raw_end >= start
    assert all(naive_off(x) for x in d.rolled_over)


@settings(max_examples=300, deadline=None)
@given(dates, periods, st.integers(0, 40), st.integers(0, 40))
def test_it_extends_by_exactly_the_stopped_days(start, period, offset, length):
    base = deadline(start, period, KR)
    stopped = start + timedelta(days=offset)
    stop = Stop(stopped, stopped + timedelta(days=length))
    with_stop = deadline(start, period, KR, [stop])
    if stopped > base.raw_end:
        assert with_stop == base
        return
    if period.by_working_days:
        expected = KR.working_days_between(stop.stopped, stop.resumed)
        assert with_stop.stopped_days == expected
        assert with_stop.raw_end == (KR.add_working_days(base.raw_end, expected) if expected else base.raw_end)
    else:
        assert with_stop.stopped_days == length
        assert with_stop.raw_end == base.raw_end + timedelta(days=length)


@settings(max_examples=300, deadline=None)
@given(dates, dates, periods, st.integers(0, 5))
def test_it_is_monotonic_in_start_length_and_stops(a, b, period, more):
    first, second = min(a, b), max(a, b)
    assert deadline(first, period, KR).due <= deadline(second, period, KR).due
    longer = Period(period.length + more, period.unit, period.counting)
    assert deadline(first, period, KR).due <= deadline(first, longer, KR).due
    stop = Stop(first, first + timedelta(days=more))
    assert deadline(first, period, KR).due <= deadline(first, period, KR, [stop]).due
