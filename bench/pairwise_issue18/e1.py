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
evals = (0.3, 0.1)
res = {}
t0 = time.time()
for strat, sel in [("uniform", None), ("thompson", None), ("misorder", partial(next_pairs, method="misorder"))]:
    curves = {}
    for s in seeds:
        truth = make_truth(n, seed=s)
        out, pq = survey(
            truth, budget, s + 100, "uniform" if strat == "uniform" else "adaptive", marks, evals=evals, select=sel
        )
        for k, v in out.items():
            curves.setdefault(k, []).append(v)
    res[strat] = {k: crossing(marks, v) for k, v in curves.items()}
    print(strat, res[strat], f"{time.time() - t0:.0f}s", flush=True)
for strat in ("thompson", "misorder"):
    print(strat, {k: round(res[strat][k] / res["uniform"][k], 3) for k in res[strat]})
