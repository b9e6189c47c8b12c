"""Is a re-plan draw out of reach of the affine-plane rebuild? `.venv/bin/python bench/replan_family.py`

Issue 18's draws that keep repeated pairs: for every set of future classes the rebuild
(`madang.solvers.rotation.recomplete`) would try, an integer program decides whether ANY choice of
one extra table per round makes the lines of those classes a plan with no pair meeting twice (the
rebuild's own depth-first search is a heuristic within that family). A class set the model calls
infeasible before its time limit is proven empty; "undecided" means the limit was hit.
Also prints the counting lower bound (`bound.repeat_lower_bound`) of each draw.
"""

from __future__ import annotations

import itertools
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import madang.solvers.rotation.core as core
import madang.solvers.rotation.recomplete as rc
from madang.solvers.rotation.bound import repeat_lower_bound


def _extra_tables_exact(
    classes: list[int],
    line: npt.NDArray[np.int64],
    hard: npt.NDArray[np.bool_],
    pref: npt.NDArray[np.bool_],
    q: int,
    lo: int,
    hi: int,
    deadline: float,
) -> list[npt.NDArray[np.int64]] | None:
    """Each future round's groups (`where`: the person's class-k_j line, or `q` for the extra
    table), for all rounds at once by an integer program (HiGHS); None if there are none for these
    classes (proven when it returns before `deadline`).

    s[j, p] = 1: p leaves its class-k_j line for round j's extra table S_j. With the lines fixed by
    the classes, a pair meets at most once exactly when:
    - each line of class k_j gives take_lo..take_hi people and S_j has lo..hi (table sizes);
    - no held or cannot-link pair sits together at one S_j, and one of each such pair on a line
      of class k_j leaves it;
    - no two extra tables share two people (u[i, j, p] = s[i, p] AND s[j, p], summed over p <= 1);
    - S_i holds at most one person who stays on a given line of class k_j in round j
      (v[i, j, p] >= s[i, p] - s[j, p], summed over the line <= 1): two would meet twice.
    Pairs joined by a line of any other class meet only at extra tables, which the third rule
    covers. The depth-first search (`_extra_table`) instead forbids every pair of S_i joined by
    another future class, so this model decides the whole family the rebuild searches.
    """
    import highspy

    n_f = len(classes)
    m = line.shape[1]
    inf = highspy.kHighsInf
    n_s = n_f * m
    pairs_ij = list(itertools.combinations(range(n_f), 2))
    ordered = [(i, j) for i in range(n_f) for j in range(n_f) if i != j]
    n_u, n_v = len(pairs_ij) * m, len(ordered) * m
    rows_lo: list[float] = []
    rows_hi: list[float] = []
    starts: list[int] = []
    index: list[int] = []
    value: list[float] = []

    def row(low: float, high: float, cols: Sequence[int]) -> None:
        rows_lo.append(low)
        rows_hi.append(high)
        starts.append(len(index))
        index.extend(cols)

    hi_u, hj_u = np.nonzero(np.triu(hard, 1))
    for j, k in enumerate(classes):
        base = j * m
        for i in range(q):
            members = [base + int(p) for p in np.flatnonzero(line[k] == i)]
            c = len(members)
            if max(0, c - hi) > c - lo:
                return None
            row(max(0, c - hi), c - lo, members)
            value.extend([1.0] * c)
        row(lo, hi, range(base, base + m))
        value.extend([1.0] * m)
        for a, b in zip(hi_u, hj_u, strict=True):
            row(-inf, 1.0, [base + int(a), base + int(b)])
            value.extend([1.0, 1.0])
            if line[k, a] == line[k, b]:
                row(1.0, inf, [base + int(a), base + int(b)])
                value.extend([1.0, 1.0])
    for x, (i, j) in enumerate(pairs_ij):
        u0 = n_s + x * m
        for p in range(m):
            row(-1.0, inf, [u0 + p, i * m + p, j * m + p])
            value.extend([1.0, -1.0, -1.0])
        row(-inf, 1.0, range(u0, u0 + m))
        value.extend([1.0] * m)
    for x, (i, j) in enumerate(ordered):
        v0 = n_s + n_u + x * m
        for p in range(m):
            row(0.0, inf, [v0 + p, i * m + p, j * m + p])
            value.extend([1.0, -1.0, 1.0])
        for li in range(q):
            members = [v0 + int(p) for p in np.flatnonzero(line[classes[j]] == li)]
            row(-inf, 1.0, members)
            value.extend([1.0] * len(members))
    n_all = n_s + n_u + n_v
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("random_seed", 0)
    h.setOptionValue("threads", 1)
    h.setOptionValue("mip_max_improving_sols", 1)  # the first plan found will do: the caller ranks plans by seats
    h.setOptionValue("time_limit", max(0.05, deadline - time.perf_counter()))
    h.addVars(n_all, np.zeros(n_all), np.ones(n_all))
    # leaving a line costs 1, half for the people who sat at the old extra table (fewer seats change)
    cost = np.concatenate([(1.0 - 0.5 * pref).ravel(), np.zeros(n_u + n_v)])
    h.changeColsCost(n_all, np.arange(n_all, dtype=np.int32), cost)
    h.changeColsIntegrality(n_s, np.arange(n_s, dtype=np.int32), np.array([highspy.HighsVarType.kInteger] * n_s))
    h.addRows(
        len(rows_lo),
        np.array(rows_lo),
        np.array(rows_hi),
        len(index),
        np.array(starts, dtype=np.int32),
        np.array(index, dtype=np.int32),
        np.array(value),
    )
    h.run()
    if h.getInfo().primal_solution_status != 2:
        return None
    sol = np.array(h.getSolution().col_value[:n_s]).reshape(n_f, m)
    out = []
    for j, k in enumerate(classes):
        where = line[k].copy()
        where[sol[j] > 0.5] = q
        out.append(where)
    return out


