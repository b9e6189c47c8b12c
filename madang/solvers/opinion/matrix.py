"""Compact sparse vote matrix: one int8 per vote, CSR by participant, no dense float copy."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


class OpinionError(ValueError):
    """Input that the opinion map cannot use (bad vote value, index out of range, too little data)."""


AGREE, PASS, DISAGREE = 1, 0, -1


@dataclass(frozen=True)
class VoteMatrix:
    """Votes of ``n_participants`` people on ``n_statements`` statements.

    Row ``p`` holds ``indices[indptr[p]:indptr[p + 1]]`` (statement numbers, strictly increasing) and the
    matching ``values`` (+1 agree, 0 pass, -1 disagree). A missing entry means "not seen"; a pass is a
    stored 0, because Polis counts a pass as a vote (it enters the column mean and the participant's
    vote count). 100 million votes take 100 MB of values, 400 MB of int32 indices and 8 MB per million
    participants of row pointers.
    """

    n_participants: int
    n_statements: int
    indptr: np.ndarray  # int64, length n_participants + 1
    indices: np.ndarray  # int32
    values: np.ndarray  # int8

    @property
    def n_votes(self) -> int:
        return int(self.indices.shape[0])

    def votes_per_participant(self) -> np.ndarray:
        return np.diff(self.indptr)

    def row_of_each_vote(self) -> np.ndarray:
        return np.repeat(np.arange(self.n_participants, dtype=np.int32), np.diff(self.indptr))

    def column_counts(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per statement: (seen, agree, disagree) counts."""
        m = self.n_statements
        seen = np.zeros(m, dtype=np.int64)
        agree = np.zeros(m, dtype=np.int64)
        disagree = np.zeros(m, dtype=np.int64)
        step = 1 << 24  # chunks keep the int64 codes small
        for a in range(0, self.n_votes, step):
            code = self.indices[a : a + step].astype(np.int64) * 3 + (self.values[a : a + step] + 1)
            by_kind = np.bincount(code, minlength=3 * m).reshape(m, 3)  # disagree, pass, agree
            seen += by_kind.sum(axis=1)
            agree += by_kind[:, 1 + AGREE]
            disagree += by_kind[:, 1 + DISAGREE]
        return seen, agree, disagree

    def row(self, p: int) -> tuple[np.ndarray, np.ndarray]:
        a, b = self.indptr[p], self.indptr[p + 1]
        return self.indices[a:b], self.values[a:b]

    def to_dense(self, missing: float = np.nan) -> np.ndarray:
        """Dense float copy, for small matrices in tests and for reference runs only."""
        out = np.full((self.n_participants, self.n_statements), missing)
        out[self.row_of_each_vote(), self.indices] = self.values
        return out

    @classmethod
    def from_csr(
        cls, indptr: np.ndarray, indices: np.ndarray, values: np.ndarray, n_statements: int, *, check: bool = True
    ) -> VoteMatrix:
        """Wrap CSR arrays without copying (rows sorted by statement, no duplicates)."""
        indptr = np.asarray(indptr, dtype=np.int64)
        indices = np.asarray(indices, dtype=np.int32)
        values = np.asarray(values, dtype=np.int8)
        if n_statements < 1:
            raise OpinionError("a conversation needs at least one statement")
        if indptr.ndim != 1 or indptr.shape[0] < 2 or indptr[0] != 0 or indptr[-1] != indices.shape[0]:
            raise OpinionError("indptr must start at 0 and end at the number of votes")
        if indices.shape != values.shape:
            raise OpinionError("indices and values must have the same length")
        if check:
            if np.any(np.diff(indptr) < 0):
                raise OpinionError("indptr must not decrease")
            _check_values(values)
            if indices.size and (indices.min() < 0 or indices.max() >= n_statements):
                raise OpinionError(f"statement index outside 0..{n_statements - 1}")
            step = np.diff(indices.astype(np.int64))
            row_start = np.zeros(indices.shape[0], dtype=bool)
            row_start[indptr[1:-1][indptr[1:-1] < indices.shape[0]]] = True
            if np.any((step <= 0) & ~row_start[1:]):
                raise OpinionError("statements within a participant's row must be sorted and unique")
        return cls(indptr.shape[0] - 1, int(n_statements), indptr, indices, values)

    @classmethod
    def from_votes(
        cls,
        participants: np.ndarray | list[int],
        statements: np.ndarray | list[int],
        votes: np.ndarray | list[int],
        *,
        n_participants: int | None = None,
        n_statements: int | None = None,
    ) -> VoteMatrix:
        """Build from vote events in arrival order; when a person votes twice on a statement the last one counts."""
        p = np.asarray(participants)
        s = np.asarray(statements)
        v = np.asarray(votes)
        if not (p.shape == s.shape == v.shape) or p.ndim != 1:
            raise OpinionError("participants, statements and votes must be 1-D and of equal length")
        for name, arr in (("participant", p), ("statement", s)):
            if arr.size and (not np.issubdtype(arr.dtype, np.integer) or arr.min() < 0):
                raise OpinionError(f"{name} indices must be non-negative integers")
        fractional = v.size and not np.issubdtype(v.dtype, np.integer) and bool(np.any(v != np.round(v)))
        if v.size and (v.min() < -1 or v.max() > 1 or fractional):
            raise OpinionError("a vote must be +1 (agree), 0 (pass) or -1 (disagree)")
        v = v.astype(np.int8, copy=False)
        n_p = int(p.max()) + 1 if n_participants is None and p.size else (n_participants or 0)
        n_s = int(s.max()) + 1 if n_statements is None and s.size else (n_statements or 0)
        if p.size and p.max() >= n_p:
            raise OpinionError(f"participant index outside 0..{n_p - 1}")
        if s.size and s.max() >= n_s:
            raise OpinionError(f"statement index outside 0..{n_s - 1}")
        width = max(n_s, 1)
        key = p.astype(np.int64)
        key *= width
        key += s
        if key.size and np.any(key[1:] < key[:-1]):
            # A stable sort keeps arrival order among repeated (participant, statement) pairs, so the
            # last of each run is the latest vote. Memory at peak: key, permutation and sorted key, 24 bytes a vote.
            order = np.argsort(key, kind="stable")
            key = key[order]
            v = v[order]
            del order
        last = np.ones(key.shape[0], dtype=bool)
        if key.size:
            last[:-1] = key[1:] != key[:-1]
        key = key[last]
        values = v[last]
        indptr = np.searchsorted(key, np.arange(n_p + 1, dtype=np.int64) * width).astype(np.int64)
        np.remainder(key, width, out=key)
        return cls.from_csr(indptr, key.astype(np.int32), values, n_s, check=False)

    @classmethod
    def from_dense(cls, matrix: np.ndarray | list[list[float]]) -> VoteMatrix:
        """From a small participants × statements array with NaN (or None) for "not seen"."""
        a = np.asarray(matrix, dtype=float)
        if a.ndim != 2:
            raise OpinionError("a dense vote matrix must be 2-D")
        rows, cols = np.nonzero(~np.isnan(a))
        return cls.from_votes(rows, cols, a[rows, cols], n_participants=a.shape[0], n_statements=a.shape[1])


def _check_values(values: np.ndarray) -> None:
    if values.size and (values.min() < -1 or values.max() > 1):
        raise OpinionError("a vote must be +1 (agree), 0 (pass) or -1 (disagree)")
