"""Re-completing the rounds after no-shows on the affine plane behind the World Cafe skeleton.

The full plan for T tables (q = T - 1 a prime power) sits on AG(2, q): each round is a parallel
class of lines with a transversal line as its extra table (`relabel.ag_transversal`). When people
are missing from the rounds still to come, a table that lost two of them cannot be refilled by
moving one person without someone meeting a person again: every future table-mate of a mover was
picked to be new to them. So instead of repairing seats, the future rounds are rebuilt:

1. Embed the held rounds in the plane: find a bijection people -> kept points such that every
   held round's tables are exactly the tables of one skeleton round (`embed`; a backtracking
   search over table correspondences, with the choice of person that has fewest candidate
   points first). The whole old plan is tried first (it pins the embedding down at once), then
   the held rounds alone. Plans built on the skeleton embed; others usually do not, and the
   caller then keeps its seat-by-seat repair.
2. Every pair that met in a held round now lies on a line of a held round's class or on a held
   extra table. A future round is the lines of another class k plus an extra table S: S takes
   0-2 people off each line so all tables hold lo..hi people, splits every agency (cannot-link)
   pair or held pair on a line, and its own pairs are new: their joining line is of no other
   future round's class, and no two extra tables share a pair (`_extra_table`, depth-first).
   Rounds of distinct classes share no pair, since two lines share at most one point. The
   missing people are just empty points.
3. Sets of future classes (from the classes whose lines hold at most two pairs that must be
   split) are tried in the order of the seats they keep; the first that fits every round, and up
   to `EXTRA_TRIES` more, are built, and the one changing fewest seats is kept. Each round's
   tables are numbered to keep as many seats as possible (an assignment problem), hosts at their
   own tables.

Why this often fails (bench/seating.md): the lines are rigid. A line that lost three people
cannot be refilled (a newcomer sees its people in distinct directions, and too few classes are
free), and a line that lost two cannot give anyone to S, so an agency pair on it stays together.

Late arrivals take points nobody holds (they met nobody in the held rounds).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from madang.solvers.rotation.relabel import AffineLayout, ag_layout

Plan = list[list[list[int]]]


def embed(
    held: Plan, sk_tables: list[list[int]], people: Sequence[int], deadline: float, max_nodes: int = 20000
) -> dict[int, int] | None:
    """person -> point index such that, in every held round r, two people share a table exactly
    when their points share a table of `sk_tables[r]` (sk_tables[r][point] = table), or None."""
    n = len(people)
    rounds = len(held)
    if rounds == 0:
        return {p: k for k, p in enumerate(people)}
    if n != len(sk_tables[0]):
        return None
    t_of = [{p: t for t, members in enumerate(rd) for p in members} for rd in held]
    if any(sorted(t) != sorted(people) for t in t_of):
        return None
    pts_at: list[dict[int, set[int]]] = []
    for r in range(rounds):
        d: dict[int, set[int]] = {}
        for x, t in enumerate(sk_tables[r]):
            d.setdefault(t, set()).add(x)
        pts_at.append(d)
        if sorted(map(len, held[r])) != sorted(map(len, d.values())) or len(held[r]) < len(d):
            return None
    tau: list[dict[int, int]] = [{} for _ in range(rounds)]
    used_sk: list[dict[int, int]] = [{} for _ in range(rounds)]
    point: dict[int, int] = {}
    taken: set[int] = set()
    nodes = 0

    def candidates(p: int) -> set[int]:
        cand: set[int] | None = None
        for r in range(rounds):
            t = t_of[r][p]
            if t in tau[r]:
                s = pts_at[r][tau[r][t]]
                cand = set(s) if cand is None else cand & s
        if cand is None:
            cand = set(range(n))
        out = set()
        for x in cand:
            if x in taken:
                continue
            ok = True
            for r in range(rounds):
                t, st = t_of[r][p], sk_tables[r][x]
                if t not in tau[r] and (st in used_sk[r] or len(pts_at[r][st]) != len(held[r][t])):
                    ok = False
                    break
            if ok:
                out.add(x)
        return out

    def search() -> bool:
        nonlocal nodes
        nodes += 1
        if nodes > max_nodes or (nodes & 255 == 0 and time.perf_counter() > deadline):
            return False
        best_p, best_c = -1, None
        for p in people:
            if p in point:
                continue
            c = candidates(p)
            if best_c is None or len(c) < len(best_c):
                best_p, best_c = p, c
                if len(c) <= 1:
                    break
        if best_c is None:
            return True
        for x in sorted(best_c):
            added = []
            for r in range(rounds):
                t = t_of[r][best_p]
                if t not in tau[r]:
                    tau[r][t] = sk_tables[r][x]
                    used_sk[r][sk_tables[r][x]] = t
                    added.append((r, t))
            point[best_p] = x
            taken.add(x)
            if search():
                return True
            del point[best_p]
            taken.discard(x)
            for r, t in added:
                del used_sk[r][tau[r][t]]
                del tau[r][t]
            if nodes > max_nodes:
                return False
        return False

    return dict(point) if search() else None


def recomplete(
    plan: Plan,
    from_round: int,
    seated: Sequence[int],
    arrived: Sequence[int],
    *,
    met: npt.NDArray[np.bool_],
    idx: Mapping[int, int],
    pair_w: npt.NDArray[np.float64],
    hosts: Mapping[int, int],
    change: float,
    deadline: float,
) -> Plan | None:
    """Future rounds (from `from_round` on) for `seated` + `arrived` with nobody meeting anyone
    they met before, or None if the plan does not sit on the affine skeleton or no choice of
    classes keeps the tables balanced.

    `met[idx[a], idx[b]]`: a and b met in a held round; `pair_w` (same indexing) carries the
    cannot-link penalty (>= CANNOT / 2) and the diversity (negative is better); a changed seat
    costs `change`.
    """
    from scipy.optimize import linear_sum_assignment

    n_rounds = len(plan)
    tables = len(plan[0])
    future = list(range(from_round, n_rounds))
    if not future:
        return None
    everyone = sorted({p for t in plan[0] for p in t})
    lay = ag_layout(len(everyone), tables, n_rounds)
    if lay is None:
        return None
    q = lay.q
    held = plan[:from_round]
    sk_tables = [lay.skeleton_round(k, n_rounds) for k in range(n_rounds)]
    # the whole old plan pins the embedding down at once when it still sits on the skeleton (as
    # built); after an earlier re-plan only the held rounds can (a looser, slower search)
    emb = None
    for upto in dict.fromkeys((n_rounds, from_round)):
        emb = embed(plan[:upto], sk_tables[:upto], everyone, deadline, max_nodes=3000)
        if emb is not None:
            break
    if emb is None:
        return None
    still = set(seated)
    pos = {p: lay.keep[x] for p, x in emb.items() if p in still}
    held_points = set(pos.values())
    free = [pt for pt in lay.pts if pt not in held_points]
    for p, pt in zip(arrived, free, strict=False):
        pos[p] = pt
    if len(pos) != len(seated) + len(arrived):
        return None
    people = sorted(pos)
    pts = [pos[p] for p in people]
    rows = np.array([idx[p] for p in people], dtype=np.int64)
    w = pair_w[np.ix_(rows, rows)]
    met_sub = met[np.ix_(rows, rows)]
    hard = met_sub | (w >= 5.0e5)
    host_rows = {k: hosts[p] for k, p in enumerate(people) if p in hosts}
    m = len(people)
    lo, hi = m // tables, -(-m // tables)
    old_t = np.full((n_rounds, m), -1, dtype=np.int64)
    where_old = {p: k for k, p in enumerate(people)}
    for r in future:
        for t, members in enumerate(plan[r]):
            for p in members:
                if p in where_old:
                    old_t[r, where_old[p]] = t
    line, cls, bad = _geometry(lay, pts, hard)
    usable = _usable(line, bad, q)
    if len(usable) < len(future):
        return None
    # the classes of the future rounds: the usable classes that best keep each old round's tables
    keep_score = np.zeros((len(future), len(usable)))
    for j, r in enumerate(future):
        for u, k in enumerate(usable):
            cm = np.zeros((tables, tables))
            np.add.at(cm, (line[k], old_t[r].clip(min=0)), (old_t[r] >= 0).astype(float))
            rr, cc = linear_sum_assignment(-cm)
            keep_score[j, u] = cm[rr, cc].sum()
    # class sets to try, the one keeping most seats first
    tries = []
    for subset in itertools.combinations(range(len(usable)), len(future)):
        sub = keep_score[:, list(subset)]
        rr, cc = linear_sum_assignment(-sub)
        tries.append((-float(sub[rr, cc].sum()), [usable[subset[int(c)]] for c in cc[np.argsort(rr)]]))
    tries.sort()
    host_list = list(host_rows.items())
    # the first class set that fits, then a few more for the one that changes fewest seats
    best: Plan | None = None
    best_changed = 0
    extra = 0
    for _score, classes in tries:
        if time.perf_counter() > deadline or extra >= EXTRA_TRIES:
            break
        got = _attempt(
            classes, future, held, people, line, cls, bad, hard, old_t, host_list, q, tables, lo, hi, deadline
        )
        if best is not None:
            extra += 1
        if got is not None:
            changed = changed_seats(plan, got, future)
            if best is None or changed < best_changed:
                best, best_changed = got, changed
    return best


# class sets tried after the first that fits, for fewer changed seats
EXTRA_TRIES = 6


def changed_seats(old: Plan, new: Plan, rounds: Sequence[int]) -> int:
    """Seats of the given rounds at which someone of the old plan sits at another table in the new."""
    changed = 0
    for r in rounds:
        before = {p: t for t, members in enumerate(old[r]) for p in members}
        changed += sum(1 for t, members in enumerate(new[r]) for p in members if before.get(p, t) != t)
    return changed


def _geometry(
    lay: AffineLayout, pts: list[tuple[int, int]], hard: npt.NDArray[np.bool_]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """line[c, a]: the line of class c through a's point; cls[a, b]: the class of the line
    joining a and b; bad[c, a, b]: a `hard` pair on one line of class c."""
    m = len(pts)
    line = np.array([[lay.line_of(pt, c) for pt in pts] for c in range(lay.q + 1)], dtype=np.int64)
    same_line = line[:, :, None] == line[:, None, :]
    cls = np.argmax(same_line, axis=0)
    np.fill_diagonal(cls, -1)
    bad = same_line & hard[None, :, :]
    bad[:, np.arange(m), np.arange(m)] = False
    return line, cls, bad


def _usable(line: npt.NDArray[np.int64], bad: npt.NDArray[np.bool_], q: int) -> list[int]:
    """Classes whose lines hold at most two held or cannot-link pairs each: the extra table can
    take at most two people off a line, so a line with more rules its class out."""
    out = []
    for k in range(q + 1):
        worst = max(
            int(np.triu(bad[k][np.ix_(li, li)]).sum()) for li in (np.flatnonzero(line[k] == i) for i in range(q))
        )
        if worst <= 2:
            out.append(k)
    return out


def _attempt(
    classes: list[int],
    future: list[int],
    held: Plan,
    people: list[int],
    line: npt.NDArray[np.int64],
    cls: npt.NDArray[np.int64],
    bad: npt.NDArray[np.bool_],
    hard: npt.NDArray[np.bool_],
    old_t: npt.NDArray[np.int64],
    host_list: list[tuple[int, int]],
    q: int,
    tables: int,
    lo: int,
    hi: int,
    deadline: float,
) -> Plan | None:
    """The future rounds on the given line classes (one per future round), or None."""
    m = len(people)
    in_k = np.isin(cls, classes)
    used_pairs = np.zeros((m, m), dtype=bool)
    where_of: dict[int, npt.NDArray[np.int64]] = {}
    for k, r in zip(classes, future, strict=True):
        # S, the extra table: pairs there must be new (no held or cannot-link pair, not on a line
        # of another future round's class, not together at another round's extra table)
        ok_pair = ~hard & ~used_pairs & ~(in_k & (cls != k))
        np.fill_diagonal(ok_pair, False)
        lines = [np.flatnonzero(line[k] == i) for i in range(q)]
        counts = [len(li) for li in lines]
        take_lo = [max(0, c - hi) for c in counts]
        take_hi = [c - lo for c in counts]
        feasible = all(a <= b for a, b in zip(take_lo, take_hi, strict=True))
        # prefer the people who sat at the old round's extra table: table-mates off their class-k line
        old_same = (old_t[r][:, None] == old_t[r][None, :]) & (old_t[r] >= 0)[:, None]
        np.fill_diagonal(old_same, False)
        was_extra = (old_same & (cls != k)).any(axis=1)
        if was_extra.sum() > hi:  # the old round was on another class: nobody to prefer
            was_extra[:] = False
        best_s = (
            _extra_table(lines, take_lo, take_hi, ok_pair, bad[k], was_extra, lo, hi, deadline) if feasible else None
        )
        if best_s is None:
            return None
        where = line[k].copy()
        where[best_s] = q
        same = where[:, None] == where[None, :]
        np.fill_diagonal(same, False)
        if (same & (hard | used_pairs)).any():
            return None
        used_pairs |= same
        where_of[r] = where
    out: Plan = [[list(t) for t in rd] for rd in held]
    for r in future:
        new_t = _number_tables(where_of[r], old_t[r], host_list, tables)
        if new_t is None:
            return None
        rd: list[list[int]] = [[] for _ in range(tables)]
        for k2 in range(m):
            rd[int(new_t[k2])].append(people[k2])
        out.append([sorted(t) for t in rd])
    return out


def _number_tables(
    where: npt.NDArray[np.int64], old: npt.NDArray[np.int64], host_list: list[tuple[int, int]], tables: int
) -> npt.NDArray[np.int64] | None:
    """Table numbers for a round's groups: hosts at their own tables, then as many people as
    possible at their old table (an assignment problem); None if two hosts share a group."""
    from scipy.optimize import linear_sum_assignment

    cm = np.zeros((tables, tables))
    np.add.at(cm, (where, old.clip(min=0)), -(old >= 0).astype(float))
    for k2, ht_label in host_list:
        cm[where[k2], :] = 1.0e9
        cm[where[k2], ht_label] = 0.0
    rr, cc = linear_sum_assignment(cm)
    if cm[rr, cc].max() >= 1.0e9:
        return None
    lab = np.empty(tables, dtype=np.int64)
    lab[rr] = cc
    return lab[where]


def _extra_table(
    lines: list[npt.NDArray[np.int64]],
    take_lo: list[int],
    take_hi: list[int],
    ok_pair: npt.NDArray[np.bool_],
    bad: npt.NDArray[np.bool_],
    pref: npt.NDArray[np.bool_],
    lo: int,
    hi: int,
    deadline: float,
    max_nodes: int = 1500,
    width: int = 6,
) -> list[int] | None:
    """People for the extra table: take_lo[i]..take_hi[i] from line i, lo..hi in all, pairwise
    `ok_pair`, at least one of every `bad` pair on a line; as many `pref` people as possible
    (depth-first, the most constrained lines first, a few candidates per line)."""
    order = sorted(range(len(lines)), key=lambda i: (take_hi[i] - take_lo[i], -take_lo[i]))
    rest_lo = [sum(take_lo[i] for i in order[k:]) for k in range(len(order) + 1)]
    rest_hi = [sum(take_hi[i] for i in order[k:]) for k in range(len(order) + 1)]
    musts = []
    for i in order:
        members = lines[i]
        bi, bj = np.nonzero(np.triu(bad[np.ix_(members, members)]))
        musts.append([(int(members[x]), int(members[y])) for x, y in zip(bi, bj, strict=True)])
    best: list[int] | None = None
    best_cost = float("inf")
    nodes = 0

    def options(pos_i: int, chosen: list[int]) -> list[list[int]]:
        i = order[pos_i]
        fit = [int(a) for a in lines[i] if all(ok_pair[a, b] for b in chosen)]
        fit.sort(key=lambda a: (not pref[a], a))
        out: list[list[int]] = []
        for size in range(take_lo[i], take_hi[i] + 1):
            if size == 0:
                out.append([])
            elif size == 1:
                out.extend([a] for a in fit[:width])
            else:
                out.extend([a, b] for x, a in enumerate(fit[:width]) for b in fit[x + 1 : width + 1] if ok_pair[a, b])
        return [sub for sub in out if all(a in sub or b in sub for a, b in musts[pos_i])]

    def dfs(pos_i: int, chosen: list[int]) -> None:
        nonlocal best, best_cost, nodes
        nodes += 1
        if nodes > max_nodes or time.perf_counter() > deadline:
            return
        if len(chosen) + rest_hi[pos_i] < lo or len(chosen) + rest_lo[pos_i] > hi:
            return
        if pos_i == len(order):
            cost = float(len(chosen) - pref[chosen].sum())
            if cost < best_cost:
                best, best_cost = list(chosen), cost
            return
        for sub in options(pos_i, chosen):
            dfs(pos_i + 1, chosen + sub)
            if best_cost == 0:
                return

    dfs(0, [])
    return best
