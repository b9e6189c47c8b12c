"""How the notifications that followup sends read (see madang/inbox/registry.py)."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from madang.followup.models import ExecutionState
from madang.inbox import registry
from madang.inbox.models import NotificationKind


def _execution(params: Mapping[str, Any]) -> str | None:
    """The state is stored as its kind and named in the reader's language."""
    if not params.get("state"):
        return None
    return f"{ExecutionState(params['state']).label} {params.get('percent', 0)}%"


def register() -> None:
    registry.register(NotificationKind.ROUTED, _("“%(title)s” was sent to %(detail)s for an answer."), owner="followup")
    registry.register(NotificationKind.ANSWERED, _("%(detail)s answered on “%(title)s”."), owner="followup")
    registry.register(
        NotificationKind.EXECUTION,
        _("Execution update on “%(title)s”: %(detail)s."),
        owner="followup",
        detail=_execution,
    )
    registry.register(
        NotificationKind.OVERDUE, _("The answer on “%(title)s” is overdue (%(detail)s)."), owner="followup"
    )
