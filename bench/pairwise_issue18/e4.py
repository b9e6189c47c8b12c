# ruff: noqa
"""Issue 18 exploration script (see README.md here); run from the repository root with .venv/bin/python."""

import os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from exp import *
from oracle import oracle

n = 100
budget = 160 * n
marks = list(range(100, budget + 1, 100))
seeds = range(8)
kw = eval(sys.argv[1])
for name, cfg in [("uniform", None), ("band0.6", (0.6, 0, 0)), ("band1.0", (1.0, 0, 0))]:
    curves = {}
    for s in seeds:
        truth = make_truth(n, seed=s, **kw)
        out, pq = survey(
            truth,
            budget,
            s + 100,
            "uniform" if cfg is None else "adaptive",
            marks,
            select=None if cfg is None else oracle(truth, *cfg),
            evals=(0.01,),
            lam=1.0,
        )
        for k, v in out.items():
            curves.setdefault(k, []).append(v)
        curves.setdefault("pq", []).append(pq)
    print(name, {k: crossing(marks, v) for k, v in curves.items() if k != "pq"}, np.mean(curves["pq"]), flush=True)
