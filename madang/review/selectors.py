from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db.models import QuerySet

from madang.calls import viewers
from madang.calls.models import PHASE_FEATURES, Call, Feature, Outcome, Proposal, Status
from madang.core.errors import NotFound
from madang.review import rules
from madang.review.models import Assignment


def access_assignment(user: Any, assignment_id: int) -> Assignment:
    a = (
        Assignment.objects.select_related("proposal__call", "reviewer", "proposal__author")
        .prefetch_related("proposal__call__phases", "proposal__call__criteria")
        .filter(pk=assignment_id)
        .first()
    )
    if a is None or not (a.reviewer_id == getattr(user, "pk", None) or rules.can_see_all_scores(user, a.proposal.call)):
        raise NotFound()
    return a


def my_assignments(user: Any) -> QuerySet[Assignment]:
    return (
        Assignment.objects.filter(reviewer=user)
        .select_related("proposal__call", "scorecard")
        .order_by("scorecard__submitted_at", "proposal__call_id", "proposal__number")
    )


def review_deadline(call: Call) -> datetime | None:
    """When the call stops taking reviews: the end of its last phase that enables reviewing."""
    ends = [p.ends_at for p in call.ordered_phases() if Feature.REVIEW in PHASE_FEATURES[p.kind]]
    return max(ends) if ends else None


@dataclass(frozen=True)
class OpenAssignment:
    assignment: Assignment
    deadline: datetime | None
    can_change: bool  # False once the call's review phases are over (no "edit" on a closed review)


def open_assignments(user: Any) -> list[OpenAssignment]:
    """A reviewer's assignments still to score, then those they may still change, by deadline."""
    rows = (
        my_assignments(user).select_related("proposal__call__organisation").prefetch_related("proposal__call__phases")
    )
    out = []
    for a in rows:
        can_change = rules.can_score(user, a)
        scored = getattr(a, "scorecard", None) is not None
        if scored and not can_change:
            continue  # done and closed: nothing waits on the reviewer
        out.append(OpenAssignment(a, review_deadline(a.proposal.call), can_change))
    far = datetime.max.replace(tzinfo=UTC)
    return sorted(out, key=lambda o: (getattr(o.assignment, "scorecard", None) is not None, o.deadline or far))


def proposals_to_decide(calls: list[Call]) -> QuerySet[Proposal]:
    """Submitted proposals with no decision yet in those of `calls` where deciding is open now."""
    deciding = [c.pk for c in calls if c.allows(Feature.DECIDE)]
    return (
        Proposal.objects.filter(
            call_id__in=deciding, status=Status.SUBMITTED, outcome=Outcome.PENDING, hidden_at__isnull=True
        )
        .select_related("call")
        .order_by("call_id", "number")
    )


def undecided(call: Call) -> QuerySet[Proposal]:
    """The call's submitted proposals still waiting for a decision, by number."""
    return (
        Proposal.objects.filter(call=call, status=Status.SUBMITTED, outcome=Outcome.PENDING, hidden_at__isnull=True)
        .select_related("call", "suggested_department")
        .order_by("number", "pk")
    )


def _reviewed_by(user: Any) -> QuerySet[Assignment, Any]:
    return Assignment.objects.filter(reviewer=user).values("proposal_id")


def _reviews(user: Any, proposal: Proposal) -> bool:
    return proposal.review_assignments.filter(reviewer=user).exists()


def register_viewers() -> None:
    """Called from ReviewConfig.ready(): a proposal's reviewers may read it while it is internal."""
    viewers.register("review.reviewers", viewers.Workers(proposal_ids=_reviewed_by, works_on=_reviews))
