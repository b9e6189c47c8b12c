"""Cross-agency fingerprints benchmark:
`OMP_NUM_THREADS=1 nice -n 10 .venv/bin/python bench/fingerprint_bench.py [--quick]`.

Two agencies' proposals from madang.solvers.topics.synthetic (16 themes, planted near-duplicates in
groups of 2–4, near-miss pairs); every document goes to agency A or B at random, so a planted
group is often split across the two. The reference is the exact Jaccard similarity of the term
sets (`fingerprint.shingles`) of **every** pair (a, b), A × B, computed in blocks with sparse
matrices. Against it: the keyed 8-bit MinHash fingerprints (k = 128) matched by LSH banding
(32 bands × 4 rows) at the same threshold. Figures: time to fingerprint, to match and for the
exact all pairs; candidates estimated; recall and precision of the pairs at or above each
threshold; the estimate's error over the reference pairs. A last section measures what a holder
of the exchange key can learn of a text's terms from its fingerprint (docs/suggestions.md).
Each size runs in its own child process (peak RSS is its own). Writes bench/fingerprint.md.
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

OUT = Path(__file__).resolve().parent / "fingerprint.md"
THRESHOLDS = (0.5, 0.6, 0.7)
SECRET = "benchmark exchange key, not a real one"


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def exact_pairs(a_sets: list[frozenset[str]], b_sets: list[frozenset[str]], low: float) -> dict[tuple[int, int], float]:
    """Every (i, j) with exact Jaccard ≥ low, A × B in blocks of rows (the all-pairs reference)."""
    import numpy as np
    import scipy.sparse as sp

    vocab: dict[str, int] = {}
    for s in (*a_sets, *b_sets):
        for t in s:
            vocab.setdefault(t, len(vocab))

    def matrix(sets: list[frozenset[str]]) -> sp.csr_matrix:
        indptr = np.cumsum([0, *(len(s) for s in sets)])
        indices = np.fromiter((vocab[t] for s in sets for t in s), dtype=np.int64)
        return sp.csr_matrix((np.ones(len(indices), dtype=np.int32), indices, indptr), shape=(len(sets), len(vocab)))

    xa, xb = matrix(a_sets), matrix(b_sets)
    size_a = np.asarray(xa.sum(axis=1)).ravel()
    size_b = np.asarray(xb.sum(axis=1)).ravel()
    xbt = xb.T.tocsc()
    out: dict[tuple[int, int], float] = {}
    block = 500
    for start in range(0, xa.shape[0], block):
        inter = (xa[start : start + block] @ xbt).toarray()
        union = size_a[start : start + block, None] + size_b[None, :] - inter
        jac = inter / np.maximum(union, 1)
        rows, cols = np.nonzero(jac >= low)
        for r, c in zip(rows, cols, strict=True):
            out[(start + int(r), int(c))] = float(jac[r, c])
    return out


def case(n: int, seed: int) -> dict:
    import numpy as np

    from madang.solvers import fingerprint as fp
    from madang.solvers.topics import synthetic

    corpus = synthetic.corpus(n, seed=seed)
    rng = np.random.default_rng(seed)
    side = rng.random(len(corpus.docs)) < 0.5
    a_docs = [d for d, s in zip(corpus.docs, side, strict=True) if s]
    b_docs = [d for d, s in zip(corpus.docs, side, strict=True) if not s]
    key = fp.ExchangeKey(SECRET)
    params, banding = fp.Params(), fp.Banding()

    t = time.perf_counter()
    a_fp = [(i, fp.of_text(d.text, key)) for i, d in enumerate(a_docs)]
    b_fp = [(j, fp.of_text(d.text, key)) for j, d in enumerate(b_docs)]
    fp_s = time.perf_counter() - t
    a_sets = [fp.shingles(d.text) for d in a_docs]
    b_sets = [fp.shingles(d.text) for d in b_docs]

    t = time.perf_counter()
    exact = exact_pairs(a_sets, b_sets, min(THRESHOLDS))
    exact_s = time.perf_counter() - t
    base = rss_mib()

    rows = []
    for threshold in THRESHOLDS:
        t = time.perf_counter()
        found, looked = fp.cross_pairs(
            [(i, f) for i, f in a_fp if f],
            [(j, f) for j, f in b_fp if f],
            params=params,
            key_id=key.key_id,
            threshold=threshold,
            banding=banding,
        )
        match_s = time.perf_counter() - t
        truth = {p for p, j in exact.items() if j >= threshold}
        got = {(p.left, p.right) for p in found}
        tp = len(truth & got)
        rows.append(
            {
                "threshold": threshold,
                "match_s": round(match_s, 2),
                "candidates": looked,
                "truth": len(truth),
                "found": len(got),
                "recall": round(tp / len(truth), 4) if truth else 1.0,
                "precision": round(tp / len(got), 4) if got else 1.0,
                "curve": round(fp.candidate_probability(threshold, params, banding), 4),
            }
        )
    a_by, b_by = dict(a_fp), dict(b_fp)
    errors = np.array([fp.estimate(a_by[i], b_by[j]) - jac for (i, j), jac in exact.items()])
    # And over random pairs, which are mostly unrelated (J near 0.07).
    sample = rng.integers(0, [len(a_docs), len(b_docs)], size=(5000, 2))
    rand_err = np.array(
        [fp.estimate(a_by[i], b_by[j]) - fp.jaccard(a_sets[i], b_sets[j]) for i, j in sample if a_by[i] and b_by[j]]
    )
    planted = sum(1 for g in corpus.duplicate_groups for x in g for y in g if x < y and side[x] != side[y])
    # How alike the generator's resubmissions and near-misses are (all of them, either side): where
    # the office's threshold sits between the two.
    every = [fp.shingles(d.text) for d in corpus.docs]
    groups = corpus.duplicate_groups
    resubmitted = np.array([fp.jaccard(every[x], every[y]) for g in groups for x in g for y in g if x < y])
    missed = np.array([fp.jaccard(every[x], every[y]) for x, y in corpus.near_miss_pairs])
    return {
        "n": n,
        "a": len(a_docs),
        "b": len(b_docs),
        "pairs": len(a_docs) * len(b_docs),
        "planted_cross": planted,
        "fp_ms_per_doc": round(fp_s / n * 1000, 3),
        "exact_s": round(exact_s, 2),
        "rss": round(max(base, rss_mib())),
        "rows": rows,
        "err_mean": round(float(errors.mean()), 4),
        "err_abs_p99": round(float(np.quantile(np.abs(errors), 0.99)), 4),
        "err_abs_max": round(float(np.abs(errors).max()), 4),
        "reference_pairs": len(errors),
        "rand_err_mean": round(float(rand_err.mean()), 4),
        "rand_err_abs_p99": round(float(np.quantile(np.abs(rand_err), 0.99)), 4),
        "terms_mean": round(float(np.mean([len(s) for s in a_sets + b_sets])), 1),
        "resubmitted": [len(resubmitted), *(round(float(np.quantile(resubmitted, q)), 3) for q in (0, 0.01, 0.5))],
        "near_miss": [len(missed), *(round(float(np.quantile(missed, q)), 3) for q in (0.5, 0.99, 1))],
    }


def recovery(seed: int, docs: int = 200) -> list[dict]:
    """A key holder's best look at one text's terms: every term of a vocabulary (all terms of a
    10,000-proposal corpus, which a peer could gather) is scored by the positions where its hash is
    consistent with the fingerprint; the attacker is even told the text's number of terms n."""
    import numpy as np

    from madang.solvers import fingerprint as fp
    from madang.solvers.fingerprint.minhash import mix
    from madang.solvers.topics import synthetic

    corpus = synthetic.corpus(10_000, seed=seed)
    sets = [fp.shingles(d.text) for d in corpus.docs]
    vocab = sorted(set().union(*sets))
    key = fp.ExchangeKey(SECRET)
    k = 128
    hashes = mix(key.term_hashes(vocab)[:, None] ^ key.seeds(k)[None, :])  # |V| × k
    index = {t: i for i, t in enumerate(vocab)}
    out = []
    for bits in (64, 8):
        mask = np.uint64((1 << bits) - 1) if bits < 64 else np.uint64(0xFFFFFFFFFFFFFFFF)
        precision, recall, flagged = [], [], []
        for s in sets[:docs]:
            full = fp.minima(s, key, k)
            kept = full & mask
            n = len(s)
            # Below 3/n of the hash space: the minimum of n uniform values lies there 95% of the time.
            low = hashes < np.uint64(min(2**64 - 1, int(3 / n * 2**64)))
            consistent = ((hashes & mask) == kept[None, :]) & (low if bits < 64 else True)
            named = np.flatnonzero(consistent.any(axis=1))
            truth = {index[t] for t in s}
            hit = len(truth & set(named.tolist()))
            precision.append(hit / len(named) if len(named) else 1.0)
            recall.append(hit / len(truth))
            flagged.append(len(named))
        out.append(
            {
                "bits": bits,
                "vocab": len(vocab),
                "terms": round(float(np.mean([len(s) for s in sets[:docs]])), 1),
                "named": round(float(np.mean(flagged)), 1),
                "precision": round(float(np.mean(precision)), 3),
                "recall": round(float(np.mean(recall)), 3),
            }
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--case", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--recovery", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    if args.case:
        print(json.dumps(case(args.case, args.seed), ensure_ascii=False))
        return
    if args.recovery:
        print(json.dumps(recovery(args.seed), ensure_ascii=False))
        return
    sizes = [2_000, 10_000] if args.quick else [10_000, 40_000]
    load = os.getloadavg()
    results = []
    for n in sizes:
        done = subprocess.run(
            [sys.executable, __file__, "--case", str(n), "--seed", str(args.seed)],
            capture_output=True,
            text=True,
            check=True,
        )
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(results[-1], file=sys.stderr)
    done = subprocess.run(
        [sys.executable, __file__, "--recovery", "--seed", str(args.seed)], capture_output=True, text=True, check=True
    )
    attack = json.loads(done.stdout.strip().splitlines()[-1])
    lines = [
        "# Cross-agency fingerprints (keyed b-bit MinHash, LSH) against exact all-pairs Jaccard",
        "",
        f"Command: `OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', '')} nice -n 10 .venv/bin/python "
        f"bench/fingerprint_bench.py{' --quick' if args.quick else ''}` (seed {args.seed}); load average before "
        f"the run {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} shared cores.",
        "",
        "Corpus: `madang.solvers.topics.synthetic`, each proposal given to agency A or B at random. "
        "Fingerprints: k = 128, 8 bits per value (128 bytes), keyed BLAKE2b and SplitMix64; banding 32 × 4. "
        "Reference: the exact Jaccard similarity of the term sets of every pair A × B.",
        "",
        "| proposals (A + B) | pairs A × B | planted cross-agency pairs | terms per text | fingerprint (ms/text) | "
        "exact all pairs (s) | peak RSS (MiB) |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['n']:,} ({r['a']:,} + {r['b']:,}) | {r['pairs']:,} | {r['planted_cross']:,} | {r['terms_mean']} | "
            f"{r['fp_ms_per_doc']} | {r['exact_s']} | {r['rss']} |"
        )
    lines += [
        "",
        "| proposals | threshold | pairs ≥ threshold (exact) | found | recall | precision | candidates estimated | "
        "match time (s) | banding curve at the threshold |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        for row in r["rows"]:
            lines.append(
                f"| {r['n']:,} | {row['threshold']} | {row['truth']:,} | {row['found']:,} | {row['recall']:.4f} | "
                f"{row['precision']:.4f} | {row['candidates']:,} | {row['match_s']} | {row['curve']} |"
            )
    lines += [
        "",
        "Recall and precision are against the exact pairs at the same threshold: a pair just above it whose estimate "
        "falls just below counts as missed, one just below estimated above as a false find (the estimate's standard "
        "deviation is about 0.04 at J = 0.6). The mean error over the reference pairs depends on the key: the pairs "
        "share documents, so their errors are not independent (four keys on a 4,000-proposal corpus gave means from "
        "-0.006 to +0.003, each ± 0.002). Over random pairs (J near 0.07) it is slightly positive: estimates are "
        "clipped at 0.",
        "",
        "| proposals | estimate − exact over the reference pairs (J ≥ 0.5): mean, p99 and max of the absolute error | "
        "over 5,000 random pairs: mean, p99 of the absolute error |",
        "|---:|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['n']:,} | {r['err_mean']:+.4f}, {r['err_abs_p99']}, {r['err_abs_max']} "
            f"({r['reference_pairs']:,} pairs) | {r['rand_err_mean']:+.4f}, {r['rand_err_abs_p99']} |"
        )
    lines += [
        "",
        "| proposals | planted resubmissions: pairs, exact J min / 1st percentile / median | near-miss pairs (same "
        "theme and sentence frames, another proposal): pairs, median / 99th percentile / max |",
        "|---:|---|---|",
    ]
    for r in results:
        rs, nm = r["resubmitted"], r["near_miss"]
        lines.append(
            f"| {r['n']:,} | {rs[0]:,}: {rs[1]} / {rs[2]} / {rs[3]} | {nm[0]:,}: {nm[1]} / {nm[2]} / {nm[3]} |"
        )
    lines += [
        "",
        "## What a holder of the exchange key learns of a text's terms",
        "",
        "For 200 texts, every term of a vocabulary (all terms of a 10,000-proposal corpus) is hashed with the key "
        "and named when, at some position, its hash is consistent with the fingerprint: equal to the minimum (64 "
        "bits), or equal in the kept 8 bits and below 3/n of the hash space, n being the text's number of terms, "
        "which the attacker is given.",
        "",
        "| bits kept | vocabulary | terms per text | terms named per text | precision | recall |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for a in attack:
        lines.append(
            f"| {a['bits']} | {a['vocab']:,} | {a['terms']} | {a['named']} | {a['precision']} | {a['recall']} |"
        )
    text = "\n".join(lines) + "\n"
    OUT.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
