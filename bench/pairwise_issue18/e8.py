# ruff: noqa
"""Issue 18 exploration script (see README.md here); run from the repository root with .venv/bin/python."""

import os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
import numpy as np, time, os
from madang.solvers.pairwise import make_truth, run_survey
from exp import crossing, per_seed

n = int(os.environ.get("N", "100"))
per = int(os.environ.get("PER", "60"))
spread = float(os.environ.get("SPREAD", "2"))
budget = per * n
batch = max(20, n // 2)
every = int(os.environ.get("EVERY", str(2 * batch)))
marks = list(range(every, budget + 1, every))
seeds = range(int(os.environ.get("SEEDS", "12")))
configs = eval(sys.argv[1])  # (name, strategy, options, prior, eb)
curves = {}
lams = {}
for name, strat, opts, prior, eb in configs:
    t0 = time.time()
    for s in seeds:
        truth = make_truth(n, seed=s, spread=spread)
        tr = run_survey(
            truth,
            budget,
            seed=s + 100,
            strategy=strat,
            checkpoints=marks,
            prior_precision=prior,
            estimate_prior=eb,
            select_options=opts,
        )
        curves.setdefault(name, []).append(tr.tau)
        lams.setdefault(name, []).append(tr.fit.prior_precision)
    c = crossing(marks, curves[name])
    print(f"{name}: {c:.0f}  final lam {np.mean(lams[name]):.3f} ({time.time() - t0:.0f}s)", flush=True)
