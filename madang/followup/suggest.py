"""Which department should answer a proposal: a suggestion for the innovation team, never a decision.

The evidence, strongest first:

1. Where the team sent proposals like this one before. The similar-ideas ranking of calls
   (madang.solvers.semantic.rank: the idf-weighted lexical score, fused with the stored
   embeddings' cosine where insight has computed them) finds the most similar proposals that
   were routed, in this call or any call the reader may read; each votes with its similarity
   for the department that finally holds it (after a transfer, the department it went to, not
   the one that passed it on).
2. The department the author named on the proposal form.
3. A word of a department's name in the text ("교통" for 교통정책과), when that word names no
   more than a few of the call's departments (60 agencies each have a 혁신담당관실).

The department with the most weight is suggested, with every reason that speaks for it, so the
team can see why and choose otherwise; the decision is recorded only when the team sends it.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Q

from madang.calls import meaning
from madang.calls.models import Proposal, Status
from madang.calls.selectors import SHOW_LEXICAL, SIMILAR_TEXT_CHARS, readable_calls, routable_departments
from madang.core import fulltext
from madang.followup.models import Routing, RoutingState
from madang.people.models import Organisation
from madang.privacy import exposure
from madang.solvers import korean
from madang.solvers.semantic import rank as semantic_rank

PRECEDENTS = 5  # the most similar routed proposals that vote
COMPARE_ALL = 400  # up to this many routed proposals, each is compared; beyond, the full-text index picks
CANDIDATES = 200
CORPUS = 300  # recent proposals that weigh the words (with the candidates)
AUTHOR_WEIGHT = 0.25
NAME_WEIGHT = 0.15
NAME_AMBIGUOUS = 3  # a name word shared by more departments than this says nothing

# Endings of department names, longest first, and words too common in names to point anywhere.
_SUFFIXES = ("담당관실", "담당관", "사업소", "센터", "본부", "과", "실", "국", "팀", "관", "단", "소")
_GENERIC = frozenset({"정책", "기획", "담당", "지원", "행정", "총무", "운영", "관리", "정보", "협력", "시설"})


@dataclass(frozen=True)
class Precedent:
    """A similar proposal the team routed before, and the department that holds it now."""

    proposal_id: int
    number: int | None
    title: str
    department_id: int
    similarity: float


@dataclass
class Suggestion:
    proposal_id: int
    department: Organisation | None = None
    score: float = 0.0
    precedents: list[Precedent] = field(default_factory=list)  # those that went to the suggested department
    authors_choice: bool = False
    named: str = ""  # the word of the department's name found in the text


def name_words(name: str) -> list[str]:
    """The words of a department's name that point at a subject: 교통정책과 → [교통]; 민원봉사과 → [민원, 봉사]."""
    stem = name.strip()
    for suffix in _SUFFIXES:
        if stem.endswith(suffix) and len(stem) - len(suffix) >= 2:
            stem = stem[: -len(suffix)]
            break
    # Korean department names are mostly made of two-syllable words; an odd length stays whole.
    pieces = [stem[i : i + 2] for i in range(0, len(stem), 2)] if len(stem) % 2 == 0 else [stem]
    return [w for w in pieces if len(w) >= 2 and w not in _GENERIC]


def _final_departments(departments: set[int]) -> dict[int, list[int]]:
    """Routed proposal id → the departments holding it now (routings not passed on), among `departments`."""
    held: dict[int, list[int]] = defaultdict(list)
    rows = Routing.objects.exclude(state=RoutingState.TRANSFERRED).filter(department_id__in=departments)
    for proposal_id, department_id in rows.order_by("routed_at", "id").values_list("proposal_id", "department_id"):
        if department_id not in held[proposal_id]:
            held[proposal_id].append(department_id)
    return held


def _vectors(call_ids: set[int], keys: set[int]) -> dict[int, np.ndarray]:
    """Stored embeddings of these proposals (of these calls), when insight has computed them."""
    source = meaning.source()
    model = source.embedder() if source is not None else None
    if source is None or model is None:
        return {}
    out: dict[int, np.ndarray] = {}
    for call_id in call_ids:
        stored = source.call_vectors(call_id, model.name, model.dim)
        if stored is not None:
            out.update({key: v for key in keys if key not in out and (v := stored.vector(key)) is not None})
    return out


