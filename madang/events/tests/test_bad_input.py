"""Bad input is a 4xx with a readable message, never a 500."""

import pytest

from madang.events import services

from .conftest import client


@pytest.fixture
def ready(folk, event):
    services.register(actor=folk.cast.minji, event=event)
    return folk


GARBAGE = ["", "abc", "-1", "0", "99999999999999999999999", "1; DROP TABLE", "\x00", "🙂"]


@pytest.mark.parametrize("value", GARBAGE)
def test_it_answers_garbage_ids_on_every_action_with_4xx(ready, event, value):
    c = client(ready.haram)
    for name in (
        "check_in",
        "cancel",
        "substitute",
        "no_shows",
        "grouping",
        "group_move",
        "groups_publish",
        "rotation",
        "rotation_publish",
        "round",
        "replan",
        "withdraw",
        "topic_move",
        "topic_check_in",
        "host",
        "session",
    ):
        r = c.post(
            f"/events/hackathon/do/{name}/",
            {
                "registration": value,
                "session": value,
                "topic": value,
                "to_group": value,
                "round": value,
                "from_round": value,
                "table": value,
                "day": value,
            },
        )
        assert 400 <= r.status_code < 500, (name, value, r.status_code)


@pytest.mark.parametrize("value", GARBAGE)
def test_it_answers_garbage_on_pages_and_api_with_4xx(ready, event, value):
    c = client(ready.cast.minji)
    assert c.get(f"/events/hackathon/s/{value or 'x'}/").status_code == 404
    assert c.post("/events/hackathon/do/check_in_code/", {"code": value}).status_code in (400, 403)
    assert c.post("/events/hackathon/do/topic/", {"title": value * 300}).status_code == 400 or value
    for body in ({"code": value}, {"code": 5}, [], "x"):
        r = c.post("/api/events/hackathon/check-in", body, content_type="application/json")
        assert 400 <= r.status_code < 500
    r = c.post("/api/events/hackathon/registrations", {"gender": value, "extra": 1}, content_type="application/json")
    assert r.status_code == 422


def test_it_answers_unknown_actions_events_and_times_with_4xx(ready, event):
    c = client(ready.haram)
    assert c.post("/events/hackathon/do/explode/").status_code == 404
    assert c.post("/events/no-such/do/state/").status_code == 404
    assert c.get("/api/events/no-such").status_code == 404
    assert c.get("/api/events/" + "x" * 200).status_code in (404, 422)
    day = event.days.get()
    r = c.post(
        "/events/hackathon/do/session/",
        {
            "day": day.pk,
            "title": "거꾸로",
            "kind": "plenary",
            "starts_at": "2026-05-01T10:00",
            "ends_at": "2026-05-01T09:00",
        },
    )
    assert r.status_code == 400
    r = c.post("/events/hackathon/do/state/", {"state": "finished"}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400 and "cannot move" in r.content.decode()
