"""Next pairs by the expected reduction in the number of misordered pairs of ideas.

The ranking's error is counted over pairs: under the posterior approximation N(μ, diag v) the
chance that ideas k and l are ordered wrongly is Φ(−|μ_k − μ_l| / s_kl), s_kl² = v_k + v_l, and
Kendall τ is a linear function of how many pairs are wrong. A vote on (a, b) is worth the
expected fall of that sum (a one-step look-ahead, in the spirit of the information-gain rule of
Mikhailiuk, Wilmot, Perez-Ortiz, Yue & Mantiuk, "Active sampling for pairwise comparisons via
approximate message passing and information gain maximization", ICPR 2020, but aimed at the
order rather than at θ itself; as a preposterior value it is a "knowledge gradient", Frazier,
Powell & Dayanik, SIAM J. Control Optim. 47, 2008).

The vote, a logistic observation of θ_a − θ_b with predictive Fisher information
q = p̄(1 − p̄) (p̄ the win chance with the difference's uncertainty averaged in, MacKay's probit
approximation), is taken as a rank-one Gaussian update along e_a − e_b:

    v_a ← v_a − q v_a² / (1 + q s²),    s² = v_a + v_b,    Var(θ_a − θ_b) ← s² / (1 + q s²),

and the posterior mean of θ_a moves by a zero-mean amount of variance t_a² = q v_a² / (1 + q s²)
(for the pair itself the mean difference moves with t_ab² = q s⁴ / (1 + q s²)). To first order
in the variance the expected misorder chance of a pair does not change (the posterior is a
martingale): what a vote buys is the chance of *flipping* an order that is now wrong. For a pair
whose mean difference μ moves by m ~ N(0, t²) that expected fall is, for t small against s,

    R(μ, s, t) ≈ (2 φ(0) / s) · t · ψ(|μ| / t),    ψ(x) = φ(x) − x Φ(−x) = E[(Z − x)₊],

exact to first order at μ = 0 (there it is arcsin(t/s)/π). The value of the vote is the sum of R
over the pair itself and over the pairs (a, l) and (b, l) for the ideas l near a and b: ψ falls
off like φ(x)/x², so only ideas whose means are within a few t count, and the `window` nearest
ideas on each side in the order of the means stand in for all of them.

Selection. A vote's value peaks for pairs that are close *and* uncertain, where the order is most
likely to change, and it falls for pairs already told apart and for hopeless near-ties. For each
of the k requested pairs the rule draws `candidates` candidate pairs and keeps the one of largest
value ("best of R", which spreads the batch without any sequential update). A candidate's first
idea is drawn with probability proportional to its variance (new and thinly voted ideas first);
its opponent is, with probability `near_share`, the idea nearest to θ̃_first + `width`·z in one
posterior draw θ̃ ~ N(μ, diag v) (the close and still uncertain ideas), else uniform over the
active ideas. As in the Thompson rule (select.py), an idea under its floor of `min_shown` votes
is the first idea of a share `new_share` of the pairs, and a share `explore` of the opponents
is uniform, which keeps the comparison graph connected across the scale.

Cost per batch of k pairs: an O(n log n) sort and draw, and O(k · candidates · window) work in
chunks of bounded size; no n × n array, no enumeration of pairs.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from scipy.special import ndtr

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

_PHI0 = 1.0 / math.sqrt(2.0 * math.pi)
_CHUNK = 1 << 16  # candidate pairs scored at a time (bounds the window arrays to a few MB)


def _psi(x: FloatArray) -> FloatArray:
    """E[(Z − x)₊] for Z ~ N(0, 1), x ≥ 0: φ(x) − x Φ(−x)."""
    out: FloatArray = np.maximum(np.exp(-0.5 * x * x) * _PHI0 - x * ndtr(-x), 0.0)
    return out


def flip_value(mu_gap: FloatArray, s: FloatArray, t: FloatArray) -> FloatArray:
    """Expected fall of the misorder chance Φ(−|μ|/s) when μ moves by N(0, t²) (see the module)."""
    t = np.maximum(t, 1e-12)
    out: FloatArray = (2.0 * _PHI0) * t / s * _psi(np.abs(mu_gap) / t)
    return out


def pair_value(
    mu: FloatArray,
    var: FloatArray,
    sorted_mu: FloatArray,
    sorted_var: FloatArray,
    rank: IntArray,
    a: IntArray,
    b: IntArray,
    window: int,
) -> FloatArray:
    """Value of one vote on each pair (a[c], b[c]) (local indices into `mu`, `var`):
    the expected fall in the number of misordered pairs. `rank` places each idea in the order
    of the means (`sorted_mu`, `sorted_var`)."""
    out = np.empty(a.size)
    m = sorted_mu.size
    offsets = np.concatenate([np.arange(-window, 0), np.arange(1, window + 1)])
    step = max(1, _CHUNK // max(1, offsets.size))
    for lo in range(0, a.size, step):
        ca, cb = a[lo : lo + step], b[lo : lo + step]
        va, vb = var[ca], var[cb]
        s2 = va + vb
        gap = mu[ca] - mu[cb]
        pbar = 1.0 / (1.0 + np.exp(-gap / np.sqrt(1.0 + (math.pi / 8.0) * s2)))
        q = pbar * (1.0 - pbar)
        gain = np.sqrt(q / (1.0 + q * s2))
        total = flip_value(gap, np.sqrt(s2), gain * s2)
        for idea, v in ((ca, va), (cb, vb)):
            t = (gain * v)[:, None]
            where = rank[idea][:, None] + offsets[None, :]
            ok = (where >= 0) & (where < m)
            where = np.clip(where, 0, m - 1)
            s = np.sqrt(v[:, None] + sorted_var[where])
            val = flip_value(mu[idea][:, None] - sorted_mu[where], s, t)
            total = total + np.where(ok, val, 0.0).sum(axis=1)
        out[lo : lo + ca.size] = total
    return out


def nearest_places(
    placed: npt.NDArray[np.float64], at: npt.NDArray[np.int64], target: npt.NDArray[np.float64]
) -> npt.NDArray[np.int64]:
    """For each target, the place in the sorted `placed` nearest to it, but never `at` itself
    (then the neighbour on the target's side): an opponent near a point of a posterior draw."""
    m = placed.size
    right = np.clip(np.searchsorted(placed, target), 1, m - 1)  # placed[right-1] < target <= placed[right]
    nearer_left = (target - placed[right - 1]) < (placed[right] - target)
    place = np.where(nearer_left, right - 1, right)
    step = np.where(target >= placed[place], 1, -1)
    place = np.where(place == at, place + step, place)
    return np.where(place >= m, m - 2, np.where(place < 0, 1, place))


def misorder_pairs(
    theta: FloatArray,
    var: FloatArray,
    ids: IntArray,
    count: IntArray,
    k: int,
    rng: np.random.Generator,
    *,
    min_shown: int,
    new_share: float,
    explore: float,
    width: float,
    candidates: int,
    near_share: float,
    window: int,
    variance_power: float = 1.0,
) -> IntArray:
    """`k` pairs of ideas from `ids` (global indices), first idea first; see the module."""
    m = ids.size
    mu, v = theta[ids], var[ids]
    by_mean = np.argsort(mu, kind="stable")
    rank = np.empty(m, dtype=np.int64)
    rank[by_mean] = np.arange(m)
    sorted_mu, sorted_var = mu[by_mean], v[by_mean]

    # one posterior draw places the ideas for the "near" opponents
    draw = mu + np.sqrt(v) * rng.standard_normal(m)
    by_draw = np.argsort(draw, kind="stable")
    placed = draw[by_draw]
    pos = np.empty(m, dtype=np.int64)
    pos[by_draw] = np.arange(m)

    cnt = count[ids]
    under = np.flatnonzero(cnt < min_shown)
    if under.size:
        under = under[np.lexsort((rng.random(under.size), cnt[under]))]
    use_floor = rng.random(k) < new_share
    turn = np.cumsum(use_floor) - 1
    from_floor = use_floor & (turn < under.size)

    r = max(1, int(candidates))
    weights = v**variance_power
    weights = weights / weights.sum()
    first = rng.choice(m, size=(k, r), p=weights)
    if from_floor.any():
        first[from_floor] = under[turn[from_floor]][:, None]
    first = first.ravel()

    # opponents: near in the posterior draw, or uniform; never the first idea itself
    target = placed[pos[first]] + width * rng.standard_normal(first.size)
    second = by_draw[nearest_places(placed, pos[first], target)]
    uniform = rng.random(first.size) >= near_share
    other = rng.integers(0, m - 1, size=first.size)
    other += other >= first
    second = np.where(uniform, other, second)

    value = pair_value(mu, v, sorted_mu, sorted_var, rank, first, second, window).reshape(k, r)
    best = np.argmax(value, axis=1)
    rows = np.arange(k)
    a, b = first.reshape(k, r)[rows, best], second.reshape(k, r)[rows, best]

    wide = rng.random(k) < explore
    if wide.any():
        o = rng.integers(0, m - 1, size=int(wide.sum()))
        b[wide] = o + (o >= a[wide])
    return np.stack([ids[a], ids[b]], axis=1)
