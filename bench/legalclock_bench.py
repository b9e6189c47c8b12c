"""Benchmark of madang.solvers.legalclock against a naive day-by-day loop, in the same run.

Usage: .venv/bin/python bench/legalclock_bench.py [--n 50000] [--seed 20260101]

The workload is what a year of suggestions asks of the clock: for each of N random receipt days in
2024–2027, the decision due date (1 month, 민법), the re-examination window (15 days from notice),
a 10-working-day period, a 14-day civil-petition period (민원처리법 제19조, first day counted),
and half of them with a supplement stop. The reference walks the days one at a time and asks the
``holidays`` package about each; both answers are compared for every case, so a speed-up that
changed a single date fails the run.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import holidays

from madang.solvers.legalclock import Calendar, Counting, Period, Stop, Unit, deadline
from madang.solvers.legalclock.core import add_months

PKG = holidays.country_holidays("KR", years=range(2023, 2030))


def off(d: date) -> bool:
    return d.weekday() >= 5 or d in PKG


def naive(start: date, period: Period, stop: Stop | None) -> date:
    """Day by day: count the period's days, add the stopped days, then step off holidays."""
    n, unit = period.length, period.unit
    if unit == Unit.MONTHS:
        first = start + timedelta(days=1)
        corr, missing = add_months(first, n)
        end = corr if missing else corr - timedelta(days=1)
        if first.day == 1:
            e, _ = add_months(first, n - 1)
            end = date(e.year, e.month, 1) + timedelta(days=32)
            end = date(end.year, end.month, 1) - timedelta(days=1)
    elif unit == Unit.WORKING_DAYS or period.counting == Counting.CIVIL_PETITION:
        d = start
        counted = 1 if (period.counting == Counting.CIVIL_PETITION and not off(start)) else 0
        while counted < n:
            d += timedelta(days=1)
            if not off(d):
                counted += 1
        end = d
    else:
        end = start
        for _ in range(n):
            end += timedelta(days=1)
    if stop is not None and stop.resumed is not None and stop.stopped <= end:
        if period.by_working_days:
            d = stop.stopped
            while d < stop.resumed:
                d += timedelta(days=1)
                if not off(d):
                    end += timedelta(days=1)
                    while off(end):
                        end += timedelta(days=1)
        else:
            for _ in range((stop.resumed - stop.stopped).days):
                end += timedelta(days=1)
    while off(end):
        end += timedelta(days=1)
    return end


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=50_000)
    ap.add_argument("--seed", type=int, default=20260101)
    ap.add_argument("--quick", action="store_true", help="2,000 receipts (make bench)")
    args = ap.parse_args()
    if args.quick:
        args.n = 2_000
    rng = random.Random(args.seed)
    periods = [
        Period(1, Unit.MONTHS),
        Period(15, Unit.DAYS),
        Period(10, Unit.WORKING_DAYS),
        Period(14, Unit.DAYS, Counting.CIVIL_PETITION),
    ]
    cases = []
    for _ in range(args.n):
        start = date(2024, 1, 1) + timedelta(days=rng.randrange(4 * 365))
        stop = None
        if rng.random() < 0.5:
            s = start + timedelta(days=rng.randrange(8))
            stop = Stop(s, s + timedelta(days=rng.randrange(1, 21)))
        for p in periods:
            cases.append((start, p, stop))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    print(f"# legalclock benchmark: {len(cases):,} deadlines ({args.n:,} receipts × {len(periods)} periods)")
    print(
        f"machine: {os.cpu_count()} logical CPUs, load average {load:.2f}; Python {platform.python_version()}; "
        f"holidays {holidays.__version__}"
    )

    cal = Calendar()
    gc.collect()
    t0 = time.perf_counter()
    ours = [deadline(s, p, cal, [st] if st else ()).due for s, p, st in cases]
    t_ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    ref = [naive(s, p, st) for s, p, st in cases]
    t_ref = time.perf_counter() - t0
    wrong = [(c, a, b) for c, a, b in zip(cases, ours, ref, strict=True) if a != b]
    print("| method | seconds | deadlines/s |\n|---|---:|---:|")
    print(f"| legalclock (bisection over working days) | {t_ours:.3f} | {len(cases) / t_ours:,.0f} |")
    print(f"| naive day-by-day loop over `holidays` | {t_ref:.3f} | {len(cases) / t_ref:,.0f} |")
    print(f"speed-up {t_ref / t_ours:.1f}×; disagreements: {len(wrong)}")
    for c, a, b in wrong[:5]:
        print("  ", c, "ours", a, "naive", b)
    if wrong:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
