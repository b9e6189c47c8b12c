"""Exact Open Space schedules by a slot-level integer program solved with HiGHS (`highspy`).

Rooms are not variables. Within a slot the assignment of topics to rooms is a bipartite matching
whose least overflow is that of sorted matching (see `model.py`), and that overflow is
Σ_h max(0, N_s(h) − R_s(h)) over head counts h (N_s(h) = topics in s with audience ≥ h,
R_s(h) = usable rooms in s with capacity ≥ h). So the model needs only

    x[t, s] ∈ {0, 1}   topic t is held in slot s (only for slots its conveners can make),
    o[s, j] ≥ 0        rooms missing in slot s at head-count level j (constant between the
                       distinct audience and capacity values, interval length ℓ_j),
    z[p, s] ∈ [0, 1]   person p has at least one wanted topic held in slot s,

with  Σ_s x[t, s] ≤ 1,  Σ_t x[t, s] ≤ rooms usable in s,  Σ_{t ∋ c} x[t, s] ≤ 1 per convener c,
Σ_{t: a_t ≥ b_j} x[t, s] − o[s, j] ≤ R_s(b_j),  z[p, s] ≤ Σ_{t ∋ p} x[t, s].

    turned away = Σ_t a_t (1 − Σ_s x[t, s]) + Σ_{s, j} ℓ_j o[s, j]      (+ pinned overflow)
    clashes     = Σ_{t, s} a_t x[t, s] − Σ_{p, s} z[p, s]                 (+ pinned terms)

The second line is lost attendance: Σ_{p,s} max(0, k_ps − 1) = Σ_{p,s} k_ps − #{(p, s): k_ps ≥ 1}.
The lexicographic objective is solved in two phases (Osyczka's lexicographic method): minimise
turned away; then fix it at its optimum and minimise clashes. With 30-60 topics, 4 slots and 120
people this is a few hundred binaries instead of the tens of thousands of a topic-pair model.
This module shares no code with the heuristic so the two check each other.
"""

from __future__ import annotations

import time
from collections.abc import Hashable
from dataclasses import dataclass

import highspy
import numpy as np

from madang.solvers.openspace.model import Cell, Market, Schedule, validate

_INF = highspy.kHighsInf


@dataclass(frozen=True)
class ExactResult:
    schedule: Schedule | None  # best schedule found (None if none within the time limit)
    turned_away: int | None
    clashes: int | None
    turned_away_bound: float  # proven lower bound on turned away
    clash_bound: float  # proven lower bound on clashes at that turned-away value
    optimal: bool  # both phases proven optimal
    seconds: float
    variables: int
    constraints: int

    @property
    def gap(self) -> float | None:
        """Relative gap of the clash incumbent to its bound (0 when proven)."""
        if self.clashes is None:
            return None
        if self.clashes == 0:
            return 0.0
        return max(0.0, (self.clashes - self.clash_bound) / self.clashes)