def suggest_departments(user: Any, call: Any, proposals: Sequence[Proposal]) -> dict[int, Suggestion]:
    """A suggested department for each of `proposals` (of `call`), with its reasons; reads only."""
    routable = {d.pk: d for d in routable_departments(call)}
    held = _final_departments(set(routable))
    pending = {p.pk for p in proposals}
    # Precedents the reader may see: what their readable calls share, and everything of this call
    # (the team that routes it reads its internal proposals too).
    pool = Proposal.objects.filter(pk__in=[pk for pk in held if pk not in pending]).filter(
        Q(call=call) | Q(pk__in=Proposal.objects.shared().filter(call__in=readable_calls(user)).values("pk"))
    )
    pool_ids = list(pool.values_list("pk", flat=True))
    compare_all = len(pool_ids) <= COMPARE_ALL
    texts = {p.pk: meaning.proposal_text(p.title, p.problem, p.solution)[:SIMILAR_TEXT_CHARS] for p in proposals}
    candidates: dict[int, list[int]] = {}
    for p in proposals:
        terms = korean.query_terms(texts[p.pk])
        candidates[p.pk] = pool_ids if compare_all else fulltext.candidates(pool, terms[:24], limit=CANDIDATES)
    wanted = {pk for ids in candidates.values() for pk in ids}
    # Term weights (idf) need a corpus wider than the few routed proposals: the call's other
    # proposals and the newest shared ones weigh the words, only routed ones vote.
    corpus_ids = set(
        Proposal.objects.filter(call=call)
        .exclude(status=Status.DRAFT)
        .order_by("-id")
        .values_list("pk", flat=True)[:CORPUS]
    )
    corpus_ids |= set(Proposal.objects.shared().order_by("-id").values_list("pk", flat=True)[:CORPUS])
    rows = {
        pk: (number, title, meaning.proposal_text(title, problem, solution), call_id)
        for pk, number, title, problem, solution, call_id in Proposal.objects.filter(
            pk__in=wanted | corpus_ids
        ).values_list("pk", "number", "title", "problem", "solution", "call_id")
    }
    vectors = _vectors({call.pk} | {rows[pk][3] for pk in wanted if pk in rows}, wanted | pending) if wanted else {}

    words: dict[str, list[int]] = defaultdict(list)
    for d in routable.values():
        for w in name_words(d.name):
            words[w].append(d.pk)
    telling = {w: ids for w, ids in words.items() if len(ids) <= NAME_AMBIGUOUS}

    out: dict[int, Suggestion] = {}
    for p in proposals:
        votes: dict[int, float] = defaultdict(float)
        precedents: dict[int, list[Precedent]] = defaultdict(list)
        cands = [(pk, rows[pk][2]) for pk in candidates[p.pk] if pk in rows]
        weighed = [(pk, rows[pk][2]) for pk in set(candidates[p.pk]) | corpus_ids if pk in rows and pk != p.pk]
        lexical = semantic_rank.lexical_matches(texts[p.pk], weighed, min_score=0.0)
        ranked = (
            semantic_rank.rank(
                texts[p.pk],
                cands,
                query_vector=vectors.get(p.pk),
                vectors=vectors,
                lexical=lexical,
                limit=PRECEDENTS,
                min_score=SHOW_LEXICAL,
            )
            if cands
            else []
        )
        for r in ranked:
            number, title, _text, _call = rows[r.key]
            for department_id in held[r.key]:
                votes[department_id] += r.score
                precedents[department_id].append(
                    Precedent(r.key, number, exposure.shown(title), department_id, r.score)
                )
        if p.suggested_department_id in routable:
            votes[p.suggested_department_id] += AUTHOR_WEIGHT
        plain = korean.normalise(meaning.plain(f"{p.title} {p.problem} {p.solution}"))
        named: dict[int, str] = {}
        for w, ids in telling.items():
            if w in plain:
                for department_id in ids:
                    if department_id not in named:
                        named[department_id] = w
                        votes[department_id] += NAME_WEIGHT
        suggestion = Suggestion(p.pk)
        if votes:
            best = min(votes, key=lambda pk: (-round(votes[pk], 6), -len(precedents[pk]), routable[pk].name, pk))
            suggestion = Suggestion(
                p.pk,
                routable[best],
                round(votes[best], 4),
                precedents[best],
                p.suggested_department_id == best,
                named.get(best, ""),
            )
        out[p.pk] = suggestion
    return out
