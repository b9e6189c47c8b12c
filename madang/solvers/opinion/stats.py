"""Per-group vote counts, representativeness ("repness") and consensus, after Polis
(`math/src/polismath/math/repness.clj`; documented in the red-dwarf docs and in Small et al. 2021).

For group g and statement j, with ``n`` = members of g who saw j and ``a`` = those who agreed:
  pa  = (a + 1) / (n + 2)                                   Laplace pseudo-counts
  pat = 2·sqrt(n + 1)·((a + 1)/(n + 1) − 1/2)               one-proportion z against 1/2
  ra  = pa / pa_rest,  pa_rest from everyone outside g      how much more g agrees than the rest
  rat = two-proportion z of (a+1)/(n+1) vs (a_r+1)/(n_r+1)  with pooled variance
and the same for disagreement. A statement represents g when both z values pass the one-sided test
at ``confidence`` (z > 1.2816 at 90 %); candidates are ranked by ``ra·rat·pa·pat`` (Polis's
``repness metric``). A consensus statement is one that every group agrees (or disagrees) with
significantly; it is ranked by the group-aware consensus ∏_g pa_g (Polis `group-aware-consensus`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from madang.solvers.opinion.matrix import VoteMatrix

Z_ONE_SIDED = {0.8: 0.8416, 0.85: 1.0364, 0.9: 1.2816, 0.95: 1.6449, 0.975: 1.96, 0.99: 2.3263}


@dataclass(frozen=True)
class StatementStat:
    statement: int
    direction: str  # "agree" or "disagree"
    n_seen: int  # group members who saw it (passes included)
    n_success: int  # ... who voted in ``direction``
    probability: float  # pa or pd, with pseudo-counts
    z: float  # pat or pdt
    ratio: float  # ra or rd: probability in the group over probability outside it
    z_ratio: float  # rat or rdt
    probability_rest: float
    metric: float  # ratio · z_ratio · probability · z


@dataclass(frozen=True)
class ConsensusStat:
    statement: int
    direction: str
    group_aware: float  # ∏_g probability_g
    probabilities: tuple[float, ...]  # per group
    z: tuple[float, ...]  # per group
    n_seen: int
    n_success: int


def z_for(confidence: float) -> float:
    if confidence in Z_ONE_SIDED:
        return Z_ONE_SIDED[confidence]
    from statistics import NormalDist

    return NormalDist().inv_cdf(confidence)


def group_counts(votes: VoteMatrix, labels: np.ndarray, n_groups: int) -> np.ndarray:
    """counts[g, j, t] for t = seen, agree, disagree; participants with label -1 are left out.

    One bincount per chunk over the code (group · n_statements + statement) · 3 + (vote + 1), which
    counts disagree, pass and agree at once, so no per-kind masked copies of the votes are made."""
    m = votes.n_statements
    size = n_groups * m * 3
    tally = np.zeros(size, dtype=np.int64)
    step = 1 << 18
    for a in range(0, votes.n_participants, step):
        b = min(a + step, votes.n_participants)
        lo, hi = votes.indptr[a], votes.indptr[b]
        lab = np.repeat(labels[a:b], np.diff(votes.indptr[a : b + 1]))
        keep = lab >= 0
        code = lab[keep].astype(np.int64)
        code *= m
        code += votes.indices[lo:hi][keep]
        code *= 3
        code += votes.values[lo:hi][keep] + 1
        tally += np.bincount(code, minlength=size)
    by_kind = tally.reshape(n_groups, m, 3)  # [..., 0] disagree, 1 pass, 2 agree
    out = np.empty((n_groups, m, 3), dtype=np.int64)
    out[:, :, 0] = by_kind.sum(axis=2)
    out[:, :, 1] = by_kind[:, :, 2]
    out[:, :, 2] = by_kind[:, :, 0]
    return out


def prop_z(success: np.ndarray, n: np.ndarray) -> np.ndarray:
    return 2.0 * np.sqrt(n + 1.0) * ((success + 1.0) / (n + 1.0) - 0.5)


def two_prop_z(s1: np.ndarray, n1: np.ndarray, s2: np.ndarray, n2: np.ndarray) -> np.ndarray:
    s1, n1, s2, n2 = s1 + 1.0, n1 + 1.0, s2 + 1.0, n2 + 1.0
    pooled = (s1 + s2) / (n1 + n2)
    se = np.sqrt(pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2))
    return np.divide(s1 / n1 - s2 / n2, se, out=np.zeros_like(se), where=se > 0)


def representative(
    counts: np.ndarray, active: np.ndarray, *, confidence: float = 0.9, pick_max: int = 5
) -> list[list[StatementStat]]:
    z_crit = z_for(confidence)
    total = counts.sum(axis=0)
    result = []
    for g in range(counts.shape[0]):
        n, rest_n = counts[g, :, 0].astype(float), (total[:, 0] - counts[g, :, 0]).astype(float)
        cands: list[StatementStat] = []
        for t, direction in ((1, "agree"), (2, "disagree")):
            s = counts[g, :, t].astype(float)
            s_rest = (total[:, t] - counts[g, :, t]).astype(float)
            p = (s + 1.0) / (n + 2.0)
            p_rest = (s_rest + 1.0) / (rest_n + 2.0)
            z = prop_z(s, n)
            ratio = p / p_rest
            z_ratio = two_prop_z(s, n, s_rest, rest_n)
            ok = active & (z > z_crit) & (z_ratio > z_crit) & (n > 0)
            metric = ratio * z_ratio * p * z
            for j in np.flatnonzero(ok):
                cands.append(
                    StatementStat(
                        int(j),
                        direction,
                        int(n[j]),
                        int(s[j]),
                        float(p[j]),
                        float(z[j]),
                        float(ratio[j]),
                        float(z_ratio[j]),
                        float(p_rest[j]),
                        float(metric[j]),
                    )
                )
        # A statement passing in both directions cannot happen (pa + pd <= 1), so no de-duplication.
        cands.sort(key=lambda c: (-c.metric, c.statement))
        result.append(cands[:pick_max])
    return result


def consensus(
    counts: np.ndarray, active: np.ndarray, *, confidence: float = 0.9, pick_max: int = 5
) -> dict[str, list[ConsensusStat]]:
    z_crit = z_for(confidence)
    n = counts[:, :, 0].astype(float)
    out: dict[str, list[ConsensusStat]] = {}
    for t, direction in ((1, "agree"), (2, "disagree")):
        s = counts[:, :, t].astype(float)
        p = (s + 1.0) / (n + 2.0)
        z = prop_z(s, n)
        gac = np.prod(p, axis=0)
        ok = active & np.all((p > 0.5) & (z > z_crit), axis=0)
        picks = sorted(np.flatnonzero(ok), key=lambda j: (-gac[j], j))[:pick_max]
        out[direction] = [
            ConsensusStat(
                int(j),
                direction,
                float(gac[j]),
                tuple(float(v) for v in p[:, j]),
                tuple(float(v) for v in z[:, j]),
                int(n[:, j].sum()),
                int(s[:, j].sum()),
            )
            for j in picks
        ]
    return out


def group_aware_consensus(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n = counts[:, :, 0].astype(float)
    return (
        np.prod((counts[:, :, 1] + 1.0) / (n + 2.0), axis=0),
        np.prod((counts[:, :, 2] + 1.0) / (n + 2.0), axis=0),
    )
