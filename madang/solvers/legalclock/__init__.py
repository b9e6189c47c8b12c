"""Legal periods as Korean law counts them: days, weeks, months, working days, clock stops; no Django.

민법 제155조–제161조 (applied to administration by 행정기본법 제6조제1항), 「민원 처리에 관한 법률」
제19조 and 행정기본법 제6조제2항 are the three ways of counting (``Counting``); public holidays,
lunar and substitute ones included, come from the ``holidays`` package (``Calendar``).
docs/suggestions.md cites the articles and says where each is used.
"""

from madang.solvers.legalclock.calendar import Calendar, korean_public_holidays
from madang.solvers.legalclock.core import (
    Counting,
    Deadline,
    LegalClockError,
    Period,
    Stop,
    Unit,
    add_months,
    deadline,
    extend,
    merge_stops,
    raw_end,
    roll_forward,
    working_days_left,
)

__all__ = [
    "Calendar",
    "Counting",
    "Deadline",
    "LegalClockError",
    "Period",
    "Stop",
    "Unit",
    "add_months",
    "deadline",
    "extend",
    "korean_public_holidays",
    "merge_stops",
    "raw_end",
    "roll_forward",
    "working_days_left",
]
