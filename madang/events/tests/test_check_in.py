"""Check-in on the day: a facilitator from the list, or a participant with the venue's code."""

import pytest

from madang.core.errors import DomainError, Forbidden
from madang.events import services

from .conftest import client


def test_it_lets_a_facilitator_check_someone_in_from_the_list(folk, event):
    reg = services.register(actor=folk.cast.minji, event=event)
    page = client(folk.haram).get("/events/hackathon/manage/").content.decode()
    assert "김민지" in page
    assert client(folk.haram).post("/events/hackathon/do/check_in/", {"registration": reg.pk}).status_code == 302
    reg.refresh_from_db()
    assert reg.checked_in_at is not None and reg.checked_in_by == folk.haram


def test_it_lets_a_participant_check_in_with_the_code_in_any_case(folk, event):
    reg = services.register(actor=folk.cast.minji, event=event)
    services.check_in_with_code(actor=folk.cast.minji, event=event, code=f" {event.check_in_code.lower()} ")
    reg.refresh_from_db()
    assert reg.checked_in_at is not None


def test_it_refuses_a_wrong_code_with_a_clear_message(folk, event):
    services.register(actor=folk.cast.minji, event=event)
    r = client(folk.cast.minji).post(
        "/events/hackathon/do/check_in_code/", {"code": "WRONG1"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert r.status_code == 400 and "check-in code" in r.content.decode()
    r = client(folk.cast.minji).post(
        "/api/events/hackathon/check-in", {"code": "nope"}, content_type="application/json"
    )
    assert r.status_code == 400 and r.json()["code"] == "wrong_code"


def test_it_refuses_check_in_for_someone_waiting(folk, event):
    c = folk.cast
    services.register(actor=c.minji, event=event)
    services.register(actor=c.seojun, event=event)
    waiting = services.register(actor=c.jihoon, event=event)
    with pytest.raises(DomainError):
        services.check_in_with_code(actor=c.jihoon, event=event, code=event.check_in_code)
    with pytest.raises(DomainError):
        services.check_in(actor=folk.haram, registration=waiting)


def test_it_refuses_a_participant_checking_in_someone_else(folk, event):
    reg = services.register(actor=folk.cast.minji, event=event)
    services.register(actor=folk.jia, event=event)
    with pytest.raises(Forbidden):
        services.check_in(actor=folk.jia, registration=reg)
    assert client(folk.jia).post("/events/hackathon/do/check_in/", {"registration": reg.pk}).status_code == 403
    assert client(folk.jia).post(f"/api/events/hackathon/registrations/{reg.pk}/check-in").status_code == 404


def test_it_finds_people_at_the_door_by_name_agency_and_code(crowd):
    c = client(crowd.doyun)
    assert c.get("/events/big-day/manage/", {"q": "참가자31"}).content.decode().count('<li id="reg-') == 1
    assert c.get("/events/big-day/manage/", {"q": "기관3"}).content.decode().count('<li id="reg-') == 2
    assert c.get("/events/big-day/manage/", {"q": "P50"}).content.decode().count('<li id="reg-') == 1
    r = c.get("/events/big-day/manage/", {"q": "없는 사람" * 30})
    assert r.status_code == 200 and "찾는 사람이 없습니다" in r.content.decode()


def test_it_keeps_the_search_after_checking_someone_in(crowd):
    reg = crowd.regs[3]
    r = client(crowd.doyun).post("/events/big-day/do/check_in/", {"registration": reg.pk, "q": "기관2"})
    assert r.status_code == 302 and r["Location"].endswith("/manage/?q=%EA%B8%B0%EA%B4%802#registrations")
