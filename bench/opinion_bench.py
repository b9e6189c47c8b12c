"""Opinion-map benchmark, side by side with red-dwarf 0.4.0, printing markdown.

    nice -n 10 env OMP_NUM_THREADS=1 .venv/bin/python bench/opinion_bench.py [--quick] [--50k] [--1m] [--seeds N]

Default: every Polis export in ../shared/data/polis-opendata (ARI of our groups against red-dwarf's and
against Polis's own group ids; wall times, median of three warm runs each) and planted-group recovery.
--50k adds 50,000 planted participants × 100 statements (both; red-dwarf once). --1m adds 1,000,000
participants × 1,000 statements at 10 % (~100 M votes): ours in a child process, whose peak RSS
(VmHWM) is its own, both from CSR arrays and from raw vote events; then red-dwarf in a child
limited to 8 GiB of address space and --rd-timeout seconds. --quick shrinks the synthetic cases
(20,000 and 100,000 participants). The conversations run both of Madang's methods (`polis`, the
default, and `red-dwarf`) over --seeds seeds; the synthetic cases run the default. Targets (issue 5 §2,
issue 18): ARI >= 0.95 against red-dwarf on every conversation with method="red-dwarf"; agreement with
Polis's own groups better than red-dwarf's; >= 5x faster on the largest conversation and >= 20x at
50,000 participants; the 1M case under 10 minutes and 8 GiB. Benchmarks never run inside the tests.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from madang.solvers.opinion import OpinionError, VoteMatrix, adjusted_rand_index, opinion_map, planted
from madang.solvers.opinion.__main__ import read_polis_export

DATA = next(
    (
        d / "shared" / "data" / "polis-opendata"
        for d in Path(__file__).resolve().parents[1:4]  # ../shared beside the repository or a worktree folder
        if (d / "shared" / "data" / "polis-opendata").exists()
    ),
    Path(__file__).resolve().parents[2] / "shared" / "data" / "polis-opendata",
)
GIB = 1024**3


def red_dwarf_votes(vm: VoteMatrix) -> list[dict]:
    """red-dwarf's input format (a list of vote dicts); built outside the timed region."""
    rows = vm.row_of_each_vote()
    return [
        {"participant_id": int(p), "statement_id": int(s), "vote": int(v), "modified": 0}
        for p, s, v in zip(rows.tolist(), vm.indices.tolist(), vm.values.tolist(), strict=True)
    ]


def red_dwarf_run(votes: list[dict], n_participants: int, moderated: list[int], seed: int) -> tuple[np.ndarray, float]:
    from reddwarf.implementations.base import run_pipeline

    t = time.perf_counter()
    res = run_pipeline(votes=votes, mod_out_statement_ids=moderated, random_state=seed)
    secs = time.perf_counter() - t
    labels = np.full(n_participants, -1)
    for pid, c in res.participants_df["cluster_id"].items():
        if str(c) not in ("<NA>", "nan", "None"):
            labels[int(pid)] = int(c)
    return labels, secs


def red_dwarf_version() -> str | None:
    try:
        from importlib.metadata import version

        import reddwarf  # noqa: F401
    except ImportError:
        return None
    return version("red-dwarf")


def ari_on(a: np.ndarray, b: np.ndarray) -> float:
    both = (a >= 0) & (b >= 0)
    return adjusted_rand_index(a[both], b[both]) if both.sum() >= 2 else float("nan")


def timed_ours(vm: VoteMatrix, seed: int, moderated: list[int], repeats: int, method: str = "polis"):
    opinion_map(vm, seed=seed, excluded_statements=moderated, method=method)  # warm-up (imports, caches), not timed
    times, res = [], None
    for _ in range(repeats):
        t = time.perf_counter()
        res = opinion_map(vm, seed=seed, excluded_statements=moderated, method=method)
        times.append(time.perf_counter() - t)
    return res, statistics.median(times)


