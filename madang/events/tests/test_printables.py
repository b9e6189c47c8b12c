"""Name badges, table cards, the personal itinerary and the event report, as PDF and as a page."""

import re

import pytest

from madang.events import services
from madang.events.models import BoardKind, SessionKind

from .conftest import client, session


def pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


@pytest.fixture
def ready(folk, event):
    c = folk.cast
    for u in (c.minji, c.seojun, folk.jia, folk.min):
        services.register(actor=u, event=event)
    services.add_tables(actor=folk.haram, event=event, count=3)
    for r in event.registrations.all()[:3]:
        services.check_in(actor=folk.haram, registration=r)
    b = services.create_board(
        actor=folk.haram, session=session(event, SessionKind.GROUPS), kind=BoardKind.HARVEST, title="수확", group=1
    )
    services.post_item(actor=c.minji, board=b, text="메모")
    return event


def test_it_prints_eight_badges_a_page_and_one_card_a_table(folk, ready):
    r = client(folk.haram).get("/events/hackathon/print/badges.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF")
    assert pages(r.content) == 1  # four people
    r = client(folk.haram).get("/events/hackathon/print/tables.pdf")
    assert r.content.startswith(b"%PDF") and pages(r.content) == 3
    assert b"HYGothic-Medium" in r.content
    assert client(folk.cast.minji).get("/events/hackathon/print/badges.pdf").status_code == 404


def test_it_prints_many_badges_over_several_pages(folk, ready):
    from madang.events import printables

    assert pages(printables.badges(ready)) == 1
    from .conftest import agency, official

    ready.capacity, ready.max_per_agency, ready.junior_min_percent = 30, None, 0
    ready.save()
    dept = agency("many", "많은기관")
    for i in range(6):
        services.register(actor=official(f"m{i}", f"참가{i}", dept, 7), event=ready)
    assert pages(printables.badges(ready)) == 2  # ten people, eight a page


def test_it_prints_a_personal_itinerary_only_for_confirmed_people(folk, ready):
    r = client(folk.cast.minji).get("/events/hackathon/print/itinerary.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF") and pages(r.content) == 1
    assert client(folk.cast.bada).get("/events/hackathon/print/itinerary.pdf").status_code == 404


def test_it_reports_participation_outputs_and_standing(folk, ready):
    page = client(folk.cast.minji).get("/events/hackathon/report/").content.decode()
    assert "<svg" in page and 'role="img"' in page and "<script" not in page.split("<main", 1)[-1].split("</main>")[0]
    assert 'id="participation"' in page and 'id="outputs"' in page and 'id="standing"' in page
    r = client(folk.cast.minji).get("/events/hackathon/report/?format=pdf")
    assert r.content.startswith(b"%PDF") and pages(r.content) >= 1
    assert client(folk.cast.bada).get("/events/hackathon/report/").status_code == 404


def test_it_counts_check_ins_and_no_shows_by_agency_kind_and_grade(folk, ready):
    from madang.events import selectors

    r = selectors.report(ready)
    assert (r.confirmed, r.checked_in, r.no_shows) == (4, 3, 1)
    assert sum(n for _l, n, _c in r.by_level) == 4 and sum(n for _l, n, _c in r.by_grade) == 4
    assert r.boards and r.boards[0][1:] == (1, 1)
