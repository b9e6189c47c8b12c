"""Near-duplicate proposals of a call, in clusters the innovation team can merge.

1. Candidates by MinHash LSH over the documents' index-term sets (Broder 1997; banding as in
   Leskovec, Rajaraman & Ullman, *Mining of Massive Datasets*, ch. 3): `bands` bands of `rows`
   min-hashes each; two documents become a candidate pair when any band agrees. A pair with
   Jaccard similarity J is caught with probability 1 − (1 − J^rows)^bands, so the work grows
   with the number of similar pairs, not with n². Terms found in more than `max_df` of the
   documents are left out of the signatures (they make everything look alike) but kept for
   the exact check. Candidates whose signatures estimate J below `min_jaccard` are dropped.
2. Every candidate is verified by the exact idf-weighted cosine of the term sets (the measure of
   `korean.similar`, so the pages' "similar ideas" and these clusters agree).
3. Verified pairs at or above `threshold` are grouped by complete linkage (edges in descending
   similarity; two clusters join only once every pair across them is a verified edge). A cluster
   is therefore a clique: A~B and B~C never pull A and C together unless A~C too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from madang.solvers.topics.text import Doc, TermMatrix, sorted_unique, term_matrix, words

Progress = Callable[[int, int, str], None]
_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)


def _quiet(done: int, total: int, message: str = "") -> None:
    return None


@dataclass(frozen=True)
class Member:
    key: int
    similarity: float  # to the kept proposal (1.0 for the kept one itself)
    shared: tuple[str, ...]  # words it shares with the kept proposal, most telling first


@dataclass(frozen=True)
class Cluster:
    keep: int
    members: tuple[Member, ...]  # the kept proposal first, then by similarity to it
    min_similarity: float  # the least similar pair inside the cluster


@dataclass(frozen=True)
class Duplicates:
    clusters: tuple[Cluster, ...]
    n_docs: int
    candidate_pairs: int
    verified_pairs: int
    threshold: float
    skipped_buckets: int  # LSH buckets too large to pair completely (paired in windows instead)


def minhash_signatures(tm: TermMatrix, *, n_hashes: int, max_df: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(signatures uint32 [n, n_hashes], has_signature bool [n]) over terms with df ≤ max_df·n."""
    n = tm.n_docs
    cap = max(50.0, max_df * n)  # a small call keeps every shared term
    keep_term = (tm.df <= cap) & (tm.df >= 2)  # a term in one document cannot make a pair
    keep_entry = keep_term[tm.indices]
    rows = np.repeat(np.arange(n), np.diff(tm.indptr))[keep_entry]
    cols = tm.indices[keep_entry]
    counts = np.bincount(rows, minlength=n)
    has = counts > 0
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    sig = np.full((n, n_hashes), np.iinfo(np.uint32).max, dtype=np.uint32)
    if not has.any():
        return sig, has
    rng = np.random.default_rng(seed)
    # Multiply-shift hashing of term ids (Dietzfelbinger et al. 1997): odd multiplier, top 32 bits.
    a = rng.integers(1, 2**63, size=n_hashes, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, 2**63, size=n_hashes, dtype=np.uint64)
    ids = np.arange(len(tm.vocabulary), dtype=np.uint64)
    s = starts[has]
    with np.errstate(over="ignore"):
        for j in range(n_hashes):
            hashed = ((ids * a[j] + b[j]) >> np.uint64(32)).astype(np.uint32)
            sig[has, j] = np.minimum.reduceat(hashed[cols], s)
    return sig, has


