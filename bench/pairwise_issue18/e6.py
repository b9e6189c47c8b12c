# ruff: noqa
"""Issue 18 exploration script (see README.md here); run from the repository root with .venv/bin/python."""

import os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from exp import *
from oracle import oracle

n = 100
V = 9000
for s in range(4):
    truth = make_truth(n, seed=s, disagreement=0.0, tie_rate=0.0, late_share=0.0)
    th = truth.theta
    for name, band in [("uniform", None), ("band1.0", 1.0)]:
        rng = np.random.default_rng(s)
        pairs = (
            uniform_pairs(truth, 0, V, rng)
            if band is None
            else oracle(truth, band)(None, V, rng, None, np.ones(n, bool))
        )
        w_, l_, t_ = cast_votes(truth, pairs, rng)
        c = aggregate(n, w_, l_, t_)
        row = []
        for lam in (1.0, 0.01):
            f = fit(c, prior_precision=lam)
            slope = np.polyfit(th, f.theta, 1)[0]
            row.append(
                f"lam{lam}: tau {kendall_tau(f.theta, th):.4f} slope {slope:.3f} conv {f.converged} steps {f.newton_steps}"
            )
        print(s, name, row)
