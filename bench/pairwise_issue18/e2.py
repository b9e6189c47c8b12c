# ruff: noqa
"""Issue 18 exploration script (see README.md here); run from the repository root with .venv/bin/python."""

import os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from exp import *

n = 100
budget = 160 * n
marks = list(range(100, budget + 1, 100))
seeds = range(int(sys.argv[1]) if len(sys.argv) > 1 else 8)


def oracle(truth, band, mix=0.0, alloc=0.0):
    th = truth.theta

    def sel(cur, k, seed, shown, active):
        rng = seed
        ids = np.flatnonzero(active)
        m = ids.size
        w = np.exp(-alloc * th[ids] ** 2 / 3)
        w /= w.sum()  # alloc=1 -> rho^(2/3)
        a = rng.choice(ids, size=k, p=w)
        b = np.empty(k, np.int64)
        for r in range(k):
            near = ids[(np.abs(th[ids] - th[a[r]]) < band) & (ids != a[r])]
            if rng.random() < mix or near.size == 0:
                c = ids[ids != a[r]]
                b[r] = rng.choice(c)
            else:
                b[r] = rng.choice(near)
        return np.stack([a, b], 1)

    return sel


kw = dict(late_share=float(os.environ.get("LATE", "0.2")))
configs = [("uniform", None)] + [
    (f"oracle band{b} mix{m} alloc{al}", (b, m, al))
    for b, m, al in [(0.6, 0, 0), (1.0, 0, 0), (0.6, 0.2, 0), (1.0, 0.1, 1)]
]
curves = {}
t0 = time.time()
for name, cfg in configs:
    for s in seeds:
        truth = make_truth(n, seed=s, **kw)
        sel = None if cfg is None else oracle(truth, *cfg)
        out, pq = survey(truth, budget, s + 100, "uniform" if cfg is None else "adaptive", marks, select=sel)
        curves.setdefault(name, []).append(out["main"])
        curves.setdefault(name + " pq", []).append(pq)
    c = crossing(marks, curves[name])
    u = crossing(marks, curves["uniform"])
    print(
        f"{name}: {c} ratio {c / u if c else None} pq {np.mean(curves[name + ' pq']):.3f} {time.time() - t0:.0f}s",
        flush=True,
    )
