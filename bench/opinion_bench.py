"""Opinion-map benchmark, side by side with red-dwarf 0.4.0: `nice -n 10 .venv/bin/python bench/opinion_bench.py [--quick]`.

Cases: every Polis export in ../shared/data/polis-opendata (ARI of our groups vs red-dwarf's and vs
Polis's own group ids, wall time of both); planted-group recovery; speed at 50,000 participants (both);
ours alone at 1,000,000 participants × 1,000 statements (~100 M votes), run in a child process so its
peak RSS (resource.getrusage) is its own. --quick shrinks the synthetic sizes (20,000 and 100,000).
Targets: ARI >= 0.95 vs red-dwarf on every conversation; >= 5x faster on the largest conversation and
>= 20x at 50,000 participants; 1M case under 10 minutes and 8 GiB.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from madang.solvers.opinion import VoteMatrix, adjusted_rand_index, opinion_map, planted
from madang.solvers.opinion.__main__ import read_polis_export

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "polis-opendata"


def red_dwarf_run(vm: VoteMatrix, moderated: list[int], seed: int):
    from reddwarf.implementations.base import run_pipeline

    rows = vm.row_of_each_vote()
    votes = [
        {"participant_id": int(p), "statement_id": int(s), "vote": int(v), "modified": 0}
        for p, s, v in zip(rows, vm.indices, vm.values, strict=True)
    ]
    t = time.perf_counter()
    res = run_pipeline(votes=votes, mod_out_statement_ids=moderated, random_state=seed)
    secs = time.perf_counter() - t
    labels = np.full(vm.n_participants, -1)
    cid = res.participants_df["cluster_id"]
    for pid, c in cid.items():
        if c is not None and not (isinstance(c, float) and np.isnan(c)) and str(c) != "<NA>":
            labels[int(pid)] = int(c)
    return labels, secs


def have_red_dwarf() -> bool:
    try:
        import reddwarf  # noqa: F401
    except ImportError:
        return False
    return True


def ari_on(a: np.ndarray, b: np.ndarray) -> float:
    both = (a >= 0) & (b >= 0)
    return adjusted_rand_index(a[both], b[both]) if both.sum() >= 2 else float("nan")


def conversations(seed: int, rd: bool) -> None:
    if not DATA.exists():
        print(f"skipped: {DATA} not found")
        return
    print(f"{'conversation':40} {'ptpts':>6} {'stmts':>5} {'votes':>7} {'k':>2} {'rd k':>4} "
          f"{'ARI rd':>7} {'ARI polis':>9} {'rd polis':>8} {'ours s':>7} {'rd s':>7} {'speedup':>7}")
    for folder in sorted(p for p in DATA.iterdir() if (p / "participants-votes.csv").exists()):
        vm, _sids, moderated, polis = read_polis_export(folder)
        t = time.perf_counter()
        res = opinion_map(vm, seed=seed, excluded_statements=moderated)
        ours_s = time.perf_counter() - t
        polis_ok = (polis >= 0).any()
        a_polis = ari_on(res.labels, polis) if polis_ok else float("nan")
        if rd:
            rd_lab, rd_s = red_dwarf_run(vm, moderated, seed)
            a_rd, rd_polis = ari_on(res.labels, rd_lab), (ari_on(rd_lab, polis) if polis_ok else float("nan"))
            rd_k = int(rd_lab.max()) + 1
        else:
            a_rd = rd_polis = rd_s = float("nan")
            rd_k = 0
        print(f"{folder.name:40} {vm.n_participants:6d} {vm.n_statements:5d} {vm.n_votes:7d} {res.k:2d} {rd_k:4d} "
              f"{a_rd:7.3f} {a_polis:9.3f} {rd_polis:8.3f} {ours_s:7.2f} {rd_s:7.2f} {rd_s / ours_s:7.1f}",
              flush=True)


def synthetic(n: int, m: int, rate: float, seed: int, rd: bool) -> None:
    t = time.perf_counter()
    p = planted(n, m, 3, vote_rate=rate, seed=seed)
    gen_s = time.perf_counter() - t
    t = time.perf_counter()
    res = opinion_map(p.votes, seed=seed)
    ours_s = time.perf_counter() - t
    line = (f"planted n={n} m={m} votes={p.votes.n_votes}: generate {gen_s:.1f}s, ours {ours_s:.2f}s "
            f"k={res.k} ARI vs truth {adjusted_rand_index(res.labels, p.truth):.3f}")
    if rd:
        rd_lab, rd_s = red_dwarf_run(p.votes, [], seed)
        line += (f"; red-dwarf {rd_s:.2f}s ARI vs truth {ari_on(rd_lab, p.truth):.3f}, "
                 f"ours vs red-dwarf {ari_on(res.labels, rd_lab):.3f}, speedup {rd_s / ours_s:.1f}x")
    print(line, flush=True)


def million(n: int, m: int, rate: float, seed: int) -> None:
    t0 = time.perf_counter()
    p = planted(n, m, 3, vote_rate=rate, seed=seed)
    t1 = time.perf_counter()
    res = opinion_map(p.votes, seed=seed)
    t2 = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024  # KiB -> GiB
    print(json.dumps({
        "participants": n, "statements": m, "votes": p.votes.n_votes, "generate_s": round(t1 - t0, 1),
        "pipeline_s": round(t2 - t1, 1), "total_s": round(t2 - t0, 1), "peak_rss_gib": round(peak, 2),
        "k": res.k, "ari_truth": round(adjusted_rand_index(res.labels, p.truth), 4),
        "pca_iterations": res.pca_iterations, "steps_s": {k: round(v, 1) for k, v in res.seconds.items()},
    }), flush=True)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--only", default="conversations,planted,speed,million")
    ap.add_argument("--million-child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--participants", type=int, default=0, help="size of the large case")
    args = ap.parse_args()
    big = args.participants or (100_000 if args.quick else 1_000_000)
    if args.million_child:
        million(big, 1000, 0.1, args.seed)
        return 0
    rd = have_red_dwarf()
    if not rd:
        print("red-dwarf not installed (.venv/bin/pip install red-dwarf==0.4.0): reporting ours only")
    only = set(args.only.split(","))
    if "conversations" in only:
        conversations(args.seed, rd)
    if "planted" in only:
        synthetic(3000, 60, 0.5, args.seed, rd)
    if "speed" in only:
        synthetic(20_000 if args.quick else 50_000, 100, 0.3, args.seed, rd)
    if "million" in only:
        cmd = [sys.executable, __file__, "--million-child", "--participants", str(big), "--seed", str(args.seed)]
        out = subprocess.run(cmd, capture_output=True, text=True, check=False)
        print(f"large case ({big} x 1000, ours only): {out.stdout.strip() or out.stderr.strip()[-2000:]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
