# ruff: noqa
"""Issue 18 exploration script (see README.md here); run from the repository root with .venv/bin/python."""

import numpy as np


def oracle(truth, band, mix=0.0, alloc=0.0):
    th = truth.theta

    def sel(cur, k, seed, shown, active):
        rng = seed
        ids = np.flatnonzero(active)
        w = np.exp(-alloc * th[ids] ** 2 / 3)
        w /= w.sum()
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
