# ruff: noqa
"""Issue 18 exploration script (see README.md here); run from the repository root with .venv/bin/python."""

"""Experiment harness (not committed): votes to tau=0.9, uniform vs adaptive variants, paired seeds."""
import sys, time, json, os

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
import numpy as np
from madang.solvers.pairwise import aggregate, fit, make_truth, next_pairs, uniform_pairs, cast_votes, kendall_tau
from madang.solvers.pairwise.votes import empty


def survey(truth, budget, seed, strategy, marks, lam=1.0, evals=(), select=None, batch=None, fitter=None):
    rng = np.random.default_rng(seed)
    n = truth.n_ideas
    step = batch or max(20, n // 2)
    counts = empty(n)
    shown = np.zeros(n, np.int64)
    cur = fit(counts, prior_precision=lam)
    done = 0
    marks = list(marks)
    out = {"main": []}
    pq = []
    for e in evals:
        out[e] = []
    while done < budget:
        k = min(step, budget - done)
        present = truth.arrived(done)
        if strategy == "uniform":
            pairs = uniform_pairs(truth, done, k, rng)
        else:
            pairs = (select or next_pairs)(cur, k, seed=rng, shown=shown, active=present)
        w, lo, t = cast_votes(truth, pairs, rng)
        d = truth.theta[pairs[:, 0]] - truth.theta[pairs[:, 1]]
        p = 1 / (1 + np.exp(-d))
        pq.append(p * (1 - p))
        np.add.at(shown, pairs.ravel(), 1)
        counts = counts.merge(aggregate(n, w, lo, t))
        cur = (fitter or (lambda c, init: fit(c, prior_precision=lam, init=init)))(counts, cur.theta)
        done += k
        while marks and marks[0] <= done:
            marks.pop(0)
            now = truth.arrived(done)
            out["main"].append(kendall_tau(cur.theta[now], truth.theta[now]))
            for e in evals:
                f2 = (
                    fit(counts, prior_precision=e, init=cur.theta)
                    if not isinstance(e, str)
                    else fit(counts, prior_precision=lam, ties=e, init=cur.theta)
                )
                out[e].append(kendall_tau(f2.theta[now], truth.theta[now]))
    return out, float(np.concatenate(pq).mean())


def crossing(marks, curves, target=0.9):
    mean = np.mean(curves, axis=0)
    hit = np.flatnonzero(mean >= target)
    if not hit.size:
        return None
    k = int(hit[0])
    if k == 0:
        return float(marks[0])
    x0, x1, y0, y1 = marks[k - 1], marks[k], mean[k - 1], mean[k]
    return x0 + (target - y0) / (y1 - y0) * (x1 - x0)


def per_seed(marks, curve, target=0.9):
    return crossing(marks, [curve], target)
