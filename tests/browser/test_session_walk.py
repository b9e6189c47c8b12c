"""KWCAG 6.2.1 응답시간 조절 (WCAG 2.2.1): 김민지 writes a long proposal and stops typing. Before her
session's idle limit a notice comes up, takes the keyboard focus and offers to keep her logged in;
she presses Enter, the server starts the idle time again, and focus goes back to the field she was
writing in, with her text still there. Left alone later, the notice says she was logged out, as the
server does. The browser's clock and the server's move together (Playwright's clock and
madang.people.sessions.clock); axe checks the page with the notice open."""

import re
import time
from datetime import UTC, datetime
from importlib import import_module

import pytest
from django.conf import settings as django_settings
from django.utils import timezone
from playwright.sync_api import expect

from madang.people import sessions

from .test_event_walk import login

pytestmark = pytest.mark.django_db(transaction=True)


class Clocks:
    """The server's clock runs on from the real time, shifted when the walk jumps ahead."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.shift = 0.0
        monkeypatch.setattr(sessions, "clock", lambda: time.time() + self.shift)

    def jump(self, page, seconds: int) -> None:  # type: ignore[no-untyped-def]
        self.shift += seconds
        page.clock.fast_forward(seconds * 1000)

    def now(self) -> float:
        return time.time() + self.shift


def stored_session(page) -> dict:  # type: ignore[no-untyped-def,type-arg]
    """The session as the server holds it (read without a request, which would count as activity)."""
    key = next(c["value"] for c in page.context.cookies() if c["name"] == django_settings.SESSION_COOKIE_NAME)
    return dict(import_module(django_settings.SESSION_ENGINE).SessionStore(session_key=key).load())


def shown_times(at: float) -> set[str]:
    """The end as the page writes it, give or take the second or two the walk takes between clocks."""
    return {timezone.localtime(datetime.fromtimestamp(at + d, tz=UTC)).strftime("%H:%M") for d in (-5, 0, 5)}


def test_it_warns_before_the_session_ends_and_keeps_it_when_asked(cast, open_page, settings, monkeypatch):
    settings.MADANG_SESSION_IDLE_MINUTES = 30
    settings.MADANG_SESSION_WARNING_SECONDS = 180
    clocks = Clocks(monkeypatch)
    page = open_page("ko")
    page.clock.install()
    login(page, "minji")
    page.goto(page.base + f"/calls/c/{cast.call.slug}/propose/")
    note = page.locator("#session-note")
    expect(note).to_contain_text("30분 동안 아무 페이지도 열지 않으면 로그아웃됩니다")
    expect(note).to_contain_text("로그아웃 3분 전에 알림이 뜨며")
    assert note.locator("time").inner_text() in shown_times(clocks.now() + 30 * 60)

    page.locator("#id_problem").focus()
    typed = "같은 서류를 부서마다 다시 냅니다. 민원인은 하루를 비워야 합니다."
    page.keyboard.type(typed)
    page.wait_for_timeout(800)  # the similar ideas looked up while typing have come back
    dialog = page.locator("#session-warning")

    clocks.jump(page, 26 * 60)  # 4 minutes left: nothing yet
    expect(dialog).to_be_hidden()
    clocks.jump(page, 90)  # 2½ minutes left
    expect(dialog).to_be_visible()
    assert dialog.get_attribute("role") == "alertdialog"
    expect(dialog).to_have_accessible_name("곧 로그아웃됩니다")
    expect(dialog).to_contain_text("입력하고 보내지 않은 내용은 사라질 수 있습니다")
    focus = page.evaluate(
        "() => [document.activeElement.textContent.trim(), !!document.activeElement.closest('#session-warning')]"
    )
    assert focus == ["로그인 연장", True], focus

    page.keyboard.press("Enter")  # axe looks at the page with the notice open first
    expect(dialog).to_be_hidden()
    assert page.evaluate("() => document.activeElement.id") == "id_problem"
    assert page.input_value("#id_problem") == typed
    expect(page.locator("#session-status")).to_contain_text("로그인이 연장되었습니다")
    # the server started the idle time again: its last-seen time is now, and the page shows the new end
    assert abs(stored_session(page)[sessions.SEEN_KEY] - clocks.now()) < 5
    assert note.locator("time").inner_text() in shown_times(clocks.now() + 30 * 60)

    clocks.jump(page, 20 * 60)  # 47½ minutes after the page was opened: still logged in, no notice
    expect(dialog).to_be_hidden()
    clocks.jump(page, 11 * 60)  # 31 minutes after the extension: ended
    expect(dialog).to_be_visible()
    expect(dialog).to_have_accessible_name("로그아웃되었습니다")
    focused = page.evaluate("() => [document.activeElement.tagName, document.activeElement.textContent.trim()]")
    assert focused == ["A", "다시 로그인"], focused
    assert page.input_value("#id_problem") == typed  # nothing on the page was thrown away
    # the server agrees
    r = page.request.get(page.base + "/people/settings/", max_redirects=0)
    assert r.status == 302 and re.match(r"^/people/login/", r.headers["location"])


def test_it_gives_the_focus_back_when_the_notice_is_closed_with_escape(cast, open_page, settings, monkeypatch):
    settings.MADANG_SESSION_IDLE_MINUTES = 30
    settings.MADANG_SESSION_WARNING_SECONDS = 120
    clocks = Clocks(monkeypatch)
    page = open_page("ko")
    page.clock.install()
    login(page, "minji")
    page.goto(page.base + "/calls/")
    page.locator("#main").focus()
    page.keyboard.press("Tab")
    before = page.evaluate("() => document.activeElement.outerHTML")
    clocks.jump(page, 28 * 60 + 30)
    dialog = page.locator("#session-warning")
    expect(dialog).to_be_visible()
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "로그인 연장"
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert page.evaluate("() => document.activeElement.outerHTML") == before
    # closing it extended nothing: the server still counts from the page's opening
    assert clocks.now() - stored_session(page)[sessions.SEEN_KEY] > 28 * 60
