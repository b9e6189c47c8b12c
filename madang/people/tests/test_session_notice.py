"""The session's notice and warning made from a kept skeleton are the templates' own output."""

from datetime import UTC, datetime
from urllib.parse import quote

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation
from django.utils.html import escape

from madang.people.context_processors import SessionClock
from madang.people.templatetags import session_notice

PATHS = ["/", "/calls/c/bus/?q=버스 정류장&page=2", '/calls/p/7/?x="<b>\'&amp;"', "/a b/%20?next=/x/?y=1"]


def _clock(final: bool, seconds_left: int) -> SessionClock:
    return SessionClock(
        ends_at=datetime(2026, 12, 7, 21, 5, 9, tzinfo=UTC),
        seconds_left=seconds_left,
        final=final,
        warn_seconds=120,
        idle_minutes=30,
        max_hours=8,
    )


def _both(which: str, path: str, clock: SessionClock, csrf: str | None = "Ab3dEf", nonce: str | None = "n0+nce"):
    request = RequestFactory().get(path)
    values = {"request": request, "session_clock": clock, "csrf_token": csrf, "csp_nonce": nonce}
    values = {k: v for k, v in values.items() if v is not None}
    name = session_notice.TEMPLATES[which]
    made = Template(f'{{% load session_notice %}}{{% session_notice "{which}" %}}').render(Context(values))
    plain = Template(f'{{% include "{name}" %}}').render(Context(values))
    return made, plain


@pytest.mark.parametrize("which", ["note", "warning"])
@pytest.mark.parametrize("language", ["ko", "en"])
def test_each_part_is_the_templates_own_output(which, language):
    for final in (False, True):
        for seconds in (59, 1800, 28_800):
            for path in PATHS:
                with translation.override(language):
                    made, plain = _both(which, path, _clock(final, seconds))
                assert made == plain, (which, language, final, seconds, path)
    # The values are there, escaped as the template escapes them.
    with translation.override(language):
        made, _plain = _both("warning", PATHS[2], _clock(False, 90))
    if which == "warning":
        assert 'value="Ab3dEf"' in made and 'nonce="n0+nce"' in made
        here = RequestFactory().get(PATHS[2]).get_full_path()
        assert f'name="next" value="{escape(here)}"' in made and f"?next={quote(here, safe='/')}" in made
        assert "'" in here and "&#x27;" in escape(here)
        assert 'datetime="2026-12-07T21:05:09+00:00"' in made


def test_the_skeleton_is_made_once_per_language():
    session_notice._skeleton.cache_clear()
    with translation.override("ko"):
        for seconds in (10, 20, 30):
            _both("note", "/", _clock(False, seconds))
    assert session_notice._skeleton.cache_info().misses == 1
    assert session_notice._skeleton.cache_info().hits == 2
    with translation.override("en"):
        _both("note", "/", _clock(False, 10))
    assert session_notice._skeleton.cache_info().misses == 2


def test_without_a_token_or_a_nonce_it_renders_as_the_template_does():
    for csrf, nonce in [(None, "n"), ("Ab3dEf", None)]:
        made, plain = _both("warning", "/x/", _clock(False, 100), csrf=csrf, nonce=nonce)
        assert made == plain


def test_a_marker_a_filter_would_change_is_caught(monkeypatch):
    # A template that upper-cases the seconds would turn the marker into other text: the part is
    # then rendered by the engine, never filled wrongly.
    from django.template import engines

    engine = engines["django"].engine
    session_notice._skeleton.cache_clear()
    monkeypatch.setitem(session_notice.TEMPLATES, "note", "people/tests_session_note_upper.html")
    original = engine.get_template

    def get_template(name: str) -> Template:
        if name == "people/tests_session_note_upper.html":
            return Template('<p data-s="{{ session_clock.seconds_left|upper }}">{{ csp_nonce }}</p>', engine=engine)
        return original(name)

    monkeypatch.setattr(engine, "get_template", get_template)
    made, _plain = _both("note", "/", _clock(False, 100))
    assert made == '<p data-s="100">n0+nce</p>'
    assert (
        session_notice._skeleton(
            "people/tests_session_note_upper.html",
            ("ko", "/"),
            engine,
            session_notice._MarkedClock(False, 120, 30, 8, 2),
        )
        is None
    )
    session_notice._skeleton.cache_clear()
