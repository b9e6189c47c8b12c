"""What the first-to-file check holds about a person, for their export (madang/people/personal_data.py):
the rulings an official of a suggestion office made, and the peer keys a site administrator recorded.
Peers' filings name no one."""

from typing import Any

from madang.people.models import User
from madang.people.personal_data import register as add
from madang.people.personal_data import when
from madang.priority.models import PeerKey, Ruling


def _rulings(user: User) -> list[dict[str, Any]]:
    return [
        {
            "suggestion": r.match.suggestion.receipt_number,
            "peer": r.match.filing.peer.name,
            "their_number": r.match.filing.number,
            "verdict": r.verdict,
            "reasons": r.note,
            "on": when(r.ruled_on),
        }
        for r in Ruling.objects.filter(ruled_by=user).select_related("match__suggestion", "match__filing__peer")
    ]


def _keys(user: User) -> list[dict[str, Any]]:
    return [
        {"peer": k.peer.name, "key": k.vkey, "how": k.how, "reason": k.reason, "on": when(k.added_at)}
        for k in PeerKey.objects.filter(recorded_by=user).select_related("peer")
    ]


def register() -> None:
    """Called from this app's AppConfig.ready()."""
    add("priority_work", _rulings, owner="priority", covers=["priority.Ruling.ruled_by"])
    add("priority_keys", _keys, owner="priority", covers=["priority.PeerKey.recorded_by"])
