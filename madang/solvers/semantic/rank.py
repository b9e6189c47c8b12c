"""Ranking candidates by a fused score and deciding which are "almost the same".

The lexical score is madang.solvers.korean's idf-weighted cosine of bigram term sets; the
semantic score is the E5 cosine, rescaled to where E5 separates anything (see evidence). A
candidate whose specifics contradict the query's (another place, group, number, the opposite
action) is pushed down: it is about the same thing but not the same idea.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from madang.solvers import korean
from madang.solvers.semantic import evidence

CONFLICT_PENALTY = 0.5


@lru_cache(maxsize=8192)
def _term_set(text: str) -> frozenset[str]:
    return frozenset(korean.terms(text))


def lexical_matches(
    query: str, candidates: Sequence[tuple[int, str]], *, min_score: float = 0.12
) -> dict[int, korean.Match]:
    """korean.similar's scores (idf-weighted cosine of term sets), for every candidate above `min_score`.

    The same formula, with each candidate's term set kept between requests: the same proposals
    come back as candidates while a person types, and cutting them into terms was most of the time.
    """
    q = set(korean.query_terms(query))
    if not q:
        return {}
    docs = [(key, _term_set(text)) for key, text in candidates]
    return {m.key: m for m in korean.score_term_sets(q, docs, min_score=min_score)}


@dataclass(frozen=True)
class Scored:
    key: int
    score: float  # fused, in [0, 1]
    lexical: float
    cosine: float | None
    shared: tuple[str, ...]
    verdict: evidence.Verdict


def rank(
    query: str,
    candidates: Sequence[tuple[int, str]],
    *,
    query_vector: np.ndarray | None = None,
    vectors: Mapping[int, np.ndarray] | None = None,
    limit: int = 5,
    min_score: float = 0.12,
    th: evidence.Thresholds = evidence.DEFAULT,
    lexical: Mapping[int, korean.Match] | None = None,
    semantic_only: bool = False,
) -> list[Scored]:
    """Best `limit` candidates (key, text) for `query`, with verdicts.

    `lexical` may carry precomputed lexical matches (the caller may rank several fields);
    otherwise they are computed over `candidates`. Without vectors the ranking is lexical only.
    """
    if lexical is None:
        lexical = lexical_matches(query, candidates, min_score=0.0)
    vectors = vectors or {}
    qs = evidence.specifics(query)
    qt = evidence.term_set(query)
    scored: list[tuple[float, int, str, float, float | None]] = []
    for key, text in candidates:
        m = lexical.get(key)
        lex = m.score if m else 0.0
        cos = float(vectors[key] @ query_vector) if query_vector is not None and key in vectors else None
        if semantic_only:
            base = evidence.semantic_score(cos, th) if cos is not None else 0.0
        else:
            base = evidence.fused_score(cos, lex, th)
        if base <= 0:
            continue
        if evidence.conflicts(qs, evidence.specifics(text)):
            base -= CONFLICT_PENALTY
        if base >= min_score:
            scored.append((base, key, text, lex, cos))
    scored.sort(key=lambda s: (-s[0], s[1]))
    out = []
    for base, key, text, lex, cos in scored[:limit]:
        m = lexical.get(key)
        verdict = evidence.decide(query, text, cos, th, query_specifics=qs, query_terms=qt)
        out.append(
            Scored(key, round(base, 4), lex, None if cos is None else round(cos, 4), m.shared if m else (), verdict)
        )
    return out
