"""How the notifications that review sends read (see madang/inbox/registry.py)."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from madang.inbox import registry
from madang.inbox.models import NotificationKind
from madang.review.models import DecisionKind


def _decision(params: Mapping[str, Any]) -> str | None:
    """The decision is stored as its kind and named in the reader's language."""
    return str(DecisionKind(params["decision"]).label) if params.get("decision") else None


def register() -> None:
    registry.register(
        NotificationKind.DECISION,
        _("The innovation team decided on “%(title)s”: %(detail)s."),
        owner="review",
        detail=_decision,
    )
    registry.register(NotificationKind.ASSIGNED, _("You were asked to review “%(title)s”."), owner="review")
