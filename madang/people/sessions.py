"""Session lifetime and re-authentication.

- Idle timeout: a session not used for `MADANG_SESSION_IDLE_MINUTES` is ended on its next
  request (ASVS 3.3.2). The last-seen time is written at most once a minute, not on every
  request.
- Absolute lifetime: `MADANG_SESSION_MAX_HOURS` after log-in the session ends however busy it
  is (Django's cookie age would otherwise be renewed by those writes).
- Warning before the end: every signed-in page is told, by the server, how many seconds are left
  (`deadline`), and a header on every answer keeps a polling page up to date; a notice comes up
  `MADANG_SESSION_WARNING_SECONDS` before the end and `extend` starts the idle time again
  (KWCAG 6.2.1; the page side is people/_session_clock.html and people/static/people/session.js).
- Re-authentication: sensitive actions (`recent_password_required`) need the password to have
  been given within `MADANG_REAUTH_MINUTES`; otherwise the person is sent to a page that asks for
  it again and then back (ASVS 3.7.1).

API requests with a bearer token carry no session and are not affected; tokens have their own
expiry (madang.people.api_auth).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import empty

from madang.people.backends import REAUTH_KEY

SEEN_KEY = "madang_seen_at"
STARTED_KEY = "madang_started_at"
SEEN_RESOLUTION = 60
# Seconds left in the session, on every answer to a signed-in request ("; final" when only signing in
# again helps): a page that polls keeps the session alive, and its warning must know.
LEFT_HEADER = "Madang-Session-Left"


def clock() -> float:
    """Seconds since the epoch; tests replace it."""
    return time.time()


def mark_authenticated(request: HttpRequest) -> None:
    """Call right after login(): the password was just given."""
    at = int(clock())
    request.session[REAUTH_KEY] = at
    request.session[STARTED_KEY] = at
    request.session[SEEN_KEY] = at


def recently_authenticated(request: HttpRequest) -> bool:
    at = request.session.get(REAUTH_KEY) if hasattr(request, "session") else None
    return isinstance(at, int) and clock() - at <= settings.MADANG_REAUTH_MINUTES * 60


@dataclass(frozen=True)
class Deadline:
    """When the session ends if no further request comes, as the server counts it."""

    at: int  # seconds since the epoch
    final: bool  # the absolute lifetime ends it first: no request can move it

    def seconds_left(self) -> int:
        return max(0, self.at - int(clock()))


def deadline(session: Mapping[str, Any]) -> Deadline | None:
    """The end the middleware below will enforce; None for a session it has not stamped yet."""
    seen, started = session.get(SEEN_KEY), session.get(STARTED_KEY)
    if not isinstance(seen, int) or not isinstance(started, int):
        return None
    lifetime_ends = started + settings.MADANG_SESSION_MAX_HOURS * 3600
    idle = settings.MADANG_SESSION_IDLE_MINUTES * 60
    if idle and seen + idle < lifetime_ends:
        return Deadline(seen + idle, final=False)
    return Deadline(lifetime_ends, final=True)


def extend(request: HttpRequest) -> Deadline | None:
    """The person asked to stay signed in: the idle time starts again now, whatever the resolution
    of the last-seen time (up to a minute would otherwise be lost)."""
    request.session[SEEN_KEY] = int(clock())
    return deadline(request.session)


def unwrapped(user: Any) -> Any:
    """The object behind `request.user`'s lazy stand-in, once loaded (else `user` itself)."""
    inner = getattr(user, "_wrapped", None)
    return user if inner is None or inner is empty else inner


class SessionTimeoutMiddleware:
    """Ends idle and over-age sessions. After AuthenticationMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            # The user is loaded now: the request holds it from here on, not Django's lazy stand-in,
            # through which every attribute read took three lookups and a caught AttributeError
            # (about 300 a proposal's page: its rules and templates ask `user` again and again).
            request.user = user = unwrapped(user)
            now = int(clock())
            session = request.session
            seen = session.get(SEEN_KEY)
            started = session.get(STARTED_KEY)
            if not isinstance(started, int):
                # A session from before this rule: it starts counting now.
                session[STARTED_KEY] = started = now
            idle = settings.MADANG_SESSION_IDLE_MINUTES * 60
            if (
                idle and isinstance(seen, int) and now - seen > idle
            ) or now - started > settings.MADANG_SESSION_MAX_HOURS * 3600:
                logout(request)
                request.session_timed_out = True  # type: ignore[attr-defined]  # HttpRequest declares no session_timed_out; set here for the login page's notice
            elif not isinstance(seen, int) or now - seen >= SEEN_RESOLUTION:
                session[SEEN_KEY] = now
        response = self.get_response(request)
        # Read again: the view may have signed the person in or out.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            ends = deadline(request.session)
            if ends is not None:
                response[LEFT_HEADER] = str(ends.seconds_left()) + ("; final" if ends.final else "")
        return response


def recent_password_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For a page view of a sensitive action: ask for the password again unless given lately."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not recently_authenticated(request):
            # A POST cannot be replayed after the detour; send people back to the page it came from.
            back = request.get_full_path() if request.method == "GET" else request.headers.get("Referer", "")
            return redirect(reverse("people:reauth") + "?" + urlencode({"next": back}))
        return view(request, *args, **kwargs)

    return wrapped
