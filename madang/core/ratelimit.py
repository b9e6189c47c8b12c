"""Per-person rate limits on writes people can repeat quickly (supports, comments, proposals).

A fixed window per person and scope, counted in Django's cache: with `MADANG_REDIS_URL` set,
in Redis, shared by every application process and server; without it, in each process's own
memory (the embedded single-process default). Limits are set in `MADANG_RATE_LIMITS`
("support=60/60,comment=12/60": at most that many per that many seconds; "off" disables them)
and checked in the services, so the pages and the API share one budget. A refusal is a 429 with
the wait in the message and a Retry-After header; nothing is written.
"""

from __future__ import annotations

import functools
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import ngettext

from madang.core import addresses, security
from madang.core.errors import DomainError


class RateLimited(DomainError):
    status = 429

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        message = ngettext(
            "Too many requests in a short time. Please try again in %(n)d second.",
            "Too many requests in a short time. Please try again in %(n)d seconds.",
            retry_after,
        ) % {"n": retry_after}
        super().__init__(message, code="rate_limited")


@functools.lru_cache(maxsize=8)
def parse(text: str) -> dict[str, tuple[int, int]]:
    """'support=60/60,comment=12/60' -> {'support': (60, 60), ...}; 'off' or '' -> {}."""
    text = text.strip()
    if text.lower() in {"", "off", "0", "none"}:
        return {}
    limits: dict[str, tuple[int, int]] = {}
    for item in text.split(","):
        scope, _sep, rule = item.partition("=")
        count, _slash, seconds = rule.partition("/")
        try:
            limits[scope.strip()] = (int(count), int(seconds))
        except ValueError:
            raise ValueError(f"MADANG_RATE_LIMITS: {item!r} is not scope=count/seconds") from None
    return limits


def limits() -> dict[str, tuple[int, int]]:
    return parse(getattr(settings, "MADANG_RATE_LIMITS", ""))


def hit(scope: str, who: int | str) -> None:
    """Count one action of `who` in `scope`; raise RateLimited past the limit (nothing counted then)."""
    rule = limits().get(scope)
    if rule is None:
        return
    count, seconds = rule
    now = time.time()
    window = int(now // seconds)
    key = f"rl:{scope}:{who}:{window}"
    # add() then incr(): both atomic in Redis and in the local-memory cache.
    cache.add(key, 0, timeout=seconds + 1)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.add(key, 1, timeout=seconds + 1)
        used = 1
    if used > count:
        security.event("rate_limited", user_id=who if isinstance(who, int) else None, scope=scope)
        raise RateLimited(retry_after=max(1, int((window + 1) * seconds - now + 0.999)))


def client(request: Any) -> str:
    """Who asks, for limits on reads anyone may make: the account when logged in, else the address.

    The address is the client's as core.addresses finds it: REMOTE_ADDR, or behind a trusted
    proxy the forwarded address (the log-in throttle reads it the same way)."""
    user = getattr(request, "auth", None) or getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return "addr:" + addresses.client_address(request)[:64]
