"""Duplicate clusters and topic map benchmark:
`OMP_NUM_THREADS=1 nice -n 19 .venv/bin/python bench/topics_bench.py [--quick]`.

Corpus: madang.solvers.topics.synthetic (seeded Korean proposals in 16 planted themes, ~5% planted
near-duplicates in groups of 2–4, ~2% near-miss pairs). Each size runs in its own child process so
its peak RSS (resource.getrusage) is its own; the corpus is built first and its RSS reported
separately. Figures: wall time of near_duplicates() and topic_map(), candidate and verified pairs,
pairwise precision and recall on the planted groups, near-misses wrongly flagged, and the adjusted
Rand index of the themes against the planted ones. Writes bench/topics.md. --quick: 2,000 and 10,000.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

OUT = Path(__file__).resolve().parent / "topics.md"


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pairs_of(groups: list[list[int]]) -> set[tuple[int, int]]:
    out = set()
    for g in groups:
        g = sorted(g)
        out.update((a, b) for i, a in enumerate(g) for b in g[i + 1 :])
    return out


def case(n: int, seed: int) -> dict:
    import numpy as np

    from madang.solvers.opinion import adjusted_rand_index
    from madang.solvers.topics import near_duplicates, synthetic, topic_map

    t = time.perf_counter()
    corpus = synthetic.corpus(n, seed=seed)
    gen_s, base = time.perf_counter() - t, rss_mib()
    t = time.perf_counter()
    dup = near_duplicates(corpus.docs, seed=seed)
    dup_s, dup_rss = time.perf_counter() - t, rss_mib()
    truth = pairs_of([[corpus.docs[i].key for i in g] for g in corpus.duplicate_groups])
    found = pairs_of([[m.key for m in c.members] for c in dup.clusters])
    misses = {tuple(sorted((corpus.docs[a].key, corpus.docs[b].key))) for a, b in corpus.near_miss_pairs}
    # Precision counts only pairs that involve a planted document or a near-miss: two random
    # proposals of the generator may honestly be alike, and nobody labelled those.
    t = time.perf_counter()
    tm = topic_map(corpus.docs, seed=seed)
    topic_s, topic_rss = time.perf_counter() - t, rss_mib()
    labels = np.array([tm.assignment[d.key] for d in corpus.docs])
    tp = len(truth & found)
    return {
        "n": n,
        "generate_s": round(gen_s, 2),
        "corpus_rss": round(base),
        "dup_s": round(dup_s, 2),
        "dup_rss": round(dup_rss),
        "candidates": dup.candidate_pairs,
        "verified": dup.verified_pairs,
        "clusters": len(dup.clusters),
        "skipped_buckets": dup.skipped_buckets,
        "precision": round(tp / len(found), 4) if found else 1.0,
        "recall": round(tp / len(truth), 4) if truth else 1.0,
        "planted_pairs": len(truth),
        "found_pairs": len(found),
        "near_miss": len(misses),
        "near_miss_flagged": len(misses & found),
        "topic_s": round(topic_s, 2),
        "topic_rss": round(topic_rss),
        "k": tm.k,
        "planted_k": 16,
        "ari": round(adjusted_rand_index(labels, np.array(corpus.theme_of)), 4),
        "labels": [" · ".join(t.words) for t in tm.themes[:4]],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--case", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    if args.case:
        print(json.dumps(case(args.case, args.seed), ensure_ascii=False))
        return
    sizes = [2_000, 10_000] if args.quick else [10_000, 100_000]
    rows = []
    for n in sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--case", str(n), "--seed", str(args.seed)],
            capture_output=True,
            text=True,
            check=True,
        )
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(rows[-1], file=sys.stderr)
    load = os.getloadavg()
    lines = [
        "# Duplicate clusters and topic map",
        "",
        f"Command: `OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', '')} nice -n 19 .venv/bin/python "
        "bench/topics_bench.py"
        f"{' --quick' if args.quick else ''}` (seed {args.seed}); load average before the table {load[0]:.2f} "
        f"{load[1]:.2f} {load[2]:.2f} "
        f"on {os.cpu_count()} cores shared with other benchmarks.",
        "",
        "Corpus: `madang.solvers.topics.synthetic` (16 planted themes, ~5% planted near-duplicates in groups of 2–4, "
        "~2% near-miss pairs). "
        "RSS is the child process's peak (MiB) after building the corpus, after the duplicate search and after the "
        "topic map.",
        "",
        "## Near-duplicate clusters (MinHash LSH 48 bands × 4 rows over index terms, exact weighted cosine ≥ 0.6, "
        "complete linkage)",
        "",
        "| proposals | time (s) | peak RSS corpus → after (MiB) | candidate pairs | verified pairs | clusters | "
        "precision | recall | near-misses flagged |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['n']:,} | {r['dup_s']} | {r['corpus_rss']} → {r['dup_rss']} | {r['candidates']:,} | "
            f"{r['verified']:,} | {r['clusters']:,} | "
            f"{r['precision']:.4f} | {r['recall']:.4f} ({r['found_pairs']:,} of {r['planted_pairs']:,} planted pairs) "
            f"| {r['near_miss_flagged']} of {r['near_miss']} |"
        )
    lines += [
        "",
        "Precision is over every pair the clusters put together (a random pair of generated proposals that is honestly "
        "alike counts as a false positive).",
        "",
        "## Topic map (LSA 64 dims, spherical k-means, k by silhouette over 2…20)",
        "",
        "| proposals | time (s) | peak RSS (MiB) | k chosen (planted) | ARI vs planted themes | first labels |",
        "|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['n']:,} | {r['topic_s']} | {r['topic_rss']} | {r['k']} ({r['planted_k']}) | {r['ari']:.4f} | "
            f"{' / '.join(r['labels'])} |"
        )
    text = "\n".join(lines) + "\n"
    OUT.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
