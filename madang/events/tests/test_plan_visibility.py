"""A plan in the making is the organisers' alone: discussion groups, a World Cafe rotation and the
Open Space schedule stay off the pages and out of the API for participants until published (one
rule, `rules.can_see_plan`, in the four places that show a plan). Jurors reach the list of
judgings even when they do not take part."""

from madang.events import services
from madang.events.models import Schedule, SessionKind

from .conftest import client, session


def test_it_shows_draft_groups_and_rotations_only_to_organisers_until_published(crowd):
    groups_session, cafe_session = session(crowd.event, SessionKind.GROUPS), session(crowd.event, SessionKind.CAFE)
    grouping = services.configure_grouping(actor=crowd.doyun, session=groups_session, group_count=4, seconds=0.2)
    assert services.start_grouping(actor=crowd.doyun, grouping=grouping).state == "done"
    rotation = services.configure_rotation(actor=crowd.doyun, session=cafe_session, rounds=2, seconds=0.2)
    assert services.start_rotation(actor=crowd.doyun, rotation=rotation).state == "done"
    participant, organiser = client(crowd.regs[0].user), client(crowd.doyun)
    plans = [(groups_session, "groups"), (cafe_session, "rotation")]
    for s, api in plans:
        page, url = f"/events/big-day/s/{s.pk}/", f"/api/events/big-day/sessions/{s.pk}/{api}"
        assert participant.get(page).context["plan"] is None, api
        assert organiser.get(page).context["plan"] is not None, api
        assert participant.get(url).status_code == 404, api
        assert organiser.get(url).json()["state"] == "draft", api

    grouping.refresh_from_db()
    rotation.refresh_from_db()
    services.publish_groups(actor=crowd.doyun, grouping=grouping)
    services.publish_rotation(actor=crowd.doyun, rotation=rotation)
    for s, api in plans:
        assert participant.get(f"/events/big-day/s/{s.pk}/").context["plan"] is not None, api
        assert participant.get(f"/api/events/big-day/sessions/{s.pk}/{api}").json()["state"] == "published", api


def test_it_shows_a_draft_schedule_only_to_organisers_until_published(folk, event):
    c = folk.cast
    for u in (c.minji, folk.jia):
        services.register(actor=u, event=event)
    services.post_topic(actor=c.minji, event=event, title="민원 서류 줄이기")
    assert services.start_schedule(actor=c.doyun, event=event).state == "done"
    schedule = Schedule.objects.get(event=event)
    participant, organiser = client(folk.jia), client(c.doyun)
    assert participant.get("/events/hackathon/openspace/").context["schedule"] is None
    assert organiser.get("/events/hackathon/openspace/").context["schedule"] == schedule
    assert participant.get("/api/events/hackathon/schedule").status_code == 404
    assert organiser.get("/api/events/hackathon/schedule").json()["state"] == "draft"

    services.publish_schedule(actor=c.doyun, schedule=schedule)
    assert participant.get("/events/hackathon/openspace/").context["schedule"] == schedule
    assert participant.get("/api/events/hackathon/schedule").json()["state"] == "published"


def test_it_lists_the_judgings_to_participants_and_to_jurors_who_do_not_take_part(folk, event):
    c = folk.cast
    services.register(actor=c.minji, event=event)
    services.create_task(actor=c.doyun, event=event, title="민원 서류 줄이기")
    judging = services.create_judging(
        actor=c.doyun, event=event, of="tasks", title="최우수 과제", criteria=[services.CriterionIn("효과", 1, 5)]
    )
    assert client(c.yuna).get("/events/hackathon/judging/").status_code == 404

    services.assign_jurors(actor=c.doyun, judging=judging, users=[c.yuna])
    assert client(c.yuna).get("/events/hackathon/judging/").status_code == 200
    assert client(c.minji).get("/events/hackathon/judging/").status_code == 200
    assert client(c.bada).get("/events/hackathon/judging/").status_code == 404
