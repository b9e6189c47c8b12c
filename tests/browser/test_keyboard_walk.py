"""Proposing, supporting and checking in with the keyboard alone: Tab, Shift+Tab, Enter and Space,
typing into fields, and the address bar (goto); never the mouse. Every element that takes focus on
the way must show it (an outline or a ring) inside the window, and each form's controls must come in
the order they are read. axe checks each page as the other walks do (audit.py)."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from madang.calls.models import Proposal
from madang.events.models import Registration
from madang.testing import PASSWORD

from .hall import full_hall

pytestmark = pytest.mark.django_db(transaction=True)

FOCUSED = """() => {
  const e = document.activeElement;
  const s = getComputedStyle(e);
  const r = e.getBoundingClientRect();
  // The part of it inside the window, and what is drawn at that part's middle: itself, or
  // something on top of it (WCAG 2.4.11: focus not hidden by the page's own content).
  const top = Math.max(r.top, 0), bottom = Math.min(r.bottom, window.innerHeight);
  const left = Math.max(r.left, 0), right = Math.min(r.right, window.innerWidth);
  const seen = bottom > top && right > left;
  const hit = seen ? document.elementFromPoint((left + right) / 2, (top + bottom) / 2) : null;
  return {
    tag: e.tagName.toLowerCase(), id: e.id, cls: e.getAttribute('class') || '', href: e.getAttribute('href') || '',
    name: (e.getAttribute('aria-label') || e.innerText || e.value || '').trim(),
    outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0, ring: s.boxShadow !== 'none',
    inside: seen && !!hit && (hit === e || e.contains(hit)),
  };
}"""


def focused(page) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return page.evaluate(FOCUSED)  # type: ignore[no-any-return]


def tab(page, *, back: bool = False) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """One Tab (or Shift+Tab); the element it reaches must show that it has focus, in the window."""
    page.keyboard.press("Shift+Tab" if back else "Tab")
    f = focused(page)
    assert f["tag"] != "body", "focus fell out of the page"
    assert f["outline"] or f["ring"], f"focus is not visible on {f}"
    assert f["inside"], f"the focused element is outside the window or covered: {f}"
    return f


def tab_to(page, want: Callable[[dict[str, Any]], bool], *, limit: int = 60) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """Tab until `want` holds for the focused element; returns every element passed on the way."""
    passed = []
    for _ in range(limit):
        f = tab(page)
        passed.append(f)
        if want(f):
            return passed
    raise AssertionError(f"Tab never reached it; passed {[p['name'] or p['id'] for p in passed]}")


def pause(page) -> None:  # type: ignore[no-untyped-def]
    """As a person pauses after typing: the similar ideas looked up on keyup (600 ms later) arrive."""
    page.wait_for_timeout(700)
    for _ in range(40):
        if not page.evaluate("() => !!document.querySelector('.htmx-request')"):
            return
        page.wait_for_timeout(50)


def skip_to_main(page) -> None:  # type: ignore[no-untyped-def]
    """The first Tab on a page shows the skip link; Enter on it puts focus at the start of the content."""
    f = tab(page)
    assert f["cls"] == "skip" and f["href"] == "#main", f
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"


def keyboard_login(page, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(page.base + "/people/login/")
    skip_to_main(page)
    assert tab(page)["id"] == "id_username"  # the skip link jumped over the whole header
    page.keyboard.type(username)
    assert tab(page)["id"] == "id_password"
    page.keyboard.type("typo")
    assert tab(page, back=True)["id"] == "id_username"  # Shift+Tab goes back the same way
    assert tab(page)["id"] == "id_password"
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type(PASSWORD)
    button = tab(page)
    assert button["tag"] == "button" and button["name"] == "로그인", button
    page.keyboard.press("Enter")
    expect(page.locator("header.site")).to_contain_text("로그아웃")


def test_it_proposes_supports_and_checks_in_with_the_keyboard_alone(cast, open_page):
    hall = full_hall(cast, people_count=12)

    author = open_page("ko")
    keyboard_login(author, "minji")
    author.goto(author.base + f"/calls/c/{cast.call.slug}/")
    skip_to_main(author)
    tab_to(author, lambda f: f["href"].endswith("/propose/"))
    author.keyboard.press("Enter")
    author.wait_for_url(re.compile(r".*/propose/(#main)?$"))
    skip_to_main(author)
    # the form's fields in the order they are read, nothing of the form skipped
    order = ["id_title", "id_problem", "id_solution", "id_expected_effect", "id_suggested_department", "id_category"]
    typed = {
        "id_title": "민원 서류 한 번만 내기",
        "id_problem": "같은 서류를 부서마다 다시 냅니다.",
        "id_solution": "행정정보 공동이용으로 자동 조회합니다.",
        "id_expected_effect": "처리 기간 단축",
    }
    reached = []
    for field in order:
        passed = tab_to(author, lambda f, field=field: f["id"] == field)
        reached += [p["id"] for p in passed if p["id"].startswith("id_")]
        if field in typed:
            author.keyboard.type(typed[field])
            pause(author)
    assert reached == order
    assert tab(author)["name"] == "임시 저장"
    submit = tab(author)
    assert submit["name"] == "제출", submit
    author.keyboard.press("Enter")
    # (the skip link's #main rides along through the redirect)
    author.wait_for_url(re.compile(r".*/calls/p/\d+/(#main)?$"))
    proposal = Proposal.objects.get(title="민원 서류 한 번만 내기")
    assert proposal.status == "submitted"

    colleague = open_page("ko")
    keyboard_login(colleague, "seojun")
    colleague.goto(colleague.base + f"/calls/p/{proposal.pk}/")
    skip_to_main(colleague)
    tab_to(colleague, lambda f: f["name"] == "공감")
    colleague.keyboard.press(" ")
    expect(colleague.locator("#support-count")).to_have_text(re.compile(r"^\s*1\s*$"))
    assert proposal.supports.count() == 1
    # the button swapped in keeps the focus: Space again would withdraw, Tab goes on from here
    f = focused(colleague)
    assert f["tag"] == "button" and "공감함" in f["name"], f
    assert f["outline"] or f["ring"]

    facilitator = open_page("ko")
    keyboard_login(facilitator, "haram")
    facilitator.goto(facilitator.base + "/events/hall/manage/")
    skip_to_main(facilitator)
    tab_to(facilitator, lambda f: f["id"] == "door-q")
    someone = hall.regs[5]
    facilitator.keyboard.type(someone.user.username)
    expect(facilitator.locator(".reg-list .reg")).to_have_count(1)
    name = someone.user.display_name
    tab_to(facilitator, lambda f: f["name"] == f"{name} 체크인")
    facilitator.keyboard.press("Enter")
    expect(facilitator.locator(f"#reg-{someone.pk} .here")).to_be_visible()
    assert Registration.objects.get(pk=someone.pk).checked_in_at is not None
    assert f"{name} 님이 체크인했습니다" in facilitator.locator("main").inner_text()
