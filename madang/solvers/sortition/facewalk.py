"""Write expected counts per type as a lottery over valid panels by walking down the faces of the
quota polytope (a constructive Carathéodory decomposition), without column generation.

Setting: `x` (one expected count per type, summing to k) lies in the relaxed panel polytope
R = {0 ≤ x ≤ n, qmin ≤ A·x ≤ qmax, Σx = k}, where A says which quota values each type has. A
lottery over panels with expected counts `x` exists exactly when `x` is in the convex hull of
R's integer points. Any such lottery uses only integer points of the smallest face of R that
contains `x` (the face where every constraint tight at `x` holds with equality).

Walk: at the current point z (normalised remainder), build an integer point v of z's face close
to z — round each count to ⌊z_t⌋ or ⌈z_t⌉ (systematic rounding over a random order, so the
panel size is exactly k), then repair the quotas by single swaps, keeping the tight quotas at
their values and the counts inside [⌊z_t⌋, ⌈z_t⌉] (widened to the whole face if that fails).
Then take the largest θ for which z' = (z − θ·v)/(1 − θ) is still in R (a ratio test on every
bound and quota). z' has at least one more tight constraint than z, so its face is smaller; after
at most (number of types + number of quotas + 1) steps z' is v itself (θ = 1) and the lottery
Σ θ-weights·panels has expected counts exactly `x` (up to floating-point rounding).

The walk can fail — R is not an integral polytope once there are three or more categories, so a
face may hold no integer point (even when `x` itself is a lottery, z' need not be). Then it
returns the panels found so far, and the caller finishes by column generation with them as a
start (see leximin.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ._highs import _i32, _new_highs, add_composition
from .instance import Types

# Counts and row sums within this (relative to the remaining mass) of a bound are on it.
_TIGHT = 1e-9


@dataclass
class WalkResult:
    panels: list[np.ndarray]
    weights: list[float]  # absolute weights; they sum to `done`
    done: float  # share of `x` written as a lottery (1.0 when the walk finished)
    steps: int
    stuck: str  # why the walk stopped early ("" when it finished)


class _Rows:
    """Quota rows as indices into a (T, J) feature table."""

    def __init__(self, types: Types, qmin: np.ndarray, qmax: np.ndarray) -> None:
        self.features = types.features
        self.sizes = types.sizes.astype(np.int64)
        self.qmin = qmin.astype(np.int64)
        self.qmax = qmax.astype(np.int64)
        self.q_count = len(qmin)
        self.category = np.empty(self.q_count, dtype=np.int64)
        for j in range(self.features.shape[1]):
            self.category[np.unique(self.features[:, j])] = j
        self.j_count = self.features.shape[1]

    def sums(self, counts: np.ndarray) -> np.ndarray:
        s = np.zeros(self.q_count, dtype=np.float64)
        np.add.at(s, self.features.ravel(), np.repeat(counts.astype(np.float64), self.j_count))
        return s


def _round(z: np.ndarray, lo: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Systematic rounding of z to lo or lo+1 over a random order: Σ is kept when Σ(z − lo) is an
    integer, and each count is rounded up with probability about z − lo."""
    frac = np.clip(z - lo, 0.0, 1.0)
    order = rng.permutation(len(z))
    cum = np.floor(np.cumsum(frac[order]) + rng.random() + 1e-9)
    ups = np.diff(np.concatenate([[0.0], cum])).astype(np.int64)
    counts = lo.copy()
    counts[order] += ups
    return counts


