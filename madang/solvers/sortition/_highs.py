"""Thin reusable HiGHS models: the panel ILP over type counts, and the LEXIMIN dual LP."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import highspy
import numpy as np

from .instance import Types

_INF = highspy.kHighsInf


def _new_highs() -> highspy.Highs:
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("random_seed", 0)
    return h


def run_to_optimum(h: Any, what: str) -> None:
    """Run `h` until it reports an optimum. A warm-started simplex can end "Unknown" on a numerically
    awkward basis (seen on the demo's lotteries when the database gave the people other ids): the
    LP itself is feasible and bounded, so solve it again from scratch, then once more with presolve."""
    h.run()
    for retry in ("cold", "presolve"):
        if h.getModelStatus() == highspy.HighsModelStatus.kOptimal:
            return
        h.clearSolver()
        if retry == "presolve":
            h.setOptionValue("presolve", "on")
        h.run()
    status = h.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        raise RuntimeError(f"{what} ended with status {h.modelStatusToString(status)}")


def _i32(values: Sequence[int] | np.ndarray) -> np.ndarray:
    return np.asarray(values, dtype=np.int32)


def add_composition(h: Any, types: Types, qmin: np.ndarray, qmax: np.ndarray, k: int) -> None:
    """Columns `c_t` (0..size of type t, integer), one row per quota (within qmin..qmax) and the
    panel size row (exactly k), objective to maximise (set by the caller)."""
    t_count = types.count
    sizes = types.sizes.astype(np.float64)
    h.addCols(t_count, np.zeros(t_count), np.zeros(t_count), sizes, 0, _i32([]), _i32([]), np.array([]))
    starts: list[int] = []
    indices: list[int] = []
    for q in range(types.incidence.shape[0]):
        starts.append(len(indices))
        indices.extend(np.nonzero(types.incidence[q])[0].tolist())
    starts.append(len(indices))
    indices.extend(range(t_count))
    lower = np.concatenate([qmin, [float(k)]])
    upper = np.concatenate([qmax, [float(k)]])
    h.addRows(len(lower), lower, upper, len(indices), _i32(starts), _i32(indices), np.ones(len(indices)))
    h.changeColsIntegrality(t_count, _i32(range(t_count)), np.array([highspy.HighsVarType.kInteger] * t_count))
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)


class PanelModel:
    """Integer program over `c_t` = how many members of type `t` are on the panel.

    Built once; between solves only the objective (and, for coverage, column bounds) change,
    so HiGHS keeps its presolve-free structure and we avoid rebuilding the model.
    """

    def __init__(self, types: Types, qmin: np.ndarray, qmax: np.ndarray, k: int) -> None:
        self.types = types
        self.t_count = types.count
        h = _new_highs()
        h.setOptionValue("mip_rel_gap", 1e-9)
        h.setOptionValue("mip_abs_gap", 1e-12)
        add_composition(h, types, qmin.astype(np.float64), qmax.astype(np.float64), k)
        self.highs = h
        self.upper = types.sizes.astype(np.float64)
        self.calls = 0
        self.seconds = 0.0

    def solve(
        self, weights: np.ndarray, lower: np.ndarray | None = None, gap: float = 1e-9
    ) -> tuple[np.ndarray | None, float, float]:
        """Maximise `weights @ c` to within relative `gap`. Returns (counts or None when infeasible,
        value, upper bound on the optimum)."""
        h = self.highs
        h.setOptionValue("mip_rel_gap", gap)
        h.changeColsCost(self.t_count, _i32(range(self.t_count)), weights.astype(np.float64))
        if lower is not None:
            h.changeColsBounds(self.t_count, _i32(range(self.t_count)), lower.astype(np.float64), self.upper)
        start = time.perf_counter()
        h.run()
        self.calls += 1
        self.seconds += time.perf_counter() - start
        status = h.getModelStatus()
        counts: np.ndarray | None = None
        value = -_INF
        bound = _INF
        info = h.getInfo()
        if status == highspy.HighsModelStatus.kInfeasible:
            bound = -_INF
        elif info.primal_solution_status == 2:  # a feasible point is available
            counts = np.rint(np.asarray(h.getSolution().col_value)).astype(np.int64)
            value = float(weights @ counts)
            bound = max(value, float(info.mip_dual_bound))
        if lower is not None:
            h.changeColsBounds(self.t_count, _i32(range(self.t_count)), np.zeros(self.t_count), self.upper)
        return counts, value, bound

    def set_upper(self, upper: np.ndarray) -> None:
        """Cap the count of each type (0 keeps a type off every panel found from now on)."""
        self.upper = upper.astype(np.float64)
        self.highs.changeColsBounds(self.t_count, _i32(range(self.t_count)), np.zeros(self.t_count), self.upper)


class RelaxedLeximin:
    """LEXIMIN over the LP relaxation of the panel polytope: fractional counts x_t ∈ [0, n_t] that
    meet the quotas and sum to k. One small LP per stage (T+1 columns), warm-started throughout."""

    def __init__(self, types: Types, qmin: np.ndarray, qmax: np.ndarray, k: int, upper: np.ndarray) -> None:
        t_count = types.count
        self.t_count = t_count
        sizes = types.sizes.astype(np.float64)
        self.sizes = sizes
        h = _new_highs()
        h.setOptionValue("solver", "simplex")
        h.setOptionValue("presolve", "off")
        costs = np.zeros(t_count + 1)
        costs[t_count] = 1.0
        h.addCols(
            t_count + 1,
            costs,
            np.concatenate([np.zeros(t_count), [-_INF]]),
            np.concatenate([upper.astype(np.float64), [_INF]]),
            0,
            _i32([]),
            _i32([]),
            np.array([]),
        )
        starts: list[int] = []
        indices: list[int] = []
        values: list[float] = []
        for q in range(types.incidence.shape[0]):
            starts.append(len(indices))
            members = np.nonzero(types.incidence[q])[0].tolist()
            indices.extend(members)
            values.extend([1.0] * len(members))
        starts.append(len(indices))
        indices.extend(range(t_count))
        values.extend([1.0] * t_count)
        lower = np.concatenate([qmin.astype(np.float64), [float(k)]])
        upper_rows = np.concatenate([qmax.astype(np.float64), [float(k)]])
        h.addRows(len(lower), lower, upper_rows, len(indices), _i32(starts), _i32(indices), np.array(values))
        self.first_type_row = len(lower)
        # x_t − n_t·z ≥ 0 while t is unfixed; x_t ≥ n_t·p_t once fixed
        starts = list(range(0, 2 * t_count, 2))
        indices = [i for t in range(t_count) for i in (t, t_count)]
        values = [v for t in range(t_count) for v in (1.0, -sizes[t])]
        h.addRows(
            t_count,
            np.zeros(t_count),
            np.full(t_count, _INF),
            len(indices),
            _i32(starts),
            _i32(indices),
            np.array(values),
        )
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        self.highs = h
        self.calls = 0

    def solve(self) -> tuple[float, np.ndarray, np.ndarray]:
        """Returns (stage value z, dual weight per type ≥ 0, counts x)."""
        h = self.highs
        run_to_optimum(h, "relaxed LEXIMIN LP")
        self.calls += 1
        sol = h.getSolution()
        duals = np.asarray(sol.row_dual)[self.first_type_row :]
        col = np.asarray(sol.col_value)
        return float(col[self.t_count]), np.abs(duals), col[: self.t_count]

    def fix(self, t: int, probability: float) -> None:
        row = self.first_type_row + t
        self.highs.changeCoeff(row, self.t_count, 0.0)
        self.highs.changeRowBounds(row, self.sizes[t] * probability, _INF)


class MasterLP:
    """The restricted master LP over the panels generated so far (one column λ_c per panel):

        max z  s.t.  Σ_c λ_c·c_t/n_t ≥ z (unfixed types t),  Σ_c λ_c·c_t/n_t ≥ p_t (fixed t),
                     Σ_c λ_c = 1,  λ ≥ 0.

    Its row duals are the LEXIMIN dual: a weight y_t ≥ 0 per type (summing to 1 over the unfixed
    types) and the cap ŷ that no generated panel's weight Σ_t y_t·c_t/n_t exceeds. We solve this
    primal form rather than the dual because the simplex basis then has one row per type instead of
    one per panel; columns are only ever appended, so re-solves start from the previous basis.
    """

    def __init__(self, sizes: np.ndarray) -> None:
        t_count = len(sizes)
        self.t_count = t_count
        self.inv_sizes = 1.0 / sizes.astype(np.float64)
        h = _new_highs()
        h.setOptionValue("solver", "simplex")
        h.setOptionValue("presolve", "off")
        h.setOptionValue("simplex_strategy", 4)
        # column 0 is z; then one column per panel
        h.addCols(1, np.array([1.0]), np.array([-_INF]), np.array([_INF]), 0, _i32([]), _i32([]), np.array([]))
        lower = np.concatenate([np.zeros(t_count), [1.0]])
        upper = np.concatenate([np.full(t_count, _INF), [1.0]])
        h.addRows(t_count + 1, lower, upper, 0, _i32([]), _i32([]), np.array([]))
        for t in range(t_count):
            h.changeCoeff(t, 0, -1.0)
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        self.highs = h
        self.columns = 0
        self.iterations = 0
        self.calls = 0
        self.seconds = 0.0

    def add_panels(self, panels: Sequence[np.ndarray]) -> None:
        starts: list[int] = []
        indices: list[int] = []
        values: list[float] = []
        for counts in panels:
            starts.append(len(indices))
            nz = np.nonzero(counts)[0]
            indices.extend(nz.tolist())
            values.extend((counts[nz] * self.inv_sizes[nz]).tolist())
            indices.append(self.t_count)
            values.append(1.0)
        m = len(panels)
        self.highs.addCols(
            m, np.zeros(m), np.zeros(m), np.full(m, _INF), len(indices), _i32(starts), _i32(indices), np.array(values)
        )
        self.columns += m

    def fix(self, t: int, probability: float) -> None:
        self.highs.changeCoeff(t, 0, 0.0)
        self.highs.changeRowBounds(t, probability, _INF)

    def solve(self) -> tuple[np.ndarray, float, float, np.ndarray]:
        """Returns (y, ŷ, stage value z, λ in the order the panels were added)."""
        h = self.highs
        start = time.perf_counter()
        run_to_optimum(h, "LEXIMIN master LP")
        self.calls += 1
        self.seconds += time.perf_counter() - start
        self.iterations += h.getInfo().simplex_iteration_count
        sol = h.getSolution()
        duals = np.asarray(sol.row_dual)
        # HiGHS signs duals by the objective's sensitivity to the row bound: raising a
        # type's lower bound lowers z, so its dual is ≤ 0
        y = np.maximum(-duals[: self.t_count], 0.0)
        cap = float(duals[self.t_count])
        col = np.asarray(sol.col_value)
        return y, cap, float(col[0]), col[1:]
