"""The projector at 120 people: 송하람 puts the World Cafe's first round on the screen of the hall;
every name is on the screen, no name box sits on another, the two 이승우 are told apart by their
agency, and the page refreshes its content without reloading."""

import pytest

from madang.events import services

from .hall import full_hall, run_cafe_round
from .test_event_walk import login

pytestmark = pytest.mark.django_db(transaction=True)


def overlaps(a: dict, b: dict) -> bool:  # type: ignore[type-arg]
    return (
        a["x"] < b["x"] + b["width"] - 0.5
        and b["x"] < a["x"] + a["width"] - 0.5
        and a["y"] < b["y"] + b["height"] - 0.5
        and b["y"] < a["y"] + a["height"] - 0.5
    )


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)])
def test_it_shows_every_name_of_a_120_person_hall_on_the_projector(cast, open_page, size):
    hall = full_hall(cast)
    run_cafe_round(hall)
    page = open_page("ko")
    page.set_viewport_size({"width": size[0], "height": size[1]})
    login(page, "haram")
    page.goto(page.base + "/events/hall/projector/")
    assert page.locator("meta[http-equiv=refresh]").count() == 0
    names = page.locator(".seat-table .name")
    assert names.count() == 120
    boxes = [names.nth(i).bounding_box() for i in range(120)]
    width, height = size
    for b in boxes:
        assert b is not None and b["width"] > 0
        assert b["x"] >= 0 and b["y"] >= 0 and b["x"] + b["width"] <= width and b["y"] + b["height"] <= height, b
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            assert not overlaps(boxes[i], boxes[j]), (i, j)
    # each name box keeps its whole text (nothing cut off inside the box)
    assert page.evaluate(
        "Array.from(document.querySelectorAll('.seat-table .name')).every(e => e.scrollWidth <= e.clientWidth + 1)"
    )
    # the two 이승우 carry their agencies; nobody else needs one
    seungwoo = page.locator(".seat-table .name", has_text="이승우")
    assert seungwoo.count() == 2
    assert {seungwoo.nth(i).locator("small").first.inner_text() for i in range(2)} == {
        "(서울특별시)",
        "(충청북도교육청)",
    }
    assert page.locator(".seat-table .name small:not(.role)").count() == 2
    # no page reload: htmx polls the partial; the page is not full of a second <html>
    assert page.locator("main[hx-get][hx-trigger^=every]").count() == 1
    html = page.request.get(page.base + "/events/hall/projector/", headers={"HX-Request": "true"}).text()
    assert "<html" not in html and "이승우" in html


def test_it_shows_no_countdown_once_the_event_is_finished(cast, open_page):
    hall = full_hall(cast, people_count=60)
    run_cafe_round(hall)
    services.set_event_state(actor=hall.haram, event=hall.event, state="closed")
    services.set_event_state(actor=hall.haram, event=hall.event, state="finished")
    page = open_page("ko")
    login(page, "haram")
    page.goto(page.base + "/events/hall/projector/")
    assert page.locator("[data-countdown], .remaining").count() == 0
    assert page.locator("main[hx-get]").count() == 0
    assert "끝났습니다" in page.locator("h1").inner_text()
