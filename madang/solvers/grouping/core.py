"""Maximally diverse grouping (MDGP) by iterated tabu search.

Partition n people into G groups whose sizes lie in [lb_g, ub_g], maximising the sum over
groups of the pairwise diversities d_ij of the people in each group.

Method: the iterated tabu search of Palubeckis, Ostreika & Rubliauskas, "Maximally diverse
grouping: an iterated tabu search approach", JORS 66(4):579-592 (2015), with the two
neighbourhoods (one-move / insertion and swap) and the contribution-sum delta evaluation used by
Lai & Hao, "Iterated maxima search for the maximally diverse grouping problem", EJOR
254(3):780-800 (2016). For each person i and group g we keep C[i, g] = sum of d_ij over the
members j of g; then moving i from p to q changes the objective by C[i, q] - C[i, p], and
swapping i (in p) with j (in q) by (C[i, q] - C[i, p]) + (C[j, p] - C[j, q]) - 2 d_ij. Both
neighbourhoods are scored in full with numpy at every step (an n x G and an n x n array),
and a move updates C with two column operations.

Tabu rule: after i leaves group p, putting i back into p is tabu for a random tenure, unless it
would beat the best solution found (aspiration). When the search stalls for `depth` steps the
best solution is perturbed by random swaps and the tabu search starts again (the "iterated"
part).

Hard rules: must-link pairs are contracted into one unit whose weight is its head-count (so
group sizes count people, not units); cannot-link pairs carry a penalty larger than any
achievable diversity, so the search leaves them whenever it can and the returned solution is
checked to have none.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


# tabu tenure (t0..t1 x mean group size + t2 x n), stall depth and perturbation strength (x n),
# tuned on the RanReal n = 120 instances
_TUNE = {"depth": 4.0, "strength": 0.1, "t0": 0.5, "t1": 1.0, "t2": 0.05}


def _separate(grp: np.ndarray, w: np.ndarray, pairs: list[tuple[int, int]], max_rounds: int = 50) -> np.ndarray:
    """Min-conflicts repair: swap units of equal weight between groups (sizes stay as they
    are) while that lowers the number of cannot-link pairs sharing a group."""
    grp = grp.copy()
    apart: dict[int, set[int]] = {}
    for a, b in pairs:
        apart.setdefault(a, set()).add(b)
        apart.setdefault(b, set()).add(a)

    def conflicts(u: int, g: int) -> int:
        return sum(1 for v in apart.get(u, ()) if grp[v] == g and v != u)

    units = range(len(grp))
    for _round in range(max_rounds):
        bad = [u for u in apart if conflicts(u, int(grp[u]))]
        if not bad:
            break
        improved = False
        for u in bad:
            gu = int(grp[u])
            if not conflicts(u, gu):
                continue
            best, gain = None, 0
            for v in units:
                gv = int(grp[v])
                if gv == gu or w[v] != w[u]:
                    continue
                before = conflicts(u, gu) + conflicts(v, gv)
                grp[u], grp[v] = gv, gu
                after = conflicts(u, gv) + conflicts(v, gu)
                grp[u], grp[v] = gu, gv
                if before - after > gain:
                    best, gain = v, before - after
            if best is not None:
                gv = int(grp[best])
                grp[u], grp[best] = gv, gu
                improved = True
        if not improved:
            break
    return grp


class InfeasibleGrouping(ValueError):
    """The size bounds and hard rules admit no grouping (or none was found)."""


@dataclass(frozen=True)
class Result:
    assignment: list[int]
    objective: float
    iterations: int
    seconds: float
    restarts: int = 0


@dataclass(frozen=True)
class Check:
    objective: float
    sizes: list[int]
    violations: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.violations


def _bounds(
    groups: int | None, min_size: int | Sequence[int], max_size: int | Sequence[int]
) -> tuple[list[int], list[int]]:
    if isinstance(min_size, int) and isinstance(max_size, int):
        if groups is None:
            raise ValueError("give the number of groups or per-group size bounds")
        return [min_size] * groups, [max_size] * groups
    lb = [min_size] * len(max_size) if isinstance(min_size, int) else list(min_size)  # type: ignore[arg-type]  # both ints returned above, so max_size is a sequence when min_size is an int; mypy can't tie the two
    ub = [max_size] * len(lb) if isinstance(max_size, int) else list(max_size)
    if len(lb) != len(ub) or (groups is not None and groups != len(lb)):
        raise ValueError("size bounds must have one entry per group")
    return lb, ub


def diversity_matrix(
    people: Sequence[Sequence[Hashable | float]],
    weights: Sequence[float],
    numeric: Sequence[bool] | None = None,
) -> FloatArray:
    """d_ij = sum_k w_k * difference of people i and j on attribute k.

    A categorical attribute (organisation, central/local, region, gender, job family) differs by 1
    when the values are unequal; a numeric one (grade) by |x - y| / range. None ("not stated") is a
    category of its own: it differs by 1 from every stated value and by 0 from another None. Were it
    "no difference" from everything, a group of people who all left gender blank would score as
    well as a mixed one and the search would happily build groups entirely of them.
    """
    n = len(people)
    k = len(weights)
    numeric = list(numeric) if numeric is not None else [False] * k
    d = np.zeros((n, n))
    for a in range(k):
        col = [p[a] for p in people]
        known = np.array([v is not None for v in col])
        both = known[:, None] & known[None, :]
        if numeric[a]:
            x = np.array([float(v) if v is not None else 0.0 for v in col])  # type: ignore[arg-type]  # a numeric attribute's column: numbers or None, typed as the Hashable of every attribute value
            span = float(x[known].max() - x[known].min()) if known.any() else 0.0
            diff = np.abs(x[:, None] - x[None, :]) / span if span > 0 else np.zeros((n, n))
        else:
            codes: dict[Hashable, int] = {}
            c = np.array([codes.setdefault(v, len(codes)) for v in col])
            diff = (c[:, None] != c[None, :]).astype(float)
        one_unknown = known[:, None] != known[None, :]
        d += weights[a] * np.where(both, diff, np.where(one_unknown, 1.0, 0.0))
    np.fill_diagonal(d, 0.0)
    return d


def objective(d: Sequence[Sequence[float]] | FloatArray, assignment: Sequence[int]) -> float:
    """Sum over groups of d_ij over pairs i < j in the same group, recomputed from scratch.

    A non-symmetric d is read as its symmetric part (d + d^T) / 2, as `solve` does."""
    dm = np.asarray(d, dtype=float)
    dm = (dm + dm.T) / 2.0
    g = np.asarray(assignment)
    same = g[:, None] == g[None, :]
    return float(np.triu(np.where(same, dm, 0.0), 1).sum())


def check(
    d: Sequence[Sequence[float]] | FloatArray,
    assignment: Sequence[int],
    min_size: int | Sequence[int],
    max_size: int | Sequence[int],
    groups: int | None = None,
    cannot_link: Iterable[tuple[int, int]] = (),
    must_link: Iterable[tuple[int, int]] = (),
) -> Check:
    """Recompute the objective and list every broken rule, independently of the solver."""
    lb, ub = _bounds(groups, min_size, max_size)
    n = len(assignment)
    problems: list[str] = []
    if np.asarray(d).shape != (n, n):
        problems.append(f"assignment has {n} people but d is {np.asarray(d).shape}")
    sizes = [0] * len(lb)
    for i, g in enumerate(assignment):
        if not 0 <= g < len(lb):
            problems.append(f"person {i} in unknown group {g}")
        else:
            sizes[g] += 1
    for g, s in enumerate(sizes):
        if not lb[g] <= s <= ub[g]:
            problems.append(f"group {g} has {s} people, outside [{lb[g]}, {ub[g]}]")
    for i, j in cannot_link:
        if assignment[i] == assignment[j]:
            problems.append(f"cannot-link pair ({i}, {j}) share group {assignment[i]}")
    for i, j in must_link:
        if assignment[i] != assignment[j]:
            problems.append(f"must-link pair ({i}, {j}) split")
    value = objective(d, assignment) if np.asarray(d).shape == (n, n) else math.nan
    return Check(value, sizes, problems)


def _components(n: int, must_link: Iterable[tuple[int, int]]) -> list[int]:
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in must_link:
        parent[find(i)] = find(j)
    roots: dict[int, int] = {}
    return [roots.setdefault(find(i), len(roots)) for i in range(n)]


def _target_sizes(n: int, lb: IntArray, ub: IntArray, rng: random.Random) -> IntArray:
    """Group sizes with the most within-group pairs, sum of s(s-1)/2 (ties broken at random).

    With sizes free to vary, the objective is roughly mean(d) times the number of within-group
    pairs, so the best solutions of uneven-size instances sit at this extreme; starting there
    saves the search from having to find it one insertion at a time.
    """
    order = list(range(len(lb)))
    rng.shuffle(order)
    table: dict[int, tuple[int, list[int]]] = {0: (0, [])}
    for g in order:
        nxt: dict[int, tuple[int, list[int]]] = {}
        for tot, (val, sizes) in table.items():
            for sz in range(int(lb[g]), min(int(ub[g]), n - tot) + 1):
                cand = (val + sz * (sz - 1) // 2, [*sizes, sz])
                if tot + sz not in nxt or cand[0] > nxt[tot + sz][0]:
                    nxt[tot + sz] = cand
        table = nxt
    out = np.zeros(len(lb), dtype=np.int64)
    out[order] = table[n][1]
    return out


def _initial(w: IntArray, lb: IntArray, ub: IntArray, rng: random.Random, tight: bool) -> IntArray | None:
    """A random assignment of weighted units meeting the size bounds (first fit, heaviest first)."""
    m = len(w)
    order = list(range(m))
    rng.shuffle(order)
    order.sort(key=lambda u: -int(w[u]))
    if tight:
        target = _target_sizes(int(w.sum()), lb, ub, rng)
        lb, ub = target, target
    size = np.zeros(len(lb), dtype=np.int64)
    grp = np.full(m, -1, dtype=np.int64)
    for u in order:
        room = np.flatnonzero(size + w[u] <= ub)
        if len(room) == 0:
            return None
        deficit = lb[room] - size[room]
        needy = room[deficit > 0]
        pool = needy[deficit[deficit > 0] == deficit.max()] if len(needy) else room
        g = int(pool[rng.randrange(len(pool))])
        grp[u] = g
        size[g] += w[u]
    if np.any(size < lb):
        return None
    return grp


class _State:
    """Assignment plus the contribution sums C[i, g] and group sizes, kept in step."""

    def __init__(self, dm: FloatArray, w: IntArray, grp: IntArray, n_groups: int) -> None:
        self.d = dm
        self.w = w
        self.grp = grp.copy()
        self.n_groups = n_groups
        self.refresh()

    def refresh(self) -> None:
        onehot = np.zeros((len(self.grp), self.n_groups))
        onehot[np.arange(len(self.grp)), self.grp] = 1.0
        self.c = self.d @ onehot
        self.size = np.bincount(self.grp, weights=self.w, minlength=self.n_groups).astype(np.int64)
        self.f = float(self.c[np.arange(len(self.grp)), self.grp].sum() / 2.0)
        self.blk = np.where(self.grp[:, None] == self.grp[None, :], -math.inf, 0.0)

    def move(self, i: int, q: int) -> None:
        p = int(self.grp[i])
        self.f += float(self.c[i, q] - self.c[i, p])
        col = self.d[:, i]
        self.c[:, p] -= col
        self.c[:, q] += col
        self.size[p] -= self.w[i]
        self.size[q] += self.w[i]
        self.grp[i] = q
        row = np.where(self.grp == q, -math.inf, 0.0)
        self.blk[i, :] = row
        self.blk[:, i] = row


def _tabu_search(
    st: _State,
    lb: IntArray,
    ub: IntArray,
    deadline: float,
    rng: random.Random,
    depth: int,
    tenure: tuple[int, int],
    iter_budget: int,
    best_f: float,
) -> tuple[IntArray, float, int]:
    """One tabu search run from st; stops after `depth` steps without a new best of this run."""
    m = len(st.grp)
    ar = np.arange(m)
    d2 = 2.0 * st.d
    uniform = bool(np.all(st.w == 1))
    tabu = np.zeros((m, st.n_groups), dtype=np.int64)
    run_best_grp = st.grp.copy()
    run_best_f = st.f
    since = 0
    it = 0
    while since < depth and it < iter_budget:
        if it & 15 == 0 and time.perf_counter() > deadline:
            break
        it += 1
        grp = st.grp
        c = st.c
        own = c[ar, grp]
        a = c - own[:, None]
        target = max(best_f, run_best_f) - st.f + 1e-9
        free = tabu <= it

        best_move = -math.inf
        move: tuple[int, int, int] | None = None
        size = st.size
        can_leave = size[grp] - st.w >= lb[grp]
        if can_leave.any():
            m1 = can_leave[:, None] & (size[None, :] + st.w[:, None] <= ub[None, :])
            m1[ar, grp] = False
            score = np.where(m1 & (free | (a > target)), a, -math.inf)
            k = int(np.argmax(score))
            if score.flat[k] > best_move:
                best_move = float(score.flat[k])
                move = (k // st.n_groups, k % st.n_groups, -1)

        x = np.take(a, grp, axis=1)
        s = x + x.T
        s -= d2
        s += st.blk
        if not uniform:
            dw = st.w[None, :] - st.w[:, None]  # dw[i, j] = w_j - w_i
            sp = size[grp][:, None] + dw
            sq = size[grp][None, :] - dw
            ok = (sp >= lb[grp][:, None]) & (sp <= ub[grp][:, None])
            ok &= (sq >= lb[grp][None, :]) & (sq <= ub[grp][None, :])
            s[~ok] = -math.inf
        k = int(np.argmax(s))
        sv = float(s.flat[k])
        if sv <= target:
            tp = np.where(free, 0.0, -math.inf)
            tx = np.take(tp, grp, axis=1)
            tx += tx.T
            tx += s
            k = int(np.argmax(tx))
            sv = float(tx.flat[k])
        if sv > best_move or (sv == best_move and move is not None and rng.random() < 0.5):
            i, j = divmod(k, m)
            move = (i, int(grp[j]), j)
            best_move = sv
        if move is None or best_move == -math.inf:
            break
        i, q, j = move
        p = int(grp[i])
        t1 = it + rng.randint(*tenure)
        if j < 0:
            st.move(i, q)
            tabu[i, p] = t1
        else:
            st.move(i, q)
            st.move(j, p)
            tabu[i, p] = t1
            tabu[j, q] = it + rng.randint(*tenure)
        if it % 2048 == 0:
            st.refresh()
        if st.f > run_best_f + 1e-9:
            run_best_f = st.f
            run_best_grp = st.grp.copy()
            since = 0
        else:
            since += 1
    return run_best_grp, run_best_f, it


def _perturb(st: _State, lb: IntArray, ub: IntArray, strength: int, rng: random.Random) -> None:
    m = len(st.grp)
    for _ in range(strength):
        i = rng.randrange(m)
        j = rng.randrange(m)
        p, q = int(st.grp[i]), int(st.grp[j])
        if p == q:
            continue
        if rng.random() < 0.2 and st.size[p] - st.w[i] >= lb[p] and st.size[q] + st.w[i] <= ub[q]:
            st.move(i, q)
            continue
        if st.w[i] != st.w[j]:
            dw = int(st.w[j] - st.w[i])
            if not (lb[p] <= st.size[p] + dw <= ub[p] and lb[q] <= st.size[q] - dw <= ub[q]):
                continue
        st.move(i, q)
        st.move(j, p)


def solve(
    d: Sequence[Sequence[float]] | FloatArray,
    min_size: int | Sequence[int],
    max_size: int | Sequence[int],
    groups: int | None = None,
    *,
    cannot_link: Iterable[tuple[int, int]] = (),
    must_link: Iterable[tuple[int, int]] = (),
    seconds: float = 1.0,
    seed: int = 0,
    max_iterations: int | None = None,
    initial: Sequence[int] | None = None,
) -> Result:
    """Group people to maximise within-group diversity; see the module docstring for the method.

    `min_size`/`max_size` are either one bound for all `groups` groups or one bound per group.
    Stops at `seconds` of wall time or `max_iterations` tabu steps, whichever comes first.
    """
    start = time.perf_counter()
    deadline = start + seconds
    rng = random.Random(seed)
    dm = np.asarray(d, dtype=float)
    n = dm.shape[0]
    if dm.shape != (n, n):
        raise ValueError("d must be a square matrix")
    dm = (dm + dm.T) / 2.0
    np.fill_diagonal(dm, 0.0)
    lb_l, ub_l = _bounds(groups, min_size, max_size)
    lb = np.array(lb_l, dtype=np.int64)
    ub = np.array(ub_l, dtype=np.int64)
    n_groups = len(lb)
    if lb.sum() > n or ub.sum() < n or np.any(lb > ub):
        raise InfeasibleGrouping(f"{n} people cannot fill {n_groups} groups with sizes {lb_l}..{ub_l}")
    cannot = [(int(i), int(j)) for i, j in cannot_link]
    must = [(int(i), int(j)) for i, j in must_link]

    unit = np.array(_components(n, must), dtype=np.int64)
    m = int(unit.max()) + 1 if n else 0
    w = np.bincount(unit, minlength=m).astype(np.int64)
    s_mat = np.zeros((n, m))
    s_mat[np.arange(n), unit] = 1.0
    du = s_mat.T @ dm @ s_mat
    inside = float(np.diag(du).sum() / 2.0)
    np.fill_diagonal(du, 0.0)
    if cannot:
        penalty = 2.0 * float(np.abs(dm).sum()) + 1.0
        for i, j in cannot:
            a, b = int(unit[i]), int(unit[j])
            if a == b:
                raise InfeasibleGrouping(f"people {i} and {j} are both must-linked and cannot-linked")
            du[a, b] -= penalty
            du[b, a] -= penalty

    grp0: IntArray | None = None
    if initial is not None:
        grp0 = np.array([initial[int(np.flatnonzero(unit == u)[0])] for u in range(m)], dtype=np.int64)
    else:
        for attempt in range(200):
            grp0 = _initial(w, lb, ub, rng, attempt < 20)
            if grp0 is not None:
                break
        if grp0 is None:
            raise InfeasibleGrouping("no grouping of the must-link units meets the size bounds")

    st = _State(du, w, grp0, n_groups)
    best_grp = st.grp.copy()
    best_f = st.f
    budget = max_iterations if max_iterations is not None else 2**62
    iterations = 0
    restarts = 0
    depth = max(200, int(_TUNE["depth"] * m))
    strength = max(2, int(_TUNE["strength"] * m))
    avg = max(1.0, m / n_groups)
    tenure = (max(1, int(_TUNE["t0"] * avg)), max(2, int(_TUNE["t1"] * avg + _TUNE["t2"] * m)))
    while iterations < budget and (iterations == 0 or time.perf_counter() < deadline):
        grp_run, f_run, used = _tabu_search(st, lb, ub, deadline, rng, depth, tenure, budget - iterations, best_f)
        iterations += used
        if f_run > best_f + 1e-9:
            best_f = f_run
            best_grp = grp_run
        if used == 0:
            break
        restarts += 1
        st.grp = (best_grp if rng.random() < 0.7 else grp_run).copy()
        st.refresh()
        _perturb(st, lb, ub, rng.randint(strength, 2 * strength), rng)

    repaired = False
    if cannot:
        # The search keeps cannot-links apart through a penalty, which a short time limit on a
        # busy machine may leave unpaid; a deterministic repair finishes the job either way.
        fixed = _separate(best_grp, w, [(int(unit[i]), int(unit[j])) for i, j in cannot])
        repaired = not np.array_equal(fixed, best_grp)
        best_grp = fixed
    assignment = [int(best_grp[unit[i]]) for i in range(n)]
    for i, j in cannot:
        if assignment[i] == assignment[j]:
            raise InfeasibleGrouping("could not separate every cannot-link pair")
    value = objective(dm, assignment)
    if not repaired and not math.isclose(value, best_f + inside, rel_tol=1e-9, abs_tol=1e-6):
        raise AssertionError(f"objective drift: tracked {best_f + inside}, recomputed {value}")
    return Result(assignment, value, iterations, time.perf_counter() - start, restarts)
