"""Open Space benchmark: `.venv/bin/python bench/openspace_bench.py [--quick] [--only 0,3-5]`.

Generated markets (120 participants with 3-6 interests each) on a grid over 30/40/50/60 topics,
5-8 rooms and 3-4 slots; instance k is `generate(k, topics=..., rooms=..., slots=...)`. The
heuristic runs with its time limit (1.5 s), and then the exact model (HiGHS, 60 s, given the
heuristic's schedule as its first incumbent). Target: on every instance the exact model proves,
the same people turned away and clashes within 5 % of the optimum, in under 2 s.
--quick: instances 0 and 4 (30 topics, 3 slots), exact model 20 s.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from madang.solvers.openspace import check, generate, solve, solve_exact

TOPICS = (30, 40, 50, 60)


def sizes(k: int) -> tuple[int, int, int]:
    return TOPICS[k % 4], 5 + (k // 4) % 4, 3 + (k // 2) % 2


def parse_only(text: str) -> list[int]:
    out: list[int] = []
    for part in text.split(","):
        lo, _, hi = part.partition("-")
        out.extend(range(int(lo), int(hi or lo) + 1))
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--only", default="", help="instance numbers, e.g. 0,3-5 (default 0-19)")
    ap.add_argument("--seconds", type=float, default=1.5, help="heuristic time limit")
    ap.add_argument("--exact-seconds", type=float, default=None)
    ap.add_argument("--seed", type=int, default=0, help="heuristic seed")
    args = ap.parse_args()
    ks = parse_only(args.only) if args.only else ([0, 4] if args.quick else list(range(20)))
    exact_limit = args.exact_seconds if args.exact_seconds is not None else (20.0 if args.quick else 60.0)
    print(f"heuristic {args.seconds:g} s, exact model {exact_limit:g} s")
    print(
        "| # | topics | rooms | slots | cells | heur. turned away | heur. clashes | heur. s | exact turned away "
        "| exact clashes (bound) | exact s | gap % |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    proven = met = 0
    slowest = 0.0
    for k in ks:
        t, r, s = sizes(k)
        market = generate(k, topics=t, rooms=r, slots=s)
        cells = r * s - len(market.forbidden)
        start = time.perf_counter()
        res = solve(market, seconds=args.seconds, seed=args.seed)
        heur_s = time.perf_counter() - start
        slowest = max(slowest, heur_s)
        verdict = check(market, res.schedule)
        assert verdict.ok, verdict.violations
        assert (verdict.turned_away, verdict.clashes) == (res.turned_away, res.clashes)
        ex = solve_exact(market, seconds=exact_limit, start=res.schedule)
        if ex.schedule is not None:
            ev = check(market, ex.schedule)
            assert ev.ok, ev.violations
            assert (ev.turned_away, ev.clashes) == (ex.turned_away, ex.clashes)
        if ex.optimal and ex.clashes is not None:
            proven += 1
            same_primary = res.turned_away == ex.turned_away
            gap = 0.0 if res.clashes == ex.clashes else 100.0 * (res.clashes - ex.clashes) / max(ex.clashes, 1)
            ok = same_primary and gap <= 5.0 and heur_s < 2.0
            met += ok
            exact_txt = f"**{ex.clashes}** (proven)"
            gap_txt = f"{gap:.1f}" + ("" if same_primary else " (more turned away)")
        else:
            bound = ex.clash_bound
            exact_txt = f"{ex.clashes} ({bound:.0f})"
            gap_txt = f"≤ {100.0 * (res.clashes - bound) / max(bound, 1):.1f} (not proven)"
        print(
            f"| {k} | {t} | {r} | {s} | {cells} | {res.turned_away} | {res.clashes} | {heur_s:.2f} | "
            f"{ex.turned_away} | {exact_txt} | {ex.seconds:.1f} | {gap_txt} |",
            flush=True,
        )
    verdict = "not verified (nothing proven)" if proven == 0 else "met" if met == proven else "MISSED"
    print(
        f"\nproven optimal: {proven}/{len(ks)}; heuristic within 5 % (same turned away, < 2 s) on "
        f"{met}/{proven} proven; slowest heuristic run {slowest:.2f} s; target on the proven instances: {verdict}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
