"""Pairwise wiki survey benchmark: `.venv/bin/python bench/pairwise_bench.py [--quick]`.

Side by side, in one run, on seeded synthetic surveys from madang/solvers/pairwise/simulate.py
(θ ~ N(0, 1); three voter groups who disagree; 20 % of the ideas submitted during the survey;
"can't decide" between close ideas):

1. Kendall τ with the truth at equal votes: Madang's fit (default prior λ = 1, and λ = 0.01)
   against the maximum-likelihood fits of the PyPI package `choix` (`ilsr_pairwise`, and for 100
   ideas `mm_pairwise`, regularisation α = 0.01) on the same uniform-random-pair votes.
2. Votes needed to reach τ = 0.9, adaptive pairs (select.py) against uniform random pairs, for
   100 and 1,000 ideas, same truths and voters: the point where the seed-averaged τ curve
   (checked at 100 points, at the end of the batch that passes each, refit after every n/2 votes
   for both) crosses 0.9. Also Madang's and choix's τ
   on the adaptive votes at that point, and a rough ceiling for any design: a vote's Fisher
   information p(1 − p) is at most ¼, so no choice of pairs can gain more than ¼ / E_uniform[p(1 − p)]
   in information per vote. A sensitivity run with a wider truth, θ ~ N(0, 2²), follows.
3. Time to fit 1,000,000 votes on 1,000 ideas: Madang (from the raw vote arrays: aggregation,
   fit from cold, scores) against `choix.ilsr_pairwise_dense` on the same counts (matrix built
   untimed; "can't decide" as half a win each for both), with BLAS on 1 and on 2 threads.
4. Peak memory (tracemalloc) of aggregation + fit + scores for 100,000 ideas with 1 and 10
   million votes (Madang only: a dense n × n matrix would need 80 GB).

Each section runs in its own process with a time limit (--limit, default 300 s), so the benchmark
stays bounded. BLAS runs on one thread except in section 3b (on a shared two-core machine
threaded BLAS on small arrays is slow and erratic). `choix` is optional: without it the choix
columns are skipped with a message. Kendall τ is scipy's when scipy is importable, else Madang's.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ALPHA = 0.01


def _choix() -> Any:
    try:
        import choix
    except ImportError:
        return None
    return choix


def _tau(x: Any, y: Any) -> float:
    from madang.solvers.pairwise import kendall_tau

    try:
        from scipy.stats import kendalltau
    except ImportError:
        return kendall_tau(x, y)
    return float(kendalltau(x, y).statistic)


def _uniform_votes(n: int, votes: int, seed: int) -> tuple[Any, Any, Any, Any]:
    import numpy as np

    from madang.solvers.pairwise import cast_votes, make_truth, uniform_pairs

    truth = make_truth(n, seed=seed)
    rng = np.random.default_rng(seed + 1000)
    w, lo, t = cast_votes(truth, uniform_pairs(truth, 0, votes, rng), rng)
    return truth, w, lo, t


def _choix_fits(choix: Any, n: int, w: Any, lo: Any, t: Any, with_mm: bool) -> dict[str, Any]:
    decided = [(int(a), int(b)) for a, b, tie in zip(w, lo, t, strict=True) if not tie]
    out: dict[str, Any] = {}
    for name, call in (("choix ilsr_pairwise", choix.ilsr_pairwise), ("choix mm_pairwise", choix.mm_pairwise)):
        if name.endswith("mm_pairwise") and not with_mm:
            continue
        try:
            out[name] = call(n, decided, alpha=ALPHA)
        except (RuntimeError, ValueError) as exc:  # choix raises on non-convergence
            out[name] = exc
    return out


# ---------------------------------------------------------------- section 1


def _mean_cell(sums: dict[str, list[float]], key: str, missing: str) -> str:
    if key not in sums:
        return missing
    return f"{sum(sums[key]) / len(sums[key]):.4f}"


def section_tau(quick: bool) -> list[str]:
    from madang.solvers.pairwise import aggregate, fit

    choix = _choix()
    sizes = [100] if quick else [100, 1000]
    per_idea = [10, 30, 100]
    seeds = [1, 2] if quick else [1, 2, 3]
    rows = [
        "| ideas | votes | Madang λ=1 | Madang λ=0.01 | choix ilsr α=0.01 | choix mm α=0.01 |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for n in sizes:
        for k in per_idea:
            sums: dict[str, list[float]] = {}
            for seed in seeds:
                truth, w, lo, t = _uniform_votes(n, k * n, seed)
                counts = aggregate(n, w, lo, t)
                sums.setdefault("ours", []).append(_tau(fit(counts).theta, truth.theta))
                sums.setdefault("ours small", []).append(_tau(fit(counts, prior_precision=ALPHA).theta, truth.theta))
                if choix is not None:
                    for name, est in _choix_fits(choix, n, w, lo, t, with_mm=n <= 100).items():
                        sums.setdefault(name, []).append(
                            float("nan") if isinstance(est, Exception) else _tau(est, truth.theta)
                        )

            cells = [
                _mean_cell(sums, key, "skipped" if choix is None else "–")
                for key in ("ours", "ours small", "choix ilsr_pairwise", "choix mm_pairwise")
            ]
            rows.append(f"| {n:,} | {k * n:,} | " + " | ".join(cells) + " |")
    rows.append(
        f"\n(mean over seeds {seeds}; uniform random pairs; choix gets the decided votes, Madang also the \"can't "
        'decide"s as half-wins)'
    )
    return rows


# ---------------------------------------------------------------- section 2


def _crossing(marks: list[int], curves: list[list[float]], target: float = 0.9) -> float | None:
    """Votes at which the seed-averaged τ curve first reaches `target` (linear interpolation)."""
    import numpy as np

    mean = np.mean(curves, axis=0)
    hit = np.flatnonzero(mean >= target)
    if not hit.size:
        return None
    k = int(hit[0])
    if k == 0:
        return float(marks[0])
    x0, x1, y0, y1 = marks[k - 1], marks[k], float(mean[k - 1]), float(mean[k])
    return x0 + (target - y0) / (y1 - y0) * (x1 - x0)


def _rules() -> list[str]:
    """The selection rules (select.py `method`) to compare, from --select (passed on in the environment)."""
    from madang.solvers.pairwise.select import METHODS

    names = [r for r in os.environ.get("PAIRWISE_SELECT", "").split(",") if r] or ["default"]
    for r in names:
        if r != "default" and r not in METHODS:
            raise ValueError(f"unknown selection rule {r!r} (choose from default, {', '.join(METHODS)})")
    return names


def _adaptive_rows(
    n: int, seeds: list[int], budget_per_idea: int, spread: float, prior: float, estimate: bool | None = None
) -> list[str]:
    import numpy as np

    from madang.solvers.pairwise import aggregate, fit, fit_evidence, make_truth, run_survey

    choix = _choix()
    rules = _rules()
    if estimate is None:
        estimate = os.environ.get("PAIRWISE_PRIOR") == "auto"
    lams: list[float] = []
    budget = budget_per_idea * n
    every = max(n // 2, budget // 100)
    marks = list(range(every, budget + 1, every))
    checked = marks
    strategies = ["uniform", *rules]
    curves: dict[str, list[list[float]]] = {s: [] for s in strategies}
    info: dict[str, list[float]] = {s: [] for s in strategies}
    took: dict[str, float] = dict.fromkeys(strategies, 0.0)
    traces: dict[str, list[Any]] = {s: [] for s in rules}
    for seed in seeds:
        truth = make_truth(n, seed=seed, spread=spread)
        for strategy in strategies:
            options = None if strategy in ("uniform", "default") else {"method": strategy}
            start = time.perf_counter()
            trace = run_survey(
                truth,
                budget,
                seed=seed + 100,
                strategy="uniform" if strategy == "uniform" else "adaptive",
                checkpoints=marks,
                prior_precision=prior,
                estimate_prior=estimate,
                select_options=options,
            )
            took[strategy] += time.perf_counter() - start
            # τ where it was measured: the end of the batch that passed each mark (same for every run)
            checked = trace.checkpoints
            curves[strategy].append(trace.tau)
            if trace.fit is not None:
                lams.append(trace.fit.prior_precision)
            d = truth.theta[trace.winner] - truth.theta[trace.loser]
            p = 1 / (1 + np.exp(-d))
            info[strategy].append(float((p * (1 - p)).mean()))
            if strategy != "uniform":
                traces[strategy].append((truth, trace))
    marks = checked
    u = _crossing(marks, curves["uniform"])
    pu = float(np.mean(info["uniform"]))
    fmt = lambda x: "not reached" if x is None else f"{x:,.0f}"  # noqa: E731
    rows = []
    for rule in rules:
        a = _crossing(marks, curves[rule])
        # equal votes on the adaptive data: ours against choix at the adaptive crossing
        ours_tau, theirs_tau = [], []
        if a is not None:
            v = next(m for m in marks if m >= a)
            for truth, trace in traces[rule]:
                w, lo, t = trace.winner[:v], trace.loser[:v], trace.tie[:v]
                counts = aggregate(n, w, lo, t)
                mine = fit_evidence(counts, prior_precision=prior) if estimate else fit(counts, prior_precision=prior)
                ours_tau.append(_tau(mine.theta, truth.theta))
                if choix is not None:
                    est = _choix_fits(choix, n, w, lo, t, with_mm=False)["choix ilsr_pairwise"]
                    theirs_tau.append(float("nan") if isinstance(est, Exception) else _tau(est, truth.theta))
        pa = float(np.mean(info[rule]))
        ratio = f"**{a / u:.2f}**" if u and a else "–"
        eq = (
            "–"
            if not ours_tau
            else f"{np.mean(ours_tau):.4f} / " + (f"{np.mean(theirs_tau):.4f}" if theirs_tau else "skipped")
        )
        # τ at equal votes: both curves (seed means) at the uniform crossing
        at = int(np.searchsorted(marks, u)) if u else len(marks) - 1
        at = min(at, len(marks) - 1)
        tau_eq = (
            f"{np.mean(curves['uniform'], axis=0)[at]:.4f} / {np.mean(curves[rule], axis=0)[at]:.4f} @ {marks[at]:,}"
        )
        per_vote = 1e6 * took[rule] / (budget * len(seeds))
        prior_cell = f"estimated from {prior:g} (final {np.mean(lams):.2f})" if estimate else f"{prior:g}"
        rows.append(
            f"| {n:,} | {spread:g} | {prior_cell} | {len(seeds)} | {rule} | {fmt(u)} | {fmt(a)} | {ratio} | {pu:.3f} / "
            f"{pa:.3f} | "
            f"{pu / 0.25:.2f} | {eq} | {tau_eq} | {per_vote:.0f} µs |"
        )
    return rows


ADAPTIVE_HEAD = [
    "| ideas | spread of θ | prior λ | seeds | rule | uniform: votes to τ=0.9 | adaptive: votes to τ=0.9 | ratio | "
    "mean p(1−p) uniform / adaptive | "
    "ceiling E_u[p(1−p)]/¼ | τ at the adaptive crossing: Madang / choix ilsr | τ uniform / adaptive at equal votes | "
    "survey time per vote (select + fit) |",
    "|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
]


def section_adaptive_small(quick: bool) -> list[str]:
    seeds = int(os.environ.get("PAIRWISE_SEEDS_100", "4" if quick else "12"))
    return _adaptive_rows(100, list(range(seeds)), 160, 1.0, 1.0)


def section_adaptive_large(quick: bool) -> list[str]:
    return _adaptive_rows(1000, list(range(int(os.environ.get("PAIRWISE_SEEDS", "3")))), 140, 1.0, 1.0)


def section_adaptive_spread(quick: bool) -> list[str]:
    seeds = list(range(12))
    return (
        _adaptive_rows(100, seeds, 60, 2.0, 1.0, False)
        + _adaptive_rows(100, seeds, 60, 2.0, 0.25, False)
        + _adaptive_rows(100, seeds, 60, 2.0, 1.0, True)
    )


# ---------------------------------------------------------------- section 3


def section_fit_time(quick: bool) -> list[str]:
    import numpy as np

    from madang.solvers.pairwise import aggregate, fit, score

    choix = _choix()
    n, votes = 1000, 1_000_000
    truth, w, lo, t = _uniform_votes(n, votes, seed=7)
    threads = os.environ.get("OPENBLAS_NUM_THREADS", "default")
    start = time.perf_counter()
    counts = aggregate(n, w, lo, t)
    mid = time.perf_counter()
    model = fit(counts)
    end = time.perf_counter()
    table = score(model, counts)
    done = time.perf_counter()
    rows = [
        f"| Madang aggregate + fit + score (BLAS threads: {threads}) | {done - start:.2f} s (aggregate "
        f"{mid - start:.2f}, fit {end - mid:.2f}, "
        f"score {done - end:.2f}; {model.newton_steps} Newton steps, {model.cg_steps} CG) | "
        f"{_tau(model.theta, truth.theta):.4f} |"
    ]
    del table
    if choix is None:
        rows.append("| choix ilsr_pairwise_dense | skipped (choix not installed) | |")
        return rows
    mat = np.zeros((n, n))
    np.add.at(mat, (w[~t], lo[~t]), 1.0)
    np.add.at(mat, (w[t], lo[t]), 0.5)
    np.add.at(mat, (lo[t], w[t]), 0.5)
    start = time.perf_counter()
    est = choix.ilsr_pairwise_dense(mat, alpha=ALPHA)
    took = time.perf_counter() - start
    rows.append(
        f"| choix ilsr_pairwise_dense α=0.01 (BLAS threads: {threads}) | {took:.2f} s (matrix built untimed) | "
        f"{_tau(est, truth.theta):.4f} |"
    )
    return rows


# ---------------------------------------------------------------- section 4


def section_memory(quick: bool) -> list[str]:
    import numpy as np

    from madang.solvers.pairwise import (
        aggregate,
        cast_votes,
        fit,
        kendall_tau,
        make_truth,
        score,
        uniform_pairs,
    )

    n = 100_000
    rows = []
    for votes in [1_000_000] if quick else [1_000_000, 10_000_000]:
        truth = make_truth(n, seed=9, late_share=0.0)
        rng = np.random.default_rng(10)
        pairs = uniform_pairs(truth, 0, votes, rng)
        w, lo, t = cast_votes(truth, pairs, rng)
        w, lo = w.astype(np.int32), lo.astype(np.int32)  # how a service would hold them
        del pairs
        tracemalloc.start()
        start = time.perf_counter()
        counts = aggregate(n, w, lo, t)
        model = fit(counts)
        table = score(model, counts)
        took = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        raw = w.nbytes + lo.nbytes + t.nbytes
        rows.append(
            f"| {n:,} | {votes:,} | {counts.n_pairs:,} | {peak / 2**20:,.0f} MiB | {raw / 2**20:,.0f} MiB | {took:.1f} "
            "s | "
            f"{kendall_tau(table.score, truth.theta):.4f} | {model.newton_steps} |"
        )
        del counts, model, table
    return rows


# ---------------------------------------------------------------- driver


SECTIONS = {
    "tau": ("1. Kendall τ with the truth at equal votes", section_tau, "1"),
    "adaptive100": (
        "2a. Votes to reach τ = 0.9, 100 ideas: adaptive vs uniform random pairs",
        section_adaptive_small,
        "1",
    ),
    "adaptive1000": ("2b. Votes to reach τ = 0.9, 1,000 ideas", section_adaptive_large, "1"),
    "spread2": ("2c. Votes to reach τ = 0.9, 100 ideas, wider truth θ ~ N(0, 2²)", section_adaptive_spread, "1"),
    "fit1": ("3. Fit time, 1,000 ideas, 1,000,000 votes", section_fit_time, "1"),
    "fit2": ("3b. Fit time, as 3 with two BLAS threads", section_fit_time, "2"),
    "memory": ("4. Memory, 100,000 ideas (Madang only)", section_memory, "1"),
}


def _child(name: str, quick: bool, queue: Any) -> None:
    try:
        queue.put(SECTIONS[name][1](quick))
    except Exception as exc:  # reported, not hidden
        queue.put([f"failed: {type(exc).__name__}: {exc}"])


def run_section(name: str, quick: bool, limit: float) -> list[str]:
    os.environ["OPENBLAS_NUM_THREADS"] = SECTIONS[name][2]  # read by numpy in the spawned child
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(name, quick, queue))
    proc.start()
    try:
        return queue.get(timeout=limit)
    except Exception:
        return [f"timed out after {limit:.0f} s"]
    finally:
        proc.join(5)
        if proc.is_alive():
            proc.kill()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes only (about a minute)")
    parser.add_argument("--only", choices=sorted(SECTIONS), action="append", help="run only these sections")
    parser.add_argument("--limit", type=float, default=300.0, help="seconds allowed per section")
    parser.add_argument(
        "--select",
        default="default",
        help="section 2: comma-separated selection rules to compare with uniform pairs "
        "(default = select.py's default; or its `method` names, e.g. thompson,misorder)",
    )
    parser.add_argument("--seeds", type=int, default=None, help="section 2b: number of seeds (default 3)")
    parser.add_argument(
        "--seeds100", type=int, default=None, help="section 2a: number of seeds (default 12, 4 with --quick)"
    )
    parser.add_argument(
        "--prior",
        choices=["fixed", "auto"],
        default="fixed",
        help="sections 2a/2b: the prior precision fixed at 1, or estimated from the votes as they arrive "
        "(empirical Bayes, model.evidence_precision) for uniform and adaptive pairs alike",
    )
    args = parser.parse_args()
    os.environ["PAIRWISE_SELECT"] = args.select  # read by the spawned children
    os.environ["PAIRWISE_PRIOR"] = args.prior
    if args.seeds is not None:
        os.environ["PAIRWISE_SEEDS"] = str(args.seeds)
    if args.seeds100 is not None:
        os.environ["PAIRWISE_SEEDS_100"] = str(args.seeds100)
    if _choix() is None:
        print("choix is not installed (`.venv/bin/pip install choix`): its columns are skipped.\n")
    headers = {
        "fit1": ["| method | time | τ |", "|---|---|---:|"],
        "adaptive100": ADAPTIVE_HEAD,
        "adaptive1000": ADAPTIVE_HEAD,
        "spread2": ADAPTIVE_HEAD,
        "memory": [
            "| ideas | votes | distinct pairs | peak traced memory | raw vote arrays | time | τ (sampled) | Newton "
            "steps |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|",
        ],
    }
    names = args.only or [k for k in SECTIONS if not (args.quick and k in ("adaptive1000", "spread2"))]
    for name in names:
        title = SECTIONS[name][0]
        start = time.perf_counter()
        rows = run_section(name, args.quick, args.limit)
        print(f"## {title}  ({time.perf_counter() - start:.0f} s)\n")
        for line in headers.get(name, []) if name != "fit2" else headers["fit1"]:
            print(line)
        print("\n".join(rows) + "\n", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
