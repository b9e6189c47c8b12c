"""Open Space agenda marketplace: room × slot schedules with few clashes; no Django."""

from madang.solvers.openspace.core import Replacement, Result, replace, solve
from madang.solvers.openspace.exact import ExactResult, solve_exact
from madang.solvers.openspace.generate import generate
from madang.solvers.openspace.model import (
    Check,
    InfeasibleMarket,
    Market,
    Room,
    Schedule,
    Topic,
    check,
    validate,
)

__all__ = [
    "Check",
    "ExactResult",
    "InfeasibleMarket",
    "Market",
    "Replacement",
    "Result",
    "Room",
    "Schedule",
    "Topic",
    "check",
    "generate",
    "replace",
    "solve",
    "solve_exact",
    "validate",
]