def _repair(
    rows: _Rows,
    counts: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    rlo: np.ndarray,
    rhi: np.ndarray,
    k: int,
    rng: np.random.Generator,
    max_moves: int = 400,
) -> np.ndarray | None:
    """Move `counts` (within [lo, hi] per type) until its panel size is k and every quota row is
    within [rlo, rhi], by single additions/removals (when the size is off) and swaps that lower
    the total violation. None when stuck."""
    feats = rows.features
    c = counts.copy()
    s = rows.sums(c).astype(np.int64)
    for _ in range(max_moves):
        size = int(c.sum())
        over, under = s > rhi, s < rlo
        if size == k and not over.any() and not under.any():
            return c
        # violation change of one more / one fewer on each row
        inc = np.where(s < rlo, -1, np.where(s >= rhi, 1, 0))
        dec = np.where(s > rhi, -1, np.where(s <= rlo, 1, 0))
        if size != k:
            if size < k:
                cand = np.flatnonzero(c < hi)
                delta = inc[feats[cand]].sum(axis=1)
            else:
                cand = np.flatnonzero(c > lo)
                delta = dec[feats[cand]].sum(axis=1)
            if len(cand) == 0:
                return None
            pick = cand[int(np.argmin(delta + 1e-3 * rng.random(len(cand))))]
            step = 1 if size < k else -1
            c[pick] += step
            s[feats[pick]] += step
            continue
        bad = np.flatnonzero(over | under)
        q = int(bad[rng.integers(len(bad))])
        has = feats[:, rows.category[q]] == q
        if over[q]:
            outs = np.flatnonzero(has & (c > lo))
            ins = np.flatnonzero(~has & (c < hi))
        else:
            outs = np.flatnonzero(~has & (c > lo))
            ins = np.flatnonzero(has & (c < hi))
        if len(outs) == 0 or len(ins) == 0:
            return None
        fa = feats[outs][:, None, :]
        fb = feats[ins][None, :, :]
        delta = np.where(fa == fb, 0, dec[fa] + inc[fb]).sum(axis=2).astype(np.float64)
        delta += 1e-3 * rng.random(delta.shape)
        a, b = np.unravel_index(int(np.argmin(delta)), delta.shape)
        if delta[a, b] >= 0:
            return None
        ta, tb = int(outs[a]), int(ins[b])
        c[ta] -= 1
        c[tb] += 1
        s[feats[ta]] -= 1
        s[feats[tb]] += 1
    return None


class _FacePoint:
    """Integer program for an integer point of a face: counts within per-type bounds, quota rows
    within per-row bounds, panel size k; objective: round up the counts with the largest
    fractional parts (plus a little noise, so repeated calls differ)."""

    def __init__(self, types: Types, k: int) -> None:
        self.t_count = types.count
        h = _new_highs()
        h.setOptionValue("mip_rel_gap", 1e-2)
        h.setOptionValue("time_limit", 30.0)
        q_count = types.incidence.shape[0]
        add_composition(h, types, np.zeros(q_count), np.full(q_count, float(k)), k)
        self.q_count = q_count
        self.highs = h
        self.calls = 0

    def find(
        self, lo: np.ndarray, hi: np.ndarray, rlo: np.ndarray, rhi: np.ndarray, weights: np.ndarray
    ) -> np.ndarray | None:
        h: Any = self.highs  # changeRowsBounds is missing from highspy's type stubs
        t_all = _i32(range(self.t_count))
        h.changeColsBounds(self.t_count, t_all, lo.astype(np.float64), hi.astype(np.float64))
        h.changeRowsBounds(self.q_count, _i32(range(self.q_count)), rlo.astype(np.float64), rhi.astype(np.float64))
        h.changeColsCost(self.t_count, t_all, weights.astype(np.float64))
        h.clearSolver()
        h.run()
        self.calls += 1
        if h.getInfo().primal_solution_status != 2:  # no feasible point (or none found in time)
            return None
        return np.rint(np.asarray(h.getSolution().col_value)).astype(np.int64)


