"""The opinion-map pipeline and the next-statement chooser."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from madang.solvers.opinion.cluster import (
    add_farthest,
    assign,
    distinct_sorted,
    first_distinct,
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
    method: str = "polis",
) -> OpinionMap:
    """Run Polis's pipeline on ``votes``; pass the last map as ``previous`` to warm-start after new votes.

    Steps (Small et al. 2021; Polis math, `math/src/polismath/math/conversation.clj` and `clusters.clj`;
    red-dwarf's documentation of it):

    1. moderated-out statements are zeroed for everyone (they still count in the participant scaling,
       as in Polis and red-dwarf);
    2. PCA of the mean-imputed votes, each participant's projection scaled by
       sqrt(n_statements / n_votes) (see :mod:`.pca`);
    3. participants with at least ``min(min_votes, n_statements)`` votes (moderated ones included, as
       Polis counts them) are clustered, by one of two methods:

       ``method="polis"`` (the default: it agrees best with the groups Polis published, see
       bench/opinion.md) is Polis's two-level clustering. ``n_base`` base clusters by k-means over the
       participants, started from the first distinct participants in matrix order (or from the
       previous map's base centres, grown by the farthest participants), at most 100 iterations; then
       for each k from ``k_range`` up to 2 + n_base / 12, weighted k-means over the base centres
       (weights: their sizes) started from the first k distinct base centres (or the previous map's
       group centres), at most 20 iterations, unless one of ``n_init`` k-means++ restarts finds less
       than half its sum of squares (Madang's safeguard against a start that puts two centres in one
       group); the silhouette is taken over the base centres, one vote
       each, and every participant joins the group of their base cluster. If fewer than 15 people
       pass the vote threshold, the ones with most votes are added up to 15, as in Polis.

       ``method="red-dwarf"`` reproduces red-dwarf 0.4.0's groups (ARI 1.000 on the published Polis
       conversations): ``n_base`` base clusters by k-means; for each k in ``k_range`` weighted
       k-means over the base centres from ``n_init`` seeds (and the previous map's centres) gives
       candidate starts, Lloyd's algorithm runs on the participants from each candidate and from the
       first k distinct points, and the lowest within-group sum of squares wins. Above
       ``large_limit`` participants the candidates are compared on a 128 × 128 grid summary of the
       projections, and only the best one is finished on the participants; the k with the best
       silhouette over the participants is chosen (exact up to ``exact_silhouette_limit``
       participants, else ``silhouette_sample`` random participants scored against
       ``silhouette_reference`` random ones).

       In both, above ``large_limit`` participants the base clusters come from mini-batch k-means,
       and silhouette ties go to the smaller k;
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
    if method not in METHODS:
        raise OpinionError(f"method must be one of {', '.join(METHODS)}")
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
    if method == "polis" and members.size < POLIS_GREEDY:
        # Polis clusters at least 15 people: the most active voters below the threshold fill the gap.
        voted = np.flatnonzero(per_person > 0)
        order = voted[np.lexsort((voted, -per_person[voted]))]
        members = np.sort(order[:POLIS_GREEDY]) if voted.size > members.size else members
    if members.size < 2:
        raise OpinionError(f"fewer than 2 participants have voted on {threshold} statements")
    x = np.ascontiguousarray(pca.projection[members, :2])
    n = members.size
    large = n > large_limit
    if method == "polis":
        cl = _polis_groups(x, (lo_k, hi_k), n_base, n_init, large, rng, previous)
    else:
        sampling = (exact_silhouette_limit, silhouette_sample, silhouette_reference)
        cl = _red_dwarf_groups(x, (lo_k, hi_k), n_base, n_init, large, rng, previous, sampling)
    base_centers, base_lab, fits, sil_by_k, inertia_by_k, t_base = cl
    if not fits:  # a single group
        fits[1] = (
            x.mean(axis=0, keepdims=True),
            np.zeros(n if method == "red-dwarf" else base_centers.shape[0], np.int32),
        )
        sil_by_k = {1: 0.0}
    best_k = max(sil_by_k, key=lambda kk: (sil_by_k[kk], -kk))
    centers_k, lab_k = fits[best_k]
    group_centers = np.zeros((best_k, 2))
    if method == "red-dwarf":
        rank = _size_rank(np.bincount(lab_k, minlength=best_k).astype(np.float64), best_k)
        member_labels = rank[lab_k]
        group_centers[rank] = centers_k
        g_of_b = assign(base_centers, group_centers)[0]
    else:
        bw = np.bincount(base_lab, minlength=base_centers.shape[0]).astype(np.float64)
        rank = _size_rank(np.bincount(lab_k, weights=bw, minlength=best_k), best_k)
        g_of_b = rank[lab_k]
        member_labels = g_of_b[base_lab]
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


METHODS = ("polis", "red-dwarf")
POLIS_GREEDY = 15  # Polis clusters at least this many people (`in-conv`, greedy-n)
POLIS_BASE_ITERS = 100  # Polis's base-iters
# Polis's group k-means is configured with group-iters 100, but under a key its k-means does not read,
# so its default of 20 iterations applies; 20 is what produced the published groups.
POLIS_GROUP_ITERS = 20
POLIS_RESTART_GAIN = 2.0  # a restart replaces Polis's start only if its sum of squares is less than half

Fit = tuple[np.ndarray, np.ndarray, dict[int, tuple[np.ndarray, np.ndarray]], dict[int, float], dict[int, float], float]


def _drop_empty(centers: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Remove base clusters nobody joined, renumbering the rest in their order."""
    keep = np.bincount(labels, minlength=centers.shape[0]) > 0
    if keep.all():
        return centers, labels
    remap = np.cumsum(keep) - 1
    return centers[keep], remap[labels].astype(np.int32)


def _polis_groups(
    x: np.ndarray,
    k_range: tuple[int, int],
    n_base: int,
    n_init: int,
    large: bool,
    rng: np.random.Generator,
    previous: OpinionMap | None,
) -> Fit:
    """Polis's two-level clustering: base clusters over the participants, groups over the base centres.

    Returns base centres, each participant's base cluster, {k: (group centres, group of each base
    cluster)}, the silhouette over the base centres and the weighted sum of squares for each k, and the
    time the base clusters were done."""
    nb = max(1, min(n_base, distinct_sorted(x).shape[0]))
    prev_base = None if previous is None or previous.base_centers.size == 0 else previous.base_centers
    # A new map starts from the first distinct participants; a refresh carries the last base centres
    # over and adds the farthest participants until there are nb of them (Polis's clean-start).
    init = first_distinct(x, nb) if prev_base is None else add_farthest(x, prev_base, nb)
    if large:
        base_centers = minibatch_kmeans(x, init.shape[0], rng, init=init)
        base_lab, _ = assign(x, base_centers)
    else:
        base_centers, base_lab, _, _ = lloyd(x, None, init, max_iter=POLIS_BASE_ITERS)
    base_centers, base_lab = _drop_empty(base_centers, base_lab)
    bw = np.bincount(base_lab).astype(np.float64)
    t_base = time.perf_counter()

    n_bases = base_centers.shape[0]
    lo_k, hi_k = k_range
    hi_k = min(hi_k, 2 + n_bases // 12)  # Polis's max-k-fn
    prev_g = None if previous is None else previous.group_centers
    fits: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    inertia_by_k: dict[int, float] = {}
    n_distinct_bases = distinct_sorted(base_centers).shape[0]
    for k in range(max(lo_k, 2), hi_k + 1):
        if k > n_distinct_bases:
            break
        c0 = prev_g if prev_g is not None and prev_g.shape == (k, 2) else first_distinct(base_centers, k)
        c, lab, inertia, _ = lloyd(base_centers, bw, c0, max_iter=POLIS_GROUP_ITERS)
        # Madang's one departure: a single start can put two centres in one group and leave two groups
        # under one centre. Polis's warm starts over a conversation's history mostly avoid that; a map
        # computed at once does not. When k-means++ restarts find less than half the sum of squares, the
        # best of them is kept. On the four published conversations the ratio is at most 1.3, so their
        # groups are Polis's start's; on planted groups the bad optima are 2.9-3.9 times worse.
        for _ in range(n_init):
            rc, rlab, rin, _ = lloyd(base_centers, bw, kmeans_pp(base_centers, bw, k, rng), max_iter=POLIS_GROUP_ITERS)
            if rin * POLIS_RESTART_GAIN < inertia:
                c, lab, inertia = rc, rlab, rin
        fits[k] = (c, lab)
        inertia_by_k[k] = inertia
    ks = sorted(fits)
    # Polis's silhouette is over the base centres, each counted once whatever its size.
    sil_by_k = dict(zip(ks, silhouettes(base_centers, [fits[k][1] for k in ks]), strict=True)) if ks else {}
    return base_centers, base_lab, fits, sil_by_k, inertia_by_k, t_base


def _red_dwarf_groups(
    x: np.ndarray,
    k_range: tuple[int, int],
    n_base: int,
    n_init: int,
    large: bool,
    rng: np.random.Generator,
    previous: OpinionMap | None,
    sampling: tuple[int, int, int],
) -> Fit:
    """red-dwarf's groups: k-means on the participants themselves, the lowest sum of squares found from
    several starts (the base level supplies them), k by the silhouette over the participants.

    Returns what :func:`_polis_groups` does, with groups given per participant rather than per base
    cluster."""
    n = x.shape[0]
    exact_silhouette_limit, silhouette_sample, silhouette_reference = sampling
    distinct_pts = distinct_sorted(x)
    nb = max(1, min(n_base, distinct_pts.shape[0]))
    prev_base = None if previous is None else previous.base_centers
    warm_base = prev_base if prev_base is not None and prev_base.shape == (nb, 2) else None
    if large:
        base_centers = minibatch_kmeans(x, nb, rng, init=warm_base)
        base_lab, _ = assign(x, base_centers)
    else:
        base_init = warm_base if warm_base is not None else kmeans_pp(x, np.ones(n), nb, rng)
        base_centers, base_lab, _, _ = lloyd(x, None, base_init, max_iter=20)
    base_centers, base_lab = _drop_empty(base_centers, base_lab)
    bw = np.bincount(base_lab).astype(np.float64)
    t_base = time.perf_counter()

    lo_k, hi_k = k_range
    prev_g = None if previous is None else previous.group_centers
    n_cand = 3
    coreset = grid_coreset(x) if large else None
    fits: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # k -> (centres, labels of participants)
    inertia_by_k: dict[int, float] = {}
    for k in range(lo_k, hi_k + 1):
        if k > base_centers.shape[0] or k > distinct_pts.shape[0]:
            break
        # Base-level starts: the previous map's centres, the first k distinct participants (the seedless
        # start red-dwarf uses) and n_init k-means++ seedings; the best few distinct optima go on.
        base_starts = [distinct_pts[:k]] + ([prev_g] if prev_g is not None else [])
        sols = kmeans_solutions(base_centers, bw, k, rng, n_init, base_starts)
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
    elif n <= exact_silhouette_limit:
        sil_by_k = dict(zip(ks, silhouettes(x, [fits[k][1] for k in ks]), strict=True))
    else:
        score = rng.choice(n, size=min(n, silhouette_sample), replace=False)
        ref = rng.choice(n, size=silhouette_reference, replace=False) if n > silhouette_reference else None
        sils = silhouettes(x, [fits[k][1] for k in ks], score=score, reference=ref)
        sil_by_k = dict(zip(ks, sils, strict=True))
    return base_centers, base_lab, fits, sil_by_k, inertia_by_k, t_base


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
