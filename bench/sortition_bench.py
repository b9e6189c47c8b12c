"""Sortition benchmark: `.venv/bin/python bench/sortition_bench.py [--quick]`.

Side by side, in one run, on the instances in ../shared/data/sortition/ (Flanigan et al., Nature 596,
2021; see that folder's README) and on a synthetic 2,000-volunteer / panel-200 / six-category case:

- Madang LEXIMIN (madang/solvers/sortition, HiGHS): the default route (the relaxation's LEXIMIN
  written as a lottery by the face walk), and the previous route (`method="relaxation"`: the same
  LEXIMIN written as a lottery by column generation) for comparison,
- sortition-algorithms (PyPI, optional extra `bench`): its best method that runs on an open
  solver — MAXIMIN, and NASH in the full run — with the highspy backend (its LEXIMIN needs Gurobi),
- the LEGACY greedy baseline (madang/solvers/sortition/legacy.py, Monte Carlo estimate).

Reported per method: minimum selection probability, Gini, geometric mean, seconds. Checks:
Madang's minimum equals the published LEXIMIN minimum within 1e-4 (where one is published), and
Madang's sorted probability profile is lexicographically at least every other's (at the first
position where two profiles differ by more than 1e-4, Madang's must be the higher). Every external
run is in a subprocess with a time limit, so the benchmark stays bounded.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import logging
import multiprocessing as mp
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from madang.solvers.sortition import (  # noqa: E402
    Instance,
    Quota,
    find_leximin,
    geometric_mean,
    gini,
    legacy_probabilities,
    read_instance,
)
from madang.solvers.sortition.leximin import relaxed_probabilities  # noqa: E402

# the shared data sit beside the checkout (../shared); a git worktree under wt/ looks one level up
DATA = next(
    (
        p
        for p in (ROOT.parent / "shared" / "data" / "sortition", ROOT.parent.parent / "shared" / "data" / "sortition")
        if p.is_dir()
    ),
    ROOT.parent / "shared" / "data" / "sortition",
)
TOL = 1e-4
# Reference LEXIMIN minima not in published_results.csv, from the data folder's README.
README_REFERENCE = {"sa_fixture_scotland_22": 1 / 11}


# ---------------------------------------------------------------- instances


def synthetic(n: int = 2000, k: int = 200, categories: int = 6, seed: int = 2026) -> Instance:
    """A realistic pool of `n` volunteers for a panel of `k`, in the shape the data README describes.

    - Population: 200,000 people, a mixture of three latent classes (weights Dirichlet(2,2,2)),
      each with its own distribution over the values of every category (Dirichlet(1.5…)), so
      the categories are correlated as age, education and region are in real pools.
      Six categories with 2, 3, 4, 5, 6 and 8 values (28 quotas).
    - Volunteers: `n` people drawn without replacement with odds a product of one factor
      exp(N(0, 0.9²)) per value: strong self-selection, so some values are scarce in the pool
      (as in the real instances of Flanigan et al., where this is what makes LEXIMIN matter).
    - Quotas, as organisers set them: each value's share of the *population* (not of the pool)
      times k, rounded down minus 1 for the minimum and rounded up plus 1 for the maximum — a
      band of 3–4 seats around proportional representation.
    Many seeds give a pool that cannot meet its quotas (a scarce value with fewer volunteers than
    its minimum); `feasible_synthetic` takes the first seed that can."""
    rng = np.random.default_rng(seed)
    sizes = [2, 3, 4, 5, 6, 8][:categories]
    names = [chr(ord("a") + j) for j in range(categories)]
    classes = 3
    mix = rng.dirichlet(np.ones(classes) * 2)
    dist = [[rng.dirichlet(np.ones(s) * 1.5) for _ in range(classes)] for s in sizes]
    population = 200_000
    cls = rng.choice(classes, size=population, p=mix)
    values = np.zeros((population, categories), dtype=np.int64)
    for j, s in enumerate(sizes):
        for c in range(classes):
            idx = np.nonzero(cls == c)[0]
            values[idx, j] = rng.choice(s, size=len(idx), p=dist[j][c])
    factors = [np.exp(rng.normal(0, 0.9, s)) for s in sizes]
    odds = np.prod([factors[j][values[:, j]] for j in range(categories)], axis=0)
    chosen = rng.choice(population, size=n, replace=False, p=odds / odds.sum())
    quotas = []
    for j, s in enumerate(sizes):
        share = np.bincount(values[:, j], minlength=s) / population
        for v in range(s):
            quotas.append(
                Quota(
                    names[j],
                    f"{names[j]}{v + 1}",
                    max(0, int(np.floor(share[v] * k)) - 1),
                    int(np.ceil(share[v] * k)) + 1,
                )
            )
    people = tuple(tuple(f"{names[j]}{values[i, j] + 1}" for j in range(categories)) for i in chosen)
    return Instance(k, tuple(names), tuple(quotas), people, name=f"synthetic_{n}_{k}")


def feasible_synthetic(first_seed: int = 2026) -> tuple[Instance, int]:
    """The first seed from `first_seed` on whose pool can meet its quotas (self-selection often
    leaves a value short, as in real pools; the README's synthetic instances were picked the same way)."""
    from madang.solvers.sortition import check_feasibility

    for seed in range(first_seed, first_seed + 100):
        instance = synthetic(seed=seed)
        if check_feasibility(instance).feasible:
            return instance, seed
    raise RuntimeError("no feasible synthetic pool in 100 seeds")


def certify(mine: np.ndarray, instance: Instance) -> tuple[bool, str]:
    # the LEXIMIN over fractional panels, computed apart from the solver run: an upper bound
    bound = np.sort(relaxed_probabilities(instance))
    gap = float(np.abs(np.sort(mine) - bound).max())
    return gap <= TOL, f"largest difference from the relaxation's LEXIMIN (an upper bound) {gap:.1e}"


def published() -> dict[str, dict[str, str]]:
    path = DATA / "published_results.csv"
    if not path.exists():
        return {}
    with path.open(newline="", encoding="utf-8") as fh:
        return {row["instance"]: row for row in csv.DictReader(fh)}


# ---------------------------------------------------------------- runners


def _madang_worker(instance: Instance, method: str, conn: Any) -> None:
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            started = time.perf_counter()
            result = find_leximin(instance, seed=0, method=method)
            seconds = time.perf_counter() - started
        conn.send(("ok", result.probabilities, seconds, result.stats.route))
    except Exception as exc:
        conn.send(("error", f"{type(exc).__name__}: {exc}", 0.0, ""))
    finally:
        conn.close()


def _sa_worker(instance: Instance, method: str, conn: Any) -> None:
    try:
        from sortition_algorithms import Settings, read_in_features, read_in_people
        from sortition_algorithms.committee_generation.maximin import find_distribution_maximin
        from sortition_algorithms.committee_generation.nash import find_distribution_nash

        logging.disable(logging.CRITICAL)
        rows = [
            {"feature": q.category, "value": q.feature, "min": str(q.min), "max": str(q.max)} for q in instance.quotas
        ]
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            features, _, _ = read_in_features(["feature", "value", "min", "max"], rows)
            head = ["id", *instance.categories]
            body = [
                {"id": str(i), **dict(zip(instance.categories, p, strict=True))} for i, p in enumerate(instance.people)
            ]
            people, _ = read_in_people(head, body, features, Settings(id_column="id", columns_to_keep=[]))
            find = find_distribution_maximin if method == "maximin" else find_distribution_nash
            started = time.perf_counter()
            committees, probabilities, _report = find(features, people, instance.k, [], "highspy")
            seconds = time.perf_counter() - started
        marginals = np.zeros(instance.n)
        for committee, p in zip(committees, probabilities, strict=True):
            for person in committee:
                marginals[int(person)] += p
        conn.send(("ok", marginals, seconds, ""))
    except Exception as exc:  # report, do not hang the parent
        conn.send(("error", f"{type(exc).__name__}: {exc}", 0.0, ""))
    finally:
        conn.close()


def bounded(
    worker: Callable[..., None], instance: Instance, method: str, limit: float
) -> tuple[np.ndarray | None, float, str]:
    """Run `worker` in its own process and stop it after `limit` seconds."""
    # spawn, not fork: HiGHS threads started in this process would not survive a fork
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=worker, args=(instance, method, child))
    started = time.perf_counter()
    proc.start()
    child.close()
    if not parent.poll(limit):
        proc.kill()
        proc.join()
        return None, time.perf_counter() - started, f"stopped after the {limit:.0f} s limit"
    status, payload, seconds, note = parent.recv()
    proc.join()
    if status != "ok":
        return None, time.perf_counter() - started, str(payload)[:120]
    return payload, seconds, note


