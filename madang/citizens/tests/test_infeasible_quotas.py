"""Quotas no panel can meet are explained in plain words, with the smallest relaxation."""

import pytest
from django.test import Client
from django.utils import translation

from madang.citizens import services
from madang.citizens.models import PoolState
from madang.citizens.tests.conftest import QUOTAS


def _too_many_women(cast, pool):
    quotas = {**QUOTAS, "gender": {"female": [4, 5], "male": [2, 3], "other": [0, 0]}}
    services.set_quotas(actor=cast.doyun, pool=pool, quotas=quotas)


def test_it_explains_minimums_that_exceed_the_seats_and_suggests_the_smallest_change(cast, pool, volunteers):
    _too_many_women(cast, pool)
    services.close_pool(actor=cast.doyun, pool=pool)
    with translation.override("en"), pytest.raises(services.InfeasibleQuotasError) as err:
        services.compute_distribution(actor=cast.doyun, pool=pool)
    explanation = err.value.explanation
    assert any("Gender" in p and "add up to 6" in p and "5 seats" in p for p in explanation.problems)
    assert explanation.total == 1
    assert explanation.relaxed is not None
    assert sum(lo for lo, _hi in explanation.relaxed["gender"].values()) == 5
    assert err.value.code == "infeasible_quotas" and err.value.status == 400
    pool.refresh_from_db()
    assert pool.state == PoolState.CLOSED and not pool.lotteries.exists()


def test_it_explains_in_korean(cast, pool, volunteers):
    _too_many_women(cast, pool)
    services.close_pool(actor=cast.doyun, pool=pool)
    with translation.override("ko"), pytest.raises(services.InfeasibleQuotasError) as err:
        services.compute_distribution(actor=cast.doyun, pool=pool)
    assert "성별" in err.value.explanation.problems[0] and "최솟값" in err.value.explanation.changes[0]


def test_it_explains_a_pool_too_small_for_a_quota(cast, pool, volunteers):
    quotas = {**QUOTAS, "age_band": {**QUOTAS["age_band"], "70+": [2, 2]}}  # only 조민재 is 70+
    services.set_quotas(actor=cast.doyun, pool=pool, quotas=quotas)
    services.close_pool(actor=cast.doyun, pool=pool)
    with translation.override("en"), pytest.raises(services.InfeasibleQuotasError) as err:
        services.compute_distribution(actor=cast.doyun, pool=pool)
    assert any("Only 1 volunteers have Age: 70 and over" in p for p in err.value.explanation.problems)
    assert any("from 2 to 1" in c for c in err.value.explanation.changes)


def test_it_explains_quotas_that_conflict_only_together(cast, pool, garam):
    from madang.citizens.tests.conftest import make_citizen

    # The young are all women and the quotas want three young people, but at most two women.
    people = [
        ("w1", "김하나", "female", "19-29"),
        ("w2", "이두리", "female", "19-29"),
        ("w3", "박세나", "female", "19-29"),
        ("m1", "최네온", "male", "60-69"),
        ("m2", "정다섯", "male", "60-69"),
        ("m3", "강여섯", "male", "60-69"),
    ]
    for username, name, gender, age in people:
        services.volunteer(actor=make_citizen(username, name, gender, age, "충남"), pool=pool)
    services.set_quotas(
        actor=cast.doyun,
        pool=pool,
        quotas={
            "gender": {"female": [0, 2], "male": [2, 3]},
            "age_band": {"19-29": [3, 3], "60-69": [2, 2]},
        },
    )
    services.close_pool(actor=cast.doyun, pool=pool)
    with translation.override("en"), pytest.raises(services.InfeasibleQuotasError) as err:
        services.compute_distribution(actor=cast.doyun, pool=pool)
    explanation = err.value.explanation
    assert explanation.problems == [
        "Each quota can be met on its own, but no panel meets all of them at once: they "
        "conflict through people who count towards several quotas."
    ]
    assert explanation.total == 1 and len(explanation.changes) == 1


def test_it_shows_the_explanation_page_and_applies_the_relaxation(cast, pool, volunteers):
    _too_many_women(cast, pool)
    services.close_pool(actor=cast.doyun, pool=pool)
    c = Client(HTTP_ACCEPT_LANGUAGE="ko")
    c.force_login(cast.doyun)
    r = c.post(f"/citizens/pools/{pool.pk}/compute/")
    assert r.status_code == 400
    page = r.content.decode()
    assert "할당 기준을 맞출 수 없습니다" in page and "성별" in page and "사용" in page
    relaxed = r.context["explanation"].relaxed
    form = {
        f"{a}__{v}__{side}": pair[i]
        for a, values in relaxed.items()
        for v, pair in values.items()
        for i, side in enumerate(("min", "max"))
    }
    assert c.post(f"/citizens/pools/{pool.pk}/quotas/", form).status_code == 302
    assert c.post(f"/citizens/pools/{pool.pk}/compute/").status_code == 302
    pool.refresh_from_db()
    assert pool.state == PoolState.COMPUTED
