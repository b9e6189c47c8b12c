"""`python -m madang.solvers.legalclock 2025-01-23 1 months [--counting civil_code] [--stop 2025-01-24:2025-02-03]`
prints when a period counted from a date runs out, and which Saturdays and holidays moved it."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from madang.solvers.legalclock import Calendar, Counting, LegalClockError, Period, Stop, Unit, deadline


def _stop(text: str) -> Stop:
    a, _, b = text.partition(":")
    return Stop(date.fromisoformat(a), date.fromisoformat(b) if b else None)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m madang.solvers.legalclock", description=__doc__)
    ap.add_argument("start", type=date.fromisoformat)
    ap.add_argument("length", type=int)
    ap.add_argument("unit", choices=[u.value for u in Unit])
    ap.add_argument("--counting", choices=[c.value for c in Counting], default=Counting.CIVIL_CODE.value)
    ap.add_argument("--stop", action="append", default=[], type=_stop, help="STOPPED:RESUMED (ISO dates)")
    ap.add_argument("--as-of", type=date.fromisoformat)
    args = ap.parse_args(argv)
    try:
        d = deadline(
            args.start,
            Period(args.length, Unit(args.unit), Counting(args.counting)),
            Calendar(),
            args.stop,
            as_of=args.as_of,
        )
    except LegalClockError as e:
        sys.stderr.write(f"error: {e}\n")
        return 2
    sys.stdout.write(
        f"raw end {d.raw_end}, due {d.due}, stopped {d.stopped_days} days, "
        f"moved past {', '.join(map(str, d.rolled_over)) or 'nothing'}"
        f"{', clock stopped since ' + str(d.open_stop.stopped) if d.open_stop else ''}\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
