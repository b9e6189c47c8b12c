# ruff: noqa
"""Issue 18 exploration script (see README.md here); run from the repository root with .venv/bin/python."""

import os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from exp import *
import dataclasses

n = 100
budget = 160 * n
marks = list(range(100, budget + 1, 100))
seeds = range(12)


def orc(truth, **opt):
    def sel(cur, k, seed, shown, active):
        f = dataclasses.replace(cur, theta=truth.theta.copy())
        return next_pairs(f, k, seed=seed, shown=shown, active=active, **opt)

    return sel


for name, opt in [("uniform", None), ("oracle misorder", {"method": "misorder"}), ("oracle thompson", {})]:
    curves = {}
    for s in seeds:
        truth = make_truth(n, seed=s)
        out, pq = survey(
            truth,
            budget,
            s + 100,
            "uniform" if opt is None else "adaptive",
            marks,
            evals=(0.01,),
            select=None if opt is None else orc(truth, **opt),
        )
        for k, v in out.items():
            curves.setdefault(k, []).append(v)
        curves.setdefault("pq", []).append(pq)
    print(name, {k: crossing(marks, v) for k, v in curves.items() if k != "pq"}, np.mean(curves["pq"]), flush=True)
