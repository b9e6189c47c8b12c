"""MDGP benchmark against best-known values: `.venv/bin/python bench/mdgp_bench.py [--quick]`.

Reads ../shared/data/mdgp (MDGPLIB subset + bkv.csv); time limits 3/20/120 s for n = 120/240/480
(--quick: 1/3/10 s). Target: median gap <= 1.0 %, none over 2.0 %.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from madang.solvers.grouping import check, read_mdgplib, solve

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "mdgp"
LIMITS = {120: 3.0, 240: 20.0, 480: 120.0}
QUICK = {120: 1.0, 240: 3.0, 480: 10.0}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--only", default="", help="comma-separated instance names")
    args = ap.parse_args()
    if not (DATA / "bkv.csv").exists():
        print(f"skipped: {DATA} not found (the MDGPLIB files are not distributed with Madang)")
        return 0
    rows = list(csv.DictReader((DATA / "bkv.csv").open()))
    if args.only:
        rows = [r for r in rows if r["instance"] in args.only.split(",")]
    limits = QUICK if args.quick else LIMITS
    gaps = []
    print(f"{'instance':24} {'n':>4} {'limit':>6} {'objective':>14} {'bkv':>14} {'gap%':>6} {'iters':>8}")
    for r in rows:
        inst = read_mdgplib(DATA / f"{r['instance']}.txt")
        n = inst.d.shape[0]
        res = solve(inst.d, inst.min_sizes, inst.max_sizes, seconds=limits[n], seed=args.seed)
        verdict = check(inst.d, res.assignment, inst.min_sizes, inst.max_sizes)
        assert verdict.ok, verdict.violations
        bkv = float(r["bkv_tpsdp_best"])
        gap = 100.0 * (bkv - verdict.objective) / bkv
        gaps.append(gap)
        print(
            f"{r['instance']:24} {n:4d} {limits[n]:6.0f} {verdict.objective:14.3f} {bkv:14.3f} {gap:6.2f} "
            f"{res.iterations:8d}",
            flush=True,
        )
    med, worst = statistics.median(gaps), max(gaps)
    met = med <= 1.0 and worst <= 2.0
    print(
        f"median gap {med:.2f}%  worst {worst:.2f}%  target (median <= 1.0, max <= 2.0): {'met' if met else 'MISSED'}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
