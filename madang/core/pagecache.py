"""A few seconds' shared copy of public pages for visitors who are not logged in.

In a national call most requests are anonymous readers of the same few pages (the call's list,
its first search results, a proposal in the news). Rendering each of them again costs about
10 ms of a core; serving the copy made a moment ago costs a small fraction of that. A page
decorated with `@shared_for_anonymous` is kept for `MADANG_PAGE_CACHE_SECONDS` (5 in production,
0 (off) with DEBUG, so a developer sees every change at once) in the configured cache (Redis
when set, else this process's memory), keyed by language and full path.

Only what is the same for every anonymous visitor is shared. A copy is made and served only for
a GET without a session or messages cookie and without htmx, from a 200 HTML response that sets
no cookie of its own and queued no message. The two things in a page that belong to one
response are put back fresh in every copy served: the CSRF token (this visitor's, from
`get_token`, which also sets their cookie) and the CSP nonce (this response's). The price is
that an anonymous reader may see a support tally up to that many seconds old.

Signed-in people get their own page, but a part of it that is the same for a whole class of
readers may be shared the same way (`shared_fragment`): a call's list and search results for
everyone who sees just what the call shares (`calls.selectors.plain_reader`). Such a part holds
no form, token or nonce; the page around it (their name, their inbox, their buttons) is theirs.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.safestring import SafeString, mark_safe

CSRF_MARK = "\x00madang-csrf\x00"
NONCE_MARK = "\x00madang-nonce\x00"
_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{32,128})"')


def seconds() -> float:
    return float(getattr(settings, "MADANG_PAGE_CACHE_SECONDS", 0) or 0)


def _shareable_request(request: HttpRequest) -> bool:
    if request.method != "GET" or seconds() <= 0:
        return False
    user = getattr(request, "user", None)
    if user is None or user.is_authenticated:
        return False
    if request.headers.get("HX-Request"):
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _key(request: HttpRequest) -> str:
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"page:{getattr(request, 'LANGUAGE_CODE', '-')}:{digest}"


def _shareable_response(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    queued = getattr(request, "_messages", None)
    return not (queued is not None and getattr(queued, "_queued_messages", None))


def _nonce(request: HttpRequest) -> Any:
    return getattr(request, "_csp_nonce", None)


def _store(request: HttpRequest, response: HttpResponse) -> None:
    body = response.content.decode(response.charset or "utf-8")
    if CSRF_MARK in body or NONCE_MARK in body:
        return
    found = _TOKEN.search(body)
    if found:
        body = body.replace(found.group(1), CSRF_MARK)
    nonce = _nonce(request)
    if nonce:  # (a LazyNonce is true once the page has used it)
        body = body.replace(str(nonce), NONCE_MARK)
    headers = {k: v for k, v in response.items() if k.lower() in ("content-type", "content-language")}
    cache.set(_key(request), (body, headers), timeout=seconds())


def _serve(request: HttpRequest, stored: tuple[str, dict[str, str]]) -> HttpResponse:
    body, headers = stored
    if CSRF_MARK in body:
        body = body.replace(CSRF_MARK, get_token(request))
    if NONCE_MARK in body:
        nonce = _nonce(request)  # (str() makes the lazy nonce, so the policy names it too)
        body = body.replace(NONCE_MARK, "" if nonce is None else str(nonce))
    response = HttpResponse(body)
    for name, value in headers.items():
        response[name] = value
    response["X-Madang-Shared"] = "1"
    return response


def shared_for_anonymous(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve anonymous visitors a copy of this page made in the last few seconds."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _shareable_request(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        stored = cache.get(key)
        if stored is not None:
            return _serve(request, stored)
        response = view(request, *args, **kwargs)
        if _shareable_response(request, response):
            _store(request, response)
        return response

    return wrapper


def shared_fragment(key: str, make: Callable[[], str]) -> SafeString:
    """The HTML `make()` renders, shared for `MADANG_PAGE_CACHE_SECONDS` by every request whose
    `key` is the same (the caller puts in it all the fragment depends on, language included).
    With the copies off it is made every time. A fragment with a CSRF token is never kept: it
    would hand one visitor's token to the next."""
    ttl = seconds()
    if ttl <= 0:
        return mark_safe(make())
    name = "fragment:" + hashlib.sha256(key.encode()).hexdigest()[:40]
    stored = cache.get(name)
    if stored is not None:
        return mark_safe(stored)
    html = str(make())
    if not _TOKEN.search(html):
        cache.set(name, html, timeout=ttl)
    return mark_safe(html)