def solve_exact(market: Market, *, seconds: float = 60.0, start: Schedule | None = None) -> ExactResult:
    """Prove the lexicographic optimum (turned away, then clashes), or return the best bound.

    `seconds` bounds both phases together; `start` (any valid schedule) is handed to HiGHS as a
    first incumbent.
    """
    began = time.perf_counter()
    validate(market)
    slots = list(market.slots)
    S = len(slots)
    topics = list(market.topics)
    pinned = dict(market.pinned)
    cap = {r.id: r.capacity for r in market.rooms}
    usable: list[list[Hashable]] = []
    for s in slots:
        taken = {room for room, ps in pinned.values() if ps == s}
        usable.append([r.id for r in market.rooms if (r.id, s) not in market.forbidden and r.id not in taken])
    busy = {(c, pinned[t.id][1]) for t in topics if t.id in pinned for c in t.conveners}

    # columns: x[t, s], then o[s, j], then z[p, s]
    col_cost1: list[float] = []
    col_cost2: list[float] = []
    col_upper: list[float] = []
    x: dict[tuple[int, int], int] = {}
    for i, t in enumerate(topics):
        if t.id in pinned:
            continue
        for s, sid in enumerate(slots):
            if not usable[s] or any(
                sid in market.unavailable.get(c, frozenset()) or (c, sid) in busy for c in t.conveners
            ):
                continue
            x[i, s] = len(col_cost1)
            a = float(len(t.audience))
            col_cost1.append(-a)
            col_cost2.append(a)
            col_upper.append(1.0)
    n_x = len(col_cost1)
    free = [i for i, t in enumerate(topics) if t.id not in pinned]
    levels = sorted({0, *(len(topics[i].audience) for i in free), *cap.values()})
    rows: list[tuple[list[int], list[float], float, float]] = []
    # o and z columns as functions of x, to complete a start schedule: (x columns, rhs, is z)
    derived: dict[int, tuple[list[int], int, bool]] = {}
    o_cols: dict[tuple[int, int], int] = {}
    for s in range(S):
        caps = [cap[r] for r in usable[s]]
        for j in range(1, len(levels)):
            level = levels[j]
            members = [x[i, s] for i in free if (i, s) in x and len(topics[i].audience) >= level]
            room = sum(1 for c in caps if c >= level)
            if len(members) <= room:
                continue
            o_cols[s, j] = len(col_cost1)
            col_cost1.append(float(level - levels[j - 1]))
            col_cost2.append(0.0)
            col_upper.append(_INF)
            rows.append(([*members, o_cols[s, j]], [1.0] * len(members) + [-1.0], -_INF, float(room)))
            derived[o_cols[s, j]] = (members, room, False)
    covered: set[tuple[Hashable, int]] = set()
    for t in topics:
        if t.id in pinned:
            s = slots.index(pinned[t.id][1])
            covered.update((p, s) for p in t.audience)
    wants: dict[tuple[Hashable, int], list[int]] = {}
    for (i, s), col in x.items():
        for p in sorted(topics[i].audience, key=repr):
            if (p, s) not in covered:
                wants.setdefault((p, s), []).append(col)
    for cols in wants.values():
        z = len(col_cost1)
        col_cost1.append(0.0)
        col_cost2.append(-1.0)
        col_upper.append(1.0)
        rows.append(([z, *cols], [1.0] + [-1.0] * len(cols), -_INF, 0.0))
        derived[z] = (cols, 1, True)
    for i in free:
        cols = [x[i, s] for s in range(S) if (i, s) in x]
        if len(cols) > 1:
            rows.append((cols, [1.0] * len(cols), -_INF, 1.0))
    for s in range(S):
        cols = [x[i, s] for i in free if (i, s) in x]
        if len(cols) > len(usable[s]):
            rows.append((cols, [1.0] * len(cols), -_INF, float(len(usable[s]))))
    conveners = sorted({c for i in free for c in topics[i].conveners}, key=repr)
    for c in conveners:
        for s in range(S):
            cols = [x[i, s] for i in free if (i, s) in x and c in topics[i].conveners]
            if len(cols) > 1:
                rows.append((cols, [1.0] * len(cols), -_INF, 1.0))

    pinned_over = sum(max(0, len(t.audience) - cap[pinned[t.id][0]]) for t in topics if t.id in pinned)
    const1 = float(sum(len(topics[i].audience) for i in free) + pinned_over)
    const2 = float(sum(len(t.audience) for t in topics if t.id in pinned) - len(covered))

    n = len(col_cost1)
    if n == 0:  # no free topic fits anywhere (pins fill its conveners' slots): nothing to decide
        empty = _schedule(market, np.zeros(0), x, usable, slots)
        turned, clashes = round(const1), round(const2)
        return ExactResult(
            empty, turned, clashes, float(turned), float(clashes), True, time.perf_counter() - began, 0, 0
        )

    start_x = _start_vector(market, start, x, slots, n, derived) if start is not None else None

    def run(
        costs: list[float],
        extra: list[tuple[list[int], list[float], float, float]],
        limit: float,
        first: np.ndarray | None,
    ) -> tuple[np.ndarray | None, float, float, bool]:
        """One phase on a fresh solver: (solution, objective, dual bound, proven optimal)."""
        called = time.perf_counter()
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("random_seed", 0)
        h.setOptionValue("mip_rel_gap", 0.0)
        # both objectives are integers at integer x, so a gap below 1 proves optimality
        h.setOptionValue("mip_abs_gap", 1.0 - 1e-6)
        h.setOptionValue("time_limit", max(0.01, limit))
        h.addCols(n, np.array(costs), np.zeros(n), np.array(col_upper), 0, _i32([]), _i32([]), np.array([]))
        _add_rows(h, rows + extra)
        if n_x:
            h.changeColsIntegrality(n_x, _i32(range(n_x)), np.array([highspy.HighsVarType.kInteger] * n_x))
        if first is not None:
            sol = highspy.HighsSolution()
            sol.col_value = list(first)
            h.setSolution(sol)
        h.run()
        status = h.getModelStatus()
        info = h.getInfo()
        if info.primal_solution_status != 2:
            return None, np.inf, float(info.mip_dual_bound), False
        col = np.asarray(h.getSolution().col_value)
        value = float(info.objective_function_value)
        if first is not None and abs(value - float(np.dot(costs, col))) > 1e-6:
            # HiGHS 1.16 with presolve and a user solution can report (and "prove") an objective
            # below that of the solution it returns; solve again from scratch
            return run(costs, extra, limit - (time.perf_counter() - called), None)
        return col, value, float(info.mip_dual_bound), status == highspy.HighsModelStatus.kOptimal

    col1, v1, bound1, opt1 = run(col_cost1, [], seconds, start_x)
    if col1 is None:
        return ExactResult(None, None, None, const1 + bound1, 0.0, False, time.perf_counter() - began, n, len(rows))
    turned = round(const1 + v1)
    # phase 2: keep turned away at its value, minimise clashes, from phase 1's schedule (or the
    # start) with every coverage variable set
    idx = [k for k in range(n) if col_cost1[k] != 0.0]
    keep = [(idx, [col_cost1[k] for k in idx], -_INF, v1 + 0.5)]
    first = _complete(col1 if start_x is None else start_x, derived)
    col2, v2, bound2, opt2 = run(col_cost2, keep, seconds - (time.perf_counter() - began), first)
    if col2 is None:  # phase 1's schedule is still feasible for phase 2
        col2, opt2 = col1, False
        v2 = float(np.dot(col_cost2, col1))
        bound2 = -_INF
    clashes = round(const2 + v2)
    schedule = _schedule(market, col2, x, usable, slots)
    return ExactResult(
        schedule,
        turned,
        clashes,
        float(turned) if opt1 else max(0.0, const1 + bound1),
        max(0.0, const2 + bound2) if not opt2 else float(clashes),
        opt1 and opt2,
        time.perf_counter() - began,
        n,
        len(rows) + 1,
    )


