"""How the first-to-file check's notices read (see madang/inbox/registry.py): the office is told of each
new match between one of its suggestions and a peer agency's filing, with which came first, so that
it rules on it. A notice stores the peer's name, their receipt number, the day that counts for
priority and the order; the sentence is chosen here, in the reader's language."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from madang.inbox import registry
from madang.inbox.models import NotificationKind

ORDERS = {
    "theirs": _(
        "a similar idea was filed at %(peer)s on %(day)s, before ours (their receipt no. %(number)s): "
        "please rule on it."
    ),
    "ours": _(
        "a similar idea was filed at %(peer)s on %(day)s, after ours (their receipt no. %(number)s): please rule on it."
    ),
    "tie": _(
        "a similar idea was filed at %(peer)s at the same moment as ours (their receipt no. %(number)s): "
        "please rule on it."
    ),
}


def match_detail(params: Mapping[str, Any]) -> str | None:
    sentence = ORDERS.get(params.get("order", ""))
    if sentence is None:
        return None
    return str(sentence) % {
        "peer": params.get("peer", ""),
        "day": params.get("day", ""),
        "number": params.get("number", ""),
    }


def register() -> None:
    registry.register(
        NotificationKind.PRIORITY, _("Suggestion “%(title)s”: %(detail)s"), owner="priority", detail=match_detail
    )
