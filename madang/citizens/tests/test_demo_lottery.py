"""The demo has a citizen member pool and a completed invitation lottery whose draws verify."""

import pytest
from django.test import Client

from madang.citizens import lottery
from madang.citizens.models import InvitationPool, InvitationState, PoolState


@pytest.fixture
def demo(demo_module, db, settings):
    """The demo, loaded once for the module (conftest.py's demo_module)."""
    settings.DEBUG = True
    return demo_module


def test_it_has_a_completed_lottery_whose_draws_verify(demo):
    pool = InvitationPool.objects.get(title="2027 한빛도 도민 전략회의")
    assert pool.state == PoolState.DRAWN and pool.volunteerings.count() == 59
    lotteries = list(pool.lotteries.order_by("pk"))
    assert [m.kind for m in lotteries] == ["initial", "replacement"]
    for made in lotteries:
        assert lottery.verify(made).ok
    assert pool.invitations.filter(state=InvitationState.CONFIRMED).count() == pool.k
    assert pool.invitations.filter(state=InvitationState.REPLACED).count() == 1
    open_pool = InvitationPool.objects.get(state=PoolState.OPEN)
    c = Client()
    assert c.login(username="citizen", password="madang-demo-2026")
    for url in (
        "/citizens/pools/",
        f"/citizens/pools/{pool.pk}/",
        f"/citizens/pools/{pool.pk}/transparency/",
        f"/citizens/pools/{open_pool.pk}/",
    ):
        assert c.get(url).status_code == 200, url
    assert c.post(f"/citizens/pools/{open_pool.pk}/volunteer/").status_code == 302
    assert open_pool.volunteerings.filter(user__username="citizen").exists()
    team = Client()
    assert team.login(username="team", password="madang-demo-2026")
    assert team.get(f"/citizens/pools/{pool.pk}/organise/").status_code == 200


def test_its_lotteries_happened_in_the_order_the_transparency_page_claims(demo):
    from django.utils import timezone

    for pool in InvitationPool.objects.exclude(state=PoolState.OPEN):
        for made in pool.lotteries.all():
            assert lottery.order_of(made).ok, (pool.title, lottery.order_of(made).problems)
            assert made.committed_at < made.seed_due_at <= made.drawn_at < timezone.now()
            # The seed source names the day the seed was published.
            assert f"{timezone.localtime(made.seed_due_at):%Y년 %m월 %d일}" in made.seed_source
        page = Client(HTTP_ACCEPT_LANGUAGE="ko").get(f"/citizens/pools/{pool.pk}/transparency/").content.decode()
        assert (
            "순서가 맞지 않습니다" not in page and page.count("밝힌 순서대로 진행되었습니다") == pool.lotteries.count()
        )


def test_the_joint_hackathon_seats_its_citizens_from_its_lottery(demo):
    from madang.events.models import Event, RegState
    from madang.events.seats import starts_at, subject_of

    event = Event.objects.get(slug="gov-hackathon-winter")
    pool = InvitationPool.objects.get(event=subject_of(event))
    assert pool.state == PoolState.DRAWN and pool.closes_at < starts_at(event)
    seated = set(pool.invitations.filter(state=InvitationState.CONFIRMED).values_list("user_id", flat=True))
    assert len(seated) == pool.k
    citizens_there = set(
        event.registrations.filter(user__kind="citizen", state=RegState.CONFIRMED).values_list("user_id", flat=True)
    )
    assert citizens_there == seated
    c = Client(HTTP_ACCEPT_LANGUAGE="ko")
    assert c.login(username="citizen", password="madang-demo-2026")
    page = c.get(f"/events/{event.slug}/").content.decode()
    assert f"/citizens/pools/{pool.pk}/" in page and "do/register/" not in page
