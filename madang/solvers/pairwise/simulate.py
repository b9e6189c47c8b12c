"""Seeded synthetic wiki surveys: a true ranking, voters who disagree, late ideas, "can't decide".

Truth: consensus strengths θ_i ~ N(0, spread²). Voters belong to `groups` groups (shares drawn
from a Dirichlet(2, …, 2)); group g judges with θ_i + disagreement · η_gi, η ~ N(0, 1) centred so
that the share-weighted average of the groups' views is θ: groups disagree about individual
ideas, and the consensus is the population's average view. A voter of group g
shown (i, j) says "can't decide" with probability tie_rate · exp(−(Δ/tie_width)²), Δ the group's
θ_i − θ_j, and otherwise picks i with probability σ(Δ) (Bradley–Terry). A share `late_share`
of the ideas (chosen at random) is submitted during the survey, at vote counts uniform on
[1, late_until); the rest are there from the start.

Everything here is for tests, benchmarks and the CLI; the survey itself needs only votes.py,
model.py, scores.py and select.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from .model import Fit, FloatArray, Ties, _sigmoid, evidence_precision, fit
from .select import next_pairs
from .votes import PairCounts, aggregate, empty

IntArray = npt.NDArray[np.int64]
Strategy = Literal["adaptive", "uniform"]


@dataclass(frozen=True)
class Truth:
    theta: FloatArray  # consensus strengths, the ranking to recover
    arrival: IntArray  # vote count at which each idea joins (0: from the start)
    group_theta: FloatArray  # shape (groups, n): each group's strengths
    group_share: FloatArray
    tie_rate: float
    tie_width: float

    @property
    def n_ideas(self) -> int:
        return int(self.theta.size)

    def arrived(self, votes_so_far: int) -> npt.NDArray[np.bool_]:
        out: npt.NDArray[np.bool_] = self.arrival <= votes_so_far
        return out


def make_truth(
    n: int,
    *,
    seed: int,
    spread: float = 1.0,
    groups: int = 3,
    disagreement: float = 0.4,
    late_share: float = 0.2,
    late_until: int | None = None,
    tie_rate: float = 0.2,
    tie_width: float = 0.3,
) -> Truth:
    rng = np.random.default_rng(seed)
    theta = rng.normal(0.0, spread, n)
    share = rng.dirichlet(np.full(groups, 2.0))
    eta = rng.standard_normal((groups, n))
    eta -= share @ eta  # the consensus is the groups' share-weighted average view
    group_theta = theta[None, :] + disagreement * eta
    arrival = np.zeros(n, dtype=np.int64)
    late = rng.random(n) < late_share
    late[: min(n, 2)] = False  # a survey starts with at least two ideas
    until = 10 * n if late_until is None else late_until
    arrival[late] = rng.integers(1, max(2, until), size=int(late.sum()))
    return Truth(theta, arrival, group_theta, share, tie_rate, tie_width)


def cast_votes(
    truth: Truth, pairs: npt.ArrayLike, rng: np.random.Generator
) -> tuple[IntArray, IntArray, npt.NDArray[np.bool_]]:
    """Simulated answers to `pairs` (rows [left, right]): winner, loser, "can't decide"."""
    p = np.asarray(pairs, dtype=np.int64)
    left, right = p[:, 0], p[:, 1]
    g = rng.choice(truth.group_share.size, size=left.size, p=truth.group_share)
    d = truth.group_theta[g, left] - truth.group_theta[g, right]
    tie = rng.random(left.size) < truth.tie_rate * np.exp(-((d / truth.tie_width) ** 2))
    left_wins = rng.random(left.size) < _sigmoid(d)
    return np.where(left_wins, left, right), np.where(left_wins, right, left), tie


def uniform_pairs(truth: Truth, start: int, k: int, rng: np.random.Generator) -> IntArray:
    """Uniform random pairs of the ideas present at each of votes start .. start+k−1."""
    order = np.argsort(truth.arrival, kind="stable")
    present = np.searchsorted(truth.arrival[order], np.arange(start, start + k), side="right")
    a = np.floor(rng.random(k) * present).astype(np.int64)
    b = np.floor(rng.random(k) * (present - 1)).astype(np.int64)
    b += b >= a
    return np.stack([order[a], order[b]], axis=1)


def kendall_tau(x: npt.ArrayLike, y: npt.ArrayLike, *, exact_limit: int = 5000, seed: int = 0) -> float:
    """Kendall's τ-b between two score vectors: exact for n ≤ exact_limit (O(n²) in blocks),
    above estimated from 4 million random pairs (standard error about 0.0003)."""
    a = np.asarray(x, dtype=np.float64)
    b = np.asarray(y, dtype=np.float64)
    n = a.size
    if n < 2:
        return 1.0
    if n <= exact_limit:
        s = n0 = n1 = 0.0
        block = max(1, 4_000_000 // n)
        for lo in range(0, n, block):
            da = np.sign(a[lo : lo + block, None] - a[None, :])
            db = np.sign(b[lo : lo + block, None] - b[None, :])
            s += float((da * db).sum())
            n0 += float(np.abs(da).sum())
            n1 += float(np.abs(db).sum())
    else:
        rng = np.random.default_rng(seed)
        i = rng.integers(0, n, 4_000_000)
        j = rng.integers(0, n, 4_000_000)
        da, db = np.sign(a[i] - a[j]), np.sign(b[i] - b[j])
        s, n0, n1 = float((da * db).sum()), float(np.abs(da).sum()), float(np.abs(db).sum())
    if n0 == 0 or n1 == 0:
        return 0.0
    return s / np.sqrt(n0 * n1)


@dataclass
class Trace:
    """A simulated survey: every vote in order, and τ (over the ideas present) at checkpoints."""

    winner: IntArray
    loser: IntArray
    tie: npt.NDArray[np.bool_]
    checkpoints: list[int] = field(default_factory=list)
    tau: list[float] = field(default_factory=list)
    fit: Fit | None = None
    counts: PairCounts | None = None

    def votes_to_reach(self, target: float) -> int | None:
        """Votes at the first checkpoint with τ ≥ target, or None."""
        for v, t in zip(self.checkpoints, self.tau, strict=True):
            if t >= target:
                return v
        return None


def run_survey(
    truth: Truth,
    n_votes: int,
    *,
    seed: int,
    strategy: Strategy = "adaptive",
    batch: int | None = None,
    checkpoints: Sequence[int] = (),
    stop_at_tau: float | None = None,
    prior_precision: float = 1.0,
    estimate_prior: bool = False,
    ties: Ties = "half",
    select_options: dict[str, Any] | None = None,
) -> Trace:
    """Run a survey of `n_votes` votes: each batch of pairs is chosen (adaptively from the fit so
    far, or uniformly), answered by simulated voters, and the model refitted warm. τ against the
    truth is recorded at each checkpoint (rounded up to the end of a batch); with `stop_at_tau`
    the survey ends at the first checkpoint that reaches it. With `estimate_prior` each refit
    first moves the prior precision by one empirical-Bayes step (model.evidence_precision),
    starting from `prior_precision`, so λ follows the votes as they arrive."""
    rng = np.random.default_rng(seed)
    n = truth.n_ideas
    step = batch or max(20, n // 2)
    marks = sorted(set(checkpoints))
    winners: list[IntArray] = []
    losers: list[IntArray] = []
    ties_: list[npt.NDArray[np.bool_]] = []
    counts = empty(n)
    shown = np.zeros(n, dtype=np.int64)
    current = fit(counts, prior_precision=prior_precision, ties=ties)
    trace = Trace(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, bool))
    done = 0
    while done < n_votes:
        k = min(step, n_votes - done)
        present = truth.arrived(done)
        if strategy == "uniform":
            pairs = uniform_pairs(truth, done, k, rng)
        else:
            pairs = next_pairs(current, k, seed=rng, shown=shown, active=present, **(select_options or {}))
        w, lo, t = cast_votes(truth, pairs, rng)
        winners.append(w)
        losers.append(lo)
        ties_.append(t)
        np.add.at(shown, pairs.ravel(), 1)
        counts = counts.merge(aggregate(n, w, lo, t))
        lam = evidence_precision(current) if estimate_prior else prior_precision
        current = fit(counts, prior_precision=lam, ties=ties, init=current.theta)
        done += k
        while marks and marks[0] <= done:
            marks.pop(0)
            now = truth.arrived(done)
            trace.checkpoints.append(done)
            trace.tau.append(kendall_tau(current.theta[now], truth.theta[now]))
        if stop_at_tau is not None and trace.tau and trace.tau[-1] >= stop_at_tau:
            break
    trace.winner = np.concatenate(winners) if winners else trace.winner
    trace.loser = np.concatenate(losers) if losers else trace.loser
    trace.tie = np.concatenate(ties_) if ties_ else trace.tie
    trace.fit, trace.counts = current, counts
    return trace
