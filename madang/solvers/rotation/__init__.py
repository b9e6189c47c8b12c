"""World Cafe / social golfer table rotations with hard rules and re-planning; no Django."""

from madang.solvers.rotation.core import Check, Plan, Result, check, replan, solve, table_sizes
from madang.solvers.rotation.golfer import construct

__all__ = ["Check", "Plan", "Result", "check", "construct", "replan", "solve", "table_sizes"]
