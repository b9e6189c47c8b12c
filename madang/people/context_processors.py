"""What every signed-in page says about the time limit of its session (people/_session_clock.html)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from madang.people import sessions


@dataclass(frozen=True)
class SessionClock:
    ends_at: datetime  # local time
    seconds_left: int
    final: bool
    warn_seconds: int
    idle_minutes: int
    max_hours: int

    @property
    def warn_minutes(self) -> int:
        return max(1, math.ceil(self.warn_seconds / 60))

    @property
    def time_tag(self) -> SafeString:
        """The end as a <time> the page's script moves when the session is extended."""
        return format_html(
            '<time class="session-ends" datetime="{}">{}</time>',
            self.ends_at.isoformat(),
            self.ends_at.strftime("%H:%M"),
        )


def clock_of(ends: sessions.Deadline) -> SessionClock:
    return SessionClock(
        ends_at=timezone.localtime(datetime.fromtimestamp(ends.at, tz=UTC)),
        seconds_left=ends.seconds_left(),
        final=ends.final,
        warn_seconds=settings.MADANG_SESSION_WARNING_SECONDS,
        idle_minutes=settings.MADANG_SESSION_IDLE_MINUTES,
        max_hours=settings.MADANG_SESSION_MAX_HOURS,
    )


def session_clock(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not hasattr(request, "session"):
        return {}
    ends = sessions.deadline(request.session)
    return {"session_clock": clock_of(ends)} if ends is not None else {}
