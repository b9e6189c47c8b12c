"""Nearest neighbours by cosine: exact below a size, an inverted-file index (IVF) above it.

IVF (Jégou, Douze, Schmid 2011, "Product quantization for nearest neighbor search", the
coarse quantiser part): k-means splits the vectors into `n_lists` cells; a query scans only
the `n_probe` cells whose centroids are closest. Vectors are kept in full (float32 or float16),
so the scores of what is scanned are exact; only cells left unscanned can lose a neighbour,
which recall@k against exact search measures. Exact search is one matrix-vector product and
wins below some tens of thousands of vectors, hence `VectorIndex`'s threshold.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np

EXACT_BELOW = 20_000


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k largest scores, best first (ties by index)."""
    k = min(k, scores.shape[0])
    if k <= 0:
        return np.empty(0, dtype=np.int64)
    part = np.argpartition(-scores, k - 1)[:k] if k < scores.shape[0] else np.arange(scores.shape[0])
    return part[np.lexsort((part, -scores[part]))]


def exact_search(vectors: np.ndarray, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(row indices, cosines) of the k nearest rows; rows and query are unit vectors."""
    if vectors.shape[0] == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
    scores = vectors @ query.astype(vectors.dtype)
    idx = top_k(scores.astype(np.float32), k)
    return idx, scores[idx].astype(np.float32)


def normalise(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=-1, keepdims=True)
    norms[norms == 0] = 1.0
    return (x / norms).astype(np.float32)


def _kmeans(x: np.ndarray, k: int, *, iters: int, rng: np.random.Generator) -> np.ndarray:
    """Spherical k-means (centroids renormalised), seeded from a random sample."""
    centroids = x[rng.choice(x.shape[0], size=k, replace=False)].copy()
    for _ in range(iters):
        assign = np.argmax(x @ centroids.T, axis=1)
        sums = np.zeros_like(centroids)
        np.add.at(sums, assign, x)
        counts = np.bincount(assign, minlength=k)
        empty = counts == 0
        # An empty cell takes a random point, so no centroid is wasted.
        sums[empty] = x[rng.choice(x.shape[0], size=int(empty.sum()), replace=False)]
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        centroids = sums / norms
    return centroids.astype(np.float32)


@dataclass
class IVFIndex:
    centroids: np.ndarray  # (n_lists, dim) float32, of centred vectors
    bounds: np.ndarray  # cell c holds sorted rows bounds[c]:bounds[c + 1]
    vectors: np.ndarray  # (n, dim) float32, sorted by cell, so a cell is one contiguous block
    rows: np.ndarray  # original row index of each sorted row
    n_probe: int
    # Sentence embeddings share one strong common direction (E5 puts any two Korean sentences
    # above cosine 0.7), which leaves k-means cells poorly separated; cells are made and chosen
    # on vectors with the mean removed, while scores stay plain cosines of the stored vectors.
    mean: np.ndarray
    # Rows added after the build, searched exactly until the next build: (vectors, row indices) in one
    # attribute, replaced whole, so a search running in another thread sees both or neither.
    extra: tuple[np.ndarray, np.ndarray] = field(
        default_factory=lambda: (np.empty((0, 0), dtype=np.float32), np.empty(0, dtype=np.int64))
    )

    @classmethod
    def build(
        cls,
        vectors: np.ndarray,
        *,
        n_lists: int | None = None,
        n_probe: int | None = None,
        iters: int = 8,
        train_size: int = 25_000,
        seed: int = 0,
    ) -> IVFIndex:
        n = vectors.shape[0]
        n_lists = min(n_lists or max(1, round(float(np.sqrt(n)))), n)
        rng = np.random.default_rng(seed)
        x = np.asarray(vectors, dtype=np.float32)
        mean = x.mean(axis=0)
        sample = x if n <= train_size else x[rng.choice(n, size=train_size, replace=False)]
        centroids = _kmeans(normalise(sample - mean), n_lists, iters=iters, rng=rng)
        assign = np.empty(n, dtype=np.int64)
        for start in range(0, n, 8192):  # in blocks: a full n × n_lists score matrix is large
            assign[start : start + 8192] = np.argmax(normalise(x[start : start + 8192] - mean) @ centroids.T, axis=1)
        order = np.argsort(assign, kind="stable")
        bounds = np.searchsorted(assign[order], np.arange(n_lists + 1))
        return cls(
            centroids,
            bounds,
            np.ascontiguousarray(x[order]),
            order,
            n_probe or max(1, n_lists // 4),
            mean,
            (np.empty((0, x.shape[1]), dtype=np.float32), np.empty(0, dtype=np.int64)),
        )

    @property
    def n_lists(self) -> int:
        return int(self.centroids.shape[0])

    def __len__(self) -> int:
        return int(self.vectors.shape[0] + self.extra[0].shape[0])

    def add(self, vectors: np.ndarray) -> np.ndarray:
        """Append rows (searched exactly until the next build); returns their row indices."""
        x = np.asarray(vectors, dtype=np.float32)
        start = len(self)
        vectors_before, rows_before = self.extra
        self.extra = (
            np.vstack([vectors_before, x]),
            np.concatenate([rows_before, np.arange(start, start + x.shape[0])]),
        )
        return np.arange(start, start + x.shape[0])

    def search(self, query: np.ndarray, k: int, *, n_probe: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        q = query.astype(np.float32)
        probe = min(n_probe or self.n_probe, self.n_lists)
        cells = top_k(self.centroids @ normalise(q - self.mean), probe)
        rows = [self.rows[self.bounds[c] : self.bounds[c + 1]] for c in cells]
        scores = [self.vectors[self.bounds[c] : self.bounds[c + 1]] @ q for c in cells]
        extra_vectors, extra_rows = self.extra
        if extra_rows.shape[0]:
            rows.append(extra_rows)
            scores.append(extra_vectors @ q)
        if not rows:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
        all_rows, all_scores = np.concatenate(rows), np.concatenate(scores)
        best = top_k(all_scores, k)
        return all_rows[best], all_scores[best]

    @property
    def nbytes(self) -> int:
        return int(
            self.vectors.nbytes + self.centroids.nbytes + self.rows.nbytes + self.bounds.nbytes + self.extra[0].nbytes
        )


class VectorIndex:
    """Keys and unit vectors; exact search below `exact_below` rows, IVF at or above it.

    With `background=True` the IVF index is built in a thread while exact search serves, so the
    first request after a process starts does not wait for k-means.
    """

    def __init__(
        self,
        keys: np.ndarray,
        vectors: np.ndarray,
        *,
        exact_below: int = EXACT_BELOW,
        seed: int = 0,
        background: bool = False,
    ) -> None:
        self._lock = threading.Lock()
        self._seed = seed
        self.keys = np.asarray(keys, dtype=np.int64)
        self.ivf: IVFIndex | None = None
        self._vectors = np.asarray(vectors, dtype=np.float32)
        self.building: threading.Thread | None = None
        if self.keys.shape[0] >= exact_below:
            if background:
                self.building = threading.Thread(target=self._build, daemon=True, name="ivf-build")
                self.building.start()
            else:
                self._build()

    def _build(self) -> None:
        with self._lock:
            x = self._vectors
            n = x.shape[0]
        ivf = IVFIndex.build(x[:n], seed=self._seed)
        with self._lock:
            if self._vectors.shape[0] > n:  # rows added while it was built
                ivf.add(self._vectors[n:])
            self.ivf = ivf
            self._vectors = np.empty((0, x.shape[1]), dtype=np.float32)  # the index holds them now

    def __len__(self) -> int:
        return int(self.keys.shape[0])

    def add(self, keys: np.ndarray, vectors: np.ndarray) -> None:
        with self._lock:
            # Keys first: a search in another thread finds a key for every row it can see.
            self.keys = np.concatenate([self.keys, np.asarray(keys, dtype=np.int64)])
            if self.ivf is not None:
                self.ivf.add(vectors)
            else:
                self._vectors = np.vstack([self._vectors, np.asarray(vectors, dtype=np.float32)])

    def search(self, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        ivf = self.ivf
        rows, scores = ivf.search(query, k) if ivf is not None else exact_search(self._vectors, query, k)
        keys = self.keys  # read after the search: it covers every row the search could see
        return [(int(keys[r]), float(s)) for r, s in zip(rows, scores, strict=True)]


def recall_at_k(exact: list[np.ndarray], approx: list[np.ndarray]) -> float:
    """Mean share of the exact top-k found by the approximate search."""
    if not exact:
        return 1.0
    return float(
        np.mean([len(set(e.tolist()) & set(a.tolist())) / max(1, len(e)) for e, a in zip(exact, approx, strict=True)])
    )
