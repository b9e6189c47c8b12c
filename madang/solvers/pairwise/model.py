"""Penalised Bradley–Terry fit over sparse pair counts, and its Laplace-approximation variances.

Model (Bradley & Terry, Biometrika 39:324–345, 1952): idea i beats idea j with probability
σ(θ_i − θ_j), σ the logistic function. With a Gaussian prior θ_i ~ N(0, 1/λ) the maximum a
posteriori estimate minimises

    f(θ) = −Σ_pairs [a_ij log σ(θ_i − θ_j) + b_ij log σ(θ_j − θ_i)] + (λ/2) ‖θ‖²,

a_ij, b_ij the wins of i and of j (a "can't decide" adds ½ to each when ties="half"). The prior
keeps ideas with one vote, or with only wins, finite, and pins the otherwise free common shift.
f is strictly convex; its gradient and Hessian are sums over pairs:

    ∇f_i = λθ_i − Σ_j (a_ij − m_ij p_ij),        H = L(w) + λI,  w_ij = m_ij p_ij (1 − p_ij),

with m = a + b, p_ij = σ(θ_i − θ_j) and L(w) the weighted graph Laplacian of the shown pairs.
We minimise f by a truncated Newton method (Newton-CG: Dembo, Eisenstat & Steihaug, SIAM J.
Numer. Anal. 19:400–408, 1982; Nocedal & Wright, Numerical Optimization, 2nd ed., §7.1): each
step solves H δ = −∇f by conjugate gradients preconditioned with diag(H), to a relative
tolerance min(½, √‖∇f‖) (Eisenstat–Walker forcing), followed by an Armijo backtracking line
search (skipped when the directional derivative is still negative at the full step, which for
a convex f proves descent). A Hessian-vector product costs two gathers and two `bincount`s over the pairs, so one
step is O(pairs) time and memory; no n×n matrix is formed. Warm-started from the previous fit
(new ideas start at the prior mean 0) an update after a batch of votes takes one to three steps.

Uncertainty (Laplace approximation: the posterior is approximated by N(θ̂, H⁻¹) at the mode,
e.g. MacKay, Information Theory, Inference and Learning Algorithms, ch. 27): we need only the
diagonal of H⁻¹. For n ≤ `exact_variance_limit` it is computed exactly; above, with D = diag(H)
and H = D − W, by the first two terms of the Neumann series H⁻¹ = D⁻¹ + D⁻¹WD⁻¹ + D⁻¹WD⁻¹WD⁻¹ + …,
whose diagonal is 1/D_ii + Σ_j w_ij² / (D_ii² D_jj): an idea compared only with
poorly known ideas is itself poorly known. Both are largest for ideas with few votes (an idea with
no votes keeps the prior variance 1/λ).

The prior precision λ may also be estimated from the votes (`fit_evidence`: MacKay's evidence
update, empirical Bayes). On the benchmark it leaves τ at equal votes unchanged, and it does not
shorten adaptive surveys on the main workload (bench/pairwise.md, section 2, 2026-12-07), so the
default stays λ = 1.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Literal

import numpy as np
import numpy.typing as npt

from .votes import PairCounts, PairwiseError

FloatArray = npt.NDArray[np.float64]
Ties = Literal["half", "ignore"]

DEFAULT_PRIOR_PRECISION = 1.0


@dataclass(frozen=True)
class Fit:
    """A fitted model: strengths θ (logit scale, prior mean 0) and their posterior variances."""

    theta: FloatArray
    variance: FloatArray
    prior_precision: float
    ties: Ties
    newton_steps: int
    cg_steps: int
    converged: bool
    gradient_norm: float

    @property
    def n_ideas(self) -> int:
        return int(self.theta.size)


def _sigmoid(x: FloatArray) -> FloatArray:
    out: FloatArray = 0.5 * (1.0 + np.tanh(0.5 * x))
    return out


def _weights(counts: PairCounts, ties: Ties) -> tuple[FloatArray, FloatArray]:
    a = counts.wins_i.astype(np.float64)
    b = counts.wins_j.astype(np.float64)
    if ties == "half":
        h = 0.5 * counts.ties
        a += h
        b += h
    elif ties != "ignore":
        raise PairwiseError(f"ties must be 'half' or 'ignore', not {ties!r}")
    return a, a + b


def fit(
    counts: PairCounts,
    *,
    prior_precision: float = DEFAULT_PRIOR_PRECISION,
    ties: Ties = "half",
    init: npt.ArrayLike | None = None,
    tol: float = 1e-7,
    max_steps: int = 100,
    exact_variance_limit: int = 64,
) -> Fit:
    """Maximum a posteriori Bradley–Terry strengths for `counts` (see the module docstring).

    `init` (e.g. the previous fit's θ, possibly shorter when ideas were added since) warm-starts
    the search. Converged means max_i |∇f_i| / (1 + votes of i) ≤ tol."""
    if not prior_precision > 0 or not math.isfinite(prior_precision):
        raise PairwiseError("prior_precision must be a positive number (it keeps every estimate finite)")
    n = counts.n_ideas
    lam = float(prior_precision)
    a, m = _weights(counts, ties)
    keep = m > 0
    if not keep.all():  # pairs seen only as ignored ties carry no information
        a, m = a[keep], m[keep]
        ii, jj = counts.i[keep].astype(np.intp), counts.j[keep].astype(np.intp)
    else:
        ii, jj = counts.i.astype(np.intp), counts.j.astype(np.intp)

    theta = np.zeros(n)
    if init is not None:
        start = np.asarray(init, dtype=np.float64)
        if start.ndim != 1 or start.size > n or not np.isfinite(start).all():
            raise PairwiseError("init must be finite strengths for at most n_ideas ideas")
        theta[: start.size] = start

    def objective(t: FloatArray) -> float:
        d = np.take(t, ii) - np.take(t, jj)
        # −[a log σ(d) + b log σ(−d)] = m log(1 + e^{−d}) + b d, with log(1 + e^{−d}) = max(−d, 0) + log1p(e^{−|d|})
        soft = np.maximum(-d, 0.0) + np.log1p(np.exp(-np.abs(d)))
        return float(np.sum(m * soft + (m - a) * d)) + 0.5 * lam * _dot(t, t)

    def gradient(t: FloatArray) -> tuple[FloatArray, FloatArray]:
        """∇f(t) and the Hessian's pair weights m p (1 − p), in one pass over the pairs."""
        p = _sigmoid(np.take(t, ii) - np.take(t, jj))
        r = a - m * p
        g = lam * t - np.bincount(ii, r, n) + np.bincount(jj, r, n)
        return g, m * p * (1.0 - p)

    def hess_vec(w: FloatArray, x: FloatArray) -> FloatArray:
        q = w * (np.take(x, ii) - np.take(x, jj))
        out: FloatArray = lam * x + np.bincount(ii, q, n) - np.bincount(jj, q, n)
        return out

    # per-idea gradient over (1 + the idea's votes): the Newton step still to go for θ_i is about 4× this
    scale = 1.0 / (1.0 + np.bincount(ii, m, n) + np.bincount(jj, m, n))
    g, w = gradient(theta)
    steps = cg_total = 0
    gnorm = float(np.abs(g * scale).max()) if n else 0.0
    while gnorm > tol and steps < max_steps:
        diag = lam + np.bincount(ii, w, n) + np.bincount(jj, w, n)
        delta, k = _pcg(partial(hess_vec, w), -g, 1.0 / diag, min(0.5, math.sqrt(gnorm)))
        cg_total += k
        cand = theta + delta
        gc, wc = gradient(cand)
        # f is convex, so if it still falls at the end of the full step (∇f(cand)·δ ≤ 0) it fell
        # all along it: accept without evaluating f. Otherwise Armijo backtracking on f.
        if _dot(gc, delta) > 0:
            f0, slope, step = objective(theta), _dot(g, delta), 1.0
            while objective(cand) > f0 + 1e-4 * step * slope and step > 1e-10:
                step *= 0.5
                cand = theta + step * delta
            if step < 1.0:
                gc, wc = gradient(cand)
        theta, g, w = cand, gc, wc
        gnorm = float(np.abs(g * scale).max())
        steps += 1
    variance = _variance(ii, jj, w, lam, n, exact_variance_limit)
    return Fit(theta, variance, lam, ties, steps, cg_total, gnorm <= tol, gnorm)


def evidence_precision(model: Fit, *, bounds: tuple[float, float] = (0.05, 20.0)) -> float:
    """One empirical-Bayes update of the prior precision λ from a fit (MacKay, "Bayesian
    interpolation", Neural Computation 4:415–447, 1992, eq. 4.9; also his ITILA ch. 28):

        λ ← γ / Σ θ̂_i²,    γ = Σ_i (1 − λ (H⁻¹)_ii),

    γ the number of well-determined parameters. The common shift of all θ is fixed by the prior
    alone (its term in γ is 0 and θ̂ has mean 0), so the sum runs over the other n − 1 directions:
    γ = (n − 1) − λ ((n − 1)/n)² Σ_i v_i with the fit's variances v_i of θ_i against the mean of
    the others. Iterated with refits it climbs the Laplace evidence to its maximum; clipped to
    `bounds`, since with few votes per idea the evidence can favour λ → ∞ (all ideas equal);
    a fit without votes keeps its λ."""
    n = model.n_ideas
    lo, hi = bounds
    if n < 2:
        return float(min(max(model.prior_precision, lo), hi))
    lam = model.prior_precision
    gamma = (n - 1) - lam * ((n - 1) / n) ** 2 * float(model.variance.sum())
    size = _dot(model.theta, model.theta)
    if gamma <= 0 or size <= 0:  # no votes yet: nothing to learn from
        return float(min(max(lam, lo), hi))
    return float(min(max(gamma / size, lo), hi))


def fit_evidence(
    counts: PairCounts,
    *,
    prior_precision: float = DEFAULT_PRIOR_PRECISION,
    rounds: int = 20,
    rtol: float = 0.01,
    bounds: tuple[float, float] = (0.05, 20.0),
    init: npt.ArrayLike | None = None,
    ties: Ties = "half",
) -> Fit:
    """`fit` with the prior precision estimated from the votes (empirical Bayes, see
    `evidence_precision`), starting from `prior_precision`; each round is a warm refit."""
    model = fit(counts, prior_precision=prior_precision, ties=ties, init=init)
    for _ in range(rounds):
        lam = evidence_precision(model, bounds=bounds)
        if abs(lam - model.prior_precision) <= rtol * model.prior_precision:
            break
        model = fit(counts, prior_precision=lam, ties=ties, init=model.theta)
    return model


def _dot(x: FloatArray, y: FloatArray) -> float:
    # einsum, not BLAS: threaded BLAS on short vectors is slow and erratic on a shared machine
    return float(np.einsum("i,i->", x, y))


def _pcg(
    matvec: Callable[[FloatArray], FloatArray], b: FloatArray, inv_diag: FloatArray, rtol: float, max_iter: int = 500
) -> tuple[FloatArray, int]:
    """Preconditioned conjugate gradients for H x = b, H symmetric positive definite."""
    x = np.zeros_like(b)
    r = b.copy()
    z = inv_diag * r
    p = z.copy()
    rz = _dot(r, z)
    target = (rtol * rtol) * _dot(b, b)
    k = 0
    while k < max_iter and _dot(r, r) > target:
        hp = matvec(p)
        alpha = rz / _dot(p, hp)
        x += alpha * p
        r -= alpha * hp
        z = inv_diag * r
        rz_new = _dot(r, z)
        p = z + (rz_new / rz) * p
        rz = rz_new
        k += 1
    return x, k


def _variance(
    ii: npt.NDArray[np.intp], jj: npt.NDArray[np.intp], w: FloatArray, lam: float, n: int, exact_limit: int
) -> FloatArray:
    """Var(θ_i − mean of the other θ) under N(θ̂, H⁻¹): the part of θ_i's uncertainty a score sees
    (the common shift of all θ, fixed only by the prior, cancels out of every score)."""
    diag = lam + np.bincount(ii, w, n) + np.bincount(jj, w, n)
    if n < 2:
        return 1.0 / diag
    scale = (n / (n - 1)) ** 2
    if n <= exact_limit:
        h = np.diag(diag)
        np.subtract.at(h, (ii, jj), w)
        np.subtract.at(h, (jj, ii), w)
        # H·1 = λ·1, so with c_i = (n e_i − 1)/(n − 1): c_iᵀ H⁻¹ c_i = scale·(H⁻¹)_ii − n/((n−1)² λ)
        exact: FloatArray = scale * np.diag(np.linalg.inv(h)) - n / ((n - 1) ** 2 * lam)
        return exact
    # the truncated Neumann series leaves out the slow common-shift mode, which cancels here anyway
    w2 = w * w
    inv = 1.0 / diag
    corr = np.bincount(ii, w2 * inv[jj], n) + np.bincount(jj, w2 * inv[ii], n)
    approx: FloatArray = scale * (inv + corr * inv * inv)
    return approx
