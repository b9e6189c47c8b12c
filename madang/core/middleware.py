import contextvars
import logging
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from madang.core import retry, security
from madang.core.errors import DomainError

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


def request_id_of(record: logging.LogRecord) -> str:
    """The id of the request a log record belongs to ("-" outside requests)."""
    rid = getattr(record, "request_id", None) or _request_id.get()
    if rid == "-":
        # Django logs a 5xx response after the middleware has returned: the request knows.
        rid = getattr(getattr(record, "request", None), "request_id", "-")
    return rid


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_of(record)
        return True


class RequestIdMiddleware:
    """Tags every log line of a request with one id, echoed in the X-Request-Id header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-Id", "")
        rid = incoming if incoming.isalnum() and len(incoming) <= 64 else uuid.uuid4().hex[:16]
        request.request_id = rid  # type: ignore[attr-defined]  # HttpRequest declares no request_id; set here for the log formatter and error pages
        token = _request_id.set(rid)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-Id"] = rid
        return response


class DomainErrorMiddleware:
    """A rule violation that reaches a page view becomes a 4xx page, never a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        kept = retry.take(request)
        response = self.get_response(request)
        return retry.refill(response, kept) if kept else response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DomainError):
            htmx = getattr(request, "htmx", False)
            template = "core/_error.html" if htmx else "core/error.html"
            if exception.status == 403:
                user = getattr(request, "user", None)
                security.event(
                    "forbidden",
                    user_id=user.pk if user is not None and user.is_authenticated else None,
                    path=request.path,
                    code=exception.code,
                )
            # A refused form goes back to its page with the message and what was typed (core/retry.py);
            # "not found" stays an error page, so that it says nothing of what exists.
            back = (
                retry.back_with(request, str(exception.message), exception.field, exception.code)
                if exception.status != 404
                else None
            )
            if back is not None:
                return back
            response = render(request, template, {"error": exception}, status=exception.status)
            if retry_after := getattr(exception, "retry_after", None):
                response["Retry-After"] = str(retry_after)
            return response
        return None
