"""`python -m madang.solvers.rotation G-S-W [--seconds S]` plans a social golfer instance
(G tables of S for W rounds); `--people N --tables T --rounds R` plans an uneven one."""

from __future__ import annotations

import argparse
import sys

from madang.solvers.rotation import check, solve


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m madang.solvers.rotation", description=__doc__)
    ap.add_argument("instance", nargs="?", help="G-S-W, e.g. 8-4-9")
    ap.add_argument("--people", type=int)
    ap.add_argument("--tables", type=int)
    ap.add_argument("--rounds", type=int)
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    if args.instance:
        g, s, w = map(int, args.instance.split("-"))
        people, tables, rounds = g * s, g, w
    else:
        people, tables, rounds = args.people, args.tables, args.rounds
    res = solve(people, tables, rounds, seconds=args.seconds, seed=args.seed)
    verdict = check(res.plan, people=range(people))
    sys.stdout.write(
        f"{people} people, {tables} tables, {rounds} rounds: {verdict.repeated_pairs} repeated "
        f"pairs, {len(verdict.violations)} violations, {res.seconds:.2f}s, {res.method}\n"
    )
    for r, rd in enumerate(res.plan):
        sys.stdout.write(f"round {r + 1}: " + " | ".join(" ".join(map(str, t)) for t in rd) + "\n")
    return 0 if verdict.ok and verdict.repeated_pairs == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
