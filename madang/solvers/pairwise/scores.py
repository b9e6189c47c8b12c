"""Wiki-survey scores: the estimated chance that an idea beats a randomly chosen other idea.

Following Salganik & Levy, "Wiki surveys: open and quantifiable social data collection", PLoS ONE
10(5): e0123483 (2015), the score of idea i is

    s_i = 1/(n−1) · Σ_{j≠i} σ(θ_i − θ_j),

which does not depend on the arbitrary zero of θ and averages exactly ½ over the ideas (each pair
contributes σ(d) + σ(−d) = 1). With S(t) = 1/n · Σ_j σ(t − θ_j), s_i = (n S(θ_i) − ½)/(n − 1).
For n ≤ `exact_limit` S is summed exactly (in blocks); above, θ is binned into a fine histogram
and S is evaluated on a grid by one (bins × grid) sum, then interpolated, so the cost is O(n)
plus a constant (error below 1e-4 for strengths within the usual ±10 range).

Uncertainty band: θ_i's Laplace posterior N(θ̂_i, v_i) (model.py), its central `level` interval
[θ̂_i − z√v_i, θ̂_i + z√v_i], mapped through the increasing function
t ↦ (n S(t) − σ(t − θ̂_i))/(n − 1) = 1/(n−1) · Σ_{j≠i} σ(t − θ̂_j), the other ideas held at their
estimates. The band lies in [0, 1], is asymmetric near the ends, and is wider for ideas with fewer votes.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import numpy.typing as npt

from .model import Fit, FloatArray, _sigmoid
from .votes import PairCounts, PairwiseError

IntArray = npt.NDArray[np.int64]

_BINS = 2048
_GRID = 2048


@dataclass(frozen=True)
class Scores:
    """Per idea: score in [0, 1], its band, strength θ with its standard error, and vote counts."""

    score: FloatArray
    lower: FloatArray
    upper: FloatArray
    theta: FloatArray
    std_error: FloatArray
    wins: IntArray
    losses: IntArray
    ties: IntArray
    level: float

    def ranking(self) -> IntArray:
        """Idea indices from the highest score to the lowest (ties by index)."""
        out: IntArray = np.lexsort((np.arange(self.score.size), -self.score))
        return out

    def rows(self) -> list[dict[str, float | int]]:
        """Plain dicts, one per idea, in index order (for templates and JSON)."""
        return [
            {
                "idea": k,
                "score": float(self.score[k]),
                "lower": float(self.lower[k]),
                "upper": float(self.upper[k]),
                "wins": int(self.wins[k]),
                "losses": int(self.losses[k]),
                "ties": int(self.ties[k]),
            }
            for k in range(self.score.size)
        ]


def mean_win_chance(theta: FloatArray, t: npt.ArrayLike, *, exact_limit: int = 4000) -> FloatArray:
    """S(t) = mean_j σ(t − θ_j) for each query t."""
    q = np.asarray(t, dtype=np.float64)
    n = theta.size
    if n == 0:
        return np.full(q.shape, 0.5)
    if n <= exact_limit:
        out = np.empty(q.size)
        flat = q.ravel()
        block = max(1, 2_000_000 // n)
        for s in range(0, flat.size, block):
            out[s : s + block] = _sigmoid(flat[s : s + block, None] - theta[None, :]).mean(axis=1)
        return out.reshape(q.shape)
    lo, hi = float(theta.min()), float(theta.max())
    width = max(hi - lo, 1e-9)
    # the histogram keeps each bin's mean θ, so the binning error is second order in the bin width
    edges = np.linspace(lo, hi + width * 1e-9, _BINS + 1)
    which = np.clip(np.searchsorted(edges, theta, side="right") - 1, 0, _BINS - 1)
    count = np.bincount(which, minlength=_BINS).astype(np.float64)
    total = np.bincount(which, theta, _BINS)
    used = count > 0
    centre, count = total[used] / count[used], count[used]
    pad = 12.0  # σ(±12) is within 1e-5 of its limit
    grid = np.linspace(min(lo, float(q.min())) - pad, max(hi, float(q.max())) + pad, _GRID)
    values = (_sigmoid(grid[:, None] - centre[None, :]) @ count) / n
    res: FloatArray = np.interp(q, grid, values)
    return res


def score(fit: Fit, counts: PairCounts | None = None, *, level: float = 0.95, exact_limit: int = 4000) -> Scores:
    """Scores and bands for every idea of `fit` (vote counts from `counts`, if given)."""
    if not 0 < level < 1:
        raise PairwiseError("level must be between 0 and 1")
    theta = fit.theta
    n = theta.size
    if counts is not None and counts.n_ideas != n:
        raise PairwiseError(f"counts are for {counts.n_ideas} ideas, the fit for {n}")
    se = np.sqrt(fit.variance)
    z = NormalDist().inv_cdf(0.5 + level / 2)

    def s(t: FloatArray) -> FloatArray:
        """Idea i's score were its strength t_i, the others at their estimates."""
        if n < 2:
            return np.full(t.shape, 0.5)
        # n·S(t_i) includes σ(t_i − θ_i), i's "comparison" with its own estimate: take it out
        out: FloatArray = (n * mean_win_chance(theta, t, exact_limit=exact_limit) - _sigmoid(t - theta)) / (n - 1)
        return np.clip(out, 0.0, 1.0)

    if counts is None:
        zero = np.zeros(n, dtype=np.int64)
        wins, losses, ties = zero, zero, zero
    else:
        wins, losses, ties = counts.per_idea()
    return Scores(s(theta), s(theta - z * se), s(theta + z * se), theta, se, wins, losses, ties, level)