def _legacy_worker(instance: Instance, runs: str, conn: Any) -> None:
    try:
        started = time.perf_counter()
        probs, failures = legacy_probabilities(instance, int(runs), seed=0)
        conn.send(("ok", probs, time.perf_counter() - started, f"{runs} panels, {failures} failed attempts"))
    except Exception as exc:  # it gives up when almost every attempt fails
        conn.send(("error", f"{type(exc).__name__}: {exc}", 0.0, ""))
    finally:
        conn.close()


# ---------------------------------------------------------------- checks


def lexicographically_at_least(mine: np.ndarray, other: np.ndarray, tol: float = TOL) -> tuple[bool, str]:
    """At the first position where the sorted profiles differ by more than `tol`, mine must be higher."""
    a, b = np.sort(mine), np.sort(other)
    for i, (x, y) in enumerate(zip(a, b, strict=True)):
        if abs(x - y) > tol:
            return x > y, f"first difference at rank {i + 1}: {x:.5f} vs {y:.5f}"
    return True, "equal within 1e-4"


def row(name: str, method: str, probs: np.ndarray | None, seconds: float, note: str) -> list[str]:
    if probs is None:
        return [name, method, "-", "-", "-", f"{seconds:.1f}", note]
    return [
        name,
        method,
        f"{probs.min():.5f}",
        f"{gini(probs):.3f}",
        f"{geometric_mean(probs):.5f}",
        f"{seconds:.2f}",
        note,
    ]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller instances, shorter limits (for make bench)")
    ap.add_argument("--strict", action="store_true", help="exit non-zero when a target is not met")
    ap.add_argument("--only", nargs="+", metavar="NAME", help="only these instances (synthetic_2000_200: the big one)")
    ap.add_argument(
        "--previous-limit", type=float, default=None, help="seconds for Madang's previous route (default: Madang's)"
    )
    ap.add_argument("--no-previous", action="store_true", help="do not run Madang's previous route")
    ap.add_argument("--no-legacy", action="store_true", help="do not run the LEGACY baseline")
    ap.add_argument(
        "--more-synthetic",
        type=int,
        default=0,
        metavar="N",
        help="also time the default route alone on the next N feasible seeds of the synthetic generator",
    )
    args = ap.parse_args()
    quick = args.quick
    limit = 60.0 if quick else 300.0
    madang_limit = 90.0 if quick else 900.0
    previous_limit = args.previous_limit if args.previous_limit is not None else madang_limit
    legacy_limit = 60.0 if quick else 180.0
    legacy_runs = 500 if quick else 5000
    try:
        import sortition_algorithms  # noqa: F401

        have_sa = True
    except ImportError:
        have_sa = False
        print("sortition-algorithms is not installed: skipping it (pip install 'madang[bench]' to compare).")

    instances: list[tuple[Instance, float | None]] = []
    refs = published()
    if DATA.is_dir():
        names = (
            ["example_small_20", "sa_fixture_scotland_22", "synth_a_35"]
            if quick
            else sorted(p.name for p in DATA.iterdir() if (p / "categories.csv").exists())
        )
        for name in names:
            if args.only and name not in args.only:
                continue
            ref = refs.get(name, {}).get("leximin_min_prob")
            instances.append((read_instance(DATA / name), float(ref) if ref else README_REFERENCE.get(name)))
    else:
        print(f"{DATA} is missing: skipping the published instances (only the synthetic case runs).")
    if not args.only or "synthetic_2000_200" in args.only:
        big, big_seed = feasible_synthetic()
        print(f"synthetic case: seed {big_seed}")
        instances.append((big, None))

    table: list[list[str]] = []
    verdicts: list[str] = []
    ok = True
    for instance, reference in instances:
        name = instance.name
        print(f"== {name}: n={instance.n} k={instance.k} categories={len(instance.categories)}", flush=True)
        first = len(table)
        mine, seconds, route = bounded(_madang_worker, instance, "auto", madang_limit)
        table.append(row(name, "Madang LEXIMIN", mine, seconds, route))
        finished = mine is not None
        if mine is None:
            ok = False
            verdicts.append(f"{name}: Madang LEXIMIN did not finish ({route}): NOT met")
            mine = np.zeros(instance.n)
        others: list[tuple[str, np.ndarray]] = []
        large = instance.n > 1000
        if quick and large and not args.no_previous:  # it does not finish at this size
            table.append(row(name, "Madang LEXIMIN, previous route", None, 0.0, "skipped in --quick"))
        elif not args.no_previous:
            before, before_seconds, note = bounded(_madang_worker, instance, "relaxation", previous_limit)
            table.append(row(name, "Madang LEXIMIN, previous route", before, before_seconds, note))
            if before is not None:
                others.append(("Madang LEXIMIN, previous route", before))
                if finished:
                    same = float(np.abs(np.sort(mine) - np.sort(before)).max())
                    good = same <= TOL
                    ok &= good
                    verdicts.append(
                        f"{name}: profile equal to the previous route's: {'yes' if good else 'NO'} "
                        f"(largest difference {same:.1e})"
                    )
        if have_sa:
            methods = ["maximin"] if quick or large else ["maximin", "nash"]
            for method in methods:
                if quick and large:
                    table.append(row(name, f"sortition-algorithms {method}", None, 0.0, "skipped in --quick"))
                    continue
                probs, sa_seconds, note = bounded(_sa_worker, instance, method, limit)
                table.append(row(name, f"sortition-algorithms {method}", probs, sa_seconds, note))
                if probs is not None:
                    others.append((f"sortition-algorithms {method}", probs))
        runs = legacy_runs if not large else max(200, legacy_runs // 10)
        if not args.no_legacy:
            legacy, legacy_seconds, note = bounded(_legacy_worker, instance, str(runs), legacy_limit)
            table.append(row(name, "LEGACY greedy", legacy, legacy_seconds, note))
            if legacy is not None:
                others.append(("LEGACY greedy", legacy))
        print("\n".join(" | ".join(r) for r in table[first:]), flush=True)
        if finished:
            good, why = certify(mine, instance)
            verdicts.append(f"{name}: equal to the upper bound, hence LEXIMIN: {'yes' if good else 'no'} ({why})")
        if reference is not None:
            good = abs(mine.min() - reference) <= TOL
            ok &= good
            verdicts.append(
                f"{name}: min {mine.min():.5f} vs published {reference:.5f}: {'met' if good else 'NOT met'}"
            )
        for label, probs in others if finished else []:
            good, why = lexicographically_at_least(mine, probs)
            if label != "LEGACY greedy":  # LEGACY is a Monte Carlo estimate: its profile is noisy
                ok &= good
            verdicts.append(f"{name}: Madang ≥lex {label}: {'yes' if good else 'NO'} ({why})")
        if large:
            good = seconds < 60
            ok &= good
            took = f"{seconds:.1f} s" if finished else f"not finished in {madang_limit:.0f} s"
            verdicts.append(f"{name}: {took}, target < 60 s: {'met' if good else 'NOT met'}")

    if args.more_synthetic:
        print(
            "\n| synthetic seed | types | route | min probability | probability levels | seconds | LEXIMIN (= bound) |"
        )
        print("|---|---|---|---|---|---|---|")
        seed = big_seed + 1 if instances and instances[-1][0].name == "synthetic_2000_200" else 2026
        for _ in range(args.more_synthetic):
            extra, seed = feasible_synthetic(seed)
            probs, extra_seconds, route = bounded(_madang_worker, extra, "auto", madang_limit)
            if probs is None:
                ok = False
                print(f"| {seed} | | {route} | - | | {extra_seconds:.1f} | |")
            else:
                types = len(set(extra.people))
                levels = len(np.unique(np.round(probs, 6)))
                good, why = certify(probs, extra)
                ok &= good
                line = (
                    f"| {seed} | {types} | {route} | {probs.min():.5f} | {levels} | {extra_seconds:.2f} "
                    f"| {'yes' if good else 'NO'}: {why} |"
                )
                print(line, flush=True)
                if extra_seconds >= 60:
                    ok = False
            seed += 1

    print("\n| instance | method | min probability | Gini | geometric mean | seconds | note |")
    print("|---|---|---|---|---|---|---|")
    for r in table:
        print("| " + " | ".join(r) + " |")
    print()
    for v in verdicts:
        print(f"- {v}")
    print(f"\nall checks: {'met' if ok else 'NOT all met'}")
    return 0 if ok or not args.strict else 1


if __name__ == "__main__":
    raise SystemExit(main())
