"""Speed of the personal-data filter (madang.solvers.pii) against a per-pattern scan, in the same run.

Usage: .venv/bin/python bench/pii_bench.py [--texts 2000] [--corpus 20000] [--national PATH] [--quick]

1. Added time at submission: N texts of 5,000 characters each, written like proposals (the
   national generator's problem, solution and effect sentences, comments), with one sentence in
   eight taken from the labelled set (exposures and near misses alike), seeded. Each text is
   scanned by `scan` (one pass over the places where a match can start) and by `scan_each`, the
   reference: each of the twelve patterns searched over the whole text on its own, then overlaps
   resolved. Both answers are compared text by text: a difference fails the run.
2. The worst case: the labelled set itself cut into 5,000-character texts (a finding every 40
   characters, far denser than any proposal).
3. Throughput over a corpus: the national-scale call's proposals and comments when a kept
   installation is given (`--national DIR`, the folder of `search_bench.py --keep DIR` or
   `load_bench.py --keep`, read straight from its madang.sqlite3); otherwise a generated corpus of
   the same sentences, and the run says so.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from madang.solvers.pii import labelled, scan, scan_each  # noqa: E402

NATIONAL_CANDIDATES = [ROOT.parent / "shared" / "data" / "national", Path("/tmp/sb/sqlite1m")]


def national_phrases() -> tuple[list[str], list[str]]:
    """The national generator's sentences: its module needs Django loaded, in a throwaway data folder."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "madang.settings")
    os.environ.setdefault("MADANG_DEBUG", "1")
    os.environ.setdefault("MADANG_DATA_DIR", tempfile.mkdtemp(prefix="pii-bench-"))
    import django

    django.setup()
    from madang.site import national

    proposal = [
        f"{p}. {s}. 기대 효과는 {e}입니다."
        for p in national.PROBLEMS
        for s in national.SOLUTIONS
        for e in national.EFFECTS
    ]
    return proposal, list(national.COMMENTS)


def make_texts(n: int, size: int, rng: random.Random, plain: list[str], labelled_texts: list[str]) -> list[str]:
    out = []
    for _ in range(n):
        parts: list[str] = []
        length = 0
        while length < size:
            s = rng.choice(labelled_texts) if rng.random() < 1 / 8 else rng.choice(plain)
            parts.append(s)
            length += len(s) + 1
        out.append(" ".join(parts)[:size])
    return out


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def timed(fn, texts: list[str]) -> tuple[list[float], list[float], list]:
    """Wall-clock and CPU time (this thread's) per text: on shared cores the wall clock also counts
    the time other processes held the CPU, the CPU time only the work itself."""
    wall, cpu, answers = [], [], []
    for t in texts:
        c0, t0 = time.thread_time(), time.perf_counter()
        answers.append(fn(t))
        wall.append(time.perf_counter() - t0)
        cpu.append(time.thread_time() - c0)
    return wall, cpu, answers


def latency_rows(name: str, texts: list[str]) -> tuple[list[str], str]:
    rows = []
    answers = []
    for label, fn in (("`scan`", scan), ("`scan_each` (per-pattern reference)", scan_each)):
        wall, cpu, a = timed(lambda t, fn=fn: fn(t, min_confidence=0), texts)
        answers.append(a)
        rows.append(
            f"| {name}: {label} | {pct(wall, 0.5) * 1e3:.2f} | {pct(wall, 0.95) * 1e3:.2f} | "
            f"{pct(wall, 0.99) * 1e3:.2f} | "
            f"{pct(cpu, 0.5) * 1e3:.2f} | {pct(cpu, 0.95) * 1e3:.2f} | {max(cpu) * 1e3:.2f} |"
        )
    wrong = sum(x != y for x, y in zip(*answers, strict=True))
    found = sum(len(x) for x in answers[0])
    if wrong:
        raise SystemExit(f"scan and scan_each disagree on {wrong} texts")
    return rows, f"{name}: {len(texts):,} texts, {found:,} findings (all confidences), {wrong} disagreements"


def national_corpus(path: Path | None) -> tuple[list[str], str] | None:
    candidates = [path] if path else NATIONAL_CANDIDATES
    for p in candidates:
        db = p / "madang.sqlite3" if p.is_dir() else p
        if db.exists():
            con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
            rows = con.execute("SELECT title, problem, solution, expected_effect FROM calls_proposal").fetchall()
            texts = [" ".join(r) for r in rows]
            texts += [r[0] for r in con.execute("SELECT body FROM calls_comment")]
            con.close()
            return texts, f"national corpus at {db}"
    return None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--texts", type=int, default=2000)
    ap.add_argument("--size", type=int, default=5000)
    ap.add_argument("--corpus", type=int, default=20_000, help="generated proposals when no national corpus is found")
    ap.add_argument("--national", type=Path, help="a kept national installation (folder or madang.sqlite3)")
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--quick", action="store_true", help="200 texts, a 2,000-proposal corpus (make bench)")
    args = ap.parse_args()
    if args.quick:
        args.texts, args.corpus = 200, 2000
    rng = random.Random(args.seed)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    print(f"# personal-data filter benchmark (seed {args.seed})")
    print(f"machine: {os.cpu_count()} logical CPUs, load average {load:.2f} at the start; ", end="")
    print(f"Python {platform.python_version()}")

    plain, comments = national_phrases()
    examples = labelled.load()
    texts = make_texts(args.texts, args.size, rng, plain + comments, [e.text for e in examples])
    dense_all = " ".join(e.text for e in examples)
    dense = [dense_all[i : i + args.size] for i in range(0, len(dense_all) - args.size + 1, args.size // 4)]

    print(f"\n## Added time per {args.size:,}-character text (ms)\n")
    print("| texts: method | wall p50 | wall p95 | wall p99 | CPU p50 | CPU p95 | CPU max |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    rows, note1 = latency_rows("proposals, 1 sentence in 8 from the labelled set", texts)
    print("\n".join(rows))
    rows, note2 = latency_rows("worst case: the labelled set end to end", dense)
    print("\n".join(rows))
    print(f"\n{note1}\n{note2}")

    found = national_corpus(args.national)
    if found is None:
        print(
            "\nno national corpus found (give --national DIR, a folder kept by bench/search_bench.py --keep);"
            " the corpus below is generated from the same sentences"
        )
        corpus = [rng.choice(plain) + " " + rng.choice(plain) for _ in range(args.corpus)]
        corpus += [rng.choice(comments) for _ in range(args.corpus)]
        source = (
            f"generated: {args.corpus:,} proposals and {args.corpus:,} comments from the national generator's sentences"
        )
    else:
        corpus, source = found
    chars = sum(len(t) for t in corpus)
    print(f"\n## Throughput over a corpus ({source}; {len(corpus):,} texts, {chars / 1e6:.1f} million characters)\n")
    print("| method | seconds | texts/s | million characters/s | findings |\n|---|---:|---:|---:|---:|")
    for name, fn in (("`scan`", scan), ("`scan_each` (per-pattern reference)", scan_each)):
        t0 = time.perf_counter()
        n = sum(len(fn(t)) for t in corpus)
        dt = time.perf_counter() - t0
        print(f"| {name} | {dt:.2f} | {len(corpus) / dt:,.0f} | {chars / dt / 1e6:.2f} | {n:,} |")
    end = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    print(f"\nload average {end:.2f} at the end")


if __name__ == "__main__":
    main()
