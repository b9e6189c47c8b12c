"""How each kind of notification reads, supplied by the app that sends it.

A notification stores its kind and parameters, never text, so that each reader gets it in their
own language. The sentence for a kind (and how its parameters become the `%(detail)s` in it) is
the sending app's knowledge: the app registers it from `madang/<app>/notifications.py`, called by
its AppConfig.ready(). inbox imports no domain app; it only looks kinds up here.

The kinds themselves are the choices of `Notification.kind` (inbox.models.NotificationKind), so a
new kind adds a value there (with a migration) and its text in the app that sends it.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise

Detail = Callable[[Mapping[str, Any]], str | None]


@dataclass(frozen=True)
class Text:
    owner: str  # the app label that registered it
    sentence: Promise  # gettext_lazy, with %(title)s (the proposal's title) and %(detail)s
    detail: Detail | None = None  # None: the stored "detail" or "reason" parameter as it is


_TEXTS: dict[str, Text] = {}


def register(kind: str, sentence: Promise, *, owner: str, detail: Detail | None = None) -> None:
    """Declare how `kind` reads. A kind has one owner; registering it again from the same app replaces it."""
    known = _TEXTS.get(kind)
    if known is not None and known.owner != owner:
        raise ImproperlyConfigured(f"notification kind {kind!r} is registered by {known.owner!r} and {owner!r}")
    _TEXTS[kind] = Text(owner=owner, sentence=sentence, detail=detail)


def text_for(kind: str) -> Text | None:
    return _TEXTS.get(kind)


def registered() -> dict[str, Text]:
    return dict(_TEXTS)
