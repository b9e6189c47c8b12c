"""The transparency page claims an order (the lottery committed before anyone could know the
seed, the panel drawn after the seed was published) and checks it, warning where it is broken."""

from datetime import UTC, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from madang.citizens import lottery, services
from madang.citizens.models import Lottery
from madang.core.errors import DomainError
from madang.ledger import services as ledger
from madang.ledger.models import Entry


def _page(pool):
    return Client(HTTP_ACCEPT_LANGUAGE="ko").get(f"/citizens/pools/{pool.pk}/transparency/").content.decode()


def test_it_refuses_a_commitment_whose_seed_is_already_known(cast, computed):
    with pytest.raises(DomainError) as refused:
        services.commit_distribution(
            actor=cast.doyun, pool=computed, seed_source="지난주 로또", seed_due_at=timezone.now() - timedelta(days=1)
        )
    assert refused.value.code == "seed_known" and refused.value.field == "seed_due_at"


def test_it_logs_when_the_seed_is_due_with_the_commitment(cast, computed):
    due = timezone.now() + timedelta(days=3)
    made = services.commit_distribution(actor=cast.doyun, pool=computed, seed_source="토요일 로또", seed_due_at=due)
    entry = Entry.objects.get(kind="citizens.lottery_committed", subject=computed.subject)
    assert ledger.body_of(entry)["seed_due"] == due.astimezone(UTC).isoformat(timespec="seconds")
    assert lottery.published(made)["seed_due_at"] == made.seed_due_at.isoformat()


def test_its_logged_seed_time_verifies_whatever_zone_it_was_given_in(cast, computed):
    from madang.ledger.verify import verify_all

    due = timezone.localtime() + timedelta(days=3)  # as the form gives it: in Korea's time
    services.commit_distribution(actor=cast.doyun, pool=computed, seed_source="토요일 로또", seed_due_at=due)
    ledger.sequence()
    assert [str(f) for f in verify_all()] == []


def test_it_shows_the_order_and_confirms_it_when_it_holds(cast, computed):
    due = timezone.now() + timedelta(days=3)
    made = services.commit_distribution(actor=cast.doyun, pool=computed, seed_source="토요일 로또", seed_due_at=due)
    services.draw_panel(actor=cast.doyun, pool=computed, seed="1 2 3 4 5 6 + 7")
    # As it would have been had the organiser waited for the seed: drawn the morning after.
    Lottery.objects.filter(pk=made.pk).update(drawn_at=due + timedelta(hours=12))
    made.refresh_from_db()
    assert lottery.order_of(made).ok
    page = _page(computed)
    assert f'id="order-check-{made.pk}"' in page and "✓" in page and "순서대로" in page
    assert "순서가 맞지 않습니다" not in page


def test_it_warns_when_the_panel_was_drawn_before_the_seed_was_due(cast, computed):
    made = services.commit_distribution(
        actor=cast.doyun, pool=computed, seed_source="다음 주 로또", seed_due_at=timezone.now() + timedelta(days=3)
    )
    services.draw_panel(
        actor=cast.doyun, pool=computed, seed="1 2 3 4 5 6 + 7"
    )  # at once: before the seed was published
    made.refresh_from_db()
    order = lottery.order_of(made)
    assert not order.ok and len(order.problems) == 1
    page = _page(computed)
    assert "순서가 맞지 않습니다" in page and "시드가 공개되기 전에 패널을 뽑았습니다" in page


def test_it_warns_when_the_commitment_came_after_the_seed(cast, committed):
    made = committed.lotteries.get()
    Lottery.objects.filter(pk=made.pk).update(seed_due_at=made.committed_at - timedelta(hours=1))
    assert "시드가 공개된 뒤에 약속 값을 공개했습니다" in _page(committed)


def test_it_warns_when_the_seed_time_was_never_announced(cast, committed):
    # (the conftest commits as older code did, without saying when the seed is published)
    assert "순서를 확인할 수 없습니다" in _page(committed)
