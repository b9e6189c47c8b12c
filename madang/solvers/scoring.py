"""Combining reviewer scores fairly when reviewers differ in strictness.

A strict reviewer who gives everything 50 and a lenient one who gives everything 85
should not decide a ranking by who happened to review what. Each reviewer's totals are
standardised (z-score over the proposals that reviewer scored) and mapped back onto the
pool's overall mean and spread, so normalised scores stay on the familiar 0–100 scale.
A reviewer with a single score, or with no spread, is shifted by mean only (their
spread is unknown, so no stretching). This is the usual per-reviewer z-normalisation
used in grant and conference review (e.g. Bornmann & Daniel on reviewer bias).
"""

import math
import statistics
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Combined:
    proposal: Hashable
    raw_mean: float
    normalised_mean: float
    n_reviews: int


def normalise(scores: Iterable[tuple[Hashable, Hashable, float]]) -> dict[tuple[Hashable, Hashable], float]:
    """(reviewer, proposal, total) triples → {(reviewer, proposal): normalised total}."""
    rows = list(scores)
    if not rows:
        return {}
    values = [s for _, _, s in rows]
    pool_mean = statistics.fmean(values)
    pool_sd = statistics.pstdev(values) if len(values) > 1 else 0.0
    by_reviewer: dict[Hashable, list[float]] = defaultdict(list)
    for reviewer, _, s in rows:
        by_reviewer[reviewer].append(s)
    out: dict[tuple[Hashable, Hashable], float] = {}
    for reviewer, proposal, s in rows:
        own = by_reviewer[reviewer]
        mean = statistics.fmean(own)
        sd = statistics.pstdev(own) if len(own) > 1 else 0.0
        value = pool_mean + (s - mean) / sd * pool_sd if sd > 1e-9 and pool_sd > 1e-9 else pool_mean + (s - mean)
        out[(reviewer, proposal)] = min(100.0, max(0.0, value))
    return out


def combine(scores: Iterable[tuple[Hashable, Hashable, float]]) -> list[Combined]:
    """Per-proposal raw and normalised means, best normalised first."""
    rows = list(scores)
    norm = normalise(rows)
    raw: dict[Hashable, list[float]] = defaultdict(list)
    adj: dict[Hashable, list[float]] = defaultdict(list)
    for reviewer, proposal, s in rows:
        raw[proposal].append(s)
        adj[proposal].append(norm[(reviewer, proposal)])
    result = [
        Combined(p, round(statistics.fmean(raw[p]), 2), round(statistics.fmean(adj[p]), 2), len(raw[p])) for p in raw
    ]
    result.sort(key=lambda c: (-c.normalised_mean, -c.raw_mean, repr(c.proposal)))
    return result


def weighted_total[K: Hashable](values: Mapping[K, int], weights: Mapping[K, float], maxima: Mapping[K, int]) -> float:
    """A scorecard's total on a 0–100 scale: the weighted mean of value/maximum."""
    wsum = sum(weights[c] for c in values)
    if wsum <= 0 or math.isclose(wsum, 0.0):
        return 0.0
    return round(100.0 * sum(weights[c] * values[c] / maxima[c] for c in values) / wsum, 2)
