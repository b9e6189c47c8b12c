# ruff: noqa
"""Issue 18 exploration script (see README.md here); run from the repository root with .venv/bin/python."""

import os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from exp import *
from madang.solvers.pairwise.misorder import misorder_pairs
from madang.solvers.pairwise.select import _swap

n = int(os.environ.get("N", "100"))
per = int(os.environ.get("PER", "160"))
budget = per * n
every = int(os.environ.get("EVERY", str(n)))
marks = list(range(every, budget + 1, every))
seeds = range(int(os.environ.get("SEEDS", "16")))


def mis(**kw):
    o = dict(
        min_shown=8,
        new_share=0.5,
        explore=0.05,
        width=0.4,
        candidates=8,
        near_share=0.75,
        window=32,
        variance_power=1.0,
    )
    o.update(kw)

    def sel(cur, k, seed, shown, active):
        nn = cur.n_ideas
        theta = cur.theta
        var = cur.variance
        ids = np.flatnonzero(active)
        return _swap(misorder_pairs(theta, var, ids, shown, k, seed, **o), seed)

    return sel


configs = eval(sys.argv[1])
curves = {}
us = None
for name, kw in [("uniform", None)] + configs:
    t0 = time.time()
    for s in seeds:
        truth = make_truth(n, seed=s)
        out, pq = survey(
            truth,
            budget,
            s + 100,
            "uniform" if kw is None else "adaptive",
            marks,
            select=None if kw is None else mis(**kw),
        )
        curves.setdefault(name, []).append(out["main"])
        curves.setdefault(name + "pq", []).append(pq)
    c = crossing(marks, curves[name])
    u = crossing(marks, curves["uniform"])
    ps = np.array([per_seed(marks, x) or np.nan for x in curves[name]])
    base = (
        np.array([per_seed(marks, x) or np.nan for x in curves[configs[0][0]]])
        if name != "uniform" and name != configs[0][0]
        else None
    )
    extra = (
        ""
        if base is None
        else f" vs first config per-seed {np.nanmean(ps / base):.3f} ± {np.nanstd(ps / base, ddof=1) / np.sqrt(len(ps)):.3f}"
    )
    print(
        f"{name}: {c:.0f} ratio {c / u:.3f} pq {np.mean(curves[name + 'pq']):.3f}{extra} ({time.time() - t0:.0f}s)",
        flush=True,
    )
