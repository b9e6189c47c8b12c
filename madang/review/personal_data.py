"""What review holds about a person, for their export (madang/people/personal_data.py)."""

from typing import Any

from madang.people.models import User
from madang.people.personal_data import register as add
from madang.people.personal_data import when
from madang.review.models import Assignment, Decision


def _reviews(user: User) -> list[dict[str, Any]]:
    rows = []
    for a in Assignment.objects.filter(reviewer=user).select_related("proposal", "scorecard"):
        card = getattr(a, "scorecard", None)
        rows.append(
            {
                "proposal": a.proposal_id,
                "title": a.proposal.shown_title,
                "assigned": when(a.assigned_at),
                "verdict": card.verdict if card else None,
                "comment": card.comment if card else None,
                "total": card.total if card else None,
            }
        )
    return rows


def _work(user: User) -> list[dict[str, Any]]:
    done = [
        {"what": "review assigned", "proposal": a.proposal_id, "reviewer": a.reviewer_id, "at": when(a.assigned_at)}
        for a in Assignment.objects.filter(assigned_by=user)
    ]
    done += [
        {"what": "decision", "proposal": d.proposal_id, "kind": d.kind, "reason": d.reason, "at": when(d.decided_at)}
        for d in Decision.objects.filter(decided_by=user)
    ]
    return done


def register() -> None:
    """Called from this app's AppConfig.ready()."""
    add("reviews", _reviews, owner="review", covers=["review.Assignment.reviewer"])
    add("review_work", _work, owner="review", covers=["review.Assignment.assigned_by", "review.Decision.decided_by"])