def _complete(col: np.ndarray, derived: dict[int, tuple[list[int], int, bool]]) -> np.ndarray:
    """`col` with every o and z column set from its x columns (the least o, the most z)."""
    vec = col.copy()
    for c, (cols, rhs, is_z) in derived.items():
        total = float(np.round(vec[cols]).sum())
        vec[c] = min(1.0, total) if is_z else max(0.0, total - rhs)
    return vec


def _i32(values: range | list[int]) -> np.ndarray:
    return np.asarray(values, dtype=np.int32)


def _add_rows(h: highspy.Highs, rows: list[tuple[list[int], list[float], float, float]]) -> None:
    starts: list[int] = []
    index: list[int] = []
    value: list[float] = []
    for cols, vals, _, _ in rows:
        starts.append(len(index))
        index.extend(cols)
        value.extend(vals)
    h.addRows(
        len(rows),
        np.array([r[2] for r in rows]),
        np.array([r[3] for r in rows]),
        len(index),
        _i32(starts),
        _i32(index),
        np.array(value),
    )


def _start_vector(
    market: Market,
    start: Schedule,
    x: dict[tuple[int, int], int],
    slots: list[Hashable],
    n: int,
    derived: dict[int, tuple[list[int], int, bool]],
) -> np.ndarray:
    vec = np.zeros(n)
    slot_ix = {s: i for i, s in enumerate(slots)}
    for i, t in enumerate(market.topics):
        cell = start.placements.get(t.id)
        if cell is not None and (i, slot_ix.get(cell[1], -1)) in x:
            vec[x[i, slot_ix[cell[1]]]] = 1.0
    for col, (cols, rhs, is_z) in derived.items():
        total = float(vec[cols].sum())
        vec[col] = min(1.0, total) if is_z else max(0.0, total - rhs)
    return vec


def _schedule(
    market: Market,
    col: np.ndarray,
    x: dict[tuple[int, int], int],
    usable: list[list[Hashable]],
    slots: list[Hashable],
) -> Schedule:
    cap = {r.id: r.capacity for r in market.rooms}
    placements: dict[Hashable, Cell] = dict(market.pinned)
    for s, sid in enumerate(slots):
        here = [i for (i, s2), k in x.items() if s2 == s and col[k] > 0.5]
        here.sort(key=lambda i: (-len(market.topics[i].audience), i))
        rooms = sorted(usable[s], key=lambda r: -cap[r])
        for i, r in zip(here, rooms, strict=False):
            placements[market.topics[i].id] = (r, sid)
    left = [t for t in market.topics if t.id not in placements]
    left.sort(key=lambda t: -len(t.audience))
    return Schedule(placements, tuple(t.id for t in left))
