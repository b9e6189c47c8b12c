"""Maximally diverse grouping (MDGP) with size bounds and must/cannot-link rules; no Django."""

from madang.solvers.grouping.core import (
    Check,
    InfeasibleGrouping,
    Result,
    check,
    diversity_matrix,
    objective,
    solve,
)
from madang.solvers.grouping.instances import Instance, read_mdgplib

__all__ = [
    "Check",
    "InfeasibleGrouping",
    "Instance",
    "Result",
    "check",
    "diversity_matrix",
    "objective",
    "read_mdgplib",
    "solve",
]
