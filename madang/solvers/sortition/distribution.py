"""A lottery over panels (explicit member lists with probabilities) and fairness measures."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from .instance import Types


@dataclass(frozen=True)
class Distribution:
    """Panels (sorted member ids) in canonical order — sorted lexicographically, no repeats —
    each with its probability. Built through `Distribution.of`, which canonicalises."""

    n: int
    k: int
    panels: tuple[tuple[int, ...], ...]
    probabilities: tuple[float, ...]

    @classmethod
    def of(cls, n: int, k: int, items: Iterable[tuple[Iterable[int], float]]) -> Distribution:
        merged: dict[tuple[int, ...], float] = {}
        for panel, prob in items:
            key = tuple(sorted(int(i) for i in panel))
            merged[key] = merged.get(key, 0.0) + float(prob)
        keys = sorted(key for key, prob in merged.items() if prob > 0.0)
        total = math.fsum(merged[key] for key in keys)
        if not keys or total <= 0:
            raise ValueError("a distribution needs at least one panel with positive probability")
        return cls(n, k, tuple(keys), tuple(merged[key] / total for key in keys))

    def __len__(self) -> int:
        return len(self.panels)

    def marginals(self) -> np.ndarray:
        """Selection probability of every pool member, recomputed from the panel list."""
        probs = np.zeros(self.n)
        for panel, p in zip(self.panels, self.probabilities, strict=True):
            probs[list(panel)] += p
        return probs


def gini(values: Sequence[float] | np.ndarray) -> float:
    x = np.sort(np.asarray(values, dtype=np.float64))
    n = len(x)
    if n == 0 or x.sum() <= 0:
        return 0.0
    ranks = np.arange(1, n + 1)
    return float((2 * ranks - n - 1) @ x / (n * x.sum()))


def geometric_mean(values: Sequence[float] | np.ndarray) -> float:
    x = np.asarray(values, dtype=np.float64)
    if len(x) == 0 or (x <= 0).any():
        return 0.0
    return float(np.exp(np.log(x).mean()))


def _breakpoints(moduli: frozenset[int], cache: dict[frozenset[int], list[Fraction]]) -> list[Fraction]:
    if moduli not in cache:
        cache[moduli] = sorted({Fraction(j, m) for m in moduli for j in range(m)} | {Fraction(0)})
    return cache[moduli]


def expand_type_panels(
    types: Types, n: int, k: int, panels: Sequence[np.ndarray], weights: Sequence[float]
) -> Distribution:
    """Turn panels given as counts per type into panels of people with the same marginals.

    Within a type, a count `c` of `m` people is realised by the `m` cyclic windows
    {j, …, j+c−1 mod m}, each with probability 1/m, so every member gets exactly c/m. The windows of
    all types are driven by one uniform number u (window j = ⌊u·m⌋), so the number of distinct
    panels is the number of distinct fractions j/m, which stays small because types are small.
    """
    cache: dict[frozenset[int], list[Fraction]] = {}
    items: list[tuple[list[int], float]] = []
    for counts, weight in zip(panels, weights, strict=True):
        if weight <= 0:
            continue
        full: list[int] = []
        partial: list[tuple[tuple[int, ...], int]] = []
        for t in np.nonzero(counts)[0].tolist():
            c = int(counts[t])
            members = types.members[t]
            if c >= len(members):
                full.extend(members)
            else:
                partial.append((members, c))
        cuts = _breakpoints(frozenset(len(m) for m, _ in partial), cache)
        for idx, start in enumerate(cuts):
            end = cuts[idx + 1] if idx + 1 < len(cuts) else Fraction(1)
            chosen = list(full)
            for members, c in partial:
                m = len(members)
                j = start.numerator * m // start.denominator
                chosen.extend(members[(j + r) % m] for r in range(c))
            items.append((chosen, weight * float(end - start)))
    return Distribution.of(n, k, items)
