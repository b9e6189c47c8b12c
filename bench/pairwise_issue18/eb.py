# ruff: noqa
"""Issue 18 exploration script (see README.md here); run from the repository root with .venv/bin/python."""

import os, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
import numpy as np
from madang.solvers.pairwise import make_truth, uniform_pairs, cast_votes, aggregate, kendall_tau, fit
from madang.solvers.pairwise.model import fit_evidence

for n in (100, 1000):
    for spread in (1.0, 2.0):
        for per in (2, 10, 30, 100):
            truth = make_truth(n, seed=1, spread=spread, late_share=0)
            rng = np.random.default_rng(2)
            w, l, t = cast_votes(truth, uniform_pairs(truth, 0, per * n, rng), rng)
            c = aggregate(n, w, l, t)
            f = fit_evidence(c)
            f1 = fit(c)
            print(
                n,
                spread,
                per,
                "lam",
                round(f.prior_precision, 3),
                "tau eb",
                round(kendall_tau(f.theta, truth.theta), 4),
                "tau 1",
                round(kendall_tau(f1.theta, truth.theta), 4),
                "1/var(theta)",
                round(1 / truth.theta.var(), 3),
            )
