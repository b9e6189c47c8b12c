from datetime import timedelta

import pytest
from django.utils import timezone

from madang.calls.models import PhaseKind
from madang.labs import services
from madang.review import services as review
from madang.testing import set_phase


@pytest.fixture
def lab(cast):
    p = cast.proposal()
    set_phase(cast.call, PhaseKind.SELECTION)
    cast.call.refresh_from_db()
    review.select_proposal(actor=cast.doyun, proposal=p, reason="랩 과제")
    p.refresh_from_db()
    today = timezone.localdate()
    return services.create_lab(
        actor=cast.doyun, proposal=p, slug="paperless", title="서류 없는 민원 랩", home=cast.province,
        starts_on=today, ends_on=today + timedelta(days=120), mission="민원 서류를 없앤다",
    )


@pytest.fixture
def running(cast, lab):
    for who in (cast.minji, cast.jihoon):
        m = services.apply_to_lab(actor=who, lab=lab, motivation="현장 경험을 살리고 싶습니다")
        services.confirm_member(actor=cast.doyun, membership=m)
    return services.start_lab(actor=cast.doyun, lab=lab)
