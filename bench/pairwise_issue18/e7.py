# ruff: noqa
"""Issue 18 exploration script (see README.md here); run from the repository root with .venv/bin/python."""

import os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from exp import *
from functools import partial

n = int(os.environ.get("N", "100"))
per = int(os.environ.get("PER", "160"))
budget = per * n
every = int(os.environ.get("EVERY", str(n)))
marks = list(range(every, budget + 1, every))
seeds = range(int(os.environ.get("SEEDS", "16")))
configs = eval(sys.argv[1])  # list of (name, options dict, batch)
curves = {}
t0 = time.time()


def run(name, opts, batch):
    for s in seeds:
        truth = make_truth(n, seed=s, late_share=float(os.environ.get("LATE", "0.2")))
        sel = None if opts is None else partial(next_pairs, **opts)
        out, pq = survey(
            truth, budget, s + 100, "uniform" if opts is None else "adaptive", marks, select=sel, batch=batch
        )
        curves.setdefault(name, []).append(out["main"])


run("uniform", None, None)
u = crossing(marks, curves["uniform"])
print(f"uniform {u:.0f} ({time.time() - t0:.0f}s)", flush=True)
us = [per_seed(marks, c) for c in curves["uniform"]]
for name, opts, batch in configs:
    t1 = time.time()
    run(name, opts, batch)
    a = crossing(marks, curves[name])
    ps = [per_seed(marks, c) for c in curves[name]]
    r = np.array([x / y for x, y in zip(ps, us) if x and y])
    print(
        f"{name}: {a:.0f} ratio {a / u:.3f}  per-seed ratio mean {r.mean():.3f} ± {r.std(ddof=1) / np.sqrt(r.size):.3f} ({time.time() - t1:.0f}s)",
        flush=True,
    )
