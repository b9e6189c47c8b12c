"""What the privacy app holds about a person, for their export (madang/people/personal_data.py):
the exposure filter's records of what they posted (the masked findings, never what was found)
and the decisions they took as a moderator. Access records are not in it: they are records of
staff work kept for the privacy officer, and a person asks the agency for them."""

from typing import Any

from madang.people.models import User
from madang.people.personal_data import register as add
from madang.people.personal_data import when
from madang.privacy.models import Screening


def _screenings(user: User) -> dict[str, list[dict[str, Any]]]:
    posted = [
        {
            "where": s.place,
            "item": s.object_id,
            "found": s.findings,
            "state": s.state,
            "at": when(s.created_at),
            "decided": when(s.decided_at),
        }
        for s in Screening.objects.filter(author=user).order_by("created_at", "pk")
    ]
    decided = [
        {"where": s.place, "item": s.object_id, "decision": s.state, "at": when(s.decided_at)}
        for s in Screening.objects.filter(decided_by=user).order_by("decided_at", "pk")
    ]
    return {"posted": posted, "decided_as_moderator": decided}


def register() -> None:
    add(
        "personal_data_checks",
        _screenings,
        owner="privacy",
        covers=["privacy.Screening.author", "privacy.Screening.decided_by"],
    )
