"""LEXIMIN selection probabilities over types of people.

Method of Flanigan, Gölz, Gupta, Hennig and Procaccia, "Fair algorithms for selecting citizens'
assemblies", Nature 596, 548–552 (2021): among all lotteries over valid panels, find the one whose
sorted vector of individual selection probabilities is lexicographically largest.

Types. People with identical values in every category are interchangeable, and the LEXIMIN
allocation is unique, so it gives everyone of one type the same probability. Everything below
works on types (a few hundred to about a thousand for 2,000 volunteers and six categories,
instead of 2,000 people): a panel is a vector of counts per type (a "composition") that meets
the quotas, sums to k and gives no type more seats than it has people; a type's probability is
its expected count divided by its size.

Default route ("auto"):

1. LEXIMIN of the LP relaxation (fractional compositions), stage by stage: maximise the smallest
   probability among the types not yet fixed, then fix the types whose dual weight is positive
   (complementary slackness: they cannot get more in any optimum), and repeat. One small LP per
   stage, warm-started. This is an upper bound: no lottery over valid panels has a
   lexicographically larger profile.
2. Write those expected counts as a lottery over valid compositions by the face walk
   (facewalk.py): a constructive Carathéodory decomposition that needs no column generation. When
   it reaches every type's expected count to within a relative 1e-6, the lottery is LEXIMIN
   (within 1e-6 of the upper bound).
3. If the walk stops short, its compositions start a column-generation decomposition (a master LP
   "give every type at least s times its target" over the compositions found so far, with
   panels priced by swap-based local search and, to prove optimality, a HiGHS integer program
   over type counts). If even that proves the target is not a lottery over valid panels (the
   relaxation is not integral), the staged column generation of the paper settles it: the same
   stages as in 1 but over the convex hull of valid compositions, with the tight types fixed by
   their dual weights in the master LP.

Route "relaxation" is 1 then 3 (the default before the face walk); route "staged" is the paper's
column generation alone.

From compositions to panels of people (distribution.expand_type_panels): within a type of m
people of whom a composition takes c, the c members are one of the m cyclic windows of the
type's member list, each with probability 1/m (one uniform offset drives every type of a
composition), so each member of the type is on the panel with probability exactly c/m — the same
marginals as drawing c of the m uniformly. The result is an explicit list of panels of people
with probabilities, which is what is committed, drawn from (draw.draw) and verified.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ._highs import MasterLP, PanelModel, RelaxedLeximin
from .distribution import Distribution, expand_type_panels
from .facewalk import face_walk
from .feasibility import FeasibilityReport, check_feasibility
from .instance import Instance, Types, group_types

# A panel violates the dual cap only if it beats it by this much (relative): smaller gains are
# solver noise and chasing them makes column generation cycle.
_ADD_TOL = 1e-8
# A stage is proven optimal when the pricing bound is within this (relative) of the cap; the stage
# value is then within the same margin of the true optimum.
_STOP_TOL = 1e-7
# Dual weights above this count as positive when deciding whom to fix.
_FIX_TOL = 1e-7
# Fixed probabilities are lowered by this much so that later LPs stay feasible despite rounding.
_FIX_SLACK = 1e-9
# The lottery may give each type this much less (relatively) than the relaxation's LEXIMIN.
_DECOMPOSE_TOL = 1e-7
# The face walk's lottery is accepted when it gives every type at least this share (relatively)
# less than the relaxation's LEXIMIN.
_WALK_TOL = 1e-6
# Further local-search starts tried before calling the integer program.
_EXTRA_STARTS = 24


class InfeasibleQuotas(ValueError):
    def __init__(self, report: FeasibilityReport) -> None:
        super().__init__(report.explain())
        self.report = report


@dataclass
class LeximinStats:
    route: str = ""
    stages: int = 0
    support: int = 0
    unproven_stages: int = 0
    lp_solves: int = 0
    mip_solves: int = 0
    heuristic_panels: int = 0
    mip_panels: int = 0
    type_panels: int = 0
    walk_steps: int = 0
    types: int = 0
    lp_seconds: float = 0.0
    mip_seconds: float = 0.0
    seconds: float = 0.0


@dataclass(frozen=True)
class LeximinResult:
    distribution: Distribution
    probabilities: np.ndarray  # per person, recomputed from the distribution
    stage_values: tuple[float, ...]
    stats: LeximinStats = field(compare=False)

    @property
    def min_probability(self) -> float:
        return float(self.probabilities.min()) if len(self.probabilities) else 0.0


class _Search:
    def __init__(self, instance: Instance, types: Types, rng: np.random.Generator) -> None:
        self.types = types
        self.k = instance.k
        self.qmin = np.array([q.min for q in instance.quotas], dtype=np.int64)
        self.qmax = np.array([q.max for q in instance.quotas], dtype=np.int64)
        self.sizes = types.sizes
        self.features = types.features
        self.incidence = types.incidence.astype(np.int64)
        self.rng = rng
        self.model = PanelModel(types, self.qmin, self.qmax, instance.k)
        self.panels: list[np.ndarray] = []
        self.seen: set[bytes] = set()

    def add(self, counts: np.ndarray) -> bool:
        key = counts.astype(np.int64).tobytes()
        if key in self.seen:
            return False
        self.seen.add(key)
        self.panels.append(counts.astype(np.int64))
        return True

    def local_search(self, counts: np.ndarray, weights: np.ndarray, max_steps: int = 1000) -> np.ndarray:
        """Best-improvement single swaps (one person of type a out, one of type b in) that keep
        every quota; stops at a local optimum of `weights @ counts`.

        Each step first looks only at the `window` lightest types on the panel and the `window`
        heaviest ones off it, where the best swap nearly always is, and falls back to all pairs."""
        c = counts.copy()
        feats = self.features
        heavy_first = np.argsort(-weights, kind="stable")
        light_first = heavy_first[::-1]
        window = 32
        for _ in range(max_steps):
            filled = self.incidence @ c
            can_drop = (filled > self.qmin)[feats]  # (T, J): one fewer of this type keeps that quota
            can_add = (filled < self.qmax)[feats]
            out_all = light_first[c[light_first] > 0]
            into_all = heavy_first[c[heavy_first] < self.sizes[heavy_first]]
            best = self._best_swap(out_all[:window], into_all[:window], weights, feats, can_drop, can_add)
            if best is None and (len(out_all) > window or len(into_all) > window):
                best = self._best_swap(out_all, into_all, weights, feats, can_drop, can_add)
            if best is None:
                break
            c[best[0]] -= 1
            c[best[1]] += 1
        return c

    @staticmethod
    def _best_swap(
        out: np.ndarray,
        into: np.ndarray,
        weights: np.ndarray,
        feats: np.ndarray,
        can_drop: np.ndarray,
        can_add: np.ndarray,
    ) -> tuple[int, int] | None:
        gain = weights[into][None, :] - weights[out][:, None]
        rows = np.flatnonzero((gain > 1e-15).any(axis=1))
        if len(rows) == 0:
            return None
        out, gain = out[rows], gain[rows]
        ok = (
            (feats[out][:, None, :] == feats[into][None, :, :])
            | (can_drop[out][:, None, :] & can_add[into][None, :, :])
        ).all(axis=2)
        gain = np.where(ok, gain, -np.inf)
        best = int(np.argmax(gain))
        a, b = divmod(best, len(into))
        if not gain[a, b] > 1e-15:
            return None
        return int(out[a]), int(into[b])


def _initial_panels(search: _Search, count: int) -> None:
    """One panel from the integer program, then cheap variations of it by local search under
    random weights."""
    t_count = search.types.count
    counts, _, _ = search.model.solve(search.rng.random(t_count), gap=1e-2)
    if counts is None:
        return
    search.add(counts)
    for _ in range(count - 1):
        start = search.panels[int(search.rng.integers(len(search.panels)))]
        search.add(search.local_search(start, search.rng.random(t_count)))


def _cover(search: _Search) -> np.ndarray:
    """Make sure every type that can be on some valid panel is on one of ours; return the mask of
    types that cannot be on any panel (their probability is necessarily 0)."""
    t_count = search.types.count
    covered = np.zeros(t_count, dtype=bool)
    for p in search.panels:
        covered |= p > 0
    stalled = 0
    while not covered.all():
        weights = np.where(covered, 0.0, 1.0) + 1e-3 * search.rng.random(t_count)
        if stalled < 3:  # cheap first: swap uncovered types into a known panel
            start = search.panels[int(search.rng.integers(len(search.panels)))]
            counts: np.ndarray | None = search.local_search(start, weights)
        else:
            # any panel with an uncovered type will do, and a zero optimum is still proven by a
            # loose gap, since every other value is at least 1
            counts, _, _ = search.model.solve(np.where(covered, 0.0, 1.0), gap=0.5)
        if counts is None:
            break
        newly = (counts > 0) & ~covered
        if newly.any():
            search.add(counts)
            covered |= newly
            stalled = 0
        elif stalled >= 3:
            break  # the integer program proves no panel holds any uncovered type
        else:
            stalled += 1
    return ~covered


def _price_stage(
    search: _Search,
    lp: MasterLP,
    inv_norm: np.ndarray,
    starts: int,
    stats: LeximinStats,
    target: float | None = None,
) -> tuple[np.ndarray, float, np.ndarray, bool]:
    """Column generation for one stage. Returns (y, stage value, λ, settled) where settled means
    the value is proven optimal (or has reached `target`, which it cannot exceed)."""
    while True:
        y, cap, value, lam = lp.solve()
        if target is not None and value >= target:
            return y, value, lam, True
        weights = y * inv_norm
        threshold = cap + _ADD_TOL * max(abs(cap), 1e-9)
        found = False
        # start the local search from the panels the current lottery uses most, then (before
        # paying for the integer program) from a sample of the rest of its support
        order = np.argsort(-lam)[: max(1, int((lam > 1e-12).sum()))]
        tail = order[starts:]
        if len(tail) > _EXTRA_STARTS:
            tail = search.rng.choice(tail, _EXTRA_STARTS, replace=False)
        for batch in (order[:starts], tail):
            for r in batch.tolist():
                improved = search.local_search(search.panels[r], weights)
                if weights @ improved > threshold and search.add(improved):
                    stats.heuristic_panels += 1
                    found = True
            if found:
                break
        if not found:
            # a loose gap finds a good violating panel quickly; prove optimality only when needed
            counts, best, bound = search.model.solve(weights, gap=1e-3)
            if not (counts is not None and best > threshold) and bound > cap + _STOP_TOL * max(abs(cap), 1e-9):
                counts, best, bound = search.model.solve(weights)
            if counts is not None and best > threshold and search.add(counts):
                stats.mip_panels += 1
                found = True
                # neighbours of the best panel are often violating too
                for _ in range(3):
                    twin = counts.copy()
                    twin[search.rng.choice(np.nonzero(twin)[0])] -= 1
                    repaired = _repair(search, twin, weights)
                    if repaired is not None and weights @ repaired > threshold and search.add(repaired):
                        stats.heuristic_panels += 1
            elif bound > cap + _STOP_TOL * max(abs(cap), 1e-9):
                stats.unproven_stages += 1
        if not found:
            return y, value, lam, True
        lp.add_panels(search.panels[lp.columns :])


def _relaxed_leximin(search: _Search, impossible: np.ndarray) -> tuple[np.ndarray, list[float]]:
    """LEXIMIN over the LP relaxation (fractional panels): expected counts per type, stage values."""
    types = search.types
    upper = np.where(impossible, 0, types.sizes)
    relaxed = RelaxedLeximin(types, search.qmin, search.qmax, search.k, upper)
    unfixed = ~impossible
    for t in np.nonzero(impossible)[0].tolist():
        relaxed.fix(t, 0.0)
    values: list[float] = []
    x = np.zeros(types.count)
    while unfixed.any():
        value, duals, x = relaxed.solve()
        values.append(value)
        # the duals of the unfixed rows satisfy Σ n_t·d_t = 1
        strength = duals * types.sizes
        to_fix = unfixed & (strength > _FIX_TOL)
        if not to_fix.any():
            to_fix = unfixed & (strength >= strength[unfixed].max())
        for t in np.nonzero(to_fix)[0].tolist():
            relaxed.fix(t, max(0.0, value - _FIX_SLACK))
        unfixed &= ~to_fix
    return np.clip(x, 0.0, types.sizes), values


def _decompose(search: _Search, target: np.ndarray, starts: int, stats: LeximinStats) -> np.ndarray | None:
    """Write the expected counts `target` as a lottery over valid panels: maximise s such that
    every type gets at least s·target_t. Because every panel has k members, s ≤ 1, and s = 1
    exactly when `target` is in the panel polytope. Returns λ (per panel) or None."""
    active = target > 1e-9
    norm = np.where(active, target, 1.0)
    lp = MasterLP(norm)
    lp.add_panels(search.panels)
    for t in np.nonzero(~active)[0].tolist():
        lp.fix(t, 0.0)
    search.model.set_upper(np.where(active, search.types.sizes, 0))
    try:
        _, value, lam, _ = _price_stage(search, lp, 1.0 / norm, starts, stats, target=1.0 - _DECOMPOSE_TOL)
    finally:
        search.model.set_upper(search.types.sizes.copy())
        stats.lp_solves += lp.calls
        stats.lp_seconds += lp.seconds
    if value < 1.0 - _DECOMPOSE_TOL:
        return None
    return lam


def _staged_leximin(
    search: _Search, impossible: np.ndarray, starts: int, stats: LeximinStats, log: Callable[[str], None] | None
) -> tuple[np.ndarray, list[float]]:
    """The column-generation LEXIMIN of the paper, stage by stage. Returns (λ, stage values)."""
    types = search.types
    search.model.set_upper(np.where(impossible, 0, types.sizes))
    lp = MasterLP(types.sizes)
    lp.add_panels(search.panels)
    unfixed = ~impossible
    for t in np.nonzero(impossible)[0].tolist():
        lp.fix(t, 0.0)
    values: list[float] = []
    lam = np.zeros(0)
    inv_sizes = 1.0 / types.sizes
    while unfixed.any():
        stats.stages += 1
        y, value, lam, _ = _price_stage(search, lp, inv_sizes, starts, stats)
        values.append(value)
        to_fix = unfixed & (y > _FIX_TOL)
        if not to_fix.any():  # cannot happen in exact arithmetic: the unfixed weights sum to 1
            to_fix = unfixed & (y >= y[unfixed].max())
        for t in np.nonzero(to_fix)[0].tolist():
            lp.fix(t, max(0.0, value - _FIX_SLACK))
        unfixed &= ~to_fix
        if log:
            log(
                f"stage {stats.stages}: value {value:.6f}, fixed {int(to_fix.sum())}, "
                f"{int(unfixed.sum())} types left, {len(search.panels)} panels"
            )
    stats.lp_solves += lp.calls
    stats.lp_seconds += lp.seconds
    return lam, values


def find_leximin(
    instance: Instance,
    *,
    seed: int = 0,
    method: str = "auto",
    starts: int = 4,
    log: Callable[[str], None] | None = None,
) -> LeximinResult:
    """LEXIMIN lottery for `instance`. Deterministic for a given seed.

    Every method first groups the people into types (identical values in every category: the
    LEXIMIN gives them the same probability) and works on counts per type.

    method "auto" computes the LEXIMIN of the LP relaxation (fractional panels), which is cheap
    and is an upper bound: no lottery over valid panels has a lexicographically larger profile.
    It then writes those expected counts as a lottery over valid panels by the face walk
    (facewalk.py). If the walk reaches every type's expected count to within a relative 1e-6,
    that lottery is the answer (its profile is within 1e-6 of the upper bound); otherwise the
    panels it found start the column-generation decomposition of method "relaxation", and if
    the relaxation's LEXIMIN is not a lottery over valid panels at all, the staged column
    generation of the paper (method "staged") settles it.

    method "relaxation" skips the face walk (the method used before it; kept for comparison).

    Raises InfeasibleQuotas (with a plain-words report and a suggested relaxation) when no valid
    panel exists.
    """
    if method not in ("auto", "relaxation", "staged"):
        raise ValueError(f"unknown method {method!r}")
    started = time.perf_counter()
    report = check_feasibility(instance)
    if not report.feasible:
        raise InfeasibleQuotas(report)
    types = group_types(instance)
    stats = LeximinStats(types=types.count)
    search = _Search(instance, types, np.random.default_rng(seed))

    panels: list[np.ndarray] = []
    lam: np.ndarray | None = None
    stage_values: list[float] = []
    if method == "auto":
        target, stage_values = _relaxed_leximin(search, np.zeros(types.count, dtype=bool))
        if log:
            log(f"relaxation: {len(stage_values)} stages, minimum {stage_values[0]:.6f}")
        walk = face_walk(types, search.qmin, search.qmax, search.k, target, search.rng)
        stats.walk_steps = walk.steps
        if walk.done > 0:
            got = sum((w * p for w, p in zip(walk.weights, walk.panels, strict=True)), np.zeros(types.count))
            got = got / walk.done
            active = target > 1e-9
            if (got[active] >= (1.0 - _WALK_TOL) * target[active]).all():
                panels, lam = walk.panels, np.array(walk.weights) / walk.done
                stats.route = "face walk"
        if log:
            log(
                f"face walk: {walk.steps} steps, {len(walk.panels)} panels, share written {walk.done:.9f}"
                + (f" ({walk.stuck})" if walk.stuck else "")
            )
        if lam is None:
            for p in walk.panels:
                search.add(p)
    if lam is None:
        _initial_panels(search, min(8, types.count))
        impossible = _cover(search)
        if method != "staged":
            if method == "relaxation" or impossible.any():
                target, stage_values = _relaxed_leximin(search, impossible)
                if log:
                    log(f"relaxation: {len(stage_values)} stages, minimum {stage_values[0]:.6f}")
            lam = _decompose(search, target, starts, stats)
            stats.route = "face walk + columns" if method == "auto" else "relaxation"
            if log:
                log(f"decomposition {'succeeded' if lam is not None else 'failed'}: {len(search.panels)} panels")
        if lam is None:
            stats.route = "staged"
            lam, stage_values = _staged_leximin(search, impossible, starts, stats, log)
        panels = search.panels

    weights_final = np.clip(lam, 0.0, None)
    support = np.nonzero(weights_final > 1e-12)[0]
    distribution = expand_type_panels(
        types,
        instance.n,
        instance.k,
        [panels[i] for i in support.tolist()],
        weights_final[support].tolist(),
    )
    stats.mip_solves, stats.mip_seconds = search.model.calls, search.model.seconds
    stats.type_panels = len(panels)
    stats.support = len(support)
    stats.seconds = time.perf_counter() - started
    return LeximinResult(distribution, distribution.marginals(), tuple(stage_values), stats)


def relaxed_probabilities(instance: Instance) -> np.ndarray:
    """Per-person probabilities of the LEXIMIN over fractional panels (the LP relaxation, step 1
    of the default route). An upper bound: no lottery over valid panels has a lexicographically
    larger sorted profile, so a lottery that matches it is LEXIMIN. Used to certify results."""
    types = group_types(instance)
    search = _Search(instance, types, np.random.default_rng(0))
    counts, _ = _relaxed_leximin(search, np.zeros(types.count, dtype=bool))
    return np.asarray((counts / types.sizes)[types.of_person], dtype=np.float64)


def _repair(search: _Search, counts: np.ndarray, weights: np.ndarray) -> np.ndarray | None:
    """Fill the one empty seat of `counts` with the heaviest type that keeps every maximum, then
    improve by swaps; None when the result misses a quota."""
    filled = search.incidence @ counts
    room = (filled < search.qmax)[search.features].all(axis=1) & (counts < search.sizes)
    if not room.any():
        return None
    cand = np.nonzero(room)[0]
    counts = counts.copy()
    counts[cand[int(np.argmax(weights[cand] + 1e-12 * search.rng.random(len(cand))))]] += 1
    filled = search.incidence @ counts
    if (filled < search.qmin).any() or (filled > search.qmax).any():
        return None
    return search.local_search(counts, weights)
