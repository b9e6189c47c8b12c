"""Registrations as the solvers see them: attribute values, the diversity matrix, same-agency pairs."""

from collections.abc import Sequence

import numpy as np

from madang.events.models import ATTRIBUTES, Registration
from madang.events.selectors.registration import level_of
from madang.solvers.grouping import diversity_matrix
from madang.solvers.grouping.core import FloatArray

ATTRIBUTE_KEYS = [k for k, _label in ATTRIBUTES]


def attribute_value(reg: Registration, key: str) -> int | str | None:
    if key == "agency":
        return reg.agency_id
    if key == "level":
        return level_of(reg.agency)
    if key == "grade_band":
        return reg.grade  # numeric: grades far apart count as more different
    if key == "region":
        return reg.region or None
    if key == "gender":
        return reg.gender or None
    if key == "job_family":
        return reg.job_family or None
    raise KeyError(key)


def diversity(regs: Sequence[Registration], attributes: Sequence[str]) -> FloatArray:
    if not attributes:
        return np.zeros((len(regs), len(regs)))
    rows = [[attribute_value(r, a) for a in attributes] for r in regs]
    return diversity_matrix(rows, [1.0] * len(attributes), [a == "grade_band" for a in attributes])


def same_agency_pairs(regs: Sequence[Registration]) -> list[tuple[int, int]]:
    out = []
    for i, a in enumerate(regs):
        for j in range(i + 1, len(regs)):
            if a.agency_id is not None and a.agency_id == regs[j].agency_id:
                out.append((i, j))
    return out
