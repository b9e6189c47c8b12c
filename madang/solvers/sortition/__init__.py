"""Fair stratified lottery ("sortition") for inviting citizens to a panel.

Implements LEXIMIN from Flanigan, Gölz, Gupta, Hennig and Procaccia, "Fair algorithms for selecting
citizens' assemblies", Nature 596, 548–552 (2021), over types of people (identical values in every
category), with the relaxation's LEXIMIN written as a lottery by a face walk (facewalk.py); a
plain-words feasibility check, a verifiable draw, replacements, and a LEGACY-style greedy baseline.
Framework-free: plain data in and out, randomness only from explicit seeds.
"""

from .distribution import Distribution, geometric_mean, gini
from .draw import (
    DrawCheck,
    ReplacementDraw,
    commit,
    draw,
    draw_replacement,
    serialise,
    uniform_from_seed,
    verify_draw,
)
from .feasibility import FeasibilityReport, QuotaChange, check_feasibility
from .instance import Instance, Quota, make_instance, read_instance
from .legacy import legacy_panel, legacy_probabilities
from .leximin import InfeasibleQuotas, LeximinResult, find_leximin

__all__ = [
    "Distribution",
    "DrawCheck",
    "FeasibilityReport",
    "InfeasibleQuotas",
    "Instance",
    "LeximinResult",
    "Quota",
    "QuotaChange",
    "ReplacementDraw",
    "check_feasibility",
    "commit",
    "draw",
    "draw_replacement",
    "find_leximin",
    "geometric_mean",
    "gini",
    "legacy_panel",
    "legacy_probabilities",
    "make_instance",
    "read_instance",
    "serialise",
    "uniform_from_seed",
    "verify_draw",
]
