"""The opinion-map pipeline and the next-statement chooser."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from madang.solvers.opinion.cluster import (
    assign,
    distinct_sorted,
    grid_coreset,
    kmeans_pp,
    kmeans_solutions,
    lloyd,
    minibatch_kmeans,
    silhouettes,
)
from madang.solvers.opinion.matrix import OpinionError, VoteMatrix
from madang.solvers.opinion.pca import fit_pca
from madang.solvers.opinion.stats import (
    ConsensusStat,
    StatementStat,
    consensus,
    group_aware_consensus,
    group_counts,
    representative,
)


@dataclass(frozen=True)
class Group:
    id: int
    size: int
    center: tuple[float, float]
    representative: tuple[StatementStat, ...]


@dataclass(frozen=True)
class OpinionMap:
    """Everything a page needs to draw the map, plus the state a refresh warm-starts from."""

    projection: np.ndarray  # (n_participants, 2): every participant, clustered or not
    labels: np.ndarray  # (n_participants,) group id, -1 for people with too few votes
    groups: tuple[Group, ...]
    consensus_agree: tuple[ConsensusStat, ...]
    consensus_disagree: tuple[ConsensusStat, ...]
    k: int
    silhouette: float
    silhouette_by_k: dict[int, float]
    # state and per-statement data
    components: np.ndarray  # (2, n_statements)
    center: np.ndarray  # (n_statements,)
    variance: np.ndarray  # (2,)
    base_centers: np.ndarray  # (n_base, 2)
    base_labels: np.ndarray  # (n_participants,) base cluster, -1 when not clustered
    group_of_base: np.ndarray  # (n_base,)
    group_centers: np.ndarray  # (k, 2)
    n_seen: np.ndarray  # (n_statements,) votes including passes
    n_agree: np.ndarray
    n_disagree: np.ndarray
    gac_agree: np.ndarray  # group-aware consensus, per statement
    gac_disagree: np.ndarray
    active: np.ndarray  # statements not moderated out
    pca_iterations: int
    seconds: dict[str, float] = field(default_factory=dict)
    inertia_by_k: dict[int, float] = field(default_factory=dict)  # within-group sum of squares per k


def opinion_map(
    votes: VoteMatrix,
    *,
    seed: int = 0,
    excluded_statements: list[int] | tuple[int, ...] | np.ndarray = (),
    min_votes: int = 7,
    n_base: int = 100,
    k_range: tuple[int, int] = (2, 5),
    n_init: int = 10,
    exact_silhouette_limit: int = 6000,
    silhouette_sample: int = 2000,
    silhouette_reference: int = 10_000,
    large_limit: int = 10_000,
    confidence: float = 0.9,
    pick_max: int = 5,
    previous: OpinionMap | None = None,
    pca_method: str = "auto",
    refine: bool = True,
) -> OpinionMap:
    """Run Polis's pipeline on ``votes``; pass the last map as ``previous`` to warm-start after new votes.

    Steps (Small et al. 2021; Polis math; red-dwarf's documentation of it):

    1. moderated-out statements are zeroed for everyone (they still count in the participant scaling,
       as in Polis and red-dwarf);
    2. PCA of the mean-imputed votes, each participant's projection scaled by
       sqrt(n_statements / n_votes) (see :mod:`.pca`);
    3. participants with at least ``min(min_votes, n_statements)`` votes (moderated ones included, as
       Polis counts them) are clustered: ``n_base`` base clusters by k-means; for each k in
       ``k_range`` weighted k-means over the base centres from ``n_init`` seeds (and the previous
       map's centres) gives candidate starts, Lloyd's algorithm runs on the participants from each
       candidate and from the first k distinct points, and the lowest within-group sum of squares
       wins. Above ``large_limit`` participants the base clusters come from mini-batch k-means, the
       candidates are compared on a 128 × 128 grid summary of the projections, and only the best one
       is finished on the participants; the k with the best silhouette over the
       participants is chosen (exact up to ``exact_silhouette_limit`` participants, else ``silhouette_sample``
       random participants scored against ``silhouette_reference`` random ones); ties go to the smaller k.
       With ``refine=False`` the groups stay at the base level as in Polis's own two-level output
       (silhouette over the weighted base centres);
    4. representativeness per group and consensus across groups (see :mod:`.stats`).
    """
    t0 = time.perf_counter()
    if not isinstance(votes, VoteMatrix):
        raise OpinionError("votes must be a VoteMatrix (see VoteMatrix.from_votes)")
    if votes.n_votes == 0:
        raise OpinionError("there are no votes yet")
    lo_k, hi_k = k_range
    if lo_k < 1 or hi_k < lo_k:
        raise OpinionError("k_range must be (low, high) with 1 <= low <= high")
    m = votes.n_statements
    active = np.ones(m, dtype=bool)
    excl = np.asarray(excluded_statements, dtype=np.int64)
    if excl.size:
        if excl.min() < 0 or excl.max() >= m:
            raise OpinionError("an excluded statement is outside the conversation")
        active[excl] = False
    if not active.any():
        raise OpinionError("every statement is excluded")
    rng = np.random.default_rng(seed)
    per_person = votes.votes_per_participant()
    if active.all():
        active_votes = per_person
    else:
        csum = np.zeros(votes.n_votes + 1, dtype=np.int64)
        np.cumsum(active[votes.indices], out=csum[1:])
        active_votes = csum[votes.indptr[1:]] - csum[votes.indptr[:-1]]
    n_excl = int((~active).sum())
    # Polis zeroes moderated columns for everyone, so they count as seen in sqrt(n_statements / n_votes).
    scale_votes = active_votes + n_excl

    warm = None if previous is None else previous.components
    pca = fit_pca(
        votes, active=active, n_votes_for_scale=scale_votes, warm=warm, seed=int(rng.integers(2**31)), method=pca_method
    )
    t_pca = time.perf_counter()

    threshold = min(min_votes, m)
    members = np.flatnonzero(per_person >= threshold)
    if members.size < 2:
        raise OpinionError(f"fewer than 2 participants have voted on {threshold} statements")
    x = np.ascontiguousarray(pca.projection[members, :2])
    n = members.size
    distinct_pts = distinct_sorted(x)
    nb = max(1, min(n_base, distinct_pts.shape[0]))
    prev_base = None if previous is None else previous.base_centers
    warm_base = prev_base if prev_base is not None and prev_base.shape == (nb, 2) else None
    large = n > large_limit
    if large:
        base_centers = minibatch_kmeans(x, nb, rng, init=warm_base)
        base_lab, _ = assign(x, base_centers)
    else:
        base_init = warm_base if warm_base is not None else kmeans_pp(x, np.ones(n), nb, rng)
        base_centers, base_lab, _, _ = lloyd(x, None, base_init, max_iter=20)
    counts_b = np.bincount(base_lab, minlength=base_centers.shape[0])
    keep = counts_b > 0
    if not keep.all():  # drop empty base clusters and renumber
        remap = np.cumsum(keep) - 1
        base_centers, base_lab = base_centers[keep], remap[base_lab].astype(np.int32)
    bw = np.bincount(base_lab).astype(np.float64)
    t_base = time.perf_counter()

    prev_g = None if previous is None else previous.group_centers
    n_cand = 3
    coreset = grid_coreset(x) if large and refine else None
    fits: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # k -> (centres, labels of participants or bases)
    inertia_by_k: dict[int, float] = {}
    for k in range(lo_k, hi_k + 1):
        if k > base_centers.shape[0] or k > distinct_pts.shape[0]:
            break
        # Base-level starts: the previous map's centres, the first k distinct participants (the seedless
        # start red-dwarf uses) and n_init k-means++ seedings; the best few distinct optima go on.
        base_starts = [distinct_pts[:k]] + ([prev_g] if prev_g is not None else [])
        sols = kmeans_solutions(base_centers, bw, k, rng, n_init, base_starts)
        if not refine:
            fits[k] = (sols[0][0], sols[0][1])
            inertia_by_k[k] = sols[0][2]
            continue
        starts = [c for c, _, _ in sols[:n_cand]]
        if coreset is not None:
            on_grid = [lloyd(coreset[0], coreset[1], c0) for c0 in starts]
            starts = [min(on_grid, key=lambda r: r[2])[0]]
        best: tuple[np.ndarray, np.ndarray, float] | None = None
        for c0 in starts:
            c, lab, inertia, _ = lloyd(x, None, c0)
            if best is None or inertia < best[2] * (1 - 1e-12):
                best = (c, lab, inertia)
        assert best is not None
        fits[k] = (best[0], best[1])
        inertia_by_k[k] = best[2]
    ks = sorted(fits)
    if len(ks) == 1 and ks[0] == 1:
        sil_by_k = {1: 0.0}
    elif not refine:
        sil_by_k = dict(zip(ks, silhouettes(base_centers, [fits[k][1] for k in ks], bw), strict=True))
    elif n <= exact_silhouette_limit:
        sil_by_k = dict(zip(ks, silhouettes(x, [fits[k][1] for k in ks]), strict=True))
    else:
        score = rng.choice(n, size=min(n, silhouette_sample), replace=False)
        ref = rng.choice(n, size=silhouette_reference, replace=False) if n > silhouette_reference else None
        sils = silhouettes(x, [fits[k][1] for k in ks], score=score, reference=ref)
        sil_by_k = dict(zip(ks, sils, strict=True))
    if not fits:
        fits[1] = (x.mean(axis=0, keepdims=True), np.zeros(n, dtype=np.int32))
        sil_by_k = {1: 0.0}
    best_k = max(sil_by_k, key=lambda kk: (sil_by_k[kk], -kk))
    centers_k, lab_k = fits[best_k]
    if refine:
        rank = _size_rank(np.bincount(lab_k, minlength=best_k).astype(np.float64), best_k)
        member_labels = rank[lab_k]
        group_centers = np.zeros((best_k, 2))
        group_centers[rank] = centers_k
        g_of_b = assign(base_centers, group_centers)[0]
    else:
        rank = _size_rank(np.bincount(lab_k, weights=bw, minlength=best_k), best_k)
        g_of_b = rank[lab_k]
        member_labels = g_of_b[base_lab]
        group_centers = np.zeros((best_k, 2))
        group_centers[rank] = centers_k
    labels = np.full(votes.n_participants, -1, dtype=np.int32)
    labels[members] = member_labels
    base_labels = np.full(votes.n_participants, -1, dtype=np.int32)
    base_labels[members] = base_lab
    t_groups = time.perf_counter()

    counts = group_counts(votes, labels, best_k)
    reps = representative(counts, active, confidence=confidence, pick_max=pick_max)
    cons = consensus(counts, active, confidence=confidence, pick_max=pick_max)
    gac_a, gac_d = group_aware_consensus(counts)
    seen, agree, disagree = votes.column_counts()
    sizes = np.bincount(member_labels, minlength=best_k)
    groups = tuple(
        Group(g, int(sizes[g]), (float(group_centers[g, 0]), float(group_centers[g, 1])), tuple(reps[g]))
        for g in range(best_k)
    )
    t_end = time.perf_counter()
    return OpinionMap(
        projection=pca.projection[:, :2],
        labels=labels,
        groups=groups,
        consensus_agree=tuple(cons["agree"]),
        consensus_disagree=tuple(cons["disagree"]),
        k=best_k,
        silhouette=sil_by_k[best_k],
        silhouette_by_k=sil_by_k,
        components=pca.components,
        center=pca.center,
        variance=pca.variance,
        base_centers=base_centers,
        base_labels=base_labels,
        group_of_base=g_of_b,
        group_centers=group_centers,
        n_seen=seen,
        n_agree=agree,
        n_disagree=disagree,
        gac_agree=gac_a,
        gac_disagree=gac_d,
        active=active,
        pca_iterations=pca.iterations,
        seconds={
            "pca": t_pca - t0,
            "base_clusters": t_base - t_pca,
            "groups": t_groups - t_base,
            "statistics": t_end - t_groups,
            "total": t_end - t0,
        },
        inertia_by_k=inertia_by_k,
    )


def _size_rank(size: np.ndarray, k: int) -> np.ndarray:
    """rank[g] = new id of group g: groups numbered by size, largest first, so ids are stable across
    seeds and refreshes."""
    order = np.lexsort((np.arange(k), -size))
    rank = np.empty(k, dtype=np.int32)
    rank[order] = np.arange(k)
    return rank


def statement_priorities(result: OpinionMap) -> np.ndarray:
    """How informative showing each statement is, before removing what a voter has already seen.

    Modelled on Polis's comment priority (`math/src/polismath/math/conversation.clj`, ``priority-metric``):
    statements that load heavily on the principal components separate people; statements that most
    people pass on say little; statements with few votes get a boost that decays as votes arrive
    (1 + 8·2^(−n/5)), so a new statement is seen by enough people to be placed on the map.
    """
    load = np.sqrt(np.sum((result.components.T * np.sqrt(np.maximum(result.variance, 0.0))) ** 2, axis=1))
    load = load / load.max() if load.max() > 0 else np.ones_like(load)
    n = result.n_seen.astype(float)
    passes = n - result.n_agree - result.n_disagree
    engaged = 1.0 - (passes + 1.0) / (n + 2.0)
    novelty = 1.0 + 8.0 * np.power(2.0, -n / 5.0)
    # A small floor keeps every statement reachable, including consensus ones with no loading.
    prio = (0.05 + load) * engaged * novelty
    return np.where(result.active, prio, 0.0)


def next_statement(
    result: OpinionMap,
    seen: list[int] | np.ndarray,
    *,
    seed: int,
    n_statements: int | None = None,
    greedy: bool = False,
) -> int | None:
    """The statement to show a voter next, or None when they have seen every active one.

    Draws with probability proportional to :func:`statement_priorities` (Polis also samples, so that not
    everyone sees the same order); ``greedy`` takes the top one. Statements added after ``result`` was
    computed (``n_statements`` larger than the map) count as brand new and get the full novelty boost.
    """
    prio = statement_priorities(result)
    m = prio.shape[0] if n_statements is None else int(n_statements)
    if m < prio.shape[0]:
        raise OpinionError("n_statements is smaller than the opinion map")
    if m > prio.shape[0]:
        fresh = np.full(m - prio.shape[0], float(prio.max() if prio.size else 1.0) or 1.0)
        prio = np.concatenate([prio, fresh])
    s = np.asarray(seen, dtype=np.int64)
    if s.size and (s.min() < 0 or s.max() >= m):
        raise OpinionError("a seen statement is outside the conversation")
    prio = prio.copy()
    prio[s] = 0.0
    if not np.any(prio > 0):
        return None
    if greedy:
        return int(np.argmax(prio))
    rng = np.random.default_rng(seed)
    return int(rng.choice(m, p=prio / prio.sum()))
