"""Judging: a contest's published method (criteria and the jury's share), the jury's scorecards,
participants' votes, the results and awards."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madang.core.errors import DomainError, Forbidden
from madang.core.texts import clean_text
from madang.events import ledger_entries as entries
from madang.events import rules
from madang.events.ledger_entries import EventEntry
from madang.events.models import (
    Award,
    Candidate,
    Criterion,
    Event,
    Judging,
    JudgingOf,
    JudgingState,
    Juror,
    Score,
    Session,
    Task,
    Vote,
)
from madang.events.selectors.judging import judging_results
from madang.events.services.programme import require_organiser
from madang.ledger import services as ledger
from madang.people.models import User


@dataclass(frozen=True)
class CriterionIn:
    name: str
    weight: int = 1
    max_score: int = 5


def create_judging(
    *,
    actor: User,
    event: Event,
    of: str,
    title: str,
    criteria: Sequence[CriterionIn],
    jury_percent: int = 70,
    votes_per_person: int = 1,
    session: Session | None = None,
) -> Judging:
    """Open a contest with its published method; the candidates are the event's tasks or its groups."""
    require_organiser(actor, event)
    if of not in JudgingOf.values:
        raise DomainError(_("Choose what is judged."), code="bad_of", field="of")
    if not criteria or any(
        not c.name.strip() or not 1 <= c.weight <= 100 or not 1 <= c.max_score <= 100 for c in criteria
    ):
        raise DomainError(
            _("Give at least one criterion, each with a weight and a highest score from 1 to 100."),
            code="bad_criteria",
            field="criteria",
        )
    if not 0 <= jury_percent <= 100:
        raise DomainError(_("A share is between 0 and 100 percent."), code="bad_share", field="jury_percent")
    if not 1 <= votes_per_person <= 10:
        raise DomainError(_("Between 1 and 10 votes per participant."), code="bad_votes", field="votes_per_person")
    cands: list[tuple[Task | None, int | None, str]]
    if of == JudgingOf.TASKS:
        cands = [(t, None, t.title) for t in event.tasks.all()]
    else:
        numbers = sorted({g for g in event.boards.exclude(group=None).values_list("group", flat=True) if g is not None})
        cands = [(None, g, str(_("Group %(n)d") % {"n": g})) for g in numbers]
    if not cands:
        raise DomainError(_("There is nothing to judge yet: add tasks or group boards first."), code="no_candidates")
    title = clean_text(title, field="title", limit=200)
    with transaction.atomic():
        judging = Judging.objects.create(
            event=event,
            session=session,
            of=of,
            title=title,
            jury_percent=jury_percent,
            votes_per_person=votes_per_person,
        )
        Criterion.objects.bulk_create(
            [
                Criterion(judging=judging, name=c.name.strip()[:100], weight=c.weight, max_score=c.max_score)
                for c in criteria
            ]
        )
        Candidate.objects.bulk_create(
            [Candidate(judging=judging, task=t, group=g, label=label[:200]) for t, g, label in cands]
        )
        ledger.record(
            kind=EventEntry.JUDGING_OPENED,
            subject=f"event:{event.pk}",
            actor_id=actor.pk,
            data={
                "judging": judging.pk,
                "of": of,
                "jury_percent": jury_percent,
                "votes_per_person": votes_per_person,
                "criteria": [[c.name, c.weight, c.max_score] for c in criteria],
                "candidates": len(cands),
            },
        )
    return judging


def assign_jurors(*, actor: User, judging: Judging, users: Iterable[User]) -> list[User]:
    require_organiser(actor, judging.event)
    if judging.state != JudgingState.OPEN:
        raise DomainError(_("The results are published: the jury is fixed."), code="published")
    chosen = list({u.pk: u for u in users}.values())
    with transaction.atomic():
        judging.jurors.exclude(user__in=chosen).delete()
        for u in chosen:
            Juror.objects.get_or_create(judging=judging, user=u)
    return chosen


def check_can_score(*, actor: User, judging: Judging) -> None:
    """Raised before a scorecard's contents are even read: a stranger learns nothing from them."""
    if not rules.can_score(actor, judging):
        raise Forbidden(_("Only the jury scores, while the judging is open."))


def score_candidate(*, actor: User, candidate: Candidate, values: dict[int, int]) -> list[Score]:
    """A juror's scorecard for one candidate: a score for every criterion of the rubric."""
    judging = candidate.judging
    check_can_score(actor=actor, judging=judging)
    criteria = list(judging.criteria.all())
    if set(values) != {c.pk for c in criteria}:
        raise DomainError(_("Score every criterion of the rubric."), code="incomplete", field="scores")
    for c in criteria:
        if not 0 <= values[c.pk] <= c.max_score:
            raise DomainError(
                _("A score is between 0 and the criterion's highest score."), code="out_of_range", field="scores"
            )
    with transaction.atomic():
        out = []
        for c in criteria:
            row, _new = Score.objects.update_or_create(
                candidate=candidate, juror=actor, criterion=c, defaults={"value": values[c.pk]}
            )
            out.append(row)
    return out


def cast_vote(*, actor: User, candidate: Candidate) -> Vote:
    judging = candidate.judging
    if not rules.can_vote(actor, judging):
        raise Forbidden(_("Only participants vote, while the judging is open."))
    with transaction.atomic():
        Judging.objects.select_for_update(of=("self",)).filter(pk=judging.pk).first()
        if Vote.objects.filter(candidate=candidate, user=actor).exists():
            raise DomainError(_("You already voted for this one."), code="already_voted")
        if Vote.objects.filter(candidate__judging=judging, user=actor).count() >= judging.votes_per_person:
            raise DomainError(_("You have used all your votes: take one back first."), code="no_votes_left")
        return Vote.objects.create(candidate=candidate, user=actor)


def withdraw_vote(*, actor: User, candidate: Candidate) -> None:
    if not rules.can_vote(actor, candidate.judging):
        raise Forbidden(_("Only participants vote, while the judging is open."))
    Vote.objects.filter(candidate=candidate, user=actor).delete()


def publish_results(*, actor: User, judging: Judging) -> Judging:
    """Freeze the scores and votes, publish the ranking with the method, and log every score."""
    require_organiser(actor, judging.event)
    if judging.state != JudgingState.OPEN:
        raise DomainError(_("The results are already published."), code="published")
    with transaction.atomic():
        Judging.objects.select_for_update(of=("self",)).filter(pk=judging.pk).first()
        results = judging_results(judging)
        judging.results = [r.as_dict() for r in results]
        judging.state, judging.published_at = JudgingState.PUBLISHED, timezone.now()
        judging.save(update_fields=["results", "state", "published_at"])
        ledger.record(
            kind=EventEntry.JUDGING_PUBLISHED,
            subject=f"event:{judging.event_id}",
            actor_id=actor.pk,
            data=entries.published_body(judging),
        )
    return judging


def give_award(*, actor: User, judging: Judging, candidate: Candidate, title: str) -> Award:
    require_organiser(actor, judging.event)
    if judging.state != JudgingState.PUBLISHED:
        raise DomainError(_("Publish the results before giving awards."), code="not_published")
    if candidate.judging_id != judging.pk:
        raise DomainError(_("That candidate is in another judging."), code="foreign", field="candidate")
    title = clean_text(title, field="title", limit=100)
    with transaction.atomic():
        award = Award.objects.create(judging=judging, candidate=candidate, title=title, awarded_by=actor)
        ledger.record(
            kind=EventEntry.AWARD,
            subject=f"event:{judging.event_id}",
            actor_id=actor.pk,
            data=entries.award_body(award),
        )
    return award
