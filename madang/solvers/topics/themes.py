"""The topic map of a call: proposals grouped into labelled themes, placed on a 2-D map.

Latent semantic analysis (Deerwester et al. 1990): idf-weighted index-term sets → a truncated SVD
computed by the randomized range finder of Halko, Martinsson & Tropp (2011) → unit rows → spherical
k-means (Dhillon & Modha 2001) seeded by k-means++ (Arthur & Vassilvitskii 2007). k is the one with
the best silhouette (Rousseeuw 1987, cosine distance) among 2…k_max, measured on a sample.

Labels are whole words from the texts, not bigram fragments: the words most distinctive of a
theme, scored p_in · log(p_in / p_out) (the share of the theme's documents that use the word
against the share of all others), favouring words of the titles and never generic ones.
Themes are placed by the first two principal components of their centres. Everything random goes
through `seed`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from madang.solvers.topics.text import Doc, term_matrix, words

Progress = Callable[[int, int, str], None]
SAMPLE = 4000  # documents used to choose k
# Words of every kind of proposal ("improve", "reduce", "residents", "too"): true of any theme, so
# never its name, however often one theme's authors happen to use them.
GENERIC = frozenset(
    {
        "개선",
        "향상",
        "단축",
        "감소",
        "절감",
        "완화",
        "증가",
        "확대",
        "강화",
        "만족",
        "만족도",
        "이용",
        "불편",
        "문제",
        "필요",
        "방안",
        "제안",
        "도입",
        "운영",
        "활용",
        "시간",
        "너무",
        "되면",
        "받고",
        "쉽게",
        "어렵",
        "어려운",
        "많은",
        "다양한",
        "주민",
        "시민",
        "도민",
        "지역",
        "가능",
        "효과",
        "기대",
        "추진",
        "마련",
        "현장",
        "사람",
        "경우",
        "때문",
        "정도",
        "부분",
        "하나",
        "다른",
        "같은",
    }
)
SILHOUETTE_SAMPLE = 1500


def _quiet(done: int, total: int, message: str = "") -> None:
    return None


@dataclass(frozen=True)
class Theme:
    id: int
    size: int
    words: tuple[str, ...]  # the label, most distinctive first
    x: float  # map position in [-1, 1]
    y: float
    top: tuple[int, ...]  # keys of the documents nearest the theme's centre
    cohesion: float  # mean cosine of the members to the centre


@dataclass(frozen=True)
class TopicMap:
    themes: tuple[Theme, ...]  # largest first; Theme.id is its index here
    assignment: dict[int, int]  # document key → theme id
    k: int
    silhouette: float
    silhouette_by_k: dict[int, float] = field(default_factory=dict)


def embed(docs: Sequence[Doc], *, dims: int, seed: int) -> np.ndarray:
    """Unit rows of the LSA embedding (zeros for documents without usable terms)."""
    tm = term_matrix(d.terms for d in docs)
    n = tm.n_docs
    useful = (tm.df >= 2) & (tm.df <= max(2, 0.5 * n))
    data = np.where(useful[tm.indices], tm.idf[tm.indices], 0.0)
    x = sp.csr_matrix((data, tm.indices, tm.indptr), shape=(n, len(tm.vocabulary)))
    x.eliminate_zeros()
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    x = sp.csr_matrix(sp.diags(1.0 / norms) @ x)
    d = max(1, min(dims, n - 1, x.shape[1] - 1)) if n > 2 else 1
    z = randomized_svd(x, d, seed=seed) if x.nnz else np.zeros((n, 1))
    zn = np.linalg.norm(z, axis=1, keepdims=True)
    zn[zn == 0] = 1.0
    return z / zn


def randomized_svd(x: sp.csr_matrix, rank: int, *, seed: int, oversample: int = 10, power: int = 3) -> np.ndarray:
    """U·S of the top `rank` singular triplets (Halko et al. 2011, algorithm 4.4, with QR between steps)."""
    rng = np.random.default_rng(seed)
    width = min(rank + oversample, min(x.shape))
    q, _r = np.linalg.qr(x @ rng.standard_normal((x.shape[1], width)))
    for _ in range(power):
        q, _r = np.linalg.qr(x.T @ q)
        q, _r = np.linalg.qr(x @ q)
    b = np.asarray((x.T @ q).T)
    ub, s, _vt = np.linalg.svd(b, full_matrices=False)
    u = q @ ub[:, :rank]
    # Fix each component's sign (largest entry positive) so equal inputs give equal maps.
    signs = np.sign(u[np.abs(u).argmax(axis=0), np.arange(u.shape[1])])
    signs[signs == 0] = 1
    return u * s[:rank] * signs


def spherical_kmeans(
    z: np.ndarray, k: int, *, seed: int, iterations: int = 60, n_init: int = 1
) -> tuple[np.ndarray, np.ndarray]:
    """(labels, unit centres) maximising the total cosine of points to their centre; the best of
    `n_init` k-means++ starts (one start can split a tight group and merge two loose ones)."""
    best: tuple[float, np.ndarray, np.ndarray] | None = None
    for start in range(n_init):
        labels, centres = _kmeans_once(z, k, seed=seed + 7919 * start, iterations=iterations)
        total = float((z * centres[labels]).sum())
        if best is None or total > best[0] + 1e-9:
            best = (total, labels, centres)
    assert best is not None
    return best[1], best[2]


def _kmeans_once(z: np.ndarray, k: int, *, seed: int, iterations: int) -> tuple[np.ndarray, np.ndarray]:
    n = len(z)
    rng = np.random.default_rng(seed)
    first = int(rng.integers(n))
    chosen = [z[first]]
    closest = 1.0 - z @ z[first]
    for _ in range(1, k):
        weight = np.clip(closest, 0, None) ** 2
        total = weight.sum()
        pick = int(rng.choice(n, p=weight / total)) if total > 0 else int(rng.integers(n))
        chosen.append(z[pick])
        closest = np.minimum(closest, 1.0 - z @ z[pick])
    centres = np.array(chosen)
    labels = np.full(n, -1)
    for _ in range(iterations):
        sims = z @ centres.T
        new = sims.argmax(axis=1)
        if np.array_equal(new, labels):
            break
        labels = new
        sums = sp.csr_matrix((np.ones(n), (labels, np.arange(n))), shape=(k, n)) @ z
        for c in np.flatnonzero(np.bincount(labels, minlength=k) == 0):
            # An empty cluster restarts at the point worst served by its centre.
            worst = int(sims[np.arange(n), labels].argmin())
            sums[c] = z[worst]
            labels[worst] = c
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        centres = sums / norms
    return labels, centres


def silhouette(z: np.ndarray, labels: np.ndarray) -> float:
    """Mean silhouette with cosine distance; points alone in their cluster count 0."""
    k = int(labels.max()) + 1
    if k < 2:
        return 0.0
    dist = np.clip(1.0 - z @ z.T, 0.0, 2.0)
    onehot = np.eye(k)[labels]
    sums = dist @ onehot
    sizes = onehot.sum(axis=0)
    own = sizes[labels]
    a = sums[np.arange(len(z)), labels] / np.maximum(own - 1, 1)
    other = sums / np.maximum(sizes, 1)
    other[np.arange(len(z)), labels] = np.inf
    other[:, sizes == 0] = np.inf
    b = other.min(axis=1)
    s = np.where(own > 1, (b - a) / np.maximum(np.maximum(a, b), 1e-12), 0.0)
    return float(s.mean())


def default_k_max(n: int) -> int:
    return int(min(20, max(2, round(np.sqrt(n)))))


def topic_map(
    docs: Sequence[Doc],
    *,
    k: int | None = None,
    k_max: int | None = None,
    dims: int = 64,
    seed: int = 0,
    n_words: int = 3,
    n_top: int = 5,
    progress: Progress = _quiet,
) -> TopicMap:
    n = len(docs)
    if n == 0:
        return TopicMap((), {}, 0, 0.0)
    progress(0, 5, "terms")
    z = embed(docs, dims=dims, seed=seed)
    progress(1, 5, "choose k")
    rng = np.random.default_rng(seed)
    scores: dict[int, float] = {}
    if n < 4:
        k = 1
    elif k is None:
        top = min(k_max or default_k_max(n), n // 2)
        sample = np.sort(rng.choice(n, size=min(n, SAMPLE), replace=False))
        inner = sample[np.sort(rng.choice(len(sample), size=min(len(sample), SILHOUETTE_SAMPLE), replace=False))]
        pos = np.searchsorted(sample, inner)
        best: tuple[float, int] = (-2.0, 1)
        for kk in range(2, max(2, top) + 1):
            lab, _c = spherical_kmeans(z[sample], kk, seed=seed + kk, n_init=3)
            scores[kk] = round(silhouette(z[inner], lab[pos]), 4)
            best = max(best, (scores[kk], -kk))
        k = -best[1]
    k = max(1, min(int(k), n))
    progress(2, 5, "themes")
    labels, centres = (
        spherical_kmeans(z, k, seed=seed, n_init=4 if n <= SAMPLE else 2)
        if k > 1
        else (np.zeros(n, dtype=np.int64), None)
    )
    if centres is None:
        c = z.sum(axis=0)
        centres = (c / (np.linalg.norm(c) or 1.0))[None, :]
    # Renumber themes largest first.
    sizes = np.bincount(labels, minlength=k)
    rank = np.lexsort((np.arange(k), -sizes))
    keep = rank[sizes[rank] > 0]
    new_id = np.full(k, -1)
    new_id[keep] = np.arange(len(keep))
    labels, centres, sizes = new_id[labels], centres[keep], sizes[keep]
    k = len(keep)
    progress(3, 5, "labels")
    label_words = _labels(docs, labels, k, n_words)
    xy = _positions(centres, sizes)
    cos = (z * centres[labels]).sum(axis=1)
    themes = []
    for t in range(k):
        idx = np.flatnonzero(labels == t)
        near = idx[np.lexsort((idx, -cos[idx]))][:n_top]
        themes.append(
            Theme(
                t,
                int(sizes[t]),
                label_words[t],
                round(float(xy[t, 0]), 4),
                round(float(xy[t, 1]), 4),
                tuple(docs[i].key for i in near),
                round(float(cos[idx].mean()), 4),
            )
        )
    sil = silhouette(z[: min(n, SILHOUETTE_SAMPLE)], labels[: min(n, SILHOUETTE_SAMPLE)]) if k > 1 else 0.0
    progress(5, 5, "done")
    return TopicMap(tuple(themes), {d.key: int(labels[i]) for i, d in enumerate(docs)}, k, round(sil, 4), scores)


def _labels(docs: Sequence[Doc], labels: np.ndarray, k: int, n_words: int) -> list[tuple[str, ...]]:
    wm = term_matrix(words(d.text) for d in docs)
    if not wm.vocabulary:
        return [() for _ in range(k)]
    w = sp.csr_matrix((np.ones(len(wm.indices)), wm.indices, wm.indptr), shape=(len(docs), len(wm.vocabulary)))
    lookup = wm.lookup()
    t_rows, t_cols = [], []
    for i, d in enumerate(docs):
        for word in set(words(d.title)) if d.title else ():
            if word in lookup:
                t_rows.append(i)
                t_cols.append(lookup[word])
    in_title = sp.csr_matrix((np.ones(len(t_rows)), (t_rows, t_cols)), shape=w.shape)
    generic = np.array([v in GENERIC for v in wm.vocabulary])
    onehot = sp.csr_matrix((np.ones(len(docs)), (labels, np.arange(len(docs)))), shape=(k, len(docs)))
    counts = np.asarray((onehot @ w).todense())
    title_counts = np.asarray((onehot @ in_title).todense())
    total = counts.sum(axis=0)
    sizes = np.bincount(labels, minlength=k).astype(float)
    n = len(docs)
    names = np.array(wm.vocabulary)
    out = []
    for t in range(k):
        p_in = counts[t] / sizes[t]
        p_out = (total - counts[t]) / max(n - sizes[t], 1.0)
        score = p_in * np.log((p_in + 1e-3) / (p_out + 1e-3))
        # A word in the theme's titles names it better than one from the body.
        score = score * (1.0 + title_counts[t] / sizes[t])
        score[(counts[t] < min(2, sizes[t])) | generic] = -np.inf
        chosen: list[str] = []
        for j in np.lexsort((names, -score)):
            if not np.isfinite(score[j]) or score[j] <= 0 or len(chosen) >= n_words:
                break
            word = str(names[j])
            if any(word in c or c in word for c in chosen):
                continue
            chosen.append(word)
        out.append(tuple(chosen))
    return out


def _positions(centres: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Theme centres projected on their first two principal components, scaled into [-1, 1]."""
    k = len(centres)
    if k == 1:
        return np.zeros((1, 2))
    c = centres - np.average(centres, axis=0, weights=sizes)
    u, s, _vt = np.linalg.svd(c, full_matrices=False)
    xy = np.zeros((k, 2))
    m = min(2, len(s))
    xy[:, :m] = u[:, :m] * s[:m]
    signs = np.sign(xy[np.abs(xy).argmax(axis=0), [0, 1]])
    signs[signs == 0] = 1
    xy *= signs
    scale = np.abs(xy).max(axis=0)
    scale[scale == 0] = 1.0
    return xy / scale
