"""`python -m madang.solvers.grouping INSTANCE [--seconds S] [--seed K]` solves an MDGPLIB file."""

from __future__ import annotations

import argparse
import sys

from madang.solvers.grouping import check, read_mdgplib, solve


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m madang.solvers.grouping", description=__doc__)
    ap.add_argument("instance", help="MDGPLIB instance file")
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    inst = read_mdgplib(args.instance)
    res = solve(inst.d, inst.min_sizes, inst.max_sizes, seconds=args.seconds, seed=args.seed)
    verdict = check(inst.d, res.assignment, inst.min_sizes, inst.max_sizes)
    sys.stdout.write(
        f"{inst.name}: objective {res.objective:.6f} (checked {verdict.objective:.6f}, "
        f"{'ok' if verdict.ok else '; '.join(verdict.violations)}) "
        f"iterations {res.iterations} restarts {res.restarts} time {res.seconds:.2f}s\n"
    )
    sys.stdout.write(" ".join(map(str, res.assignment)) + "\n")
    return 0 if verdict.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
