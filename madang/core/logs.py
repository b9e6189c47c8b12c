"""Structured logs: one JSON object per line, tagged with the request id, free of personal data.

`MADANG_LOG_FORMAT=json` (the default without MADANG_DEBUG) writes every record as JSON with
the time, level, logger, message and request id; request records also carry the method, the
path (never the query string, which may hold a search or a token), the status, the duration and
a pseudonymous user tag (a keyed hash of the account id: the same person gives the same tag in
one deployment, and the tag names nobody). Errors add the exception type and the traceback.
Messages and tracebacks are scrubbed of e-mail addresses, phone numbers, resident registration
numbers and bearer tokens before they are written.
"""

from __future__ import annotations

import json
import logging
import re
import time
import traceback
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

from madang.core import security
from madang.core.middleware import request_id_of

request_log = logging.getLogger("madang.request")

_SCRUB = [
    (re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"), "[email]"),
    (re.compile(r"\b\d{6}-?[1-8]\d{6}\b"), "[rrn]"),  # 주민등록번호
    (re.compile(r"\b0\d{1,2}[- .]?\d{3,4}[- .]?\d{4}\b"), "[phone]"),
    (
        re.compile(r"(?i)\b(bearer|token|password|passwd|secret)([\"']?\s*[:=]\s*|\s+)[\"']?[^\s\"',;]+"),
        r"\1\2[redacted]",
    ),
]


def scrub(text: str) -> str:
    for pattern, replacement in _SCRUB:
        text = pattern.sub(replacement, text)
    return text


def user_tag(user_id: int | None) -> str | None:
    """A stable pseudonym for an account id, keyed with the deployment's secret."""
    return None if user_id is None else security.tag("user", user_id)


# Attributes of a record that are safe and useful; everything else a caller attaches is dropped
# (Django attaches the whole request to django.request records: its cookies must not be logged).
_FIELDS = (
    "method",
    "path",
    "status",
    "duration_ms",
    "queue_ms",
    "user",
    "job",
    "kind",
    "worker",
    "event",
    "scope",
    "account",
    "address",
    "code",
)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "request_id": request_id_of(record),
            "message": scrub(record.getMessage()),
        }
        for name in _FIELDS:
            if (value := getattr(record, name, None)) is not None:
                out[name] = value
        request = getattr(record, "request", None)
        if isinstance(request, HttpRequest):
            out.setdefault("method", request.method)
            out.setdefault("path", request.path)
        if (code := getattr(record, "status_code", None)) is not None:
            out.setdefault("status", code)
        if record.exc_info and record.exc_info[0] is not None:
            out["error"] = record.exc_info[0].__name__
            out["traceback"] = scrub("".join(traceback.format_exception(*record.exc_info)))
        return json.dumps(out, ensure_ascii=False, default=str)


class PlainFormatter(logging.Formatter):
    """The developer's format, scrubbed the same way."""

    def format(self, record: logging.LogRecord) -> str:
        record.request_id = request_id_of(record)
        return scrub(super().format(record))


def queue_ms(header: str | None, now: float) -> float | None:
    """How long a request waited between the reverse proxy and Django, from the proxy's X-Request-Start.

    nginx sends `t=<seconds since the epoch, with milliseconds>` (`proxy_set_header X-Request-Start
    "t=${msec}"`, docs/deployment.md); other proxies send milliseconds or microseconds, with or
    without `t=`. The unit is told by the size of the number. The time in the listen queue and in a
    busy worker's backlog is invisible to Django's own timing: the access log's duration starts when
    the view stack does. None when the header is missing or unreadable; a clock a little ahead of
    ours gives 0, not a negative wait.
    """
    if not header:
        return None
    value = header.strip()
    if value.startswith("t="):
        value = value[2:]
    try:
        stamp = float(value)
    except ValueError:
        return None
    if not stamp > 0 or stamp != stamp:  # zero, negative or NaN
        return None
    if stamp > 1e14:  # microseconds
        stamp /= 1e6
    elif stamp > 1e11:  # milliseconds
        stamp /= 1e3
    waited = (now - stamp) * 1000
    if waited > 3_600_000:  # an hour: not a queue, a wrong clock or a forged header
        return None
    return round(max(waited, 0.0), 1)


class AccessLogMiddleware:
    """One record per request on `madang.request`: method, path, status, time, user tag, and the time
    it waited before Django when the proxy says when it passed the request on (queue_ms)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        waited = queue_ms(request.META.get("HTTP_X_REQUEST_START"), time.time())
        started = time.perf_counter()
        response = self.get_response(request)
        if request_log.isEnabledFor(logging.INFO):
            user = getattr(request, "user", None)
            uid = (
                user.pk
                if user is not None and user.is_authenticated
                else getattr(getattr(request, "auth", None), "pk", None)
            )
            request_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user": user_tag(uid),
                    **({"queue_ms": waited} if waited is not None else {}),
                },
            )
        return response
