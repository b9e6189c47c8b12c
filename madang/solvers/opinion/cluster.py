"""k-means and silhouettes for the opinion map (Polis `math/src/polismath/math/clusters.clj`).

Polis first summarises the participants' 2-D projections by about 100 *base clusters* and then groups
the base clusters by weighted k-means for k = 2..5, keeping the k with the best silhouette; each
k-means starts from the first k distinct points (:func:`first_distinct`) or, on a refresh, from the
last centres grown by the farthest points (:func:`add_farthest`). red-dwarf, the reference
re-implementation, instead finishes the groups on the participants themselves; for that method the
base level supplies candidate starting centres, Lloyd's algorithm runs on the participants from
each, and the partition with the lowest within-group sum of squares wins. Two-dimensional data make
every step cheap: distances to k <= 5 centres are k vector passes, never an n × n matrix.

For the base clusters of very large conversations the mini-batch k-means of Sculley (2010, "Web-scale
k-means clustering") replaces full Lloyd passes. All randomness comes from an explicit generator.
"""

from __future__ import annotations

import numpy as np

CHUNK = 1 << 16


def assign(x: np.ndarray, centers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Nearest centre and squared distance for each point (chunked: memory O(CHUNK × k))."""
    n, k = x.shape[0], centers.shape[0]
    if k <= 8 and x.shape[1] == 2:
        return _Assign2(x).run(centers)
    labels = np.empty(n, dtype=np.int32)
    d2 = np.empty(n)
    cn = np.einsum("ij,ij->i", centers, centers)
    for a in range(0, n, CHUNK):
        xb = x[a : a + CHUNK]
        d = cn[None, :] - 2.0 * (xb @ centers.T)
        lab = np.argmin(d, axis=1)
        labels[a : a + CHUNK] = lab
        d2[a : a + CHUNK] = np.maximum(d[np.arange(xb.shape[0]), lab] + np.einsum("ij,ij->i", xb, xb), 0.0)
    return labels, d2


class _Assign2:
    """Assignment of 2-D points to a few centres with reused buffers: k passes of vector arithmetic,
    which beats a matrix product and its n × k temporary when k is small (the group step, k <= 5)."""

    def __init__(self, x: np.ndarray) -> None:
        self.x0 = np.ascontiguousarray(x[:, 0])
        self.x1 = np.ascontiguousarray(x[:, 1])
        n = x.shape[0]
        self.d = np.empty(n)
        self.t = np.empty(n)
        self.closer = np.empty(n, dtype=bool)

    def run(self, centers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        n = self.x0.shape[0]
        best = np.full(n, np.inf)
        labels = np.zeros(n, dtype=np.int32)
        d, t, closer = self.d, self.t, self.closer
        for c in range(centers.shape[0]):
            np.subtract(self.x0, centers[c, 0], out=d)
            np.multiply(d, d, out=d)
            np.subtract(self.x1, centers[c, 1], out=t)
            np.multiply(t, t, out=t)
            np.add(d, t, out=d)
            np.less(d, best, out=closer)
            np.copyto(best, d, where=closer)
            labels[closer] = c
        return labels, best


_assign = assign


def grid_coreset(x: np.ndarray, cells: int = 128) -> tuple[np.ndarray, np.ndarray]:
    """A weighted summary of many 2-D points: the centroid and count of each non-empty cell of a
    ``cells`` × ``cells`` grid over their bounding box. k-means on it approximates k-means on the
    points to within the cell size, at a cost independent of the number of points."""
    lo = x.min(axis=0)
    span = np.maximum(x.max(axis=0) - lo, 1e-12)
    ij = np.minimum(((x - lo) / span * cells).astype(np.int64), cells - 1)
    cell = ij[:, 0] * cells + ij[:, 1]
    cnt = np.bincount(cell, minlength=cells * cells)
    sx = np.bincount(cell, weights=x[:, 0], minlength=cells * cells)
    sy = np.bincount(cell, weights=x[:, 1], minlength=cells * cells)
    nz = cnt > 0
    return np.column_stack([sx[nz] / cnt[nz], sy[nz] / cnt[nz]]), cnt[nz].astype(np.float64)


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


def distinct_sorted(x: np.ndarray) -> np.ndarray:
    """Distinct rows of ``x`` in lexicographic order. Their first k are a deterministic k-means start
    that needs no seed (Polis takes the first k distinct points; red-dwarf sorts them first, as here)."""
    order = np.lexsort(x.T[::-1])
    xs = x[order]
    new = np.ones(xs.shape[0], dtype=bool)
    new[1:] = np.any(xs[1:] != xs[:-1], axis=1)
    return xs[new]


def first_distinct(x: np.ndarray, k: int) -> np.ndarray:
    """The first ``k`` distinct rows of ``x`` in their given order: Polis's seedless k-means start
    (``init-clusters``), so with participants in the order they joined, the earliest ones seed it."""
    _, first = np.unique(x, axis=0, return_index=True)
    return x[np.sort(first)[:k]]


def add_farthest(x: np.ndarray, centers: np.ndarray, k: int) -> np.ndarray:
    """Grow ``centers`` to ``k`` by repeatedly adding the point farthest from its nearest centre, as
    Polis does when it carries the last clustering over to a conversation with more people
    (``clean-start-clusters``). Stops early when every point sits on a centre."""
    out = [c for c in np.asarray(centers, dtype=np.float64)[:k]]
    if not out:
        out = [x[0].astype(np.float64)]
    d2 = np.min(np.stack([np.sum((x - c) ** 2, axis=1) for c in out]), axis=0)
    while len(out) < k:
        far = int(np.argmax(d2))
        if d2[far] <= 0:
            break
        out.append(x[far].astype(np.float64))
        np.minimum(d2, np.sum((x - x[far]) ** 2, axis=1), out=d2)
    return np.array(out)


def _means(x: np.ndarray, w: np.ndarray | None, labels: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Per-group weighted coordinate sums and weights."""
    wsum = np.bincount(labels, weights=w, minlength=k).astype(np.float64)
    sums = np.empty((k, x.shape[1]))
    for j in range(x.shape[1]):
        sums[:, j] = np.bincount(labels, weights=x[:, j] if w is None else x[:, j] * w, minlength=k)
    return sums, wsum


def lloyd(
    x: np.ndarray, w: np.ndarray | None, centers: np.ndarray, max_iter: int = 300
) -> tuple[np.ndarray, np.ndarray, float, int]:
    """Weighted Lloyd iterations until no point changes group (or ``max_iter``).

    An emptied centre moves to the point farthest from its centre. Returns centres (the means of the
    final groups), labels, the weighted sum of squared distances and the number of iterations."""
    centers = centers.astype(np.float64).copy()
    k = centers.shape[0]
    fast = _Assign2(x) if k <= 8 and x.shape[1] == 2 else None

    def assign(x: np.ndarray, c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return fast.run(c) if fast is not None else _assign(x, c)

    labels, d2 = assign(x, centers)
    it = 0
    for it in range(1, max_iter + 1):  # noqa: B007
        sums, wsum = _means(x, w, labels, k)
        empty = wsum <= 0
        centers[~empty] = sums[~empty] / wsum[~empty, None]
        if empty.any():
            far = np.argsort(-(d2 if w is None else d2 * w))[: int(empty.sum())]
            centers[empty] = x[far]
        new, d2 = assign(x, centers)
        if np.array_equal(new, labels) and not empty.any():
            break
        labels = new
    inertia = float(np.sum(d2) if w is None else np.sum(w * d2))
    return centers, labels, inertia, it


def kmeans_solutions(
    x: np.ndarray,
    w: np.ndarray | None,
    k: int,
    rng: np.random.Generator,
    n_init: int,
    starts: list[np.ndarray],
) -> list[tuple[np.ndarray, np.ndarray, float]]:
    """Distinct local optima of weighted k-means from the given starts and ``n_init`` k-means++ seedings,
    best (lowest inertia) first."""
    inits = [s for s in starts if s is not None and s.shape == (k, x.shape[1])]
    ww = np.ones(x.shape[0]) if w is None else w
    for _ in range(n_init):
        inits.append(kmeans_pp(x, ww, k, rng))
    found: dict[bytes, tuple[np.ndarray, np.ndarray, float]] = {}
    for c0 in inits:
        c, lab, inertia, _ = lloyd(x, w, c0)
        key = _partition_key(lab, k)
        if key not in found or inertia < found[key][2]:
            found[key] = (c, lab, inertia)
    return sorted(found.values(), key=lambda s: s[2])


def _partition_key(labels: np.ndarray, k: int) -> bytes:
    """The same partition under any numbering of its groups gives the same key."""
    first = np.full(k, labels.shape[0], dtype=np.int64)
    np.minimum.at(first, labels, np.arange(labels.shape[0]))
    rank = np.empty(k, dtype=np.int32)
    rank[np.argsort(first, kind="stable")] = np.arange(k)
    return rank[labels].tobytes()


def minibatch_kmeans(
    x: np.ndarray,
    k: int,
    rng: np.random.Generator,
    init: np.ndarray | None = None,
    batch: int = 4096,
    passes: float = 3.0,
    seed_sample: int = 5000,
) -> np.ndarray:
    """Mini-batch k-means (Sculley 2010): each centre moves towards the points of a random batch with
    step 1 / (points it has absorbed so far). Returns the centres; the caller assigns every point."""
    n = x.shape[0]
    if init is None or init.shape != (k, x.shape[1]):
        sample = x[rng.choice(n, size=min(n, seed_sample), replace=False)]
        init = lloyd(sample, None, kmeans_pp(sample, np.ones(sample.shape[0]), k, rng), max_iter=10)[0]
    centers = init.astype(np.float64).copy()
    absorbed = np.zeros(k)
    steps = max(1, int(passes * n / batch))
    for _ in range(steps):
        xb = x[rng.integers(0, n, batch)]
        lab, _ = assign(xb, centers)
        sums, cnt = _means(xb, None, lab, k)
        hit = cnt > 0
        absorbed[hit] += cnt[hit]
        eta = cnt[hit] / absorbed[hit]
        centers[hit] += eta[:, None] * (sums[hit] / cnt[hit, None] - centers[hit])
    return centers


def silhouette(x: np.ndarray, labels: np.ndarray, w: np.ndarray | None = None) -> float:
    """Mean silhouette (Rousseeuw 1987) of one labelling; see :func:`silhouettes`."""
    return silhouettes(x, [labels], w)[0]


def silhouettes(
    x: np.ndarray,
    label_sets: list[np.ndarray],
    w: np.ndarray | None = None,
    *,
    score: np.ndarray | None = None,
    reference: np.ndarray | None = None,
) -> list[float]:
    """Mean silhouette of several labellings of the same points, sharing one pass over the distances.

    Exact by default. ``score`` (indices) restricts the mean to those points, and ``reference``
    (indices) estimates each point's mean distance to a group from those points only: with random
    subsets this is the sampled silhouette used for large conversations, and since every labelling is
    scored on the same sample, the comparison between k values is paired. With weights, point i stands
    for w[i] coincident points.
    """
    n = x.shape[0]
    w = np.ones(n) if w is None else w.astype(np.float64)
    rows_idx = np.arange(n) if score is None else np.asarray(score)
    ref_idx = np.arange(n) if reference is None else np.asarray(reference)
    in_ref = np.zeros(n, dtype=bool)
    in_ref[ref_idx] = True
    ks = [int(lab.max()) + 1 for lab in label_sets]
    offs = np.concatenate([[0], np.cumsum(ks)])
    # float32 distances and sums: silhouettes compare means of thousands of distances, so single
    # precision loses nothing that matters and halves the memory traffic of the n × n pass.
    onehot = np.zeros((ref_idx.shape[0], int(offs[-1])), dtype=np.float32)
    for lab, o in zip(label_sets, offs[:-1], strict=True):
        onehot[np.arange(ref_idx.shape[0]), o + lab[ref_idx]] = w[ref_idx]
    size = onehot.sum(axis=0, dtype=np.float64)
    s = np.zeros((len(label_sets), rows_idx.shape[0]))
    x32 = x.astype(np.float32)
    xr32 = x32[ref_idx].T.copy()  # (dims, n_ref), contiguous rows
    step = max(1, (1 << 22) // max(ref_idx.shape[0], 1))
    d = np.empty((min(step, rows_idx.shape[0]), ref_idx.shape[0]), dtype=np.float32)
    tmp = np.empty_like(d)
    for a in range(0, rows_idx.shape[0], step):
        ids = rows_idx[a : a + step]
        xb = x32[ids]
        dd, tt = d[: ids.shape[0]], tmp[: ids.shape[0]]
        np.subtract(xb[:, 0:1], xr32[0][None, :], out=dd)
        np.multiply(dd, dd, out=dd)
        for j in range(1, x.shape[1]):
            np.subtract(xb[:, j : j + 1], xr32[j][None, :], out=tt)
            np.multiply(tt, tt, out=tt)
            np.add(dd, tt, out=dd)
        np.sqrt(dd, out=dd)
        sums_all = (dd @ onehot).astype(np.float64)  # weighted distance sums to every group of every labelling
        rows = np.arange(ids.shape[0])
        self_w = np.where(in_ref[ids], w[ids], 0.0)
        for t, lab in enumerate(label_sets):
            if ks[t] < 2:
                continue
            sums = sums_all[:, offs[t] : offs[t + 1]]
            sz = size[offs[t] : offs[t + 1]]
            own = lab[ids]
            # A point (one of its w copies) is not its own neighbour.
            own_n = sz[own] - np.minimum(self_w, 1.0)
            a_i = np.divide(sums[rows, own], own_n, out=np.zeros(own.shape[0]), where=own_n > 0)
            other = np.divide(sums, sz[None, :], out=np.full_like(sums, np.inf), where=sz[None, :] > 0)
            other[rows, own] = np.inf
            b_i = other.min(axis=1)
            denom = np.maximum(a_i, b_i)
            si = np.divide(b_i - a_i, denom, out=np.zeros(own.shape[0]), where=denom > 0)
            si[own_n <= 0] = 0.0
            s[t, a : a + step] = si
    wr = w[rows_idx]
    return [float(np.sum(wr * s[t]) / np.sum(wr)) if ks[t] >= 2 else 0.0 for t in range(len(label_sets))]
