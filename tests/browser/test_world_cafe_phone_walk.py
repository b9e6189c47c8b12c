"""The World Cafe page on a phone: 120 people, twelve tables, three rounds. 이승우 of 서울특별시
opens the page on a 390 px phone: no sideways scrolling, his own table each round at the top, his
table's card marked, and no Korean name broken in the middle of a syllable. 송하람 sees the same
layout on her laptop."""

import pytest

from .hall import full_hall, run_cafe_round
from .test_event_walk import login

pytestmark = pytest.mark.django_db(transaction=True)

ONE_LINE = (
    "Array.from(document.querySelectorAll('.cafe-table li')).every(e => e.getClientRects().length === 1 && "
    "e.getBoundingClientRect().height < 2 * parseFloat(getComputedStyle(e).lineHeight || 24))"
)


def test_it_shows_the_world_cafe_on_a_phone_with_my_table_first(cast, open_page):
    hall = full_hall(cast)
    rot = run_cafe_round(hall)
    seungwoo = hall.regs[0]
    page = open_page("ko")
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, seungwoo.user.username)
    page.goto(page.base + f"/events/hall/s/{hall.cafe.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.evaluate(
        "document.documentElement.scrollWidth"
    )

    # his table each round, at the top, the running round largest
    mine = page.locator(".my-tables li")
    assert mine.count() == 3
    for r, rd in enumerate(rot.plan):
        t = next(i for i, members in enumerate(rd) if seungwoo.pk in members)
        assert mine.nth(r).locator("strong").inner_text() == str(hall.event.tables.order_by("number")[t])
    assert page.locator(".my-tables").bounding_box()["y"] < page.locator(".cafe-round").first.bounding_box()["y"]
    assert page.locator(".cafe-table.mine").count() == 3 and page.locator(".cafe-table li.me").count() == 3
    # both 이승우 are told apart
    assert page.locator(".cafe-round").first.locator("li", has_text="이승우").locator(".muted").count() == 2

    # every name on one line: no "윤건/우" (keep-all), and every card inside the screen
    assert page.evaluate("getComputedStyle(document.querySelector('.cafe-table li')).wordBreak") == "keep-all"
    assert page.evaluate(ONE_LINE)
    assert page.evaluate(
        "Array.from(document.querySelectorAll('.cafe-table')).every(e => e.getBoundingClientRect().right <= "
        "window.innerWidth)"
    )

    # the facilitator's laptop: the same cards, several per row, no sideways scrolling either
    fac = open_page("ko")
    fac.set_viewport_size({"width": 1366, "height": 768})
    login(fac, "haram")
    fac.goto(fac.base + f"/events/hall/s/{hall.cafe.pk}/")
    assert fac.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    first, second = (
        fac.locator(".cafe-round").first.locator(".cafe-table").nth(0),
        fac.locator(".cafe-round").first.locator(".cafe-table").nth(1),
    )
    assert first.bounding_box()["y"] == second.bounding_box()["y"]  # side by side
    assert fac.evaluate(ONE_LINE)

    # and on a phone, the facilitator's page (with its forms) does not scroll sideways
    fac.set_viewport_size({"width": 390, "height": 844})
    fac.reload()
    assert fac.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), fac.evaluate(
        "document.documentElement.scrollWidth"
    )
