"""Can any panel meet the quotas? If not, say why in plain words and suggest the smallest change.

The suggestion comes from an integer program over counts per type of person, with a slack that
lowers each minimum and one that raises each maximum, minimising the total slack: the result is
a smallest set of quota moves (in total seats) after which a valid panel exists.
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np

from ._highs import PanelModel, _i32, _new_highs
from .instance import Instance, Quota, Types, group_types


@dataclass(frozen=True)
class QuotaChange:
    quota: Quota
    new_min: int
    new_max: int

    def describe(self) -> str:
        q = self.quota
        parts = []
        if self.new_min != q.min:
            parts.append(f"lower the minimum for {q.label} from {q.min} to {self.new_min} (by {q.min - self.new_min})")
        if self.new_max != q.max:
            parts.append(f"raise the maximum for {q.label} from {q.max} to {self.new_max} (by {self.new_max - q.max})")
        return " and ".join(parts)


@dataclass(frozen=True)
class FeasibilityReport:
    feasible: bool
    problems: tuple[str, ...]
    changes: tuple[QuotaChange, ...] = ()
    relaxed: Instance | None = None

    def explain(self) -> str:
        if self.feasible:
            return "The quotas can be met: at least one valid panel exists."
        lines = ["The quotas cannot be met:"]
        lines += [f"- {p}" for p in self.problems]
        if self.changes:
            total = sum(abs(c.quota.min - c.new_min) + abs(c.new_max - c.quota.max) for c in self.changes)
            lines.append(f"Smallest change that makes a panel possible ({total} in total):")
            lines += [f"- {c.describe()}" for c in self.changes]
        elif self.relaxed is None:
            lines.append("No change of quotas can help.")
        return "\n".join(lines)


def _people(count: int) -> str:
    return "1 person" if count == 1 else f"{count} people"


def _plain_problems(instance: Instance) -> list[str]:
    k = instance.k
    problems: list[str] = []
    pool = instance.pool_counts()
    for q, have in zip(instance.quotas, pool, strict=True):
        if q.min > q.max:
            problems.append(f"the quota for {q.label} asks for at least {q.min} but at most {q.max}")
        if have < q.min:
            problems.append(
                f"at most {have} {q.label} {'is' if have == 1 else 'are'} in the pool "
                f"but the quota asks for at least {q.min}"
            )
    for cat in instance.categories:
        idx = [i for i, q in enumerate(instance.quotas) if q.category == cat]
        mins = sum(instance.quotas[i].min for i in idx)
        maxs = sum(instance.quotas[i].max for i in idx)
        reachable = sum(min(instance.quotas[i].max, int(pool[i])) for i in idx)
        if mins > k:
            problems.append(f"the minimums for {cat} add up to {mins}, more than the {k} seats on the panel")
        if maxs < k:
            problems.append(f"the maximums for {cat} add up to {maxs}, fewer than the {k} seats on the panel")
        elif reachable < k:
            problems.append(
                f"with the maximums for {cat} and the people in the pool, at most {reachable} "
                f"of the {k} seats can be filled"
            )
    return problems


def _bounds(instance: Instance) -> tuple[np.ndarray, np.ndarray]:
    qmin = np.array([q.min for q in instance.quotas], dtype=np.int64)
    qmax = np.array([q.max for q in instance.quotas], dtype=np.int64)
    return qmin, qmax


def any_panel(instance: Instance, types: Types | None = None) -> list[int] | None:
    """Some valid panel, or None when there is none."""
    if instance.k > instance.n:
        return None
    types = types or group_types(instance)
    qmin, qmax = _bounds(instance)
    if (qmin > qmax).any():
        return None
    counts, _, _ = PanelModel(types, qmin, qmax, instance.k).solve(np.zeros(types.count))
    if counts is None:
        return None
    return sorted(i for t, c in enumerate(counts.tolist()) for i in types.members[t][:c])


def smallest_relaxation(instance: Instance, types: Types | None = None) -> tuple[QuotaChange, ...] | None:
    """Quota moves of least total size after which a panel exists (None if even that cannot help)."""
    if instance.k > instance.n:
        return None
    types = types or group_types(instance)
    qmin, qmax = _bounds(instance)
    t_count, q_count = types.count, len(instance.quotas)
    h = _new_highs()
    # columns: counts per type, then a slack lowering each minimum, then one raising each maximum
    n_cols = t_count + 2 * q_count
    costs = np.concatenate([np.zeros(t_count), np.ones(2 * q_count)])
    upper = np.concatenate([types.sizes.astype(np.float64), np.full(2 * q_count, float(instance.k))])
    upper[t_count : t_count + q_count] = np.maximum(qmin, 0)
    h.addCols(n_cols, costs, np.zeros(n_cols), upper, 0, _i32([]), _i32([]), np.array([]))
    starts: list[int] = []
    indices: list[int] = []
    values: list[float] = []
    lower_b: list[float] = []
    upper_b: list[float] = []
    for q in range(q_count):
        members = np.nonzero(types.incidence[q])[0].tolist()
        for slack, sign, lo, hi in (
            (t_count + q, 1.0, float(qmin[q]), highspy.kHighsInf),
            (t_count + q_count + q, -1.0, -highspy.kHighsInf, float(qmax[q])),
        ):
            starts.append(len(indices))
            indices.extend([*members, slack])
            values.extend([1.0] * len(members) + [sign])
            lower_b.append(lo)
            upper_b.append(hi)
    starts.append(len(indices))
    indices.extend(range(t_count))
    values.extend([1.0] * t_count)
    lower_b.append(float(instance.k))
    upper_b.append(float(instance.k))
    h.addRows(
        len(lower_b), np.array(lower_b), np.array(upper_b), len(indices), _i32(starts), _i32(indices), np.array(values)
    )
    h.changeColsIntegrality(n_cols, _i32(range(n_cols)), np.array([highspy.HighsVarType.kInteger] * n_cols))
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    x = np.rint(np.asarray(h.getSolution().col_value)).astype(np.int64)
    changes = []
    for q, quota in enumerate(instance.quotas):
        lower_by, raise_by = int(x[t_count + q]), int(x[t_count + q_count + q])
        if lower_by or raise_by:
            changes.append(QuotaChange(quota, quota.min - lower_by, quota.max + raise_by))
    return tuple(changes)


def apply_changes(instance: Instance, changes: tuple[QuotaChange, ...]) -> Instance:
    moved = {c.quota: c for c in changes}
    quotas = [
        Quota(q.category, q.feature, moved[q].new_min, moved[q].new_max) if q in moved else q for q in instance.quotas
    ]
    return instance.with_quotas(quotas)


def check_feasibility(instance: Instance) -> FeasibilityReport:
    if instance.k > instance.n:
        return FeasibilityReport(
            False, (f"the panel has {instance.k} seats but only {_people(instance.n)} are in the pool",)
        )
    types = group_types(instance)
    problems = _plain_problems(instance)
    if not problems and any_panel(instance, types) is not None:
        return FeasibilityReport(True, ())
    if not problems:
        problems.append(
            "each quota can be met on its own, but no panel meets all of them at once: they conflict "
            "through people who count towards several quotas"
        )
    changes = smallest_relaxation(instance, types)
    if changes is None:
        return FeasibilityReport(False, tuple(problems))
    return FeasibilityReport(False, tuple(problems), changes, apply_changes(instance, changes))
