# ruff: noqa
"""Issue 18 exploration script (see README.md here); run from the repository root with .venv/bin/python."""

import os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from exp import *
from functools import partial

n = 100
budget = 160 * n
marks = list(range(100, budget + 1, 100))
seeds = range(12)
res = {}
for strat, sel in [("uniform", None), ("thompson", None), ("misorder", partial(next_pairs, method="misorder"))]:
    curves = {}
    for s in seeds:
        truth = make_truth(n, seed=s)
        out, pq = survey(
            truth,
            budget,
            s + 100,
            "uniform" if strat == "uniform" else "adaptive",
            marks,
            evals=("ignore",),
            select=sel,
        )
        for k, v in out.items():
            curves.setdefault(k, []).append(v)
    res[strat] = {k: crossing(marks, v) for k, v in curves.items()}
    print(strat, res[strat], flush=True)
