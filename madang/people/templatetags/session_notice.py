"""`{% session_notice "note" %}` and `{% session_notice "warning" %}`: the session's time limit on
every signed-in page (people/_session_note.html, people/_session_warning.html; KWCAG 6.2.1).

Both parts are the same words for every reader in a language but for six values: the time the
session ends (a `<time>`), the seconds left, the CSRF token of their two forms, the page's own
address (twice, once quoted for a link) and the script's nonce. Rendering them with Django's
engine cost about 0.4 ms of each signed-in page (four `{% blocktranslate %}` among them; issue
18). So each part is rendered once per language, script prefix and session settings with a
marker in the place of each of those values, cut at the markers, and then filled for each page:
the output is the template's own, character for character (the tests compare the two).

The markers are rendered where the values would be, through the same filters: the page's address
is given as a text with spaces, so that the escaped place and the quoted place (`|urlencode`)
can be told apart. A marker that does not come out whole (a template changed so that a filter
alters it) is caught when the skeleton is made, and the part is then rendered as before.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django import template
from django.template.context import Context
from django.urls import get_script_prefix
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

TEMPLATES = {"note": "people/_session_note.html", "warning": "people/_session_warning.html"}

# Each marker as the template renders it, and what fills it on a page.
_TIME, _SECONDS, _CSRF, _NONCE = "madangslottime", "madangslotseconds", "madangslotcsrf", "madangslotnonce"
_PATH = "madang slot path"  # (spaces: escaped it stays as it is, quoted it becomes madang%20slot%20path)
_QUOTED_PATH = quote(_PATH, safe="/")
# (One group: splitting keeps each marker found, so text and markers alternate.)
_MARKERS = re.compile("(" + "|".join(re.escape(m) for m in (_TIME, _SECONDS, _CSRF, _NONCE, _PATH, _QUOTED_PATH)) + ")")


@dataclass(frozen=True)
class _MarkedClock:
    """A SessionClock whose two per-page values are markers (the rest is part of the key)."""

    final: bool
    warn_seconds: int
    idle_minutes: int
    max_hours: int
    warn_minutes: int

    @property
    def time_tag(self) -> SafeString:
        return SafeString(_TIME)

    @property
    def seconds_left(self) -> str:
        return _SECONDS


class _MarkedRequest:
    def get_full_path(self) -> str:
        return _PATH


@functools.lru_cache(maxsize=64)
def _skeleton(name: str, key: tuple[Any, ...], engine: Any, clock: _MarkedClock) -> tuple[str, ...] | None:
    """The part cut at its markers: text, marker, text, … (None: a marker did not come out whole)."""
    context = Context({"session_clock": clock, "request": _MarkedRequest(), "csrf_token": _CSRF, "csp_nonce": _NONCE})
    html = engine.get_template(name).render(context)
    pieces = tuple(_MARKERS.split(html))
    left = ("madangslot", "madang slot", "madang%20slot")
    if any(word in piece.lower() for piece in pieces[::2] for word in left):
        return None
    return pieces


@register.simple_tag(takes_context=True)
def session_notice(context: Context, which: str) -> SafeString:
    name = TEMPLATES[which]
    clock = context.get("session_clock")
    request = context.get("request")
    csrf_token, nonce = context.get("csrf_token"), context.get("csp_nonce")
    engine = _engine(context)
    if clock is None or request is None or not csrf_token or str(csrf_token) == "NOTPROVIDED":
        return _rendered(context, name)
    marked = _MarkedClock(clock.final, clock.warn_seconds, clock.idle_minutes, clock.max_hours, clock.warn_minutes)
    key = (get_language(), get_script_prefix())
    skeleton = _skeleton(name, key, engine, marked)
    if skeleton is None or nonce is None:
        return _rendered(context, name)
    path = request.get_full_path()
    values = {
        _TIME: str(clock.time_tag),
        _SECONDS: conditional_escape(localize(clock.seconds_left)),
        _CSRF: escape(str(csrf_token)),
        _NONCE: conditional_escape(str(nonce)),
        _PATH: conditional_escape(path),
        _QUOTED_PATH: escape(quote(path, safe="/")),
    }
    # The template's own output, its values escaped as it escapes them.
    return mark_safe("".join(values.get(piece, piece) if i % 2 else piece for i, piece in enumerate(skeleton)))


def _engine(context: Context) -> Any:
    if context.template is None:  # (a tag is rendered within a template, which the context is bound to)
        raise template.TemplateSyntaxError("session_notice is used inside a template")
    return context.template.engine


def _rendered(context: Context, name: str) -> SafeString:
    """The part rendered by Django's engine in the page's context, as `{% include %}` would."""
    return mark_safe(_engine(context).get_template(name).render(context))
