"""Who sees and does what, through the pages and the API, for every role."""

import pytest

from madang.events import services
from madang.events.models import SessionKind

from .conftest import client, session

ROLES = ["anonymous", "outsider", "waiting", "participant", "facilitator", "team", "admin"]


@pytest.fixture
def people(folk, event):
    c = folk.cast
    services.register(actor=c.minji, event=event)
    services.register(actor=c.seojun, event=event)
    services.register(actor=c.jihoon, event=event)  # waits: 한빛도 is full
    return {
        "anonymous": None,
        "outsider": c.bada,
        "waiting": c.jihoon,
        "participant": c.minji,
        "facilitator": folk.haram,
        "team": c.doyun,
        "admin": c.admin,
    }


ORGANISERS = {"facilitator", "team", "admin"}
SEE_PLANS = ORGANISERS | {"participant"}


@pytest.mark.parametrize("role", ROLES)
def test_it_shows_each_page_only_to_those_who_may_see_it(people, event, role):
    c = client(people[role])
    s = session(event, SessionKind.GROUPS)
    assert c.get("/events/").status_code == 200
    assert c.get("/events/hackathon/").status_code == 200
    organiser = 200 if role in ORGANISERS else (302 if role == "anonymous" else 404)
    assert c.get("/events/hackathon/manage/").status_code == organiser
    assert c.get("/events/hackathon/projector/").status_code == organiser
    plans = 200 if role in SEE_PLANS else (302 if role == "anonymous" else 404)
    assert c.get(f"/events/hackathon/s/{s.pk}/").status_code == plans
    assert c.get("/events/hackathon/openspace/").status_code == plans
    mine = 200 if role in {"participant", "waiting"} else (302 if role == "anonymous" else 404)
    assert c.get("/events/hackathon/me/").status_code == mine


@pytest.mark.parametrize("role", ROLES)
def test_it_answers_the_api_with_the_same_rules(people, event, role):
    c = client(people[role])
    assert c.get("/api/events/hackathon").status_code == 200
    plans = 200 if role in SEE_PLANS else (401 if role == "anonymous" else 404)
    assert c.get("/api/events/hackathon/topics").status_code == plans
    mine = 200 if role in {"participant", "waiting"} else (401 if role == "anonymous" else 404)
    assert c.get("/api/events/hackathon/me").status_code == mine


@pytest.mark.parametrize("role", ROLES)
def test_it_lets_only_organisers_change_the_event(people, event, role):
    c = client(people[role])
    r = c.post("/events/hackathon/do/room/", {"name": "별관", "capacity": 20})
    expected = 302 if role in ORGANISERS else (302 if role == "anonymous" else 403)
    assert r.status_code == expected
    assert event.rooms.filter(name="별관").exists() == (role in ORGANISERS)


def test_it_hides_a_draft_from_everyone_but_its_organisers(folk):
    c = folk.cast
    services.create_event(actor=c.doyun, organisation=c.province, slug="draft", title="준비 중", capacity=10)
    assert client(c.minji).get("/events/draft/").status_code == 404
    assert client(c.minji).get("/api/events/draft").status_code == 404
    assert client(folk.haram).get("/events/draft/").status_code == 200
    assert "준비 중" not in client(c.minji).get("/events/").content.decode()


def test_it_lets_facilitators_of_another_province_not_organise(folk, event):
    from madang.people import services as people
    from madang.people.models import Role

    people.grant_role(actor=None, user=folk.cast.bada, role=Role.FACILITATOR, organisation=folk.cast.other_province)
    assert client(folk.cast.bada).get("/events/hackathon/manage/").status_code == 404
    r = client(folk.cast.bada).post(
        "/events/new/",
        {
            "slug": "x",
            "title": "x",
            "organisation": folk.cast.province.pk,
            "audience": "officials",
            "capacity": 5,
            "junior_grade": 6,
            "junior_min_percent": 0,
        },
    )
    assert r.status_code == 400


def test_it_lets_a_facilitator_create_an_event_from_the_page(folk):
    r = client(folk.haram).post(
        "/events/new/",
        {
            "slug": "spring",
            "title": "봄 해커톤",
            "organisation": folk.cast.province.pk,
            "audience": "joint",
            "capacity": 120,
            "max_per_agency": 2,
            "junior_grade": 6,
            "junior_min_percent": 50,
        },
    )
    assert r.status_code == 302 and r["Location"] == "/events/spring/manage/"
