"""Where an app below `privacy` shows staff the personal data of others, it says so here.

The privacy app (madang/privacy) keeps the access records (접속기록) and registers its
recorder from its `AppConfig.ready()`; `people` (its admin of accounts, the staff import) sits
below it and cannot import it, so it calls `note(request, ...)` with the same arguments as
`madang.privacy.services.record`. Apps above `privacy` call that directly.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_recorder: Callable[..., Any] | None = None


def register(recorder: Callable[..., Any]) -> None:
    global _recorder
    _recorder = recorder


def note(who: Any, **what: Any) -> None:
    """Record an access (action=, kind=, subject=, scope=, count=, reason=) if a recorder is installed."""
    if _recorder is not None:
        _recorder(who, **what)
