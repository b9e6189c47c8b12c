"""A board that brings new notes while someone works on it with the keyboard (KWCAG 6.1.2 초점 이동,
6.2.2 정지 기능, 8.2.1; WCAG 2.4.3, 3.2.1, 4.1.3). 김민지 is on the "+ 스티커" button of a note when
윤소희 posts another one: the board's next look brings the new note, says so politely, and leaves
her focus on the very same button; Enter then places her dot, and the focus still stays. A button
stops the updates and starts them again."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from madang.events import services
from madang.events.models import BoardKind, SessionKind
from madang.events.tests.conftest import at

from .test_event_walk import login

pytestmark = pytest.mark.django_db(transaction=True)

# Marks the focused element itself (a property, not an attribute: an element put in its place,
# even one with the same id and text, does not carry it).
MARK = "() => { document.activeElement.madangMark = true; }"
STILL_MARKED = "() => document.activeElement.madangMark === true"


def test_it_keeps_the_focus_on_the_same_button_when_the_board_brings_new_notes(cast, open_page):
    doyun = cast.doyun
    event = services.create_event(
        actor=doyun, organisation=cast.province, slug="dots", title="우선순위 정하기", capacity=20, max_per_agency=5
    )
    services.set_event_state(actor=doyun, event=event, state="open")
    day = services.add_day(actor=doyun, event=event, date=timezone.localdate())
    s = services.add_session(
        actor=doyun, event=event, day=day, title="분임 토의", kind=SessionKind.GROUPS, starts_at=at(9), ends_at=at(10)
    )
    services.register(actor=cast.minji, event=event)
    services.register(actor=cast.sohee, event=event)
    board = services.create_board(actor=doyun, session=s, kind=BoardKind.DOTS, title="무엇부터", dots_per_person=3)
    first = services.post_item(actor=cast.sohee, board=board, text="서류 한 번만 내기")

    page = open_page("ko")
    page.clock.install()
    login(page, "minji")
    page.goto(page.base + f"/events/dots/boards/{board.pk}/")
    button = page.locator(f"#item-{first.pk} button", has_text="+ 스티커")
    button.focus()
    page.evaluate(MARK)

    services.post_item(actor=cast.sohee, board=board, text="창구를 하나로 합치기")
    page.clock.fast_forward(11_000)  # the board looks again every 10 s
    expect(page.locator("#board-live")).to_contain_text("창구를 하나로 합치기")
    assert page.evaluate(STILL_MARKED), "the board's refresh took the focus away"
    expect(page.locator("#board-news")).to_contain_text("창구를 하나로 합치기")
    assert page.locator("#board-news").get_attribute("role") == "status"

    page.keyboard.press("Enter")  # a dot on the focused note, sent by htmx
    expect(page.locator(f"#item-{first.pk} .dot-total")).to_contain_text("1")
    assert page.evaluate(STILL_MARKED), "placing a dot took the focus away"
    assert first.dots.get().count == 1

    # someone else's dot changes the count beside the focused button, and nothing else moves
    services.place_dot(actor=cast.sohee, item=first)
    page.clock.fast_forward(11_000)
    expect(page.locator(f"#item-{first.pk} .dot-total")).to_contain_text("2")
    assert page.evaluate(STILL_MARKED)

    # "자동 갱신 멈춤" stops the board's own looks until it is pressed again (KWCAG 6.2.2)
    pause = page.locator("#board-pause")
    pause.click()
    expect(pause).to_have_attribute("aria-pressed", "true")
    services.post_item(actor=cast.sohee, board=board, text="민원 안내 문자 보내기")
    page.clock.fast_forward(21_000)
    page.wait_for_timeout(500)
    expect(page.locator("#board-live")).not_to_contain_text("민원 안내 문자 보내기")
    pause.click()
    expect(pause).to_have_attribute("aria-pressed", "false")
    page.clock.fast_forward(11_000)
    expect(page.locator("#board-live")).to_contain_text("민원 안내 문자 보내기")
