"""World Cafe / social golfer rotations: tables over several rounds with no pair meeting twice.

A plan is `rounds[r][t]` = the list of people at table t in round r. Goals, in strict order:
hard rules (cannot-link pairs never at one table, hosts always at their own table, table sizes
within one of each other), then repeated pairs, then people coming back to a table they already
sat at (hosts excepted; a World Cafe table holds one topic, so a second visit wastes a round),
then seats changed against a previous plan (for re-planning), then table diversity. The two
middle goals can conflict: with n = tables^2 people and no pair repeated, every pair of tables
(t1, t2) of two rounds is used exactly once, (t, t) included, so someone must come back. By
default (`priority="people"`) the pairs win there; with `priority="tables"` the facilitator puts
new tables first (a World Cafe table holds one question) and a pair may meet again instead. With
fewer people per table, or hosts, both usually reach zero.

Search: tabu search in the spirit of Dotú & Van Hentenryck, "Scheduling social golfers locally",
CPAIOR 2005 (LNCS 3524, 155-167): moves swap two people of one round (plus, when sizes may
differ, moving one person), chosen best-first over the whole round with a tabu tenure and
random restarts from the best plan after stagnation. Evaluation is the one used by grouping
(`madang.solvers.grouping`): within round r the cost of a table is a sum of pair weights
W_r[i, j] = big * cannot[i, j] + repeat * [i and j meet in another round] - diversity d_ij,
so C = W_r @ membership scores every swap of the round at once in numpy.
Known constructions are used for pure social golfer instances (see `designs`). Re-planning
after no-shows repairs seats first and, when that leaves a repeated pair, rebuilds the rounds
still to come on the affine plane behind the World Cafe skeleton (see `recomplete`).
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt

from madang.solvers.rotation.bound import repeat_lower_bound

Plan = list[list[list[int]]]

CANNOT = 1.0e6
REPEAT = 1.0e3
# a person back at a table they sat at in another round: below a repeated pair, far above diversity
SAME_TABLE = REPEAT / 4
# the same under priority="tables": above a repeated pair (a return costs four repeats), below a hard rule
SAME_TABLE_FIRST = REPEAT * 4
PRIORITIES = ("people", "tables")


@dataclass(frozen=True)
class Result:
    plan: Plan
    repeated_pairs: int
    violations: list[str]
    iterations: int
    seconds: float
    method: str
    changed_seats: int = 0
    diversity: float = 0.0
    same_table: int = 0
    # re-plans: no plan keeping the hard rules has fewer repeated pairs (`bound.repeat_lower_bound`)
    lower_bound: int = 0

    @property
    def ok(self) -> bool:
        return not self.violations and self.repeated_pairs == 0


@dataclass(frozen=True)
class Check:
    repeated_pairs: int
    violations: list[str] = field(default_factory=list)
    diversity: float = 0.0
    same_table: int = 0  # times a non-host sits at a table they sat at in an earlier round

    @property
    def ok(self) -> bool:
        return not self.violations


def table_sizes(people: int, tables: int) -> list[int]:
    base, extra = divmod(people, tables)
    return [base + (1 if t < extra else 0) for t in range(tables)]


def check(
    plan: Plan,
    cannot_link: Iterable[tuple[int, int]] = (),
    hosts: Mapping[int, int] | None = None,
    diversity: npt.ArrayLike | None = None,
    people: Iterable[int] | None = None,
) -> Check:
    """Recount repeated pairs and broken rules of a plan from scratch.

    A pair that sits together k > 1 times counts k - 1 repeats. `people`, if given, is who must
    be seated in every round (exactly once).
    """
    problems: list[str] = []
    meets: dict[tuple[int, int], int] = {}
    cannot = {(min(a, b), max(a, b)) for a, b in cannot_link}
    div = np.asarray(diversity, dtype=float) if diversity is not None else None
    total_div = 0.0
    expected = sorted(people) if people is not None else None
    for r, tables in enumerate(plan):
        seated = [p for t in tables for p in t]
        if len(seated) != len(set(seated)):
            problems.append(f"round {r}: someone is seated twice")
        if expected is not None and sorted(seated) != expected:
            problems.append(f"round {r}: seated people differ from the roster")
        sizes = [len(t) for t in tables]
        if sizes and max(sizes) - min(sizes) > 1:
            problems.append(f"round {r}: table sizes {min(sizes)}..{max(sizes)} differ by more than one")
        for t, members in enumerate(tables):
            for a_i, a in enumerate(members):
                for b in members[a_i + 1 :]:
                    key = (min(a, b), max(a, b))
                    meets[key] = meets.get(key, 0) + 1
                    if key in cannot:
                        problems.append(f"round {r} table {t}: cannot-link pair {key}")
                    if div is not None and max(a, b) < div.shape[0]:
                        total_div += float(div[a, b])
        for h, t in (hosts or {}).items():
            if h in seated and h not in tables[t]:
                problems.append(f"round {r}: host {h} is not at table {t}")
    repeats = sum(k - 1 for k in meets.values() if k > 1)
    host_ids = set(hosts or {})
    visits: dict[tuple[int, int], int] = {}
    for tables in plan:
        for t, members in enumerate(tables):
            for p in members:
                if p not in host_ids:
                    visits[p, t] = visits.get((p, t), 0) + 1
    same_table = sum(k - 1 for k in visits.values() if k > 1)
    return Check(repeats, problems, total_div, same_table)


class _Rounds:
    """Per-round table of each person (-1 = not seated), membership matrices, meeting counts and
    the pair weights `wfull` = pair_w + REPEAT * [met at least once], all kept in step."""

    def __init__(
        self, grp: npt.NDArray[np.int64], tables: int, pair_w: npt.NDArray[np.float64], table_w: float = 0.0
    ) -> None:
        self.grp = grp  # rounds x people
        self.tables = tables
        self.pair_w = pair_w
        # weight of sitting again at a table sat at in another round (0 = allowed); see SAME_TABLE
        self.table_w = table_w
        self.rebuild()

    def rebuild(self) -> None:
        n = self.grp.shape[1]
        self.x = []
        self.meet = np.zeros((n, n))
        self.visits = np.zeros((n, self.tables))
        for r in range(self.grp.shape[0]):
            x = np.zeros((n, self.tables))
            g = self.grp[r]
            seated = np.flatnonzero(g >= 0)
            x[seated, g[seated]] = 1.0
            self.x.append(x)
            self.meet += x @ x.T
            self.visits += x
        np.fill_diagonal(self.meet, 0.0)
        self.wfull = self.pair_w + REPEAT * (self.meet >= 1)

    def same(self, r: int) -> npt.NDArray[np.float64]:
        s = self.x[r] @ self.x[r].T
        np.fill_diagonal(s, 0.0)
        return s

    def relocate(self, r: int, i: int, q: int) -> None:
        """Move person i to table q in round r (q = -1: unseat)."""
        x = self.x[r]
        p = int(self.grp[r, i])
        if p >= 0:
            x[i, p] = 0.0
            self.visits[i, p] -= 1.0
            col = x[:, p]
            self.meet[i, :] -= col
            self.meet[:, i] -= col
        if q >= 0:
            col = x[:, q]
            self.meet[i, :] += col
            self.meet[:, i] += col
            x[i, q] = 1.0
            self.visits[i, q] += 1.0
        self.grp[r, i] = q
        row = self.pair_w[i, :] + REPEAT * (self.meet[i, :] >= 1)
        self.wfull[i, :] = row
        self.wfull[:, i] = row


def _total(
    rs: _Rounds,
    pair_w: npt.NDArray[np.float64],
    unary: npt.NDArray[np.float64] | None,
    movable_rounds: Sequence[int],
    fixed_people: npt.NDArray[np.bool_] | None = None,
) -> float:
    """The search's cost, from scratch: the swap deltas of `_search` are exact changes of it."""
    total = REPEAT * float(np.maximum(np.triu(rs.meet, 1) - 1, 0).sum())
    if rs.table_w:
        v = rs.visits if fixed_people is None else rs.visits[~fixed_people]
        total += rs.table_w * float((v * (v - 1) / 2).sum())  # each pair of rounds at one table
    for r in movable_rounds:
        total += float((np.triu(rs.same(r), 1) * pair_w).sum())
        if unary is not None:
            g = rs.grp[r]
            seated = np.flatnonzero(g >= 0)
            total += float(unary[r, seated, g[seated]].sum())
    return total


