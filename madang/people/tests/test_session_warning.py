"""Before a signed-in session ends, the page knows when (from the server, not the browser's clock)
and the person may stay signed in (KWCAG 6.2.1 응답시간 조절; WCAG 2.2.1). Time moves on a fake
clock; the browser side is tests/browser/test_session_walk.py."""

import json
import re
from datetime import datetime

import pytest
from django.test import Client
from django.utils import timezone

from madang.people import sessions
from madang.testing import PASSWORD


@pytest.fixture
def clock(monkeypatch):
    state = {"t": float(int(timezone.now().timestamp()))}
    monkeypatch.setattr(sessions, "clock", lambda: state["t"])

    class Clock:
        def advance(self, seconds: float) -> None:
            state["t"] += seconds

        @property
        def now(self) -> int:
            return int(state["t"])

    return Clock()


def logged_in(username: str, *, enforce_csrf_checks: bool = False) -> Client:
    c = Client(enforce_csrf_checks=enforce_csrf_checks)
    page = c.get("/people/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert token is not None
    r = c.post("/people/login/", {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token[1]})
    assert r.status_code == 302
    return c


def clock_on_page(html: str) -> dict[str, str]:
    note = re.search(r'<p id="session-note"([^>]*)>', html)
    assert note is not None, "the signed-in page says nothing about its time limit"
    found = dict(re.findall(r'data-([a-z-]+)="([^"]*)"', note[1]))
    ends = re.search(r'<time class="session-ends" datetime="([^"]+)">([^<]+)</time>', html)
    assert ends is not None
    found["datetime"], found["shown"] = ends[1], ends[2]
    return found


def extend(c: Client) -> tuple[int, dict[str, object]]:
    r = c.post("/people/session/", HTTP_ACCEPT="application/json")
    return r.status_code, json.loads(r.content)


def test_it_tells_every_signed_in_page_when_the_session_ends(cast, clock, settings):
    settings.MADANG_SESSION_IDLE_MINUTES = 30
    settings.MADANG_SESSION_WARNING_SECONDS = 120
    c = logged_in("minji")
    clock.advance(20)  # less than a minute: the last-seen time is not written again
    html = c.get("/calls/").content.decode()
    found = clock_on_page(html)
    assert found["seconds-left"] == str(30 * 60 - 20)
    assert found["warn-seconds"] == "120" and found["final"] == "0"
    ends = datetime.fromisoformat(found["datetime"])
    assert int(ends.timestamp()) == clock.now + 30 * 60 - 20
    assert found["shown"] == timezone.localtime(ends).strftime("%H:%M")
    # said in words as well, for a page without scripts
    assert "30분 동안 아무 페이지도 열지 않으면 로그아웃됩니다" in html
    assert 'role="alertdialog"' in html


def test_it_says_nothing_of_a_time_limit_to_a_visitor(db):
    html = Client().get("/calls/").content.decode()
    assert 'id="session-note"' not in html and "alertdialog" not in html


def test_it_keeps_the_session_when_asked_and_answers_with_the_new_end(cast, clock, settings):
    settings.MADANG_SESSION_IDLE_MINUTES = 30
    c = logged_in("minji")
    clock.advance(28 * 60 + 30)  # the notice is up: 90 seconds left
    status, answer = extend(c)
    assert status == 200
    assert answer["seconds_left"] == 30 * 60 and answer["final"] is False
    assert int(datetime.fromisoformat(str(answer["ends_at"])).timestamp()) == clock.now + 30 * 60
    assert "로그인이 연장되었습니다" in str(answer["message"])
    clock.advance(25 * 60)  # 53 minutes after the last page: still in, thanks to the extension
    assert c.get("/people/settings/").status_code == 200


def test_it_extends_even_within_the_minute_the_last_seen_time_is_not_rewritten(cast, clock, settings):
    settings.MADANG_SESSION_IDLE_MINUTES = 30
    c = logged_in("minji")
    clock.advance(40)
    status, answer = extend(c)
    assert status == 200 and answer["seconds_left"] == 30 * 60


def test_it_refuses_to_extend_a_session_that_has_already_ended(cast, clock, settings):
    settings.MADANG_SESSION_IDLE_MINUTES = 30
    c = logged_in("minji")
    clock.advance(31 * 60)
    status, answer = extend(c)
    assert status == 401 and answer["signed_in"] is False
    assert c.get("/people/settings/").status_code == 302


def test_it_refuses_an_extension_without_the_csrf_token(cast, clock):
    c = logged_in("minji", enforce_csrf_checks=True)
    assert c.post("/people/session/", HTTP_ACCEPT="application/json").status_code == 403


def test_it_refuses_an_extension_by_get(cast, clock):
    c = logged_in("minji")
    assert c.get("/people/session/").status_code == 405


def test_it_cannot_extend_past_the_lifetime_of_a_session(cast, clock, settings):
    settings.MADANG_SESSION_IDLE_MINUTES = 30
    settings.MADANG_SESSION_MAX_HOURS = 1
    c = logged_in("minji")
    for _ in range(2):
        clock.advance(25 * 60)
        assert extend(c)[0] == 200
    status, answer = extend(c)  # 50 minutes in: the hour ends before 30 idle minutes would
    assert status == 200 and answer["seconds_left"] == 10 * 60 and answer["final"] is True
    html = c.get("/calls/").content.decode()
    assert clock_on_page(html)["final"] == "1"
    assert "최대 1시간" in html


def test_it_sends_the_time_left_with_each_answer_so_a_polling_page_stays_right(cast, clock, settings):
    settings.MADANG_SESSION_IDLE_MINUTES = 30
    c = logged_in("minji")
    clock.advance(5 * 60)
    r = c.get("/people/settings/", HTTP_HX_REQUEST="true")
    assert r["Madang-Session-Left"] == str(30 * 60)  # the request itself counted as activity
    clock.advance(30)
    assert c.get("/people/settings/")["Madang-Session-Left"] == str(30 * 60 - 30)
    assert "Madang-Session-Left" not in Client().get("/calls/")


def test_it_sends_no_time_left_with_the_answer_that_signs_out(cast, clock):
    c = logged_in("minji")
    r = c.post("/people/logout/")
    assert r.status_code == 302 and "Madang-Session-Left" not in r


def test_it_goes_back_to_the_page_when_extended_without_scripts(cast, clock):
    c = logged_in("minji")
    r = c.post("/people/session/", {"next": "/calls/"})
    assert r.status_code == 302 and r["Location"] == "/calls/"
    r = c.post("/people/session/", {"next": "https://elsewhere.example/"})
    assert r.status_code == 302 and r["Location"] == "/"