def main() -> int:
    from rotation_bench import cafe, no_show_draw

    from madang.solvers.rotation import solve

    limit = 30.0
    print("load average at start: " + Path("/proc/loadavg").read_text().strip())
    n = 120
    d, cannot = cafe(n, n)
    res = solve(n, 12, 6, cannot_link=cannot, diversity=d, seconds=4.0, seed=0)
    plan = res.plan
    verdicts: list[tuple[list[int], str, float]] = []

    def attempt(classes, future, held, people, line, cls, bad, hard, old_t, host_list, q, tables, lo, hi, deadline):  # type: ignore[no-untyped-def]
        t = time.perf_counter()
        pref = np.zeros((len(classes), len(people)), dtype=bool)
        got = _extra_tables_exact(classes, line, hard, pref, q, lo, hi, t + limit)
        took = time.perf_counter() - t
        verdicts.append(
            (classes, "fits" if got is not None else ("undecided" if took > limit * 0.95 else "empty"), took)
        )
        return None  # go on to the next class set

    rc._attempt = attempt  # type: ignore[assignment]
    rc.EXTRA_TRIES = 10**6
    for s in range(8):
        _r, absent = no_show_draw(plan, s)
        present = sorted(set(range(n)) - set(absent))
        verdicts.clear()
        core._recomplete_future(  # the rebuild alone, every class set, no deadline to speak of
            plan,
            2,
            set(absent),
            [],
            *_state(plan, absent, cannot, d),
            time.perf_counter() + 10**6,
            cannot,
            d,
            list(range(n)),
            0.0,
        )
        counts = {v: sum(1 for _c, x, _t in verdicts if x == v) for v in ("fits", "empty", "undecided")}
        worst = max((t for _c, _x, t in verdicts), default=0.0)
        lb = repeat_lower_bound(plan[:2], present, 4, 12, cannot)
        print(
            f"draw {s} {absent}: class sets {len(verdicts)}: {counts}, slowest {worst:.2f}s; counting bound {lb}",
            flush=True,
        )
    print("load average at end: " + Path("/proc/loadavg").read_text().strip())
    return 0


def _state(plan, cannot, d):  # type: ignore[no-untyped-def]
    """What `core._replan` hands the rebuild: the rounds state, indices, weights, hosts, seat cost."""
    ids = sorted({p for rd in plan for t in rd for p in t})
    idx, pair_w = core._prepare(ids, cannot, d, 1.0)
    rs = core._Rounds(np.full((len(plan), len(ids)), -1, dtype=np.int64), len(plan[0]), pair_w)
    max_size = max(len(t) for rd in plan for t in rd)
    return rs, idx, pair_w, {}, 2.0 * max_size + 1.0


if __name__ == "__main__":
    raise SystemExit(main())
