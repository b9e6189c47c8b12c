from typing import Any

from django.db.models import QuerySet

from madang.calls import viewers
from madang.calls.models import Proposal
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


def _reviewed_by(user: Any) -> QuerySet[Assignment, Any]:
    return Assignment.objects.filter(reviewer=user).values("proposal_id")


def _reviews(user: Any, proposal: Proposal) -> bool:
    return proposal.review_assignments.filter(reviewer=user).exists()


def register_viewers() -> None:
    """Called from ReviewConfig.ready(): a proposal's reviewers may read it while it is internal."""
    viewers.register("review.reviewers", viewers.Workers(proposal_ids=_reviewed_by, works_on=_reviews))
