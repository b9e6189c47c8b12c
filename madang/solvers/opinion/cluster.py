"""Two-level k-means as in Polis (`math/src/polismath/math/clusters.clj`): about 100 base clusters over the
participants' 2-D projections, then weighted k-means over the base-cluster centres for k = 2..5, keeping
the k with the best silhouette. All randomness comes from an explicit seed; warm starts take the
previous centres as the first initialisation, as Polis does between refreshes.
"""

from __future__ import annotations

import numpy as np

CHUNK = 1 << 16


def assign(x: np.ndarray, centers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Nearest centre and squared distance for each point, in chunks so memory stays O(CHUNK × k)."""
    labels = np.empty(x.shape[0], dtype=np.int32)
    d2 = np.empty(x.shape[0])
    cn = np.einsum("ij,ij->i", centers, centers)
    for a in range(0, x.shape[0], CHUNK):
        xb = x[a : a + CHUNK]
        d = cn[None, :] - 2.0 * (xb @ centers.T)
        lab = np.argmin(d, axis=1)
        labels[a : a + CHUNK] = lab
        d2[a : a + CHUNK] = np.maximum(d[np.arange(xb.shape[0]), lab] + np.einsum("ij,ij->i", xb, xb), 0.0)
    return labels, d2


def kmeans_pp(x: np.ndarray, w: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """Weighted k-means++ seeding (Arthur & Vassilvitskii 2007)."""
    first = rng.choice(x.shape[0], p=w / w.sum())
    centers = [x[first]]
    d2 = np.sum((x - x[first]) ** 2, axis=1)
    for _ in range(1, k):
        p = w * d2
        tot = p.sum()
        nxt = rng.choice(x.shape[0], p=p / tot) if tot > 0 else rng.choice(x.shape[0])
        centers.append(x[nxt])
        d2 = np.minimum(d2, np.sum((x - x[nxt]) ** 2, axis=1))
    return np.array(centers)


def lloyd(
    x: np.ndarray, w: np.ndarray, centers: np.ndarray, max_iter: int = 100, tol: float = 1e-10
) -> tuple[np.ndarray, np.ndarray, float, int]:
    """Weighted Lloyd iterations; an emptied centre is moved to the point farthest from its centre."""
    centers = centers.astype(np.float64).copy()
    k = centers.shape[0]
    it = 0
    for it in range(1, max_iter + 1):  # noqa: B007
        labels, d2 = assign(x, centers)
        wsum = np.bincount(labels, weights=w, minlength=k)
        new = np.column_stack([np.bincount(labels, weights=w * x[:, j], minlength=k) for j in range(x.shape[1])])
        empty = wsum <= 0
        new[~empty] /= wsum[~empty, None]
        if empty.any():
            far = np.argsort(-d2 * w)[: int(empty.sum())]
            new[empty] = x[far]
        shift = float(np.max(np.sum((new - centers) ** 2, axis=1)))
        centers = new
        if shift <= tol and not empty.any():
            break
    labels, d2 = assign(x, centers)
    return centers, labels, float(np.sum(w * d2)), it


def best_kmeans(
    x: np.ndarray, w: np.ndarray, k: int, rng: np.random.Generator, n_init: int, warm: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, float]:
    inits = []
    if warm is not None and warm.shape == (k, x.shape[1]):
        inits.append(warm)
    while len(inits) < n_init:
        inits.append(kmeans_pp(x, w, k, rng))
    best: tuple[np.ndarray, np.ndarray, float] | None = None
    for c0 in inits:
        c, lab, inertia, _ = lloyd(x, w, c0)
        if best is None or inertia < best[2] - 1e-12:
            best = (c, lab, inertia)
    assert best is not None
    return best


def silhouette(x: np.ndarray, labels: np.ndarray, w: np.ndarray | None = None) -> float:
    """Mean silhouette (Rousseeuw 1987) of one labelling; see :func:`silhouettes`."""
    return silhouettes(x, [labels], w)[0]


def silhouettes(x: np.ndarray, label_sets: list[np.ndarray], w: np.ndarray | None = None) -> list[float]:
    """Mean silhouette of several labellings of the same points, sharing one pass over the distances.

    With weights, point i stands for w[i] coincident points, so a base-cluster centre of weight w is
    scored like its w members moved onto it (Polis scores base clusters, not participants).
    """
    n = x.shape[0]
    w = np.ones(n) if w is None else w.astype(np.float64)
    ks = [int(lab.max()) + 1 for lab in label_sets]
    offs = np.concatenate([[0], np.cumsum(ks)])
    onehot = np.zeros((n, int(offs[-1])))
    for lab, o in zip(label_sets, offs[:-1], strict=True):
        onehot[np.arange(n), o + lab] = w
    size = onehot.sum(axis=0)
    s = np.zeros((len(label_sets), n))
    xn = np.einsum("ij,ij->i", x, x)
    step = max(1, (1 << 22) // max(n, 1))
    for a in range(0, n, step):
        xb = x[a : a + step]
        d = np.sqrt(np.maximum(xn[a : a + step, None] + xn[None, :] - 2.0 * (xb @ x.T), 0.0))
        sums_all = d @ onehot  # weighted distance sums to every cluster of every labelling
        rows = np.arange(xb.shape[0])
        for t, lab in enumerate(label_sets):
            if ks[t] < 2:
                continue
            sums = sums_all[:, offs[t] : offs[t + 1]]
            sz = size[offs[t] : offs[t + 1]]
            own = lab[a : a + step]
            own_n = sz[own] - 1.0  # a point (one of its w copies) is not its own neighbour
            a_i = np.divide(sums[rows, own], own_n, out=np.zeros(own.shape[0]), where=own_n > 0)
            other = np.divide(sums, sz[None, :], out=np.full_like(sums, np.inf), where=sz[None, :] > 0)
            other[rows, own] = np.inf
            b_i = other.min(axis=1)
            denom = np.maximum(a_i, b_i)
            si = np.divide(b_i - a_i, denom, out=np.zeros(own.shape[0]), where=denom > 0)
            si[own_n <= 0] = 0.0
            s[t, a : a + step] = si
    return [float(np.sum(w * s[t]) / np.sum(w)) if ks[t] >= 2 else 0.0 for t in range(len(label_sets))]