def timed_rd(vm: VoteMatrix, seed: int, moderated: list[int], repeats: int):
    votes = red_dwarf_votes(vm)
    if repeats > 1:
        red_dwarf_run(votes, vm.n_participants, moderated, seed)  # warm-up, like ours
    runs = [red_dwarf_run(votes, vm.n_participants, moderated, seed) for _ in range(repeats)]
    return runs[0][0], statistics.median(r[1] for r in runs)


def fmt(x: float, d: int = 3) -> str:
    return "n/a" if x != x else f"{x:.{d}f}"


def conversations(seeds: int, rd: bool, summary: dict) -> None:
    print("\n## Real Polis conversations\n")
    if not DATA.exists():
        print(f"skipped: {DATA} not found")
        return
    print(
        "Same input to all: participants-votes.csv, moderated-out comments excluded. ARI against Polis's own "
        f"group ids (participants both clustered), the mean over seeds 0-{seeds - 1}; `polis` is Madang's "
        'default method, `rd` its red-dwarf-compatible method (`method="red-dwarf"`). ARI rd vs red-dwarf: '
        "seed 0 (the lowest over the seeds). Times (seed 0): median of 3 warm runs; red-dwarf's clock starts at "
        "`run_pipeline` with its vote list already built.\n"
    )
    print(
        "| conversation | participants | clustered | statements | votes | k polis / rd / red-dwarf / Polis "
        "| ARI vs Polis: red-dwarf | rd | **polis** | ARI rd vs red-dwarf | ARI polis vs red-dwarf "
        "| polis s | rd s | red-dwarf s | speed-up (polis) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    rows = []
    for folder in sorted(p for p in DATA.iterdir() if (p / "participants-votes.csv").exists()):
        vm, _sids, moderated, polis = read_polis_export(folder)
        res, ours_s = timed_ours(vm, 0, moderated, 3, "polis")
        res_rd, rdm_s = timed_ours(vm, 0, moderated, 3, "red-dwarf")
        k_polis = str(len(set(polis[polis >= 0].tolist())))
        ours = {
            m: [opinion_map(vm, seed=s, excluded_statements=moderated, method=m) for s in range(seeds)]
            for m in ("polis", "red-dwarf")
        }
        a_polis = {m: statistics.mean(ari_on(r.labels, polis) for r in rs) for m, rs in ours.items()}
        if rd:
            rd_lab, rd_s = timed_rd(vm, 0, moderated, 3)
            rd_labs = [rd_lab] + [timed_rd(vm, s, moderated, 1)[0] for s in range(1, seeds)]
            a_rd_all = {
                m: [ari_on(r.labels, lab) for r, lab in zip(rs, rd_labs, strict=True)] for m, rs in ours.items()
            }
            a_rd = {m: min(v) for m, v in a_rd_all.items()}
            rd_polis = statistics.mean(ari_on(lab, polis) for lab in rd_labs)
            rd_k = str(int(rd_lab.max()) + 1)
        else:
            a_rd = {"polis": float("nan"), "red-dwarf": float("nan")}
            a_rd_all = {m: [float("nan")] for m in a_rd}
            rd_polis = rd_s = float("nan")
            rd_k = "-"
        rows.append(
            (folder.name, vm.n_votes, a_rd["red-dwarf"], a_polis["polis"], rd_polis, ours_s, rd_s, a_polis["red-dwarf"])
        )
        print(
            f"| {folder.name} | {vm.n_participants:,} | {int((res.labels >= 0).sum()):,} | {vm.n_statements} | "
            f"{vm.n_votes:,} | {res.k} / {res_rd.k} / {rd_k} / {k_polis} | {fmt(rd_polis)} | "
            f"{fmt(a_polis['red-dwarf'])} | **{fmt(a_polis['polis'])}** | {fmt(a_rd_all['red-dwarf'][0])} "
            f"({fmt(a_rd['red-dwarf'])}) | {fmt(a_rd_all['polis'][0])} ({fmt(a_rd['polis'])}) | {ours_s:.3f} | "
            f"{rdm_s:.3f} | {fmt(rd_s)} | {fmt(rd_s / ours_s, 1)}× |",
            flush=True,
        )
    if rows:

        def med(i: int) -> float:
            vals = [float(r[i]) for r in rows if r[i] == r[i]]
            return statistics.median(vals) if vals else float("nan")

        largest = max(rows, key=lambda r: r[1])
        print(
            f"\nMedian ARI vs Polis's groups: red-dwarf {fmt(med(4))}, Madang rd {fmt(med(7))}, Madang polis "
            f"{fmt(med(3))}. Lowest ARI of Madang rd vs red-dwarf: {fmt(min(r[2] for r in rows))}. Largest "
            f"conversation ({largest[0]}, {largest[1]:,} votes): polis {fmt(largest[6] / largest[5], 1)}× "
            "faster than red-dwarf."
        )
        summary["conversations"] = {"min_ari_rd": min(r[2] for r in rows), "largest_speedup": largest[6] / largest[5]}


def why(seed: int) -> None:
    """Why Madang's groups and Polis's published ones differ: checks on each export, printed as a table."""
    import csv

    print("\n## Why the groups differ from Polis's (`--why`)\n")
    print(
        "- 15-NN: share of Polis-clustered participants whose group is the majority group of their 15 nearest "
        "neighbours in Madang's projection (leave-one-out). Near 1, Polis's groups are regions of this map "
        "and only the boundary differs; low, Polis grouped a different map.\n"
        "- low-vote: participants in a Polis group with fewer than 7 votes in the export.\n"
        "- order: the `polis` method with the participants in the export's row order (the default input), "
        "sorted by Polis participant id, sorted by their first vote in votes.csv (the order in which Polis's "
        "rating matrix gains rows), and in 8 random orders: mean (min-max) ARI against Polis.\n"
        "- replay: votes.csv in time order cut into N snapshots, each map warm-started from the last "
        "(`previous=`), as Polis updates; ARI of the final map against Polis.\n"
    )
    print(
        "| conversation | 15-NN | low-vote | polis, export order | polis, participant-id order "
        "| polis, first-vote order | polis, shuffled | replay 20 | replay 100 |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for folder in sorted(p for p in DATA.iterdir() if (p / "participants-votes.csv").exists()):
        vm, sids, moderated, polis = read_polis_export(folder)
        res = opinion_map(vm, seed=seed, excluded_statements=moderated)
        idx = np.flatnonzero(polis >= 0)
        x = res.projection[idx]
        d = ((x[:, None, :] - x[None, :, :]) ** 2).sum(axis=2)
        np.fill_diagonal(d, np.inf)
        nn = np.argsort(d, axis=1)[:, :15]
        g = polis[idx]
        knn = float(np.mean([np.bincount(g[row]).argmax() == gi for row, gi in zip(nn, g, strict=True)]))
        low = int(((polis >= 0) & (vm.votes_per_participant() < 7)).sum())

        def reordered(
            perm: np.ndarray, vm: VoteMatrix = vm, polis: np.ndarray = polis, mod: list[int] = moderated
        ) -> float:
            """ARI against Polis with participant i moved to row perm[i]."""
            m = VoteMatrix.from_votes(
                perm[vm.row_of_each_vote()],
                vm.indices,
                vm.values,
                n_participants=vm.n_participants,
                n_statements=vm.n_statements,
            )
            pp = np.full(vm.n_participants, -1)
            pp[perm] = polis
            return ari_on(opinion_map(m, seed=seed, excluded_statements=mod).labels, pp)

        shuffled = [reordered(np.random.default_rng(s).permutation(vm.n_participants)) for s in range(8)]
        with (folder / "participants-votes.csv").open(newline="") as f:
            pids = np.array([int(r[0]) for r in list(csv.reader(f))[1:]])
        by_pid = reordered(np.argsort(np.argsort(pids, kind="stable"), kind="stable"))
        first_vote = "-"
        replay = ["no votes.csv", "-"]
        if (folder / "votes.csv").exists():
            with (folder / "participants-votes.csv").open(newline="") as f:
                row_of = {int(r[0]): i for i, r in enumerate(list(csv.reader(f))[1:])}
            col = {sid: j for j, sid in enumerate(sids)}
            with (folder / "votes.csv").open(newline="") as f:
                ev = [r for r in csv.DictReader(f) if r["comment-id"] in col and int(r["voter-id"]) in row_of]
            ev.sort(key=lambda r: int(r["timestamp"]))
            ps = np.array([row_of[int(r["voter-id"])] for r in ev])
            ss = np.array([col[r["comment-id"]] for r in ev])
            vs = np.array([int(r["vote"]) for r in ev])
            # Polis's rating matrix gains a row when a participant first votes: order by first vote.
            first = np.full(vm.n_participants, np.iinfo(np.int64).max)
            np.minimum.at(first, ps, np.arange(len(ps)))
            first_vote = fmt(reordered(np.argsort(np.argsort(first, kind="stable"), kind="stable")))
            replay = []
            for steps in (20, 100):
                prev = None
                for q in np.linspace(0, 1, steps + 1)[1:]:
                    n = max(1, round(q * len(ev)))
                    m = VoteMatrix.from_votes(
                        ps[:n], ss[:n], vs[:n], n_participants=vm.n_participants, n_statements=vm.n_statements
                    )
                    try:
                        prev = opinion_map(m, seed=seed, excluded_statements=moderated, previous=prev)
                    except OpinionError:
                        continue
                replay.append(fmt(ari_on(prev.labels, polis)) if prev is not None else "n/a")
        print(
            f"| {folder.name} | {knn:.3f} | {low} | {fmt(ari_on(res.labels, polis))} | {fmt(by_pid)} | {first_vote} "
            f"| {statistics.mean(shuffled):.3f} "
            f"({min(shuffled):.3f}-{max(shuffled):.3f}) | {replay[0]} | {replay[1]} |",
            flush=True,
        )


def synthetic(n: int, m: int, rate: float, seed: int, rd: bool, label: str, repeats: int) -> None:
    t = time.perf_counter()
    p = planted(n, m, 3, vote_rate=rate, seed=seed)
    gen_s = time.perf_counter() - t
    res, ours_s = timed_ours(p.votes, seed, [], repeats)
    rdm = opinion_map(p.votes, seed=seed, method="red-dwarf")
    cells = [
        label,
        f"{n:,} × {m}",
        f"{p.votes.n_votes:,}",
        f"{res.k} / {rdm.k}",
        fmt(adjusted_rand_index(res.labels, p.truth)),
        fmt(adjusted_rand_index(rdm.labels, p.truth)),
    ]
    if rd:
        rd_lab, rd_s = timed_rd(p.votes, seed, [], 1)
        cells += [
            fmt(ari_on(rd_lab, p.truth)),
            fmt(ari_on(res.labels, rd_lab)),
            f"{ours_s:.3f}",
            f"{rd_s:.2f}",
            f"{rd_s / ours_s:.1f}×",
        ]
    else:
        cells += ["n/a", "n/a", f"{ours_s:.3f}", "n/a", "n/a"]
    steps = ", ".join(f"{k} {v:.2f}" for k, v in res.seconds.items() if k != "total")
    print("| " + " | ".join(cells) + f" | {gen_s:.1f} | {steps} |", flush=True)


def synthetic_header() -> None:
    print("\n## Planted groups (synthetic)\n")
    print(
        "Three planted groups (`planted(n, m, 3, seed)`); ours is the default method (`polis`), the median of 3 "
        'warm runs; `rd` (`method="red-dwarf"`) and red-dwarf: one run.\n'
    )
    print(
        "| case | participants × statements | votes | k polis / rd | ARI polis vs truth | ARI rd vs truth "
        "| ARI red-dwarf vs truth | ARI polis vs red-dwarf | polis s | red-dwarf s | speed-up | generate s "
        "| polis steps (s) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")


def peak_rss_gib() -> float:
    """This process's peak resident set. VmHWM belongs to the address space created at exec, whereas
    ru_maxrss can carry over the parent's peak from before the fork."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024 / GIB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / GIB  # Linux: KiB


def big_child(n: int, m: int, rate: float, seed: int, events: bool) -> None:
    """One large run in this (child) process; prints one JSON line."""
    t0 = time.perf_counter()
    p = planted(n, m, 3, vote_rate=rate, seed=seed)
    vm, truth = p.votes, p.truth
    del p
    t1 = time.perf_counter()
    out: dict = {"participants": n, "statements": m, "votes": vm.n_votes, "generate_s": round(t1 - t0, 1)}
    if events:
        # The service's path: vote rows (participant, statement, vote) in any order -> VoteMatrix.
        rng = np.random.default_rng(seed)
        order = rng.permutation(vm.n_votes)
        ps = vm.row_of_each_vote()[order]
        ss = vm.indices[order]
        vs = vm.values[order]
        del order, vm
        t1 = time.perf_counter()
        vm = VoteMatrix.from_votes(ps, ss, vs, n_participants=n, n_statements=m)
        del ps, ss, vs
        out["from_events_s"] = round(time.perf_counter() - t1, 1)
    res = opinion_map(vm, seed=seed)
    t2 = time.perf_counter()
    out.update(
        {
            "pipeline_s": round(t2 - t1, 1),
            "end_to_end_s": round(t2 - t0, 1),
            "peak_rss_gib": round(peak_rss_gib(), 2),
            "k": res.k,
            "ari_truth": round(adjusted_rand_index(res.labels, truth), 4),
            "pca_iterations": res.pca_iterations,
            "steps_s": {k: round(v, 1) for k, v in res.seconds.items()},
        }
    )
    print(json.dumps(out), flush=True)


def rd_big_child(n: int, m: int, rate: float, seed: int, limit_gib: float) -> None:
    """red-dwarf on the large case under an address-space limit; prints one JSON line whatever happens."""
    resource.setrlimit(resource.RLIMIT_AS, (int(limit_gib * GIB), int(limit_gib * GIB)))
    stage, t0 = "generating the votes", time.perf_counter()
    built = 0
    votes: list[dict] = []
    try:
        p = planted(n, m, 3, vote_rate=rate, seed=seed)
        stage = "building red-dwarf's input (a list of vote dicts)"
        rows = p.votes.row_of_each_vote()
        for a in range(0, p.votes.n_votes, 1 << 20):
            b = a + (1 << 20)
            votes.extend(
                {"participant_id": pp, "statement_id": ss, "vote": vv, "modified": 0}
                for pp, ss, vv in zip(
                    rows[a:b].tolist(), p.votes.indices[a:b].tolist(), p.votes.values[a:b].tolist(), strict=True
                )
            )
            built = len(votes)
        del rows
        stage = "run_pipeline"
        from reddwarf.implementations.base import run_pipeline

        run_pipeline(votes=votes, random_state=seed)
        result: dict[str, object] = {"outcome": "finished"}
    except MemoryError:
        votes.clear()  # give the memory back so that the report can be written
        result = {"outcome": "MemoryError"}
    except Exception as exc:
        result = {"outcome": f"{type(exc).__name__}: {str(exc)[:200]}"}
    result.update(
        {
            "stage": stage,
            "vote_dicts_built": built,
            "seconds": round(time.perf_counter() - t0, 1),
            "peak_rss_gib": round(peak_rss_gib(), 2),
        }
    )
    print(json.dumps(result), flush=True)


def run_child(args: list[str], timeout: float | None) -> tuple[dict | None, str]:
    cmd = [sys.executable, __file__, *args]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, f"stopped after the {timeout:.0f} s timeout"
    lines = [ln for ln in out.stdout.splitlines() if ln.startswith("{")]
    if lines:
        return json.loads(lines[-1]), ""
    return None, f"exit code {out.returncode}: {out.stderr.strip()[-600:]}"


def big(n: int, seed: int, rd: bool, rd_timeout: float, limit_gib: float) -> None:
    m, rate = 1000, 0.1
    print(f"\n## {n:,} participants × {m:,} statements at {rate:.0%} (ours alone; red-dwarf attempted)\n")
    print("Each run is a child process; peak RSS is that process's own high-water mark (VmHWM, generation included).\n")
    print(
        "| run | votes | generate s | from events s | pipeline s (PCA / base / groups / stats) | end to end s "
        "| peak RSS GiB | k | ARI vs truth |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for events in (False, True):
        res, err = run_child(["--big-child", str(n), "--seed", str(seed)] + (["--events"] if events else []), None)
        name = "ours, from vote events" if events else "ours, from CSR arrays"
        if res is None:
            print(f"| {name} | failed: {err} |||||||")
            continue
        st = res["steps_s"]
        pipe = f"{res['pipeline_s']} ({st['pca']} / {st['base_clusters']} / {st['groups']} / {st['statistics']})"
        print(
            f"| {name} | {res['votes']:,} | {res['generate_s']} | {res.get('from_events_s', '-')} | {pipe} | "
            f"{res['end_to_end_s']} | {res['peak_rss_gib']} | {res['k']} | {res['ari_truth']} |",
            flush=True,
        )
    if rd:
        res, err = run_child(
            ["--rd-big-child", str(n), "--seed", str(seed), "--rd-limit-gib", str(limit_gib)], rd_timeout
        )
        print(
            f"\nred-dwarf, same data, address space limited to {limit_gib:g} GiB: " + (json.dumps(res) if res else err),
            flush=True,
        )


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="smaller synthetic cases (20,000 and 100,000)")
    ap.add_argument("--50k", dest="fifty", action="store_true", help="add the 50,000-participant case")
    ap.add_argument("--1m", dest="million", action="store_true", help="add the 1,000,000-participant case")
    ap.add_argument("--no-conversations", action="store_true")
    ap.add_argument("--why", action="store_true", help="only the checks of why the groups differ from Polis's")
    ap.add_argument("--no-red-dwarf", action="store_true")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--seeds", type=int, default=5, help="seeds 0..N-1 for the conversations' ARI")
    ap.add_argument("--rd-timeout", type=float, default=1800.0, help="seconds for red-dwarf's large run")
    ap.add_argument("--rd-limit-gib", type=float, default=8.0)
    ap.add_argument("--big-child", type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument("--rd-big-child", type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument("--events", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.big_child:
        big_child(args.big_child, 1000, 0.1, args.seed, args.events)
        return 0
    if args.rd_big_child:
        rd_big_child(args.rd_big_child, 1000, 0.1, args.seed, args.rd_limit_gib)
        return 0
    rdv = None if args.no_red_dwarf else red_dwarf_version()
    rd = rdv is not None
    print("# Opinion map benchmark\n")
    threads = os.environ.get("OMP_NUM_THREADS", "?")
    python = sys.executable.replace(str(Path.cwd()) + "/", "")
    nice = os.getpriority(os.PRIO_PROCESS, 0)
    print(f"Command: `{' '.join([f'nice -n {nice} env OMP_NUM_THREADS=' + threads, python, *sys.argv])}`  ")
    print(
        f"Started {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}; load average at start: {load()}; "
        f"{os.cpu_count()} cores; Python {platform.python_version()}, numpy {np.__version__}; "
        f"red-dwarf {rdv or 'not installed (ours only)'}; seed {args.seed}."
    )
    summary: dict = {}
    if args.why:
        why(args.seed)
        print(f"\nFinished {time.strftime('%H:%M:%S UTC', time.gmtime())}; load average at end: {load()}.")
        return 0
    if not args.no_conversations:
        conversations(args.seeds, rd, summary)
    synthetic_header()
    synthetic(3000, 60, 0.5, args.seed, rd, "planted", 3)
    if args.fifty or args.quick:
        synthetic(20_000 if args.quick else 50_000, 100, 0.3, args.seed, rd, "speed", 3)
    if args.million or args.quick:
        big(100_000 if args.quick else 1_000_000, args.seed, rd, args.rd_timeout, args.rd_limit_gib)
    print(f"\nFinished {time.strftime('%H:%M:%S UTC', time.gmtime())}; load average at end: {load()}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
