"""A joint event's citizen seats come only from its lottery, and the lottery closes before the event.

Until now a citizen member registered directly and got "참석 확정" while the event's lottery stayed
open until after the event (issue 14).
"""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from madang.citizens import services
from madang.citizens.models import InvitationState
from madang.core.errors import DomainError, Forbidden
from madang.events import services as events
from madang.events.models import RegState

from .conftest import QUOTAS, VOLUNTEERS, make_citizen


@pytest.fixture
def joint(cast):
    """A joint hackathon of 한빛도 in ten days, registration open."""
    event = events.create_event(
        actor=cast.doyun,
        organisation=cast.province,
        slug="joint",
        title="도민·공무원 합동 해커톤",
        capacity=20,
        audience="joint",
    )
    events.add_day(actor=cast.doyun, event=event, date=timezone.localdate() + timedelta(days=10), title="첫째 날")
    events.set_event_state(actor=cast.doyun, event=event, state="open")
    return event


def _pool(cast, event, closes_in_days=7):
    now = timezone.now()
    return services.create_pool(
        actor=cast.doyun,
        organisation=cast.province,
        title="합동 해커톤 도민 자리",
        k=5,
        attributes=["gender", "age_band"],
        quotas=QUOTAS,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=closes_in_days),
        event=f"event:{event.pk}",
    )


def test_a_citizen_cannot_register_directly_for_a_joint_event(cast, joint):
    with pytest.raises(Forbidden) as refused:
        events.register(actor=cast.garam, event=joint)
    assert refused.value.code == "lottery_only"
    pool = _pool(cast, joint)
    with pytest.raises(Forbidden) as refused:
        events.register(actor=cast.garam, event=joint)
    assert pool.title in str(refused.value.message)
    assert not joint.registrations.exists()
    events.register(actor=cast.minji, event=joint)  # officials register as before
    assert joint.registrations.get().state == RegState.CONFIRMED


def test_the_event_page_sends_citizens_to_the_lottery(cast, joint):
    pool = _pool(cast, joint)
    c = Client(HTTP_ACCEPT_LANGUAGE="ko")
    c.force_login(cast.garam)
    page = c.get(f"/events/{joint.slug}/").content.decode()
    assert f'href="/citizens/pools/{pool.pk}/"' in page and "do/register/" not in page
    r = c.post(f"/events/{joint.slug}/do/register/", {})
    assert r.status_code == 403 and pool.title in r.content.decode()
    pool_page = c.get(f"/citizens/pools/{pool.pk}/").content.decode()
    assert f'href="/events/{joint.slug}/"' in pool_page


def test_the_lottery_must_close_before_the_event_starts(cast, joint):
    with pytest.raises(DomainError) as refused:
        _pool(cast, joint, closes_in_days=12)
    assert refused.value.code == "after_event" and refused.value.field == "closes_at"
    _pool(cast, joint, closes_in_days=7)
    with pytest.raises(DomainError) as refused:
        events.add_day(actor=cast.doyun, event=joint, date=timezone.localdate() + timedelta(days=3))
    assert refused.value.code == "before_lottery"
    events.add_day(actor=cast.doyun, event=joint, date=timezone.localdate() + timedelta(days=11))  # a later day is fine


def test_only_an_event_the_organiser_runs_and_only_one_lottery_per_event(cast, joint):
    with pytest.raises(DomainError):
        services.create_pool(
            actor=cast.doyun,
            organisation=cast.province,
            title="x",
            k=2,
            attributes=["gender"],
            opens_at=timezone.now(),
            closes_at=timezone.now() + timedelta(days=1),
            event="event:99999",
        )
    _pool(cast, joint)
    with pytest.raises(DomainError) as refused:
        _pool(cast, joint)
    assert refused.value.code == "duplicate"


def test_a_seat_drawn_and_confirmed_lets_the_citizen_register(cast, joint, garam):
    pool = _pool(cast, joint)
    crowd = [garam] + [make_citizen(*row) for row in VOLUNTEERS]
    for user in crowd:
        services.volunteer(actor=user, pool=pool)
    services.close_pool(actor=cast.doyun, pool=pool)
    services.compute_distribution(actor=cast.doyun, pool=pool)
    pool.refresh_from_db()
    services.commit_distribution(actor=cast.doyun, pool=pool, seed_source="2026-12-05 로또 6/45 당첨번호")
    services.draw_panel(actor=cast.doyun, pool=pool, seed="3 11 19 24 38 42 + 7")
    drawn = list(pool.invitations.select_related("user"))
    for inv in drawn:
        services.answer_invitation(actor=inv.user, invitation=inv, accept=True)
    seated = drawn[0].user
    assert events.register(actor=seated, event=joint).state == RegState.CONFIRMED
    not_drawn = next(u for u in crowd if u.pk not in {inv.user_id for inv in drawn})
    with pytest.raises(Forbidden):
        events.register(actor=not_drawn, event=joint)
    assert pool.invitations.filter(state=InvitationState.CONFIRMED).count() == pool.k
