"""The labelled set (data/pairs_ko.jsonl) and its two measures.

- True match first: for each paraphrase pair, each side as a query must rank its partner
  first among every other text of the set (both sides of every pair, near misses included,
  and the distractors).
- False "almost the same": a near-miss pair (same topic, many shared words, another idea)
  must never be flagged, in either direction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from madang.solvers.semantic import rank as ranking
from madang.solvers.semantic.embed import Embedder
from madang.solvers.semantic.evidence import DEFAULT, Thresholds

PATH = Path(__file__).with_name("data") / "pairs_ko.jsonl"


@dataclass(frozen=True)
class LabelledSet:
    paraphrases: list[tuple[str, str]]
    near_misses: list[tuple[str, str, str]]  # (a, b, what differs)
    distractors: list[str]

    @property
    def texts(self) -> list[str]:
        seen = dict.fromkeys(
            [t for a, b in self.paraphrases for t in (a, b)] + [b for _a, b, _d in self.near_misses] + self.distractors
        )
        return list(seen)


def load(path: Path = PATH) -> LabelledSet:
    para, near, dis = [], [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        if row["label"] == "paraphrase":
            para.append((row["a"], row["b"]))
        elif row["label"] == "near_miss":
            near.append((row["a"], row["b"], row["differs"]))
        else:
            dis.append(row["text"])
    return LabelledSet(para, near, dis)


@dataclass(frozen=True)
class Result:
    queries: int  # paraphrase → original (the measure of the target)
    first: int
    reverse_queries: int  # original → paraphrase (harder: the near miss shares the original's words)
    reverse_first: int
    near_pairs: int
    false_flags: int
    paraphrase_flags: int

    @property
    def first_rate(self) -> float:
        return self.first / self.queries if self.queries else 0.0


def evaluate(
    data: LabelledSet,
    *,
    mode: str = "fused",
    embedder: Embedder | None = None,
    passages: np.ndarray | None = None,
    queries: np.ndarray | None = None,
    th: Thresholds = DEFAULT,
) -> Result:
    """mode: "lexical", "semantic" or "fused". Vectors come from `embedder`, or are given in `texts` order."""
    texts = data.texts
    index = {t: i for i, t in enumerate(texts)}
    if mode != "lexical" and passages is None:
        assert embedder is not None, "an embedder or precomputed vectors are needed"
        passages, queries = embedder.passages(texts), embedder.queries(texts)
    use_vectors = mode != "lexical"
    keys = list(range(len(texts)))
    first = total = flags_para = rfirst = rtotal = 0
    vecs = {k: passages[k] for k in keys} if use_vectors and passages is not None else None
    for a, b in data.paraphrases:
        for reverse, q, partner in ((False, b, a), (True, a, b)):
            qi = index[q]
            candidates = [(k, texts[k]) for k in keys if k != qi]
            qv = queries[qi] if use_vectors and queries is not None else None
            found = ranking.rank(
                q,
                candidates,
                query_vector=qv,
                vectors=vecs,
                limit=1,
                min_score=-1.0,
                th=th,
                semantic_only=mode == "semantic",
            )
            hit = bool(found and found[0].key == index[partner])
            if reverse:
                rtotal, rfirst = rtotal + 1, rfirst + hit
            else:
                total, first = total + 1, first + hit
            pv = {index[partner]: passages[index[partner]]} if use_vectors and passages is not None else None
            judged = ranking.rank(
                q, [(index[partner], partner)], query_vector=qv, vectors=pv, limit=1, min_score=-1.0, th=th
            )
            flags_para += bool(judged and judged[0].verdict.almost_same)
    false_flags = 0
    for a, b, _d in data.near_misses:
        for q, other in ((a, b), (b, a)):
            qv = queries[index[q]] if use_vectors and queries is not None else None
            pv = {0: passages[index[other]]} if use_vectors and passages is not None else None
            judged = ranking.rank(q, [(0, other)], query_vector=qv, vectors=pv, limit=1, min_score=-1.0, th=th)
            false_flags += bool(judged and judged[0].verdict.almost_same)
    return Result(total, first, rtotal, rfirst, 2 * len(data.near_misses), false_flags, flags_para)
