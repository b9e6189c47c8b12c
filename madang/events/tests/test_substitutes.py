"""Substitutes: an agency sends a colleague in someone's place."""

import pytest

from madang.core.errors import DomainError, Forbidden
from madang.events import services
from madang.events.models import RegState
from madang.people import services as people
from madang.people.models import Role

from .conftest import client


def test_it_swaps_a_registrant_for_a_colleague_of_the_same_agency(folk, event):
    reg = services.register(actor=folk.cast.minji, event=event)
    new = services.substitute(actor=folk.cast.minji, registration=reg, colleague=folk.cast.jihoon)
    reg.refresh_from_db()
    assert reg.state == RegState.SUBSTITUTED and new.state == RegState.CONFIRMED and new.substitute_for == reg
    assert new.user == folk.cast.jihoon and new.grade == 8


def test_it_refuses_a_colleague_of_another_agency(folk, event):
    reg = services.register(actor=folk.cast.minji, event=event)
    with pytest.raises(DomainError) as e:
        services.substitute(actor=folk.cast.minji, registration=reg, colleague=folk.cast.bada)
    assert e.value.code == "other_agency"


def test_it_refuses_a_swap_that_breaks_the_junior_share(folk, event):
    for s in (folk.cast.yuna, folk.seungho, folk.gaeun):
        services.register(actor=s, event=event)
    junior = services.register(actor=folk.cast.minji, event=event)
    with pytest.raises(DomainError) as e:
        services.substitute(actor=folk.cast.minji, registration=junior, colleague=folk.cast.doyun)  # 5급
    assert e.value.code == "profile"


def test_it_keeps_a_waiting_place_in_line(folk, event):
    c = folk.cast
    services.register(actor=c.minji, event=event)
    services.register(actor=c.seojun, event=event)
    waiting = services.register(actor=c.jihoon, event=event)
    new = services.substitute(actor=c.jihoon, registration=waiting, colleague=c.haneul)
    assert new.state == RegState.WAITING and new.queued_at == waiting.queued_at


def test_it_lets_the_agency_liaison_swap_but_not_an_outsider(folk, event):
    reg = services.register(actor=folk.jia, event=event)
    with pytest.raises(Forbidden):
        services.substitute(actor=folk.cast.bada, registration=reg, colleague=folk.seungho)
    liaison = folk.seungho
    people.grant_role(actor=None, user=liaison, role=Role.LIAISON, organisation=folk.mois)
    new = services.substitute(actor=liaison, registration=reg, colleague=liaison)
    assert new.user == liaison


def test_it_swaps_from_the_itinerary_page(folk, event):
    reg = services.register(actor=folk.cast.minji, event=event)
    page = client(folk.cast.minji).get("/events/hackathon/me/").content.decode()
    assert "박지훈" in page  # offered as a colleague
    r = client(folk.cast.minji).post(
        "/events/hackathon/do/substitute/", {"registration": reg.pk, "colleague": folk.cast.jihoon.pk}
    )
    assert r.status_code == 302
    assert event.registrations.get(state="confirmed").user == folk.cast.jihoon
    r = client(folk.cast.doyun).post(
        "/events/hackathon/do/substitute/", {"registration": reg.pk, "by": "name", "colleague": "nobody"}
    )
    assert r.status_code in (400, 403)