def _max_theta(rows: _Rows, z: np.ndarray, zs: np.ndarray, v: np.ndarray, vs: np.ndarray) -> float:
    """Largest θ ≤ 1 with (z − θ·v)/(1 − θ) in R."""
    theta = 1.0
    n = rows.sizes.astype(np.float64)
    v = v.astype(np.float64)
    eps = 1e-12
    up = v > z + eps
    if up.any():
        theta = min(theta, float((z[up] / v[up]).min()))
    down = v < z - eps
    if down.any():
        theta = min(theta, float((np.maximum(n[down] - z[down], 0.0) / (n[down] - v[down])).min()))
    over = vs > zs + eps
    if over.any():
        room = np.maximum(zs[over] - rows.qmin[over], 0.0)
        span = vs[over] - rows.qmin[over]
        theta = min(theta, float(np.where(span > eps, room / np.maximum(span, eps), np.inf).min()))
    below = vs < zs - eps
    if below.any():
        room = np.maximum(rows.qmax[below] - zs[below], 0.0)
        span = rows.qmax[below] - vs[below]
        theta = min(theta, float(np.where(span > eps, room / np.maximum(span, eps), np.inf).min()))
    return max(theta, 0.0)


def face_walk(
    types: Types,
    qmin: np.ndarray,
    qmax: np.ndarray,
    k: int,
    x: np.ndarray,
    rng: np.random.Generator,
    tries: int = 4,
    mip_calls: int = 12,
) -> WalkResult:
    """Decompose `x` (expected counts per type, in R) into a lottery over type compositions.

    `mip_calls` bounds the integer programs asked for a face point when the swaps get stuck (a
    count, not a time, so that the result depends only on the seed)."""
    rows = _Rows(types, qmin, qmax)
    n = rows.sizes.astype(np.float64)
    remainder = np.clip(x.astype(np.float64), 0.0, n)
    mass = 1.0
    panels: list[np.ndarray] = []
    weights: list[float] = []
    steps = 0
    stuck = ""
    exact: _FacePoint | None = None
    limit = types.count + rows.q_count + 10
    while mass > 1e-12 and steps < limit:
        steps += 1
        z = np.clip(remainder / mass, 0.0, n)
        near = np.rint(z)
        snapped = np.abs(z - near) <= _TIGHT * np.maximum(1.0, n)
        z = np.where(snapped, near, z)
        zs = rows.sums(z)
        tight_lo = zs <= rows.qmin + _TIGHT * k
        tight_hi = zs >= rows.qmax - _TIGHT * k
        # a tight quota holds with equality on the whole face
        rlo = np.where(tight_hi & ~tight_lo, rows.qmax, rows.qmin)
        rhi = np.where(tight_lo & ~tight_hi, rows.qmin, rows.qmax)
        lo = np.floor(z).astype(np.int64)
        hi = np.ceil(z).astype(np.int64)
        # the face only pins the counts at 0 or at the type's size
        face_lo = np.where(snapped & (near >= n), rows.sizes, 0)
        face_hi = np.where(snapped & (near <= 0), 0, rows.sizes)
        v: np.ndarray | None = None
        for attempt in range(2 * tries):
            box = attempt < tries
            start = _round(z, lo, rng)
            v = _repair(rows, start, lo if box else face_lo, hi if box else face_hi, rlo, rhi, k, rng, max_moves=400)
            if v is not None:
                break
        if v is None and (exact is None or exact.calls < mip_calls):
            # the swaps got stuck: ask the integer program, first in the box, then on the face
            if exact is None:
                exact = _FacePoint(types, k)
            noise = 1e-3 * rng.random(types.count)
            v = exact.find(lo, hi, rlo, rhi, (z - lo) - 0.5 + noise)
            if v is None:
                v = exact.find(face_lo, face_hi, rlo, rhi, (z - lo) - 0.5 + noise)
        if v is None:
            stuck = "no integer point on the face"
            break
        vs = rows.sums(v)
        theta = _max_theta(rows, z, zs, v, vs)
        if theta <= 0.0:
            stuck = "zero step"
            break
        weight = theta * mass
        panels.append(v)
        weights.append(weight)
        remainder = remainder - weight * v
        mass -= weight
        if theta >= 1.0:
            mass = 0.0
    return WalkResult(panels, weights, 1.0 - mass, steps, stuck)
