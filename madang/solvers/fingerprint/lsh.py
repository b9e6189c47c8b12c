"""Candidate pairs of fingerprints by banding (locality-sensitive hashing), without all pairs.

The k values of a signature are cut into `bands` bands of `rows` values each; two fingerprints
become candidates when all the values of at least one band agree (P. Indyk and R. Motwani,
"Approximate nearest neighbors", STOC 1998; banding as in J. Leskovec, A. Rajaraman and J. Ullman,
*Mining of Massive Datasets*, ch. 3.4). With b-bit values a band agrees with probability
P_b^rows, P_b = C + (1 − C)·J, so a pair of Jaccard similarity J is a candidate with probability
1 − (1 − P_b^rows)^bands (`candidate_probability`). Each candidate is then kept only if its
estimate reaches the threshold; the work grows with the number of candidates, not with n·m.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from madang.solvers.fingerprint.minhash import Fingerprint, FingerprintError, Params, estimate


@dataclass(frozen=True)
class Banding:
    # 32 bands of 4 with 128 8-bit values: a pair at J = 0.6 is a candidate with probability 0.989,
    # at 0.7 with 0.9998, and an unrelated pair of proposals (J ≈ 0.07) with about 0.001.
    bands: int = 32
    rows: int = 4

    def fits(self, params: Params) -> None:
        if self.bands < 1 or self.rows < 1 or self.bands * self.rows > params.k:
            raise FingerprintError(f"{self.bands} bands of {self.rows} rows do not fit in k = {params.k}")


def candidate_probability(j: float, params: Params, banding: Banding) -> float:
    """The probability that a pair of Jaccard similarity j agrees on at least one band."""
    p = params.chance + (1.0 - params.chance) * j
    return 1.0 - (1.0 - p**banding.rows) ** banding.bands


@dataclass(frozen=True)
class Pair[L: Hashable, R: Hashable]:
    left: L
    right: R
    estimate: float


class Index[K: Hashable]:
    """Fingerprints of one key and shape, bucketed by band."""

    def __init__(self, params: Params, key_id: str, banding: Banding = Banding()) -> None:
        banding.fits(params)
        self.params, self.key_id, self.banding = params, key_id, banding
        self._width = banding.rows * params.bits // 8  # bytes per band
        self._buckets: list[defaultdict[bytes, list[K]]] = [defaultdict(list) for _ in range(banding.bands)]
        self._prints: dict[K, Fingerprint] = {}

    def __len__(self) -> int:
        return len(self._prints)

    def _bands(self, fp: Fingerprint) -> Iterable[tuple[int, bytes]]:
        if fp.key_id != self.key_id or fp.params != self.params:
            raise FingerprintError("fingerprint made with another key or parameters than the index")
        w = self._width
        return ((b, fp.values[b * w : (b + 1) * w]) for b in range(self.banding.bands))

    def add(self, key: K, fp: Fingerprint) -> None:
        if key in self._prints:
            raise FingerprintError(f"{key!r} is already in the index")
        self._prints[key] = fp
        for b, value in self._bands(fp):
            self._buckets[b][value].append(key)

    def candidates(self, fp: Fingerprint) -> set[K]:
        found: set[K] = set()
        for b, value in self._bands(fp):
            found.update(self._buckets[b].get(value, ()))
        return found

    def fingerprint(self, key: K) -> Fingerprint:
        return self._prints[key]

    def query(self, fp: Fingerprint, *, threshold: float) -> list[tuple[K, float]]:
        """Indexed fingerprints whose estimated similarity to `fp` is at least `threshold`, best first."""
        scored = [(key, estimate(fp, self._prints[key])) for key in self.candidates(fp)]
        return sorted(((k, e) for k, e in scored if e >= threshold), key=lambda ke: (-ke[1], str(ke[0])))


def cross_pairs[L: Hashable, R: Hashable](
    left: Sequence[tuple[L, Fingerprint]],
    right: Sequence[tuple[R, Fingerprint]],
    *,
    params: Params,
    key_id: str,
    threshold: float,
    banding: Banding = Banding(),
    chunk: int = 100_000,
) -> tuple[list[Pair[L, R]], int]:
    """Pairs (one from each side) estimated at or above `threshold`, and how many candidates were
    estimated. Fingerprints of another key or shape are left out (they cannot be compared)."""
    lefts = [(k, f) for k, f in left if f.key_id == key_id and f.params == params]
    rights = [(k, f) for k, f in right if f.key_id == key_id and f.params == params]
    index: Index[int] = Index(params, key_id, banding)
    for j, (_right_key, f) in enumerate(rights):
        index.add(j, f)
    cand_i: list[int] = []
    cand_j: list[int] = []
    for i, (_left_key, f) in enumerate(lefts):
        found = index.candidates(f)
        cand_i.extend([i] * len(found))
        cand_j.extend(found)
    if not cand_i:
        return [], 0
    # The estimates of all candidates at once, a block at a time: (P̂ − C)/(1 − C) as in `estimate`.
    lv = np.stack([f.array() for _k, f in lefts])
    rv = np.stack([f.array() for _k, f in rights])
    ci, cj = np.asarray(cand_i), np.asarray(cand_j)
    c = params.chance
    estimates = np.empty(len(ci))
    for s in range(0, len(ci), chunk):
        agree = np.count_nonzero(lv[ci[s : s + chunk]] == rv[cj[s : s + chunk]], axis=1) / params.k
        estimates[s : s + chunk] = np.clip((agree - c) / (1.0 - c), 0.0, 1.0)
    keep = np.flatnonzero(estimates >= threshold)
    pairs = [Pair(lefts[ci[x]][0], rights[cj[x]][0], float(estimates[x])) for x in keep]
    pairs.sort(key=lambda p: (-p.estimate, str(p.left), str(p.right)))
    return pairs, len(ci)
