"""Zero-repeat skeletons and the relabelling search that fits people onto them.

Skeleton for T tables when q = T - 1 is a prime power and R <= (q + 1) / 2 (the World Cafe case:
12 tables, about 120 people, 6 rounds, from AG(2, 11)): round k uses the q lines of slope class
k, each minus its point on a transversal line l_k of another class; the removed points form
table T. All l_k pass through one point P, so dropping P leaves q^2 - 1 people at T tables of
q - 1; up to q more people can be dropped along a line parallel to l_0 (they are never together,
so every table loses at most one). Two lines share at most one point, hence no pair repeats.

Relabelling: any bijection people -> points keeps zero repeats, so the rules and the diversity
are optimised over bijections only. With A the "ever at one table" graph of the points and
D[p, q] the weight between the people on points p and q (diversity, minus a large penalty for
cannot-link pairs), swapping the people on p and q changes sum A * D / 2 by
G[p, q] + G[q, p] - G[p, p] - G[q, q] + 2 A[p, q] D[p, q] with G = A @ D (the 2-exchange delta of
the quadratic assignment problem, Burkard et al., "Assignment Problems", SIAM 2009, sec. 7.2),
scored for all pairs at once. Hosts are placed first on points that are pairwise never together.
"""

from __future__ import annotations

import random
import time

import numpy as np
import numpy.typing as npt

from madang.solvers.rotation.designs import GF, _prime_power

Skeleton = list[list[list[int]]]


class AffineLayout:
    """The points of AG(2, q) that the skeleton keeps, and the lines through them.

    Points (x, y) are numbered x*q + y; slope class m < q holds the lines y = m x + c, class q
    the lines x = c. `keep` lists the kept points in skeleton order (person k of a skeleton sits
    on point keep[k]); the skeleton's round k uses class k with the transversal line through P = (0, 0)
    of class rounds + k.
    """

    def __init__(self, q: int, people: int, rounds: int) -> None:
        self.q = q
        self.f = GF(q)
        f = self.f
        self.neg = {a: next(b for b in range(q) if f.add(a, b) == 0) for a in range(q)}
        self.pts = [(x, y) for x in range(q) for y in range(q)]
        self.p0 = (0, 0)
        drop_extra = q * q - 1 - people
        # the point set to drop: P itself (unless people = q^2) and `drop_extra` points on the line of
        # class `rounds` (the class of l_0) through (1, 0), which is parallel to l_0 and misses P
        drop: set[tuple[int, int]] = set()
        if drop_extra >= 0:
            drop.add(self.p0)
            m0 = rounds
            target = self.line_of((1, 0), m0)
            cands = [p for p in self.pts if self.line_of(p, m0) == target and p != self.p0]
            drop.update(cands[:drop_extra])
        self.keep = [p for p in self.pts if p not in drop]

    def line_of(self, point: tuple[int, int], m: int) -> int:
        """The index (0..q-1) of the line of class m through the point."""
        x, y = point
        return x if m == self.q else self.f.add(y, self.neg[self.f.mul(m, x)])

    def skeleton_round(self, k: int, rounds: int) -> list[int]:
        """Table of each kept point in round k of the skeleton for `rounds` rounds: the lines of
        class k, with the line of class rounds + k through P as the extra table."""
        return self.round_tables(self.keep, k, (rounds + k, self.line_of(self.p0, rounds + k)))

    def round_tables(self, points: list[tuple[int, int]], m: int, transversal: tuple[int, int]) -> list[int]:
        """Table of each point in the round of class m whose extra table q is the line `transversal`
        = (class, index): its points leave their class-m lines for table q."""
        c, i = transversal
        return [self.q if self.line_of(p, c) == i else self.line_of(p, m) for p in points]


def ag_layout(people: int, tables: int, rounds: int) -> AffineLayout | None:
    q = tables - 1
    if q < 2 or _prime_power(q) is None or rounds > (q + 1) // 2:
        return None
    if not -1 <= q * q - 1 - people <= q:
        return None
    return AffineLayout(q, people, rounds)


def ag_transversal(people: int, tables: int, rounds: int) -> Skeleton | None:
    lay = ag_layout(people, tables, rounds)
    if lay is None:
        return None
    plan: Skeleton = []
    for k in range(rounds):
        where = lay.skeleton_round(k, rounds)
        tabs: list[list[int]] = [[] for _ in range(tables)]
        for idx, t in enumerate(where):
            tabs[t].append(idx)
        plan.append([sorted(t) for t in tabs])
    return plan


