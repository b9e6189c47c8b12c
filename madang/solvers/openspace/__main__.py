"""`python -m madang.solvers.openspace [--seed K] [--topics N --rooms R --slots S] [--seconds X]`
generates a market from a seed and prints its schedule; `--exact SECONDS` also runs the exact model,
and `--iterations N` stops the search after N steps instead of a time limit (reproducible output)."""

from __future__ import annotations

import argparse
import sys

from madang.solvers.openspace import check, generate, solve, solve_exact


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m madang.solvers.openspace", description=__doc__)
    ap.add_argument("--seed", type=int, default=0, help="market seed")
    ap.add_argument("--topics", type=int)
    ap.add_argument("--rooms", type=int)
    ap.add_argument("--slots", type=int)
    ap.add_argument("--seconds", type=float, default=1.5)
    ap.add_argument("--iterations", type=int)
    ap.add_argument("--exact", type=float, metavar="SECONDS")
    args = ap.parse_args(argv)
    market = generate(args.seed, topics=args.topics, rooms=args.rooms, slots=args.slots)
    res = solve(market, seconds=args.seconds, seed=0, max_iterations=args.iterations)
    verdict = check(market, res.schedule)
    size = {t.id: len(t.audience) for t in market.topics}
    out = sys.stdout
    people = len({p for t in market.topics for p in t.audience})
    out.write(
        f"market {args.seed}: {len(market.topics)} topics, {len(market.rooms)} rooms, "
        f"{len(market.slots)} slots, {people} people\n"
    )
    by_cell = {cell: tid for tid, cell in res.schedule.placements.items()}
    for s in market.slots:
        cells = []
        for r in market.rooms:
            if (r.id, s) in market.forbidden:
                cells.append(f"{r.id}({r.capacity}) closed")
            elif (r.id, s) in by_cell:
                tid = by_cell[r.id, s]
                cells.append(f"{r.id}({r.capacity}) {tid}[{size[tid]}]{'*' if size[tid] > r.capacity else ''}")
            else:
                cells.append(f"{r.id}({r.capacity}) -")
        out.write(f"{s}: " + " | ".join(cells) + "\n")
    if res.schedule.unscheduled:
        out.write("unscheduled: " + " ".join(f"{t}[{size[t]}]" for t in res.schedule.unscheduled) + "\n")
    out.write(
        f"turned away {res.turned_away} (overflow {res.overflow}), clashes {res.clashes}; "
        f"checked: turned away {verdict.turned_away}, clashes {verdict.clashes}, "
        f"{'ok' if verdict.ok else '; '.join(verdict.violations)}\n"
    )
    out.write(f"{res.iterations} iterations, {res.restarts} restarts\n")
    if args.exact is not None:
        ex = solve_exact(market, seconds=args.exact, start=res.schedule)
        out.write(
            f"exact: turned away {ex.turned_away}, clashes {ex.clashes} (bound {ex.clash_bound:.0f}), "
            f"{'optimal' if ex.optimal else 'not proven'}, {ex.seconds:.1f}s\n"
        )
    return 0 if verdict.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
