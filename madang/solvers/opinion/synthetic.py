"""Planted opinion groups for tests and benchmarks, generated straight into CSR (no dense matrix)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from madang.solvers.opinion.matrix import VoteMatrix


@dataclass(frozen=True)
class Planted:
    votes: VoteMatrix
    truth: np.ndarray  # (n_participants,) planted group
    agree_probability: np.ndarray  # (n_groups, n_statements)
    distinguishing: dict[int, list[int]]  # group -> statements only that group agrees with
    consensus: list[int]  # statements every group agrees with


def planted(
    n_participants: int,
    n_statements: int,
    n_groups: int = 3,
    *,
    vote_rate: float = 0.5,
    n_consensus: int = 3,
    n_distinguishing: int = 3,
    strength: float = 0.85,
    pass_rate: float = 0.1,
    seed: int = 0,
    chunk: int = 20_000,
) -> Planted:
    """Each group agrees with a statement with probability ``strength`` or ``1 − strength`` (a random
    pattern per group); the first ``n_consensus`` statements are agreed by all, and each group has
    ``n_distinguishing`` statements that only it agrees with. Each participant sees each statement with
    probability ``vote_rate`` and passes with probability ``pass_rate``."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, n_groups, n_participants).astype(np.int32)
    pattern = rng.random((n_groups, n_statements)) < 0.5
    p_agree = np.where(pattern, strength, 1.0 - strength)
    cons = list(range(min(n_consensus, n_statements)))
    p_agree[:, cons] = 0.9
    dist: dict[int, list[int]] = {}
    nxt = len(cons)
    for g in range(n_groups):
        js = list(range(nxt, min(nxt + n_distinguishing, n_statements)))
        nxt += len(js)
        p_agree[:, js] = 0.1
        p_agree[g, js] = 0.9
        dist[g] = js
    p32 = p_agree.astype(np.float32)
    indptr = np.zeros(n_participants + 1, dtype=np.int64)
    idx_parts, val_parts = [], []
    for a in range(0, n_participants, chunk):
        b = min(a + chunk, n_participants)
        seen = rng.random((b - a, n_statements), dtype=np.float32) < vote_rate
        rows, cols = np.nonzero(seen)
        indptr[a + 1 : b + 1] = indptr[a] + np.cumsum(seen.sum(axis=1))
        u = rng.random(rows.shape[0], dtype=np.float32)
        pa = p32[truth[a + rows], cols]
        v = np.where(u < pass_rate, 0, np.where(u < pass_rate + (1 - pass_rate) * pa, 1, -1)).astype(np.int8)
        idx_parts.append(cols.astype(np.int32))
        val_parts.append(v)
    indices = np.concatenate(idx_parts) if idx_parts else np.zeros(0, np.int32)
    values = np.concatenate(val_parts) if val_parts else np.zeros(0, np.int8)
    del idx_parts, val_parts
    votes = VoteMatrix.from_csr(indptr, indices, values, n_statements, check=False)
    return Planted(votes, truth, p_agree, dist, cons)


def adjusted_rand_index(a: np.ndarray, b: np.ndarray) -> float:
    """Hubert & Arabie (1985) adjusted Rand index of two labelings of the same items."""
    a = np.unique(np.asarray(a), return_inverse=True)[1]
    b = np.unique(np.asarray(b), return_inverse=True)[1]
    n = a.shape[0]
    if n < 2:
        return 1.0
    table = np.zeros((a.max() + 1, b.max() + 1), dtype=np.int64)
    np.add.at(table, (a, b), 1)

    def pairs(x: np.ndarray) -> float:
        return float(np.sum(x * (x - 1)) / 2)

    index, ra, rb = pairs(table), pairs(table.sum(axis=1)), pairs(table.sum(axis=0))
    expected = ra * rb / (n * (n - 1) / 2)
    top = (ra + rb) / 2
    return 1.0 if top == expected else (index - expected) / (top - expected)
