"""Judging: a contest as a viewer may reach it, and its results by the published method."""

from dataclasses import dataclass
from typing import Any, NamedTuple, TypedDict

from django.db.models import Count

from madang.core import params
from madang.core.errors import NotFound
from madang.events import rules
from madang.events.models import Candidate, Event, Judging, Score, Vote
from madang.people.models import User


def access_judging(user: Any, event: Event, judging_id: str | int) -> Judging:
    judging = event.judgings.select_related("event").filter(pk=params.id_or_zero(judging_id)).first()
    if judging is None or not (rules.can_see_plans(user, event) or rules.is_juror(user, judging)):
        raise NotFound()
    return judging


def access_candidate(judging: Judging, candidate_id: str | int) -> Candidate:
    c = judging.candidates.select_related("judging__event").filter(pk=params.id_or_zero(candidate_id)).first()
    if c is None:
        raise NotFound()
    return c


@dataclass
class MyCard:
    """What the viewer has given in a judging."""

    votes: set[int]  # the candidates they voted for
    scores: dict[tuple[int, int], int]  # (candidate, criterion) -> their score


def my_card(user: Any, judging: Judging) -> MyCard:
    if not isinstance(user, User):  # a visitor has given nothing
        return MyCard(set(), {})
    votes = set(Vote.objects.filter(candidate__judging=judging, user=user).values_list("candidate_id", flat=True))
    scores = {
        (s.candidate_id, s.criterion_id): s.value for s in Score.objects.filter(candidate__judging=judging, juror=user)
    }
    return MyCard(votes, scores)


class ScoreLine(NamedTuple):
    candidate: str
    juror: str
    criterion: str
    value: int
    max_score: int


def scoresheet(judging: Judging) -> list[ScoreLine]:
    """Every juror's score of every candidate on every criterion (for whom `rules.can_see_scores`)."""
    labels = dict(judging.candidates.values_list("pk", "label"))
    rows = (
        Score.objects.filter(candidate__judging=judging)
        .select_related("juror", "criterion")
        .order_by("candidate_id", "juror_id", "criterion_id")
    )
    return [
        ScoreLine(labels[s.candidate_id], s.juror.display_name, s.criterion.name, s.value, s.criterion.max_score)
        for s in rows
    ]


@dataclass
class ResultRow:
    candidate: int
    label: str
    jurors: int
    jury: float  # mean weighted score of complete scorecards, in % of the rubric's maximum
    votes: int
    jury_norm: float
    vote_norm: float
    combined: float
    rank: int = 0

    def as_dict(self) -> "ResultDict":
        """As stored with the published results (the fractions to four places)."""
        return ResultDict(
            candidate=self.candidate,
            label=self.label,
            jurors=self.jurors,
            jury=round(self.jury, 4),
            votes=self.votes,
            jury_norm=round(self.jury_norm, 4),
            vote_norm=round(self.vote_norm, 4),
            combined=round(self.combined, 4),
            rank=self.rank,
        )


class ResultDict(TypedDict):
    """One row of `Judging.results`, the published ranking."""

    candidate: int
    label: str
    jurors: int
    jury: float
    votes: int
    jury_norm: float
    vote_norm: float
    combined: float
    rank: int


def judging_results(judging: Judging) -> list[ResultRow]:
    """combined = w × jury ÷ (best jury) + (1 − w) × votes ÷ (most votes), w = jury_percent / 100.

    A juror's score of a candidate counts only when it covers every criterion; the jury score is
    the mean over those jurors of Σ weight × score ÷ Σ weight × highest score."""
    criteria = list(judging.criteria.all())
    full = sum(c.weight * c.max_score for c in criteria) or 1
    weight = {c.pk: c.weight for c in criteria}
    cards: dict[tuple[int, int], dict[int, int]] = {}
    for cand, juror, crit, value in Score.objects.filter(candidate__judging=judging).values_list(
        "candidate_id", "juror_id", "criterion_id", "value"
    ):
        cards.setdefault((cand, juror), {})[crit] = value
    votes = dict(
        Vote.objects.filter(candidate__judging=judging)
        .values("candidate_id")
        .annotate(n=Count("pk"))
        .values_list("candidate_id", "n")
    )
    rows = []
    for c in judging.candidates.all():
        pcts = [
            100 * sum(weight[k] * v for k, v in card.items()) / full
            for (cand, _j), card in cards.items()
            if cand == c.pk and set(card) == set(weight)
        ]
        rows.append(
            ResultRow(c.pk, c.label, len(pcts), sum(pcts) / len(pcts) if pcts else 0.0, votes.get(c.pk, 0), 0, 0, 0)
        )
    best_jury = max((r.jury for r in rows), default=0) or 1
    most_votes = max((r.votes for r in rows), default=0) or 1
    w = judging.jury_percent / 100
    for r in rows:
        r.jury_norm, r.vote_norm = r.jury / best_jury, r.votes / most_votes
        r.combined = w * r.jury_norm + (1 - w) * r.vote_norm
    rows.sort(key=lambda r: (-r.combined, -r.jury, r.candidate))
    for i, r in enumerate(rows):
        r.rank = i + 1
    return rows
