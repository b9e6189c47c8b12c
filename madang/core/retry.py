"""A refused action goes back to its form, with the message and what was typed.

Most pages post small forms to action addresses (`/labs/<slug>/decision/`, `/events/<slug>/do/<name>/`,
`/citizens/pools/<id>/commit/`) that redirect back to the page when the service accepts. When the
service refuses (a DomainError), an error page at the action address loses the form and what was
typed in it, and reloading that address answers 405. So, for a browser's POST from one of our own
pages (a same-origin Referer), DomainErrorMiddleware instead

1. adds the message (Django's messages framework, shown at the top of the page),
2. keeps what was typed in the session, for that page only and for a few minutes (text fields
   only: never a password, a token, an opening or a file),
3. redirects (303) back to the page,

and when that page is served again, the form that posts to the failed action is filled in with
what was kept, the field the message is about marked invalid. Without a usable Referer (a client
that sends none, another site), the error page is shown as before.

A form may carry a part that only makes sense after a refusal of one kind (the exposure filter's
"this is not personal data" box): written with `hidden data-retry-reveal="<error code>"`, it is
shown when the form comes back refused with that code.
"""

from __future__ import annotations

import html
import re
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme

SESSION_KEY = "madang.retry"
KEEP_SECONDS = 10 * 60
MAX_VALUE = 20_000
MAX_TOTAL = 100_000
# What is never written to the session: the person types these again.
SECRET = re.compile(r"csrf|pass|token|secret|opening|otp", re.IGNORECASE)
TEXT_TYPES = {
    "text",
    "email",
    "number",
    "date",
    "datetime-local",
    "time",
    "month",
    "week",
    "search",
    "tel",
    "url",
    "range",
    "color",
    "",
}


