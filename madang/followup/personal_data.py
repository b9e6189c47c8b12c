"""What followup holds about a person, for their export (madang/people/personal_data.py)."""

from typing import Any

from madang.followup.models import Answer, ExecutionUpdate, Routing
from madang.people.models import User
from madang.people.personal_data import register as add
from madang.people.personal_data import when


def _work(user: User) -> list[dict[str, Any]]:
    done = [
        {"what": "routed", "proposal": r.proposal_id, "department": r.department_id, "at": when(r.routed_at)}
        for r in Routing.objects.filter(routed_by=user)
    ]
    done += [
        {
            "what": "answered",
            "proposal": a.routing.proposal_id,
            "kind": a.kind,
            "reason": a.reason,
            "at": when(a.answered_at),
        }
        for a in Answer.objects.filter(answered_by=user).select_related("routing")
    ]
    done += [
        {
            "what": "execution update",
            "proposal": u.routing.proposal_id,
            "state": u.state,
            "percent": u.percent,
            "note": u.note,
            "at": when(u.posted_at),
        }
        for u in ExecutionUpdate.objects.filter(posted_by=user).select_related("routing")
    ]
    return done


def register() -> None:
    """Called from this app's AppConfig.ready()."""
    add(
        "followup_work",
        _work,
        owner="followup",
        covers=["followup.Routing.routed_by", "followup.Answer.answered_by", "followup.ExecutionUpdate.posted_by"],
    )