def _search(
    rs: _Rounds,
    movable_rounds: list[int],
    fixed_people: npt.NDArray[np.bool_],
    pair_w: npt.NDArray[np.float64],
    unary: npt.NDArray[np.float64] | None,
    lb: npt.NDArray[np.int64],
    ub: npt.NDArray[np.int64],
    deadline: float,
    rng: random.Random,
    max_iterations: int,
    stop_when_clean: bool,
    patience: int = 2000,
) -> tuple[npt.NDArray[np.int64], int]:
    """Tabu search over the movable rounds; returns the best round table and iterations used."""
    n = rs.grp.shape[1]
    tables = rs.tables
    ar = np.arange(n)
    tabu = np.zeros((rs.grp.shape[0], n, tables), dtype=np.int64)
    has_pair_w = bool(np.any(pair_w))

    cannot_mask = pair_w >= CANNOT / 2
    movable_arr = np.array(movable_rounds)
    free_people = (~fixed_people).astype(float)[:, None]

    def hard_rounds() -> list[int]:
        bad = np.triu((rs.meet >= 2) | (cannot_mask & (rs.meet >= 1)), 1)
        ii, jj = np.nonzero(bad)
        gr = rs.grp[movable_arr]
        out = set()
        if len(ii):
            together = ((gr[:, ii] == gr[:, jj]) & (gr[:, ii] >= 0)).any(axis=1)
            out = {int(r) for r in movable_arr[together]}
        if rs.table_w:
            again = (rs.visits >= 2) & ~fixed_people[:, None]
            if again.any():
                for k, r in enumerate(movable_arr):
                    seated = gr[k] >= 0
                    if again[np.flatnonzero(seated), gr[k][seated]].any():
                        out.add(int(r))
        return sorted(out)

    f = _total(rs, pair_w, unary, movable_rounds, fixed_people)
    best_f = f
    best = rs.grp.copy()
    since = 0
    stale = 0
    depth = 40 * len(movable_rounds) + 200
    tenure = (2, max(3, n // tables))
    it = 0
    while it < max_iterations:
        if it & 7 == 0 and time.perf_counter() > deadline:
            break
        hard = hard_rounds()
        if stop_when_clean and not hard and ((unary is None and not has_pair_w) or stale > patience):
            break
        it += 1
        r = rng.choice(hard) if hard and rng.random() < 0.9 else rng.choice(movable_rounds)
        g = rs.grp[r]
        seated = g >= 0
        movable = seated & ~fixed_people
        x = rs.x[r]
        gi = np.where(seated, g, 0)
        c = rs.wfull @ x
        # within i's own table the pair already counts this meeting: a repeat needs meet >= 2
        c[ar, gi] -= REPEAT * ((rs.meet == 1) * x[:, gi].T).sum(axis=1)
        if unary is not None:
            c += unary[r]
        if rs.table_w:
            c += rs.table_w * (rs.visits - x) * free_people  # tables sat at in the other rounds
        own = c[ar, gi]
        a = c - own[:, None]  # a[i, q]: cost change of moving i to q
        target = best_f - f - 1e-9
        free = tabu[r] <= it
        size = x.sum(axis=0)

        best_move = math.inf
        move: tuple[int, int, int] | None = None
        can_leave = movable & (size[gi] - 1 >= lb[gi])
        if can_leave.any() and np.any(size < ub):
            m1 = can_leave[:, None] & (size < ub)[None, :]
            m1[ar, gi] = False
            sc = np.where(m1 & (free | (a < target)), a, math.inf)
            k = int(np.argmin(sc))
            if sc.flat[k] < best_move:
                best_move = float(sc.flat[k])
                move = (k // tables, k % tables, -1)

        xa = np.take(a, gi, axis=1)
        s = xa + xa.T
        s -= 2.0 * rs.wfull
        ok = (gi[:, None] != gi[None, :]) & movable[:, None] & movable[None, :]
        tf = np.take(free, gi, axis=1)
        ok &= (tf & tf.T) | (s < target)
        s[~ok] = math.inf
        low = float(s.min())
        if low < best_move:
            # random tie-breaking matters: golfer costs are multiples of REPEAT with many ties
            ties = np.flatnonzero(s <= low + 1e-9)
            k = int(ties[rng.randrange(len(ties))])
            i, j = divmod(k, n)
            move = (i, int(g[j]), j)
            best_move = low
        if move is None or best_move == math.inf:
            since += 1
            stale += 1
        else:
            i, q, j = move
            p = int(g[i])
            rs.relocate(r, i, q)
            tabu[r, i, p] = it + rng.randint(*tenure)
            if j >= 0:
                rs.relocate(r, j, p)
                tabu[r, j, q] = it + rng.randint(*tenure)
            f += best_move
            if it % 1024 == 0:
                f = _total(rs, pair_w, unary, movable_rounds, fixed_people)
            if f < best_f - 1e-9:
                best_f = f
                best = rs.grp.copy()
                since = 0
                stale = 0
            else:
                since += 1
                stale += 1
        if since > depth:
            since = 0
            rs.grp[:] = best
            rs.rebuild()
            for _ in range(rng.randint(1, 3)):
                rr = rng.choice(movable_rounds)
                gr = rs.grp[rr]
                cand = np.flatnonzero((gr >= 0) & ~fixed_people)
                if len(cand) < 2:
                    continue
                i, j = rng.sample([int(c) for c in cand], 2)
                if gr[i] != gr[j]:
                    pi, pj = int(gr[i]), int(gr[j])
                    rs.relocate(rr, i, pj)
                    rs.relocate(rr, j, pi)
            f = _total(rs, pair_w, unary, movable_rounds, fixed_people)
    rs.grp[:] = best
    rs.rebuild()
    return best, it


def _prepare(
    people: list[int],
    cannot_link: Iterable[tuple[int, int]],
    diversity: npt.ArrayLike | None,
    diversity_weight: float,
) -> tuple[dict[int, int], npt.NDArray[np.float64]]:
    idx = {p: k for k, p in enumerate(people)}
    n = len(people)
    pair_w = np.zeros((n, n))
    if diversity is not None:
        div = np.asarray(diversity, dtype=float)
        # people beyond the matrix (late arrivals with no profile) count as no diversity either way
        known = np.array([0 <= p < div.shape[0] for p in people])
        rows = np.array([p if k else 0 for p, k in zip(people, known, strict=True)], dtype=np.int64)
        sub = np.where(known[:, None] & known[None, :], div[np.ix_(rows, rows)], 0.0)
        top = float(np.abs(sub).max()) or 1.0
        # diversity is rescaled to at most 1 per pair, far below a repeat (REPEAT) or a rule (CANNOT)
        pair_w -= diversity_weight * sub / top
    for a, b in cannot_link:
        if a in idx and b in idx:
            pair_w[idx[a], idx[b]] = pair_w[idx[b], idx[a]] = CANNOT
    np.fill_diagonal(pair_w, 0.0)
    return idx, pair_w


def _greedy_round(
    rs: _Rounds,
    r: int,
    order: list[int],
    fixed: dict[int, int],
    pair_w: npt.NDArray[np.float64],
    cap: list[int],
) -> None:
    g = rs.grp[r]
    size = [0] * rs.tables
    for i, t in fixed.items():
        g[i] = t
        size[t] += 1
    x = np.zeros((len(g), rs.tables))
    for i, t in fixed.items():
        x[i, t] = 1.0
    for i in order:
        if i in fixed:
            continue
        cost = rs.wfull[i] @ x
        open_t = [t for t in range(rs.tables) if size[t] < cap[t]]
        t = min(open_t, key=lambda t: (cost[t], size[t]))
        g[i] = t
        x[i, t] = 1.0
        size[t] += 1
    rs.rebuild()


def _to_plan(rs: _Rounds, people: list[int], rounds: Iterable[int]) -> Plan:
    out: Plan = []
    for r in rounds:
        tables: list[list[int]] = [[] for _ in range(rs.tables)]
        for k, t in enumerate(rs.grp[r]):
            if t >= 0:
                tables[int(t)].append(people[k])
        out.append([sorted(t) for t in tables])
    return out


def solve(
    people: int | Sequence[int],
    tables: int,
    rounds: int,
    *,
    cannot_link: Iterable[tuple[int, int]] = (),
    hosts: Mapping[int, int] | None = None,
    diversity: npt.ArrayLike | None = None,
    diversity_weight: float = 1.0,
    seconds: float = 5.0,
    seed: int = 0,
    max_iterations: int = 10**9,
    patience: int = 1500,
    avoid_same_table: bool = True,
    priority: str = "people",
) -> Result:
    """Plan `rounds` rounds of `tables` tables for `people` (a count or a list of ids).

    Tables hold sizes differing by at most one; hosts (person -> table) stay put; cannot-link pairs
    never share a table if at all possible. With `avoid_same_table` (and at least as many tables as
    rounds) nobody but a host comes back to a table they sat at before, unless that would cost a
    repeated pair. Pure instances with a known construction are built directly (their tables
    relabelled round by round against coming back); otherwise, or if the construction does not
    apply, the tabu search runs until no pair repeats and no rule breaks (when there is no
    diversity to improve) or `seconds` pass. `priority="tables"` swaps the two middle goals: nobody
    comes back to a table (where rounds <= tables), even at the cost of a pair meeting again.
    """
    if priority not in PRIORITIES:
        raise ValueError(f"priority must be one of {PRIORITIES}, not {priority!r}")
    start = time.perf_counter()
    tables_first = priority == "tables"
    ids = list(range(people)) if isinstance(people, int) else list(people)
    cannot = list(cannot_link)
    host_map = dict(hosts or {})
    avoid = (avoid_same_table or tables_first) and rounds <= tables
    tables_first = tables_first and avoid

    def rank(res: Result) -> tuple[int, int, int]:
        if tables_first:
            return len(res.violations), res.same_table, res.repeated_pairs
        return len(res.violations), res.repeated_pairs, res.same_table

    def done(res: Result) -> bool:
        return res.ok and (not avoid or res.same_table == 0)

    seed_plan: Result | None = None
    if not host_map and not cannot and diversity is None:
        from madang.solvers.rotation.golfer import construct

        built = construct(len(ids), tables, rounds)
        if built is not None:
            plan, method = built
            named = [[[ids[p] for p in t] for t in rd] for rd in plan]
            if avoid:
                named = relabel_tables(named, {})
            verdict = check(named, people=ids)
            if verdict.ok and verdict.repeated_pairs == 0:
                seed_plan = Result(named, 0, [], 0, time.perf_counter() - start, method, 0, 0.0, verdict.same_table)
                if not avoid or verdict.same_table == 0:
                    return seed_plan
    idx, pair_w = _prepare(ids, cannot, diversity, diversity_weight)
    n = len(ids)
    rng = random.Random(seed)
    fixed = {idx[h]: t for h, t in host_map.items() if h in idx}
    skeleton = _from_skeleton(n, tables, rounds, pair_w, fixed, seconds * 0.6, rng) if seed_plan is None else None
    if skeleton is not None:
        plan = [[[ids[p] for p in t] for t in rd] for rd in skeleton[0]]
        if avoid:
            plan = relabel_tables(plan, host_map)
        res = _result(plan, cannot, host_map, diversity, ids, skeleton[1], start, skeleton[2])
        if done(res):
            return res
        if res.ok:
            seed_plan = res
    fixed_people = np.zeros(n, dtype=bool)
    fixed_people[list(fixed)] = True
    cap = table_sizes(n, tables)
    lb = np.full(tables, min(cap), dtype=np.int64)
    ub = np.full(tables, max(cap), dtype=np.int64)
    rs = _Rounds(
        np.full((rounds, n), -1, dtype=np.int64),
        tables,
        pair_w,
        (SAME_TABLE_FIRST if tables_first else SAME_TABLE) if avoid else 0.0,
    )
    if seed_plan is not None:  # a zero-repeat plan whose people still come back to a table: repair that
        for r, rd in enumerate(seed_plan.plan):
            for t, members in enumerate(rd):
                for p in members:
                    rs.grp[r, idx[p]] = t
        rs.rebuild()
    for r in range(rounds if seed_plan is None else 0):
        order = list(range(n))
        rng.shuffle(order)
        host_count = [0] * tables
        for t in fixed.values():
            host_count[t] += 1
        # tables with more hosts get the larger capacities
        by_hosts = sorted(range(tables), key=lambda t: -host_count[t])
        caps = [0] * tables
        for t, c in zip(by_hosts, sorted(cap, reverse=True), strict=True):
            caps[t] = c
        _greedy_round(rs, r, order, fixed, pair_w, caps)
    _, its = _search(
        rs,
        list(range(rounds)),
        fixed_people,
        pair_w,
        None,
        lb,
        ub,
        start + seconds,
        rng,
        max_iterations,
        stop_when_clean=True,
        patience=patience,
    )
    plan = _to_plan(rs, ids, range(rounds))
    res = _result(
        plan,
        cannot,
        host_map,
        diversity,
        ids,
        its,
        start,
        "tabu search" if seed_plan is None else seed_plan.method + " + tabu search against coming back",
    )
    if seed_plan is not None and rank(seed_plan) <= rank(res):
        return seed_plan
    return res


def relabel_tables(plan: Plan, hosts: Mapping[int, int]) -> Plan:
    """Which group of a round sits at which table does not change who meets whom: give each
    round's groups the tables that their members have sat at least in the other rounds (an
    assignment problem per round, swept a few times). A group with a host stays at the host's table."""
    from scipy.optimize import linear_sum_assignment

    rounds = [[list(t) for t in rd] for rd in plan]
    n_tables = len(rounds[0]) if rounds else 0
    for _sweep in range(3):
        changed = False
        for r in range(len(rounds)):
            visits: dict[tuple[int, int], int] = {}
            for rr, rd in enumerate(rounds):
                if rr != r:
                    for t, members in enumerate(rd):
                        for p in members:
                            visits[p, t] = visits.get((p, t), 0) + 1
            # A person who sat at the table in another round costs one same-table sit whatever the
            # number of times (the count `check` reports), so that comes first and each round's
            # assignment can never raise it; the number of visits only breaks ties.
            first = float(len(rounds) * sum(len(t) for t in rounds[r]) + 1)
            cost = np.zeros((n_tables, n_tables))
            barred = np.zeros((n_tables, n_tables), dtype=bool)
            for k, members in enumerate(rounds[r]):
                pinned = {hosts[p] for p in members if p in hosts}
                for t in range(n_tables):
                    seen = [visits.get((p, t), 0) for p in members if p not in hosts]
                    cost[k, t] = first * sum(v > 0 for v in seen) + sum(seen)
                    barred[k, t] = bool(pinned) and t not in pinned
            cost[barred] = 1.0 + n_tables * float(cost.max(initial=0.0))
            rows, cols = linear_sum_assignment(cost)
            new: list[list[int]] = [[] for _ in range(n_tables)]
            for k, t in zip(rows, cols, strict=True):
                new[int(t)] = rounds[r][int(k)]
                changed |= int(t) != int(k)
            rounds[r] = new
        if not changed:
            break
    return rounds


def _from_skeleton(
    n: int,
    tables: int,
    rounds: int,
    pair_w: npt.NDArray[np.float64],
    fixed: dict[int, int],
    seconds: float,
    rng: random.Random,
) -> tuple[Plan, int, str] | None:
    """A zero-repeat skeleton with people fitted onto it (see `relabel`), or None."""
    from madang.solvers.rotation.golfer import construct
    from madang.solvers.rotation.relabel import adjacency, ag_transversal, label_tables, place_hosts, relabel

    built = construct(n, tables, rounds)
    if built is not None:
        skeleton, method = built
    else:
        sk = ag_transversal(n, tables, rounds)
        if sk is None:
            return None
        skeleton, method = sk, f"AG(2,{tables - 1}) minus a transversal per round"
    a = adjacency(skeleton, n)
    host_points = place_hosts(skeleton, fixed, a, rng) if fixed else {}
    if host_points is None:
        return None
    perm = relabel(a, -pair_w, host_points, seconds, rng)
    plan = label_tables(skeleton, perm, host_points, fixed)
    return plan, 0, method + " + relabelling tabu search"


def _result(
    plan: Plan,
    cannot: list[tuple[int, int]],
    hosts: Mapping[int, int],
    diversity: npt.ArrayLike | None,
    ids: list[int] | None,
    its: int,
    start: float,
    method: str,
    changed: int = 0,
) -> Result:
    verdict = check(plan, cannot, hosts, diversity, people=ids)
    return Result(
        plan,
        verdict.repeated_pairs,
        verdict.violations,
        its,
        time.perf_counter() - start,
        method,
        changed,
        verdict.diversity,
        verdict.same_table,
    )


def replan(
    plan: Plan,
    from_round: int,
    absent: Iterable[int] = (),
    arrived: Iterable[int] = (),
    *,
    cannot_link: Iterable[tuple[int, int]] = (),
    hosts: Mapping[int, int] | None = None,
    diversity: npt.ArrayLike | None = None,
    diversity_weight: float = 1.0,
    seconds: float = 2.0,
    seed: int = 0,
) -> Result:
    """Re-plan rounds from `from_round` on after no-shows and late arrivals.

    Rounds before `from_round` are kept as they happened and count towards repeated pairs.
    Seats that change against the old plan cost more than any diversity gain and less than a
    repeated pair, so the search changes only what it must: seats of absent people are freed,
    arrivals are seated, tables are rebalanced, and conflicts are repaired.

    That seat-by-seat repair gets `REPAIR_SHARE` of the time. If it leaves a repeated pair (two
    no-shows who shared a later table leave it short, and in a plan built on the affine-plane
    skeleton every refill re-meets someone), the future rounds are rebuilt on the plane instead
    (`recomplete`): no pair meets twice by construction, at the cost of more changed seats. If no
    rebuild fits (or the plan is not on the skeleton), the repair goes on for the rest of the time
    and the better of the two results is returned.

    `Result.lower_bound` is a count no plan keeping the hard rules can beat (`bound`); a repair
    that reaches it stops there. It is zero for the World Cafe (each person has far more new
    people left than four rounds seat them with), so there the search runs its usual course.
    """
    gone = set(absent)
    new = [p for p in arrived if p not in gone]
    cannot = list(cannot_link)
    present = sorted(({p for rd in plan for t in rd for p in t} | set(new)) - gone)
    tables = len(plan[0])
    bound = repeat_lower_bound(plan[:from_round], present, len(plan) - from_round, tables, cannot)
    res = _replan(plan, from_round, gone, new, cannot, hosts, diversity, diversity_weight, seconds, seed, bound)
    return replace(res, lower_bound=bound)


def _replan(
    plan: Plan,
    from_round: int,
    gone: set[int],
    new: list[int],
    cannot: list[tuple[int, int]],
    hosts: Mapping[int, int] | None,
    diversity: npt.ArrayLike | None,
    diversity_weight: float,
    seconds: float,
    seed: int,
    bound: int,
) -> Result:
    start = time.perf_counter()
    old_people = sorted({p for rd in plan for t in rd for p in t})
    ids = sorted(set(old_people) | set(new))
    host_map = dict(hosts or {})
    idx, pair_w = _prepare(ids, cannot, diversity, diversity_weight)
    n = len(ids)
    n_rounds = len(plan)
    tables = len(plan[0])
    rng = random.Random(seed)
    rs = _Rounds(np.full((n_rounds, n), -1, dtype=np.int64), tables, pair_w)
    for r, rd in enumerate(plan):
        for t, members in enumerate(rd):
            for p in members:
                rs.grp[r, idx[p]] = t
    old = rs.grp.copy()
    present = np.array([p not in gone for p in ids])
    future = list(range(from_round, n_rounds))
    for r in future:
        rs.grp[r, ~present] = -1
    rs.rebuild()
    fixed = {idx[h]: t for h, t in host_map.items() if h in idx and h not in gone}
    fixed_people = np.zeros(n, dtype=bool)
    fixed_people[list(fixed)] = True
    cap = table_sizes(int(present.sum()), tables)
    lb = np.full(tables, min(cap), dtype=np.int64)
    ub = np.full(tables, max(cap), dtype=np.int64)
    max_size = max(len(t) for rd in plan for t in rd)
    change = 2.0 * max_size * max(diversity_weight, 0.0) + 1.0
    unary = np.zeros((n_rounds, n, tables))
    for r in future:
        for k in range(n):
            if old[r, k] >= 0:
                unary[r, k, :] = change
                unary[r, k, old[r, k]] = 0.0
    rs.rebuild()
    for r in future:
        g = rs.grp[r]
        # first put arrivals at the smallest tables, then move people off over-full tables
        for p in new:
            k = idx[p]
            if g[k] < 0:
                size = np.bincount(g[g >= 0], minlength=tables)
                rs.relocate(r, k, int(np.argmin(size + 1e-3 * np.arange(tables))))
        while True:
            size = np.bincount(g[g >= 0], minlength=tables)
            big, small = int(np.argmax(size)), int(np.argmin(size))
            if size[big] <= ub[big] and size[small] >= lb[small]:
                break
            # move whoever has met fewest people at the small table (ideally nobody): no new repeat
            cand = [int(k) for k in np.flatnonzero(g == big) if not fixed_people[k]]
            there = np.flatnonzero(g == small)
            clash = [float((rs.meet[k, there] >= 1).sum() + pair_w[k, there].clip(min=0).sum()) for k in cand]
            low = min(clash)
            k = rng.choice([c for c, v in zip(cand, clash, strict=True) if v == low])
            rs.relocate(r, k, small)
    rs.rebuild()
    # 1. repair seat by seat (few seats change); enough when the no-shows left the tables balanced
    _, its = _search(
        rs,
        future,
        fixed_people,
        pair_w,
        unary,
        lb,
        ub,
        start + REPAIR_SHARE * seconds,
        rng,
        10**9,
        stop_when_clean=True,
        patience=300,
    )
    repaired = _replan_result(rs, ids, plan, future, cannot, host_map, diversity, its, start)
    if not repaired.violations and repaired.repeated_pairs <= bound:  # zero, or a proven minimum
        return repaired
    # 2. rebuild the future rounds on the affine plane behind the skeleton: no pair meets twice
    rebuilt = _recomplete_future(
        plan,
        from_round,
        gone,
        new,
        rs,
        idx,
        pair_w,
        host_map,
        change,
        time.perf_counter() + REBUILD_SHARE * seconds,
        cannot,
        diversity,
        ids,
        start,
    )
    if rebuilt is not None and rebuilt.ok:
        return rebuilt
    # 3. otherwise go on repairing for the rest of the time
    _, its2 = _search(
        rs, future, fixed_people, pair_w, unary, lb, ub, start + seconds, rng, 10**9, stop_when_clean=True, patience=300
    )
    repaired = _replan_result(rs, ids, plan, future, cannot, host_map, diversity, its + its2, start)
    if rebuilt is not None and _replan_rank(rebuilt) < _replan_rank(repaired):
        return rebuilt
    return repaired


# shares of the re-plan's time for the first seat-by-seat repair and for rebuilding the future
# rounds; whatever is left goes on repairing if the rebuild fails
REPAIR_SHARE = 0.3
REBUILD_SHARE = 0.3


def _replan_rank(res: Result) -> tuple[int, int, int, float]:
    return len(res.violations), res.repeated_pairs, res.changed_seats, -res.diversity


def _replan_result(
    rs: _Rounds,
    ids: list[int],
    plan: Plan,
    future: list[int],
    cannot: list[tuple[int, int]],
    host_map: Mapping[int, int],
    diversity: npt.ArrayLike | None,
    its: int,
    start: float,
) -> Result:
    from madang.solvers.rotation.recomplete import changed_seats

    new_plan = _to_plan(rs, ids, range(rs.grp.shape[0]))
    changed = changed_seats(plan, new_plan, future)
    return _result(new_plan, cannot, host_map, diversity, None, its, start, "tabu search re-plan", changed)


def _recomplete_future(
    plan: Plan,
    from_round: int,
    gone: set[int],
    new: list[int],
    rs: _Rounds,
    idx: dict[int, int],
    pair_w: npt.NDArray[np.float64],
    host_map: Mapping[int, int],
    change: float,
    deadline: float,
    cannot: list[tuple[int, int]],
    diversity: npt.ArrayLike | None,
    ids: list[int],
    start: float,
) -> Result | None:
    from madang.solvers.rotation.recomplete import changed_seats, recomplete

    if from_round >= len(plan):
        return None
    n = len(ids)
    met = np.zeros((n, n), dtype=bool)
    for rd in plan[:from_round]:
        for members in rd:
            k = np.array([idx[p] for p in members], dtype=np.int64)
            met[np.ix_(k, k)] = True
    np.fill_diagonal(met, False)
    seated = sorted(p for t in plan[from_round] for p in t if p not in gone)
    sitting = set(seated)
    arrivals = [p for p in new if p not in sitting]
    hosts = {h: t for h, t in host_map.items() if h not in gone}
    out = recomplete(
        plan,
        from_round,
        seated,
        arrivals,
        met=met,
        idx=idx,
        pair_w=pair_w,
        hosts=hosts,
        change=change,
        deadline=deadline,
    )
    if out is None:
        return None
    changed = changed_seats(plan, out, range(from_round, len(plan)))
    return _result(
        out, cannot, host_map, diversity, None, 0, start, "affine-plane re-completion of the future rounds", changed
    )
