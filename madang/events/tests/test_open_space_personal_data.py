"""Open Space topics go through the exposure filter (issue 17, "not screened yet" before): 김민지 posts
a topic with her mobile number and 문지아 one with a resident registration number. The first is
refused, then published masked for the other participants (the organiser 송하람 among them); the
second is held from the marketplace, the API and the scheduler until the innovation team decides."""

import pytest

from madang.core.errors import DomainError
from madang.events import selectors, services
from madang.events.models import Schedule, Topic
from madang.ledger.verify import verify_all
from madang.privacy.models import Screening

from .conftest import client

PHONE = "010-2345-6789"
RRN = "900101-1234568"


@pytest.fixture
def market(folk, event):
    c = folk.cast
    for u in (c.minji, c.seojun, folk.jia, folk.min):
        services.register(actor=u, event=event)
    return event


def marketplace(user):
    return client(user).get("/events/hackathon/openspace/").content.decode()


def test_a_topic_with_a_phone_number_is_refused_then_masked_for_the_others(folk, market):
    c = folk.cast
    with pytest.raises(DomainError) as err:
        services.post_topic(actor=c.minji, event=market, title="민원 전화 줄이기", description=f"연락 {PHONE}")
    assert err.value.code == "personal_data" and "010-****-6789" in str(err.value.message)
    assert not Topic.objects.exists()
    services.post_topic(
        actor=c.minji, event=market, title="민원 전화 줄이기", description=f"연락 {PHONE}", personal_data_ok=True
    )
    for reader in (c.seojun, folk.haram):
        page = marketplace(reader)
        assert "010-****-6789" in page and PHONE not in page
    assert PHONE in marketplace(c.minji) and PHONE in marketplace(c.doyun)
    api = client(c.seojun).get("/api/events/hackathon/topics").json()
    assert [t["description"] for t in api] == ["연락 010-****-6789"]


def test_a_held_topic_waits_for_a_moderator_and_is_not_scheduled(folk, market):
    c = folk.cast
    held = services.post_topic(actor=folk.jia, event=market, title=f"주민번호 {RRN} 확인 절차", personal_data_ok=True)
    services.post_topic(actor=c.minji, event=market, title="민원 서류 줄이기")
    row = Screening.objects.get(place="events.topic")
    assert row.is_held
    assert "확인 절차" not in marketplace(c.seojun) and "확인 절차" not in marketplace(folk.haram)
    assert RRN in marketplace(folk.jia)
    assert [t.title for t in selectors.shown_topics(c.seojun, market)] == ["민원 서류 줄이기"]
    assert RRN not in client(c.seojun).get("/api/events/hackathon/topics").content.decode()
    r = client(c.seojun).post(f"/events/hackathon/topics/{held.pk}/interest/", {"interested": "1"})
    assert r.status_code == 404
    assert [t.id for t in selectors.market_of(market).topics] == [Topic.objects.get(title="민원 서류 줄이기").pk]
    services.start_schedule(actor=c.doyun, event=market)
    assert str(held.pk) not in Schedule.objects.get(event=market).placements

    assert RRN in client(c.doyun).get("/privacy/held/").content.decode()
    assert client(c.doyun).post(f"/privacy/held/{row.pk}/mask/").status_code == 302
    page = marketplace(c.seojun)
    assert "주민번호 900101-1****** 확인 절차" in page and RRN not in page
    assert verify_all() == []


def test_a_moderator_deletes_a_held_topic(folk, market):
    services.post_topic(actor=folk.jia, event=market, title=f"주민번호 {RRN}", personal_data_ok=True)
    row = Screening.objects.get(place="events.topic")
    assert client(folk.cast.doyun).post(f"/privacy/held/{row.pk}/delete/").status_code == 302
    assert not Topic.objects.exists()


def test_the_topic_form_carries_the_confirmation_box(folk, market):
    page = marketplace(folk.cast.seojun)
    form = page.split("/events/hackathon/do/topic/", 1)[1].split("</form>", 1)[0]
    assert 'name="personal_data_ok"' in form
