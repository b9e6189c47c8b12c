"""Open Space: topics and interest on the marketplace, a schedule that respects conveners'
availability and rooms, hand moves, publishing, and the law of two feet."""

import pytest

from madang.core.errors import DomainError
from madang.events import services
from madang.events.models import Schedule, SessionKind, TopicCheckIn
from madang.ledger.models import Entry

from .conftest import client


@pytest.fixture
def market(folk, event):
    c = folk.cast
    people = [c.minji, c.seojun, folk.jia, folk.min, folk.gaeun, c.bada]
    for u in people:
        services.register(actor=u, event=event)
    slots = list(event.sessions.filter(kind=SessionKind.OPEN_SPACE).order_by("starts_at"))
    topics = [
        services.post_topic(actor=c.minji, event=event, title="민원 서류 줄이기"),
        services.post_topic(actor=folk.jia, event=event, title="데이터 공유"),
        services.post_topic(actor=folk.min, event=event, title="교통약자 이동"),
        services.post_topic(actor=c.bada, event=event, title="현장 공무원 소통"),
    ]
    for u in (c.seojun, folk.gaeun, folk.jia):
        services.toggle_interest(actor=u, topic=topics[0])
    for u in (c.seojun, folk.gaeun):
        services.toggle_interest(actor=u, topic=topics[1])
    services.set_unavailability(actor=c.minji, event=event, sessions=[slots[0]])
    return event, topics, slots


def test_it_toggles_interest_with_htmx_and_without_js(folk, market):
    _event, topics, _slots = market
    c = client(folk.cast.bada)
    r = c.post(f"/events/hackathon/topics/{topics[0].pk}/interest/", {"interested": "1"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and 'aria-pressed="true"' in r.content.decode()
    r = c.post(f"/events/hackathon/topics/{topics[0].pk}/interest/", {})
    assert r.status_code == 302 and not topics[0].interested.filter(pk=folk.cast.bada.pk).exists()


def test_it_refuses_interest_in_ones_own_topic(folk, market):
    _event, topics, _slots = market
    with pytest.raises(DomainError):
        services.toggle_interest(actor=folk.cast.minji, topic=topics[0])


def test_it_schedules_around_conveners_and_publishes(folk, market):
    event, topics, slots = market
    job = services.start_schedule(actor=folk.cast.doyun, event=event)
    assert job.state == "done", job.error
    schedule = Schedule.objects.get(event=event)
    cells = {int(t): tuple(c) for t, c in schedule.placements.items()}
    assert cells[topics[0].pk][1] == slots[1].pk  # 김민지 cannot make the first slot
    assert len(set(cells.values())) == len(cells)  # one topic per room and slot
    # topics 0 and 1 share two interested people: not in the same slot
    assert cells[topics[0].pk][1] != cells[topics[1].pk][1]
    assert schedule.clashes == 0
    services.publish_schedule(actor=folk.cast.doyun, schedule=schedule)
    assert Entry.objects.filter(kind="events.schedule_published").exists()
    html = client(folk.cast.seojun).get("/events/hackathon/openspace/").content.decode()
    assert "민원 서류 줄이기" in html and "세미나실" in html


def test_it_moves_a_topic_by_hand_and_refuses_a_move_the_convener_cannot_make(folk, market):
    event, topics, slots = market
    services.start_schedule(actor=folk.cast.doyun, event=event)
    schedule = Schedule.objects.get(event=event)
    hall, seminar = list(event.rooms.order_by("pk"))
    with pytest.raises(DomainError):
        services.move_topic(actor=folk.cast.doyun, schedule=schedule, topic=topics[0], room=hall, session=slots[0])
    moved = services.move_topic(
        actor=folk.cast.doyun, schedule=schedule, topic=topics[3], room=seminar, session=slots[0]
    )
    assert moved.placements[str(topics[3].pk)] == [seminar.pk, slots[0].pk]


def test_it_lets_people_check_in_and_move_with_their_feet(folk, market):
    event, topics, _slots = market
    services.start_schedule(actor=folk.cast.doyun, event=event)
    schedule = Schedule.objects.get(event=event)
    with pytest.raises(DomainError):
        services.check_in_to_topic(actor=folk.gaeun, topic=topics[0])  # not published yet
    services.publish_schedule(actor=folk.cast.doyun, schedule=schedule)
    cells = {int(t): c for t, c in schedule.placements.items()}
    first = services.check_in_to_topic(actor=folk.gaeun, topic=topics[0])
    same_slot = next((t for t in topics if t.pk != topics[0].pk and cells[t.pk][1] == cells[topics[0].pk][1]), None)
    if same_slot is not None:
        r = client(folk.gaeun).post("/events/hackathon/do/topic_check_in/", {"topic": same_slot.pk})
        assert r.status_code == 302
        row = TopicCheckIn.objects.get(pk=first.pk)
        assert row.topic == same_slot and row.moves == 1
    assert TopicCheckIn.objects.filter(user=folk.gaeun).count() == 1


def test_it_explains_an_empty_marketplace(folk, event):
    services.register(actor=folk.cast.minji, event=event)
    job = services.start_schedule(actor=folk.cast.doyun, event=event)
    assert job.state == "failed" and job.error


def test_it_shows_how_many_people_are_interested_in_each_topic(folk, market):
    _event, topics, _slots = market
    html = client(folk.cast.bada).get("/events/hackathon/openspace/").content.decode()
    assert "관심 3명" in html and "관심 2명" in html and "관심 0명" in html
    r = client(folk.cast.bada).post(
        f"/events/hackathon/topics/{topics[1].pk}/interest/", {"interested": "1"}, HTTP_HX_REQUEST="true"
    )
    assert "관심 3명" in r.content.decode()  # the count follows the click