def back_to(request: HttpRequest) -> str | None:
    """The page (path and query) the failed POST came from, if it is one of ours."""
    referer = request.headers.get("Referer", "")
    if not referer or not url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    parts = urlsplit(referer)
    if parts.netloc and parts.netloc != request.get_host():
        return None
    if not parts.path.startswith("/"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def keep(request: HttpRequest, page: str, field_name: str | None, code: str = "") -> None:
    """Keep what was typed in the failed form for `page` (see the module's docstring)."""
    data: dict[str, list[str]] = {}
    total = 0
    for name, values in request.POST.lists():
        if SECRET.search(name):
            continue
        kept = [v for v in values if len(v) <= MAX_VALUE]
        total += sum(len(v) for v in kept)
        data[name] = kept
    if total > MAX_TOTAL:
        data = {}
    request.session[SESSION_KEY] = {
        "page": page,
        "action": request.path,
        "data": data,
        "field": field_name or "",
        "code": code,
        "at": int(time.time()),
    }


def back_with(request: HttpRequest, message: str, field_name: str | None = None, code: str = "") -> HttpResponse | None:
    """For a view that catches the refusal itself: back to the referring page with the message and
    what was typed, or None when there is no page of ours to go back to (render as before)."""
    page = back_to(request) if request.method == "POST" and not getattr(request, "htmx", False) else None
    if page is None or not hasattr(request, "session"):
        return None
    messages.error(request, message)
    keep(request, page, field_name, code)
    return HttpResponseRedirect(page, status=303)


def take(request: HttpRequest) -> dict[str, Any] | None:
    """What was kept for the page this GET asks for (then forgotten), if anything."""
    if request.method != "GET" or getattr(request, "htmx", False) or not hasattr(request, "session"):
        return None
    kept = request.session.get(SESSION_KEY)
    if not isinstance(kept, dict) or kept.get("page") != request.get_full_path():
        return None
    del request.session[SESSION_KEY]
    if time.time() - int(kept.get("at", 0)) > KEEP_SECONDS:
        return None
    return kept


def refill(response: HttpResponse, kept: dict[str, Any]) -> HttpResponse:
    """Fill in the form of the page that posts to the failed action with what was typed."""
    if (
        response.status_code != 200
        or "text/html" not in response.get("Content-Type", "")
        or getattr(response, "streaming", False)
    ):
        return response
    charset = response.charset or "utf-8"
    page = response.content.decode(charset)
    filled = fill_form(
        page,
        action=kept["action"],
        page_path=str(kept["page"]).split("?")[0],
        data=kept.get("data") or {},
        invalid=kept.get("field") or "",
        reveal=kept.get("code") or "",
    )
    if filled != page:
        response.content = filled.encode(charset)
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
    return response


# ---------------------------------------------------------------- refilling a form in a page


@dataclass
class _Tag:
    start: int  # offset of "<" in the page
    raw: str  # the start tag as written
    name: str
    attrs: list[tuple[str, str | None]]

    def get(self, name: str) -> str | None:
        return next((v for k, v in self.attrs if k == name), None)


@dataclass
class _Form:
    tag: _Tag
    inputs: list[_Tag] = field(default_factory=list)
    textareas: list[tuple[_Tag, int, int]] = field(default_factory=list)  # (tag, content start, content end)
    options: list[tuple[str, _Tag]] = field(default_factory=list)  # (the select's name, option)
    selects: list[_Tag] = field(default_factory=list)
    within: list[_Tag] = field(default_factory=list)  # the <details> it sits in: opened, so the form shows
    reveal: list[_Tag] = field(default_factory=list)  # parts shown after a refusal with their code


class _Forms(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.line_starts = [0]
        for i, ch in enumerate(page):
            if ch == "\n":
                self.line_starts.append(i + 1)
        self.forms: list[_Form] = []
        self.current: _Form | None = None
        self.select: str | None = None
        self.textarea: _Tag | None = None
        self.details: list[_Tag] = []

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        t = _Tag(self._offset(), self.get_starttag_text() or "", tag, attrs)
        if tag == "details":
            self.details.append(t)
        elif tag == "form":
            self.current = _Form(t, within=list(self.details))
            self.forms.append(self.current)
            return
        if self.current is None:
            return
        if t.get("data-retry-reveal") is not None:
            self.current.reveal.append(t)
        if tag == "input":
            self.current.inputs.append(t)
        elif tag == "textarea":
            self.textarea = t
        elif tag == "select":
            self.select = t.get("name")
            self.current.selects.append(t)
        elif tag == "option" and self.select:
            self.current.options.append((self.select, t))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "details" and self.details:
            self.details.pop()
        elif tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea is not None and self.current is not None:
            t = self.textarea
            self.current.textareas.append((t, t.start + len(t.raw), self._offset()))
            self.textarea = None


def _render(tag: _Tag, attrs: list[tuple[str, str | None]]) -> str:
    body = "".join(f" {k}" if v is None else f' {k}="{html.escape(v, quote=True)}"' for k, v in attrs)
    return f"<{tag.name}{body}{' /' if tag.raw.rstrip().endswith('/>') else ''}>"


def _with(
    attrs: list[tuple[str, str | None]], name: str, value: str | None, present: bool = True
) -> list[tuple[str, str | None]]:
    rest = [(k, v) for k, v in attrs if k != name]
    return [*rest, (name, value)] if present else rest


def _matches(form: _Form, action: str, page_path: str, data: dict[str, list[str]]) -> int:
    """-1 if the form does not post to `action`; else how many of its hidden fields agree with `data`."""
    if (form.tag.get("method") or "get").lower() != "post":
        return -1
    target = urlsplit(form.tag.get("action") or page_path).path or page_path
    if target != action:
        return -1
    hidden = [
        t
        for t in form.inputs
        if (t.get("type") or "").lower() == "hidden" and t.get("name") and not SECRET.search(t.get("name") or "")
    ]
    if any((t.get("value") or "") not in data.get(t.get("name") or "", []) for t in hidden):
        return -1  # another object's form that posts to the same address (one per task, per registration ...)
    return len(hidden)


def fill_form(
    page: str, *, action: str, page_path: str, data: dict[str, list[str]], invalid: str = "", reveal: str = ""
) -> str:
    """`page` with the form that posts to `action` filled in from `data` (as request.POST.lists() gave it)."""
    parser = _Forms(page)
    parser.feed(page)
    parser.close()
    ranked = sorted(((_matches(f, action, page_path, data), -i) for i, f in enumerate(parser.forms)), reverse=True)
    if not ranked or ranked[0][0] < 0:
        return page
    form = parser.forms[-ranked[0][1]]
    edits: list[tuple[int, int, str]] = []

    def mark(attrs: list[tuple[str, str | None]], name: str | None) -> list[tuple[str, str | None]]:
        return _with(attrs, "aria-invalid", "true") if invalid and name == invalid else attrs

    for t in form.inputs:
        name, kind = t.get("name"), (t.get("type") or "").lower()
        if (
            not name
            or SECRET.search(name)
            or kind in {"hidden", "password", "file", "submit", "button", "image", "reset"}
        ):
            continue
        values = data.get(name, [])
        if kind in {"checkbox", "radio"}:
            attrs = _with(t.attrs, "checked", None, present=(t.get("value") or "on") in values)
        elif kind in TEXT_TYPES and name in data:
            attrs = _with(t.attrs, "value", values[0] if values else "")
        else:
            continue
        edits.append((t.start, t.start + len(t.raw), _render(t, mark(attrs, name))))
    for t, begin, end in form.textareas:
        name = t.get("name")
        if not name or name not in data or SECRET.search(name):
            continue
        edits.append((t.start, t.start + len(t.raw), _render(t, mark(t.attrs, name))))
        edits.append((begin, end, "\n" + html.escape(data[name][0] if data[name] else "", quote=False)))
    for select_name, t in form.options:
        if select_name in data:
            edits.append(
                (
                    t.start,
                    t.start + len(t.raw),
                    _render(t, _with(t.attrs, "selected", None, present=(t.get("value") or "") in data[select_name])),
                )
            )
    for t in form.selects:
        if invalid and t.get("name") == invalid:
            edits.append((t.start, t.start + len(t.raw), _render(t, mark(t.attrs, invalid))))
    for t in form.within:
        edits.append((t.start, t.start + len(t.raw), _render(t, _with(t.attrs, "open", None))))
    for t in form.reveal:
        if reveal and t.get("data-retry-reveal") == reveal and t.name != "input":
            edits.append((t.start, t.start + len(t.raw), _render(t, _with(t.attrs, "hidden", None, present=False))))
    for begin, end, text in sorted(edits, reverse=True):
        page = page[:begin] + text + page[end:]
    return page