def adjacency(skeleton: Skeleton, n: int) -> npt.NDArray[np.float64]:
    a = np.zeros((n, n))
    for rd in skeleton:
        for t in rd:
            idx = np.array(t, dtype=np.int64)
            a[np.ix_(idx, idx)] = 1.0
    np.fill_diagonal(a, 0.0)
    return a


def place_hosts(
    skeleton: Skeleton, hosts: dict[int, int], a: npt.NDArray[np.float64], rng: random.Random
) -> dict[int, int] | None:
    """Points for hosts, pairwise never at one table (random greedy independent set)."""
    n = a.shape[0]
    for _ in range(200):
        order = list(range(n))
        rng.shuffle(order)
        chosen: list[int] = []
        for p in order:
            if all(a[p, c] == 0 for c in chosen):
                chosen.append(p)
                if len(chosen) == len(hosts):
                    return dict(zip(hosts, chosen, strict=True))
    return None


MIN_ITERATIONS = 300


def relabel(
    a: npt.NDArray[np.float64],
    weight: npt.NDArray[np.float64],
    fixed: dict[int, int],
    seconds: float,
    rng: random.Random,
) -> npt.NDArray[np.int64]:
    """Maximise sum over adjacent points of weight[person(p), person(q)]: returns person per point.

    Tabu search over 2-exchanges of the people on two points; `fixed` maps person -> point.
    """
    n = a.shape[0]
    deadline = time.perf_counter() + seconds
    others = [u for u in range(n) if u not in fixed]
    free_pts = [p for p in range(n) if p not in fixed.values()]
    rng.shuffle(others)
    perm = np.zeros(n, dtype=np.int64)  # perm[point] = person
    for u, p in fixed.items():
        perm[p] = u
    perm[free_pts] = others
    movable = np.ones(n, dtype=bool)
    movable[list(fixed.values())] = False
    pair_ok = movable[:, None] & movable[None, :]
    np.fill_diagonal(pair_ok, False)

    def value(pm: npt.NDArray[np.int64]) -> float:
        return float((a * weight[np.ix_(pm, pm)]).sum() / 2.0)

    f = value(perm)
    best, best_f = perm.copy(), f
    tabu = np.zeros(n, dtype=np.int64)
    tenure = max(3, n // 20)
    it = 0
    stale = 0
    # At least MIN_ITERATIONS exchanges whatever the clock says: on a busy machine a short limit
    # must still leave time to pull every cannot-link pair apart (each costs a few exchanges).
    while (it < MIN_ITERATIONS or time.perf_counter() < deadline) and stale < 400:
        it += 1
        d = weight[np.ix_(perm, perm)]
        g = a @ d
        gd = np.diag(g)
        delta = g + g.T - gd[:, None] - gd[None, :] + 2.0 * a * d
        ok = pair_ok & (((tabu[:, None] <= it) & (tabu[None, :] <= it)) | (delta > best_f - f + 1e-9))
        delta = np.where(ok, delta, -np.inf)
        k = int(np.argmax(delta))
        p, q = divmod(k, n)
        if not np.isfinite(delta[p, q]):
            break
        perm[p], perm[q] = perm[q], perm[p]
        f += float(delta[p, q])
        tabu[p] = tabu[q] = it + tenure + rng.randrange(tenure)
        if f > best_f + 1e-9:
            best, best_f, stale = perm.copy(), f, 0
        else:
            stale += 1
    return best


def label_tables(
    skeleton: Skeleton, perm: npt.NDArray[np.int64], host_points: dict[int, int], hosts: dict[int, int]
) -> list[list[list[int]]]:
    """People per table per round, tables numbered so each host sits at their own table."""
    out = []
    for rd in skeleton:
        tables = len(rd)
        label = [-1] * tables
        taken: set[int] = set()
        for h, p in host_points.items():
            for t, members in enumerate(rd):
                if p in members:
                    label[t] = hosts[h]
                    taken.add(hosts[h])
        rest = iter(t for t in range(tables) if t not in taken)
        label = [lab if lab >= 0 else next(rest) for lab in label]
        new: list[list[int]] = [[] for _ in range(tables)]
        for t, members in enumerate(rd):
            new[label[t]] = sorted(int(perm[p]) for p in members)
        out.append(new)
    return out
