"""One throttle for every password check: log-in pages, the admin, re-authentication.

The policy (docs/asvs.md, ASVS 2.2.1) slows guessing down without letting anyone lock the
owner out:

- Per account *and* address: the first `MADANG_LOGIN_FREE_FAILURES` failures cost nothing; each
  later one makes the next attempt from that address on that account wait, starting at
  `MADANG_LOGIN_DELAY_SECONDS` and doubling up to `MADANG_LOGIN_MAX_DELAY_SECONDS`. Someone
  guessing from elsewhere slows only their own pair down, never the owner's.
- Per address, across accounts: `MADANG_LOGIN_ADDRESS_MAX_FAILURES` failures in the window
  and that address waits until the oldest ages out (password spraying from one place).
- Per account, across addresses: past `MADANG_LOGIN_ACCOUNT_MAX_FAILURES` failures in the
  window (many addresses guessing one password), attempts on that account wait the longest delay
  between each other, except from a browser where the owner logged in before (a signed "known
  device" cookie): the owner keeps a way in that a botnet has not.

Failures are rows (`LoginFailure`) so every application process and server sees them; those
older than `MADANG_LOGIN_WINDOW_MINUTES` are forgotten. An attempt that has to wait is refused
before the password is looked at, so waiting attempts are not counted as failures either.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import ngettext

from madang.people.models import LoginFailure

DEVICE_COOKIE = "madang_device"
DEVICE_SALT = "madang.people.device"
DEVICE_MAX_AGE = 180 * 24 * 3600


def now() -> datetime:
    """The clock; tests replace it to move time without sleeping."""
    return timezone.now()


def pair_delay(failures: int, *, free: int, base: float, cap: float) -> float:
    """Seconds to wait after `failures` failures of one account from one address."""
    if failures < free:
        return 0.0
    return float(min(cap, base * 2 ** min(failures - free, 60)))


def _seconds_left(last: datetime | None, delay: float, at: datetime) -> int:
    if last is None or delay <= 0:
        return 0
    left = (last + timedelta(seconds=delay) - at).total_seconds()
    return max(0, math.ceil(left))


def wait_seconds(username: str, address: str, *, known_device: bool = False) -> int:
    """How long this attempt must wait (0: go ahead and check the password)."""
    at = now()
    account = username.lower()[:150]
    recent = LoginFailure.objects.filter(at__gt=at - timedelta(minutes=settings.MADANG_LOGIN_WINDOW_MINUTES))
    cap = settings.MADANG_LOGIN_MAX_DELAY_SECONDS
    pair = list(recent.filter(username=account, address=address[:64]).order_by("-at").values_list("at", flat=True)[:64])
    waits = [
        _seconds_left(
            pair[0] if pair else None,
            pair_delay(
                len(pair), free=settings.MADANG_LOGIN_FREE_FAILURES, base=settings.MADANG_LOGIN_DELAY_SECONDS, cap=cap
            ),
            at,
        )
    ]
    address_limit = settings.MADANG_LOGIN_ADDRESS_MAX_FAILURES
    by_address = recent.filter(address=address[:64]).order_by("-at").values_list("at", flat=True)[:address_limit]
    if address_limit and len(by_address) >= address_limit:
        oldest = by_address[address_limit - 1]
        waits.append(_seconds_left(oldest, settings.MADANG_LOGIN_WINDOW_MINUTES * 60, at))
    account_limit = settings.MADANG_LOGIN_ACCOUNT_MAX_FAILURES
    if account_limit and not known_device:
        by_account = recent.filter(username=account)
        if by_account.count() >= account_limit:
            waits.append(_seconds_left(by_account.order_by("-at").values_list("at", flat=True).first(), cap, at))
    return max(waits)


def record_failure(username: str, address: str) -> None:
    forget_old()
    LoginFailure.objects.create(username=username.lower()[:150], address=address[:64], at=now())


def record_success(username: str, address: str) -> None:
    """The owner got in from here: this pair starts afresh (other addresses' failures stay)."""
    LoginFailure.objects.filter(username=username.lower()[:150], address=address[:64]).delete()


def forget_old() -> int:
    """Delete failures older than the window (called now and then; they no longer count)."""
    cutoff = now() - timedelta(minutes=settings.MADANG_LOGIN_WINDOW_MINUTES)
    return LoginFailure.objects.filter(at__lte=cutoff).delete()[0]


def wait_message(seconds: int) -> str:
    return ngettext(
        "Too many failed attempts. Please wait %(n)d second and try again.",
        "Too many failed attempts. Please wait %(n)d seconds and try again.",
        seconds,
    ) % {"n": seconds}


# ---------------------------------------------------------------- known devices


def is_known_device(request: HttpRequest | None, username: str) -> bool:
    if request is None:
        return False
    cookie = request.COOKIES.get(DEVICE_COOKIE, "")
    if not cookie or len(cookie) > 300:
        return False
    try:
        return bool(signing.loads(cookie, salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE) == username.lower())
    except signing.BadSignature:
        return False


def remember_device(response: HttpResponse, username: str) -> None:
    response.set_cookie(
        DEVICE_COOKIE,
        signing.dumps(username.lower(), salt=DEVICE_SALT),
        max_age=DEVICE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
