"""The demo has a citizen member pool and a completed invitation lottery whose draws verify."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from madang.citizens import lottery
from madang.citizens.models import InvitationPool, InvitationState, PoolState


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())


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
