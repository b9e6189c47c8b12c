"""The demo's two hackathons: a finished one with every plan published, one about to start."""

import pytest
from django.test import Client

from madang.events.models import Event, Grouping, Rotation, Schedule


@pytest.fixture
def demo(demo_module, db, settings):
    settings.DEBUG = True


def test_it_has_a_finished_hackathon_of_120_from_60_agencies_and_one_about_to_start(demo):
    done = Event.objects.get(slug="gov-hackathon-2026")
    assert done.state == "finished" and done.registrations.filter(state="confirmed").count() == 120
    assert done.registrations.values("agency").distinct().count() == 60
    assert Grouping.objects.get(session__event=done).state == "published"
    rotation = Rotation.objects.get(session__event=done)
    assert rotation.state == "published" and rotation.last_replan["changes"]
    assert Schedule.objects.get(event=done).state == "published"
    soon = Event.objects.get(slug="gov-hackathon-winter")
    assert soon.state == "open" and soon.registrations.filter(user__username="official").exists()


def test_it_serves_the_event_pages_to_the_demo_facilitator_and_official(demo):
    c = Client()
    assert c.login(username="facilitator", password="madang-demo-2026")
    done = Event.objects.get(slug="gov-hackathon-2026")
    for url in [
        "/events/",
        f"/events/{done.slug}/",
        f"/events/{done.slug}/manage/",
        f"/events/{done.slug}/openspace/",
        f"/events/{done.slug}/projector/",
        *[f"/events/{done.slug}/s/{s.pk}/" for s in done.sessions.all()],
    ]:
        assert c.get(url).status_code == 200, url
    o = Client()
    assert o.login(username="official", password="madang-demo-2026")
    assert o.get("/events/gov-hackathon-winter/me/").status_code == 200
