"""Registration: at most two per agency, at least half grade 6 and below, a waiting list when full."""

from datetime import timedelta

import pytest
from django.utils import timezone

from madang.core.errors import DomainError, Forbidden
from madang.events import services
from madang.events.models import RegState
from madang.people import seats

from .conftest import client


def test_it_confirms_within_the_quotas_and_keeps_the_agency_on_the_registration(folk, event):
    reg = services.register(actor=folk.cast.minji, event=event)
    assert reg.state == RegState.CONFIRMED and reg.agency == folk.cast.province and reg.grade == 7


def test_it_puts_a_third_official_of_one_agency_on_the_waiting_list(folk, event):
    c = folk.cast
    services.register(actor=c.minji, event=event)
    services.register(actor=c.seojun, event=event)
    third = services.register(actor=c.jihoon, event=event)
    assert third.state == RegState.WAITING and third.wait_reason == "agency"


def test_it_keeps_half_the_places_for_grade_6_and_below(folk, event):
    # six places at 50%: at most three go to grade 5 and above
    c = folk.cast
    seniors = [c.yuna, folk.seungho, folk.gaeun]
    for s in seniors:
        assert services.register(actor=s, event=event).state == RegState.CONFIRMED
    fourth_senior = services.register(actor=c.doyun, event=event)  # 5급, 한빛도 (its first)
    assert fourth_senior.state == RegState.WAITING and fourth_senior.wait_reason == "profile"
    # juniors still get in until the event is full
    assert services.register(actor=folk.jia, event=event).state == RegState.CONFIRMED
    assert services.register(actor=folk.min, event=event).state == RegState.CONFIRMED
    assert services.register(actor=c.bada, event=event).state == RegState.CONFIRMED
    last = services.register(actor=c.minji, event=event)
    assert last.state == RegState.WAITING and last.wait_reason == "full"


def test_it_refuses_citizens_unless_the_event_is_joint_and_they_hold_a_lottery_seat(folk, event, monkeypatch):
    with pytest.raises(Forbidden):
        services.register(actor=folk.cast.garam, event=event)
    event.audience = "joint"
    event.save()
    with pytest.raises(Forbidden) as refused:  # no first come, first served for citizens (issue 14)
        services.register(actor=folk.cast.garam, event=event)
    assert refused.value.code == "lottery_only"
    # The citizens app says who confirmed a seat drawn for the event (madang/people/seats.py; the
    # whole draw is in madang/citizens/tests/test_event_seats.py).
    drawn = seats.Draw(
        1, "도민 자리 추첨", "/citizens/pools/1/", timezone.now() - timedelta(days=3), frozenset({folk.cast.garam.pk})
    )
    monkeypatch.setattr(seats, "_lottery_for", lambda subject: drawn if subject == f"event:{event.pk}" else None)
    reg = services.register(actor=folk.cast.garam, event=event)
    assert reg.state == RegState.CONFIRMED and reg.agency is None and reg.job_family == "citizen"


def test_it_refuses_twice_and_when_not_open(folk, event):
    services.register(actor=folk.cast.minji, event=event)
    with pytest.raises(DomainError) as e:
        services.register(actor=folk.cast.minji, event=event)
    assert e.value.code == "already_registered"
    services.set_event_state(actor=folk.cast.doyun, event=event, state="closed")
    with pytest.raises(DomainError) as e:
        services.register(actor=folk.cast.seojun, event=event)
    assert e.value.code == "not_open"


def test_it_registers_from_the_page_and_explains_the_waiting_list_in_korean(folk, event):
    c = folk.cast
    for u in (c.minji, c.seojun):
        assert client(u).post("/events/hackathon/do/register/", {"gender": "female"}).status_code == 302
    r = client(c.jihoon).post("/events/hackathon/do/register/", {}, follow=True)
    html = r.content.decode()
    assert "대기" in html and "기관" in html
    assert event.registrations.get(user=c.jihoon).state == RegState.WAITING


def test_it_answers_a_bad_profile_with_400_not_500(folk, event):
    r = client(folk.cast.minji).post("/events/hackathon/do/register/", {"gender": "robot", "region": "x" * 500})
    assert r.status_code == 400
    assert not event.registrations.exists()


def test_it_registers_through_the_api(folk, event):
    r = client(folk.cast.minji).post(
        "/api/events/hackathon/registrations", {"region": "충남"}, content_type="application/json"
    )
    assert r.status_code == 201 and r.json()["state"] == "confirmed"
    r = client(folk.cast.minji).post(
        "/api/events/hackathon/registrations", {}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert (
        r.status_code == 400
        and r.json()["code"] == "already_registered"
        and "already registered" in r.json()["message"]
    )
