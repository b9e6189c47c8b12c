"""What the inbox holds about a person, for their export (madang/people/personal_data.py)."""

from typing import Any

from madang.inbox.models import Notification
from madang.inbox.services import describe
from madang.people.models import User
from madang.people.personal_data import register as add
from madang.people.personal_data import when


def _notifications(user: User) -> list[dict[str, Any]]:
    return [
        {
            "kind": n.kind,
            "text": describe(n),
            "at": when(n.created_at),
            "read": when(n.read_at),
            "emailed": when(n.emailed_at),
        }
        for n in Notification.objects.filter(user=user).select_related("proposal")
    ]


def register() -> None:
    """Called from this app's AppConfig.ready()."""
    add("notifications", _notifications, owner="inbox", covers=["inbox.Notification.user"])
