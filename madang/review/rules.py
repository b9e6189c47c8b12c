"""Who may assign, score, read scores and decide."""

from typing import Any

from madang.calls.models import Call, Feature, Proposal
from madang.people.models import User
from madang.people.rules import is_authenticated, is_innovation_team
from madang.review.models import Assignment


def has_conflict(reviewer: User, proposal: Proposal) -> bool:
    """A reviewer may not review their own proposal or one from their own department.

    The one conflict-of-interest rule: applied at assignment, when a score is written, and on
    the review board (an assignment made before a co-author joined is flagged there).
    Co-authors are those who accepted; a pending invitation is no authorship."""
    authors = [*proposal.coauthors.all(), proposal.author]
    if reviewer.pk in {a.pk for a in authors}:
        return True
    return reviewer.department_id is not None and any(a.department_id == reviewer.department_id for a in authors)


def can_assign(user: Any, call: Call) -> bool:
    return is_innovation_team(user, call)


def can_score(user: Any, assignment: Assignment) -> bool:
    return (
        is_authenticated(user)
        and assignment.reviewer_id == user.pk
        and assignment.proposal.call.allows(Feature.REVIEW)
        and not has_conflict(user, assignment.proposal)
    )


def can_see_all_scores(user: Any, call: Call) -> bool:
    return is_innovation_team(user, call)


def can_decide(user: Any, call: Call) -> bool:
    return is_innovation_team(user, call) and call.allows(Feature.DECIDE)
