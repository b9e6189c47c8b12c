# ruff: noqa
"""Issue 18 exploration script (see README.md here); run from the repository root with .venv/bin/python."""

import os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from exp import *
from oracle import oracle
from scipy.special import ndtr

n = 100
V = 10000
for s in range(1):
    truth = make_truth(n, seed=s, disagreement=0.0, tie_rate=0.0, late_share=0.0)
    th = truth.theta
    for name, band in [("uniform", None), ("band0.6", 0.6), ("band1.0", 1.0)]:
        rng = np.random.default_rng(s)
        if band is None:
            pairs = uniform_pairs(truth, 0, V, rng)
        else:
            pairs = oracle(truth, band)(None, V, rng, None, np.ones(n, bool))
        d = th[pairs[:, 0]] - th[pairs[:, 1]]
        p = 1 / (1 + np.exp(-d))
        w = p * (1 - p)
        L = np.zeros((n, n))
        np.add.at(L, (pairs[:, 0], pairs[:, 1]), -w)
        np.add.at(L, (pairs[:, 1], pairs[:, 0]), -w)
        L[np.diag_indices(n)] = -L.sum(1)
        C = np.linalg.inv(L + 0.01 * np.eye(n))
        dv = np.diag(C)
        R = dv[:, None] + dv[None, :] - 2 * C
        D = np.abs(th[:, None] - th[None, :])
        iu = np.triu_indices(n, 1)
        mis = ndtr(-D[iu] / np.sqrt(R[iu])).sum()
        # empirical: simulate votes, fit
        taus = []
        for r in range(1):
            w_, l_, t_ = cast_votes(truth, pairs, np.random.default_rng(100 + r))
            f = fit(aggregate(n, w_, l_, t_), prior_precision=0.01)
            taus.append(kendall_tau(f.theta, th))
        print(
            s,
            name,
            "pred tau",
            round(1 - 4 * mis / (n * (n - 1)), 4),
            "emp tau",
            round(np.mean(taus), 4),
            "mean R near(|D|<.3)",
            R[iu][D[iu] < 0.3].mean().round(4),
        )
        bins = [0, 0.1, 0.3, 0.6, 1, 2, 10]
        M = ndtr(-D[iu] / np.sqrt(R[iu]))
        pos = np.maximum(np.abs(th[iu[0]]), np.abs(th[iu[1]]))
        print(
            "   by |D|:",
            [round(M[(D[iu] >= a) & (D[iu] < b)].sum(), 1) for a, b in zip(bins, bins[1:])],
            " by max|th|>1.5:",
            round(M[pos > 1.5].sum(), 1),
            "R far(.6-1):",
            R[iu][(D[iu] > 0.6) & (D[iu] < 1)].mean().round(4),
        )