def candidate_pairs(
    sig: np.ndarray, has: np.ndarray, *, bands: int, rows: int, max_bucket: int
) -> tuple[np.ndarray, int]:
    """Distinct pairs (i < j) that agree on at least one band, as an int64 array [m, 2]."""
    docs = np.flatnonzero(has)
    codes: list[np.ndarray] = []
    skipped = 0
    n = sig.shape[0]
    for band in range(bands):
        block = sig[docs, band * rows : (band + 1) * rows].astype(np.uint64)
        with np.errstate(over="ignore"):
            key = np.full(len(docs), np.uint64(band + 1) * np.uint64(0x9E3779B97F4A7C15), dtype=np.uint64)
            for c in range(rows):
                key = (key ^ block[:, c]) * np.uint64(0xBF58476D1CE4E5B9)
                key ^= key >> np.uint64(31)
        order = np.argsort(key, kind="stable")
        ks = key[order]
        bounds = np.flatnonzero(np.diff(ks)) + 1
        starts = np.concatenate([[0], bounds])
        sizes = np.diff(np.concatenate([starts, [len(ks)]]))
        # Buckets of one size at a time, as a matrix of members: no Python loop per bucket.
        for size in np.unique(sizes[sizes >= 2]):
            first = starts[sizes == size]
            if size <= max_bucket:
                members = np.sort(docs[order[first[:, None] + np.arange(size)]], axis=1)
                i, j = np.triu_indices(int(size), 1)
                codes.append((members[:, i].astype(np.int64) * n + members[:, j]).ravel())
                continue
            # A huge bucket (hundreds of near-identical texts): each member is paired with its next
            # max_bucket neighbours only, to stay sub-quadratic; counted and reported.
            for start in first:
                skipped += 1
                members = np.sort(docs[order[start : start + size]])
                i = np.repeat(np.arange(size), max_bucket)
                j = i + np.tile(np.arange(1, max_bucket + 1), size)
                ok = j < size
                codes.append(members[i[ok]].astype(np.int64) * n + members[j[ok]])
    if not codes:
        return np.zeros((0, 2), dtype=np.int64), skipped
    unique = sorted_unique(np.concatenate(codes))
    return np.stack([unique // n, unique % n], axis=1), skipped


def estimated_jaccard(sig: np.ndarray, pairs: np.ndarray, *, chunk: int = 200_000) -> np.ndarray:
    """The share of equal min-hashes: an unbiased estimate of each pair's Jaccard similarity."""
    out = np.empty(len(pairs))
    for s in range(0, len(pairs), chunk):
        p = pairs[s : s + chunk]
        out[s : s + chunk] = (sig[p[:, 0]] == sig[p[:, 1]]).mean(axis=1)
    return out


def weighted_rows(tm: TermMatrix) -> sp.csr_matrix:
    """Rows of idf weights, L2-normalised: a dot product is the weighted cosine of two term sets."""
    data = tm.idf[tm.indices]
    x = sp.csr_matrix((data, tm.indices, tm.indptr), shape=(tm.n_docs, len(tm.vocabulary)))
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ x)


def pair_similarity(x: sp.csr_matrix, pairs: np.ndarray, *, chunk: int = 50_000) -> np.ndarray:
    out = np.empty(len(pairs))
    for s in range(0, len(pairs), chunk):
        p = pairs[s : s + chunk]
        out[s : s + chunk] = np.asarray(x[p[:, 0]].multiply(x[p[:, 1]]).sum(axis=1)).ravel()
    return out


def complete_link(n: int, pairs: np.ndarray, sims: np.ndarray) -> list[list[int]]:
    """Clusters (of two or more) in which every pair is among `pairs`; exact complete linkage
    at the threshold the pairs were cut at, merging the most similar clusters first."""
    order = np.lexsort((pairs[:, 1], pairs[:, 0], -sims))
    root = list(range(n))
    members: dict[int, list[int]] = {}
    between: dict[int, dict[int, int]] = {}

    def find(i: int) -> int:
        while root[i] != i:
            root[i] = root[root[i]]
            i = root[i]
        return i

    for e in order:
        a, b = find(int(pairs[e, 0])), find(int(pairs[e, 1]))
        if a == b:
            continue
        a, b = min(a, b), max(a, b)
        seen = between.setdefault(a, {}).get(b, 0) + 1
        between[a][b] = seen
        between.setdefault(b, {})[a] = seen
        size_a, size_b = len(members.get(a, [a])), len(members.get(b, [b]))
        if seen < size_a * size_b:
            continue
        # Every cross pair is an edge: join b into a and add up the cross counts of b's neighbours.
        members[a] = members.pop(a, [a]) + members.pop(b, [b])
        root[b] = a
        for c, count in between.pop(b, {}).items():
            if c == a:
                continue
            between[c].pop(b, None)
            merged = between[a].get(c, 0) + count
            between[a][c] = merged
            between[c][a] = merged
        between[a].pop(b, None)
    return [sorted(m) for m in members.values() if len(m) >= 2]


def near_duplicates(
    docs: Sequence[Doc],
    *,
    threshold: float = 0.6,
    bands: int = 48,
    rows: int = 4,
    max_df: float = 0.05,
    max_bucket: int = 200,
    min_jaccard: float = 0.25,
    seed: int = 0,
    progress: Progress = _quiet,
) -> Duplicates:
    """Clusters of near-duplicate documents with a suggested one to keep and why each matches."""
    if not 0 < threshold <= 1:
        raise ValueError("threshold must be in (0, 1]")
    n = len(docs)
    progress(0, 4, "terms")
    tm = term_matrix(d.terms for d in docs)
    progress(1, 4, "minhash")
    sig, has = minhash_signatures(tm, n_hashes=bands * rows, max_df=max_df, seed=seed)
    pairs, skipped = candidate_pairs(sig, has, bands=bands, rows=rows, max_bucket=max_bucket)
    n_candidates = len(pairs)
    if len(pairs) and min_jaccard > 0:
        # Most candidates of a large call are merely on the same topic; the signatures already
        # say so (J ≈ 0.2–0.3) before the exact check reads any term.
        pairs = pairs[estimated_jaccard(sig, pairs) >= min_jaccard]
    progress(2, 4, "verify")
    x = weighted_rows(tm)
    sims = pair_similarity(x, pairs) if len(pairs) else np.zeros(0)
    ok = sims >= threshold - 1e-12
    edges, edge_sims = pairs[ok], sims[ok]
    progress(3, 4, "cluster")
    groups = complete_link(n, edges, edge_sims)
    sim_of = {(int(i), int(j)): float(s) for (i, j), s in zip(edges, edge_sims, strict=True)}
    clusters = [_describe(group, docs, tm, sim_of) for group in groups]
    clusters.sort(key=lambda c: (-len(c.members), -c.min_similarity, c.keep))
    progress(4, 4, "done")
    return Duplicates(tuple(clusters), n, n_candidates, len(edges), threshold, skipped)


def _pair(sim_of: dict[tuple[int, int], float], i: int, j: int) -> float:
    return sim_of[(i, j) if i < j else (j, i)]


def _describe(group: list[int], docs: Sequence[Doc], tm: TermMatrix, sim_of: dict[tuple[int, int], float]) -> Cluster:
    # Keep a proposal that is already decided (it cannot be merged away), then the most
    # supported, then the earliest: supports and authors of the others move onto it.
    keep = min(group, key=lambda i: (not docs[i].fixed, -docs[i].support, docs[i].order, docs[i].key))
    keep_words = _word_weights(docs[keep], tm)
    members = [Member(docs[keep].key, 1.0, ())]
    rest = sorted((i for i in group if i != keep), key=lambda i: (-_pair(sim_of, keep, i), docs[i].key))
    for i in rest:
        mine = set(words(docs[i].text)) if docs[i].text else set()
        shared = sorted((w for w in keep_words if w in mine), key=lambda w: (-keep_words[w], w))[:6]
        if not shared:  # no text given: fall back to the shared index terms
            both = np.intersect1d(tm.row(keep), tm.row(i))
            shared = [tm.vocabulary[t] for t in both[np.argsort(-tm.idf[both], kind="stable")][:6]]
        members.append(Member(docs[i].key, round(_pair(sim_of, keep, i), 4), tuple(shared)))
    low = min(_pair(sim_of, a, b) for k, a in enumerate(group) for b in group[k + 1 :])
    return Cluster(docs[keep].key, tuple(members), round(low, 4))


def _word_weights(doc: Doc, tm: TermMatrix) -> dict[str, float]:
    """Each whole word of the text, weighted by the rarest index term inside it."""
    lookup = tm.lookup()
    out: dict[str, float] = {}
    for w in words(doc.text):
        grams = [w[k : k + 2] for k in range(len(w) - 1)] if len(w) > 1 else [w]
        weights = [tm.idf[lookup[g]] for g in grams if g in lookup]
        if weights:
            out[w] = max(out.get(w, 0.0), float(max(weights)))
    return out
