"""Vote storage: compact arrays of single votes, and their sparse aggregation into pair counts.

A vote is (winner, loser) or a "can't decide" between two ideas. Ideas are dense indices
0..n-1 (the caller maps its own ids to them). Pair counts are kept only for pairs that were
actually shown, as parallel arrays sorted by pair key, so memory grows with the number of
distinct pairs voted on and never with n².
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
IdxArray = npt.NDArray[np.int32]
CountArray = npt.NDArray[np.int32]

# Counting by direct indexing is faster than sorting when the key space n² is small; it is used
# only while n² stays within this many times the number of votes, so memory stays O(votes).
_DIRECT_COUNT_FACTOR = 8


class PairwiseError(ValueError):
    """A vote or request that breaks the survey's rules (unknown idea, idea against itself, ...)."""


def _as_index(values: npt.ArrayLike, n_ideas: int, what: str) -> IntArray:
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise PairwiseError(f"{what} must be a one-dimensional sequence of idea indices")
    if arr.size and not np.issubdtype(arr.dtype, np.integer):
        raise PairwiseError(f"{what} must hold integer idea indices, got dtype {arr.dtype}")
    arr = arr.astype(np.int64, copy=False)
    if arr.size:
        bad = (arr < 0) | (arr >= n_ideas)
        if bad.any():
            k = int(np.flatnonzero(bad)[0])
            raise PairwiseError(f"unknown idea {int(arr[k])} in {what} (vote {k}); ideas are 0..{n_ideas - 1}")
    return arr


@dataclass(frozen=True)
class PairCounts:
    """Outcomes per shown pair (i < j): wins of i over j, wins of j over i, and "can't decide"s.

    The arrays are parallel and sorted by the key i·n + j; `n_ideas` may exceed the largest
    index seen (ideas with no votes yet)."""

    n_ideas: int
    i: IdxArray
    j: IdxArray
    wins_i: CountArray
    wins_j: CountArray
    ties: CountArray

    @property
    def n_pairs(self) -> int:
        return int(self.i.size)

    @property
    def n_votes(self) -> int:
        return int(self.wins_i.sum(dtype=np.int64) + self.wins_j.sum(dtype=np.int64) + self.ties.sum(dtype=np.int64))

    def per_idea(self) -> tuple[IntArray, IntArray, IntArray]:
        """(wins, losses, ties) per idea."""
        n = self.n_ideas
        wins = np.bincount(self.i, self.wins_i, n) + np.bincount(self.j, self.wins_j, n)
        losses = np.bincount(self.i, self.wins_j, n) + np.bincount(self.j, self.wins_i, n)
        ties = np.bincount(self.i, self.ties, n) + np.bincount(self.j, self.ties, n)
        return wins.astype(np.int64), losses.astype(np.int64), ties.astype(np.int64)

    def with_ideas(self, n_ideas: int) -> PairCounts:
        """The same counts in a survey that now has `n_ideas` ideas (late arrivals added)."""
        if n_ideas < self.n_ideas:
            raise PairwiseError("a survey cannot lose ideas; mark them inactive instead")
        return PairCounts(n_ideas, self.i, self.j, self.wins_i, self.wins_j, self.ties)

    def merge(self, other: PairCounts) -> PairCounts:
        """Counts of both sets of votes (for adding a new batch to running totals)."""
        n = max(self.n_ideas, other.n_ideas)
        keys = np.concatenate([_keys(self, n), _keys(other, n)])
        return _from_keys(
            n,
            keys,
            np.concatenate([self.wins_i, other.wins_i]),
            np.concatenate([self.wins_j, other.wins_j]),
            np.concatenate([self.ties, other.ties]),
        )


def _keys(c: PairCounts, n: int) -> IntArray:
    return c.i.astype(np.int64) * n + c.j


def _from_keys(
    n: int,
    keys: IntArray,
    wi: npt.NDArray[np.bool_ | np.int32],
    wj: npt.NDArray[np.bool_ | np.int32],
    ti: npt.NDArray[np.bool_ | np.int32],
) -> PairCounts:
    if keys.size and n * n <= _DIRECT_COUNT_FACTOR * keys.size:
        size = n * n
        a = np.bincount(keys, wi, size)
        b = np.bincount(keys, wj, size)
        t = np.bincount(keys, ti, size)
        uniq = np.flatnonzero((a + b + t) > 0)
        wins_i, wins_j, ties = a[uniq], b[uniq], t[uniq]
    else:
        uniq, inverse = np.unique(keys, return_inverse=True)
        m = uniq.size
        wins_i = np.bincount(inverse, wi, m)
        wins_j = np.bincount(inverse, wj, m)
        ties = np.bincount(inverse, ti, m)
    return PairCounts(
        n,
        (uniq // n).astype(np.int32),
        (uniq % n).astype(np.int32),
        wins_i.astype(np.int32),
        wins_j.astype(np.int32),
        ties.astype(np.int32),
    )


def aggregate(
    n_ideas: int,
    winner: npt.ArrayLike,
    loser: npt.ArrayLike,
    tie: npt.ArrayLike | None = None,
) -> PairCounts:
    """Count votes per pair. `winner[k]`, `loser[k]` are the two ideas of vote k; where `tie[k]`
    is true the voter chose "I can't decide" and the order of the two does not matter.

    Raises PairwiseError for an unknown idea, an idea against itself, or mismatched lengths."""
    if n_ideas < 0 or int(n_ideas) != n_ideas:
        raise PairwiseError("n_ideas must be a non-negative integer")
    n = int(n_ideas)
    w = _as_index(winner, n, "winner")
    lo = _as_index(loser, n, "loser")
    if w.shape != lo.shape:
        raise PairwiseError(f"winner and loser have different lengths ({w.size} and {lo.size})")
    same = w == lo
    if same.any():
        k = int(np.flatnonzero(same)[0])
        raise PairwiseError(f"vote {k} puts idea {int(w[k])} against itself")
    if tie is None:
        t = np.zeros(w.size, dtype=bool)
    else:
        t = np.asarray(tie, dtype=bool)
        if t.shape != w.shape:
            raise PairwiseError(f"tie has length {t.size}, votes have {w.size}")
    first = np.minimum(w, lo)
    keys = first * n + np.maximum(w, lo)
    decided = ~t
    first_won = decided & (w == first)
    return _from_keys(n, keys, first_won, decided & ~first_won, t)


def empty(n_ideas: int) -> PairCounts:
    z = np.zeros(0, dtype=np.int32)
    return PairCounts(int(n_ideas), z, z, z, z, z)
