"""Adaptive choice of the next pairs to show.

Each pair is built in two steps, in the spirit of Thompson sampling (Thompson, Biometrika
25:285–294, 1933) as used for active pairwise ranking by Chen, Bennett, Collins-Thompson &
Horvitz, "Pairwise ranking aggregation in a crowdsourced setting", WSDM 2013:

1. The first idea. With probability `new_share`, and while some active idea has been shown fewer
   than `min_shown` times, the least-shown such idea (random among equals): a new or late idea
   is shown at its next chance, until it has `min_shown` votes. Otherwise an active idea drawn
   with probability proportional to v_i^`variance_power` · ρ_i^`density_power`: v_i its
   posterior variance (effort goes where the estimate is least certain) and ρ_i the share of
   ideas placed near it (a histogram of the draw in step 2). The ranking's quality is counted
   over pairs, and the pairs most at risk of being misordered are close ones, which are where
   the ideas are dense; ideas in the thin tails need less precision.
2. The opponent. One draw θ̃ ~ N(θ̂, diag v) per batch places the active ideas on the strength
   scale; the opponent is the idea whose θ̃ is nearest to θ̃_first + width·z, z ~ N(0, 1)
   (never the first idea itself). A vote's Fisher information p(1 − p) is largest between ideas
   of near-equal strength (¼ at Δθ = 0, 0.235 at |Δθ| = 0.5). The random draw spreads the
   opponents over everything the data cannot yet tell apart: early on the placement is nearly
   random (close to uniform pairs), later the opponents are the genuinely close ideas, within
   about the posterior spread plus `width`. Opponents that are too close for the estimates
   would make the comparison graph a path, along which errors add up: with perfect knowledge
   of θ and opponents within ±0.6, 100 simulated ideas needed more votes than uniform pairs.
   With probability `explore` the opponent is instead uniform over the active ideas, which
   keeps the comparison graph connected across the whole scale.

Cost per batch of k pairs: one O(n) draw, one O(n log n) sort and O(k) work; no enumeration of
pairs. Randomness only from `seed`.

`method="misorder"` instead keeps, for each pair, the best of `candidates` candidate pairs by the
expected fall in the number of misordered pairs of ideas (misorder.py; same floor for new ideas
and same `explore` share; its `width` defaults to 0.4). On the benchmark it needed 0.77 / 0.74 of
uniform pairs' votes to reach τ = 0.9 against this rule's 0.81 / 0.80 (100 / 1,000 ideas), a
gain within the seed noise at 100 ideas, at about 60–90 µs of selection per vote against 1–5 µs;
so "thompson" stays the default (bench/pairwise.md, section 2).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt

from .misorder import misorder_pairs, nearest_places
from .model import Fit
from .votes import PairwiseError

IntArray = npt.NDArray[np.int64]
Method = Literal["thompson", "misorder"]
METHODS = ("thompson", "misorder")


def next_pairs(
    fit: Fit,
    k: int = 1,
    *,
    seed: int | np.random.Generator | None,
    shown: npt.ArrayLike | None = None,
    active: npt.ArrayLike | None = None,
    min_shown: int = 8,
    new_share: float = 0.5,
    width: float | None = None,
    variance_power: float = 1.0,
    density_power: float = 1.0,
    explore: float = 0.05,
    method: Method = "thompson",
    candidates: int = 8,
    near_share: float = 0.75,
    window: int = 32,
) -> IntArray:
    """`k` pairs (rows [left, right], left shown first, both orders random) to ask next.

    `shown[i]` is how often idea i has been in a vote (default: none yet); `active` masks the
    ideas that may be shown (default: all). Ideas added after `fit` was made (len(shown) or
    len(active) > fit.n_ideas) count as new, with the prior's mean and variance."""
    if seed is None:
        raise PairwiseError("seed is required: pass an int or a numpy Generator")
    rng = np.random.default_rng(seed)
    n = fit.n_ideas
    if shown is not None:
        n = max(n, np.asarray(shown).size)
    if active is not None:
        n = max(n, np.asarray(active).size)
    theta = np.zeros(n)
    var = np.full(n, 1.0 / fit.prior_precision)
    theta[: fit.n_ideas] = fit.theta
    var[: fit.n_ideas] = fit.variance
    count = np.zeros(n, dtype=np.int64)
    if shown is not None:
        s = np.asarray(shown, dtype=np.int64)
        count[: s.size] = s
    mask = np.ones(n, dtype=bool)
    if active is not None:
        am = np.asarray(active, dtype=bool)
        mask[:] = False
        mask[: am.size] = am
    ids = np.flatnonzero(mask)
    if ids.size < 2:
        raise PairwiseError("at least two active ideas are needed to ask for a vote")
    if k < 0:
        raise PairwiseError("k must be non-negative")
    if width is None:
        width = 0.4 if method == "misorder" else 0.1
    if not (0 <= new_share <= 1 and 0 <= explore <= 1 and width >= 0):
        raise PairwiseError("new_share and explore must be in [0, 1], width non-negative")
    if method not in METHODS:
        raise PairwiseError(f"method must be one of {METHODS}, not {method!r}")
    m = ids.size
    if method == "misorder":
        if candidates < 1 or window < 1 or not 0 <= near_share <= 1:
            raise PairwiseError("candidates and window must be at least 1, near_share in [0, 1]")
        return _swap(
            misorder_pairs(
                theta,
                var,
                ids,
                count,
                k,
                rng,
                min_shown=min_shown,
                new_share=new_share,
                explore=explore,
                width=width,
                candidates=candidates,
                near_share=near_share,
                window=window,
                variance_power=variance_power,
            ),
            rng,
        )

    # the active ideas placed by one posterior draw, in increasing order; pos[idea] = place
    draw = theta[ids] + np.sqrt(var[ids]) * rng.standard_normal(m)
    sorter = np.argsort(draw, kind="stable")
    order, placed = ids[sorter], draw[sorter]
    pos = np.empty(n, dtype=np.int64)
    pos[order] = np.arange(m)

    # ideas still under the floor, least shown first (random among equals); consumed in turn
    cnt = count[ids]
    under = ids[cnt < min_shown]
    if under.size:
        under = under[np.lexsort((rng.random(under.size), count[under]))]
    weights = var[ids] ** variance_power
    if density_power:
        weights = weights * _density(placed)[np.argsort(sorter)] ** density_power
    weights = weights / weights.sum()

    use_floor = rng.random(k) < new_share
    turn = np.cumsum(use_floor) - 1
    from_floor = use_floor & (turn < under.size)
    first = np.empty(k, dtype=np.int64)
    first[from_floor] = under[turn[from_floor]]
    first[~from_floor] = rng.choice(ids, size=int((~from_floor).sum()), p=weights)

    target = placed[pos[first]] + width * rng.standard_normal(k)
    second = order[nearest_places(placed, pos[first], target)]
    wide = rng.random(k) < explore
    if wide.any():
        other = rng.integers(0, m - 1, size=int(wide.sum()))
        base = np.searchsorted(ids, first[wide])
        second[wide] = ids[other + (other >= base)]
    return _swap(np.stack([first, second], axis=1), rng)


def _swap(pairs: IntArray, rng: np.random.Generator) -> IntArray:
    """Each pair in a random order (left is shown first)."""
    swap = rng.random(pairs.shape[0]) < 0.5
    pairs[swap] = pairs[swap][:, ::-1]
    return pairs


def _density(sorted_draw: npt.NDArray[np.float64], bins: int = 64) -> npt.NDArray[np.float64]:
    """Histogram estimate of the density of the ideas at each (sorted) placed strength."""
    m = sorted_draw.size
    if m < 3:
        return np.ones(m)
    edges = np.linspace(sorted_draw[0], sorted_draw[-1], min(bins, m) + 1)
    which = np.clip(np.searchsorted(edges, sorted_draw, side="right") - 1, 0, edges.size - 2)
    hist = np.bincount(which, minlength=edges.size - 1).astype(np.float64)
    out: npt.NDArray[np.float64] = hist[which] / m
    return out
