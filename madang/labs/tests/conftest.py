"""A lab as the cast lives it: 강도윤 (innovation team) makes it from 김민지's selected proposal;
김민지 and 박지훈 are its members; for the role matrix, 정하늘 has applied, 오세훈 joined and left,
이서준 is a colleague outside it, 한가람 a citizen, 관리자 the site administrator."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from madang.calls.models import PhaseKind
from madang.labs import services
from madang.labs.models import Lab, LabOutcome
from madang.review import services as review
from madang.testing import set_phase

ROLES = ["anonymous", "citizen", "official", "applicant", "former", "member", "team", "admin"]
PHASES = ["forming", "running", "closed"]
PERSONA = {
    "anonymous": None,
    "citizen": "garam",
    "official": "seojun",
    "applicant": "haneul",
    "former": "sehun",
    "member": "minji",
    "team": "doyun",
    "admin": "admin",
}


def client(user: Any = None, lang: str = "ko") -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE=lang)
    if user is not None:
        c.force_login(user)
    return c


def person(cast: Any, role: str) -> Any:
    name = PERSONA[role]
    return None if name is None else getattr(cast, name)


def make_lab(cast: Any, slug: str = "paperless") -> Lab:
    set_phase(cast.call, PhaseKind.SUBMISSION)
    cast.call.refresh_from_db()
    p = cast.proposal()
    set_phase(cast.call, PhaseKind.SELECTION)
    cast.call.refresh_from_db()
    review.select_proposal(actor=cast.doyun, proposal=p, reason="랩 과제")
    p.refresh_from_db()
    today = timezone.localdate()
    return services.create_lab(
        actor=cast.doyun,
        proposal=p,
        slug=slug,
        title="서류 없는 민원 랩",
        home=cast.province,
        starts_on=today,
        ends_on=today + timedelta(days=120),
        mission="민원 서류를 없앤다",
    )


def join(cast: Any, lab: Lab, *who: Any) -> None:
    for user in who:
        m = services.apply_to_lab(actor=user, lab=lab, motivation="현장 경험을 살리고 싶습니다")
        services.confirm_member(actor=cast.doyun, membership=m)


def lab_in(cast: Any, phase: str) -> Lab:
    """A lab in `phase` with every role of the matrix in place."""
    lab = make_lab(cast)
    join(cast, lab, cast.minji, cast.jihoon, cast.sehun)
    services.leave_lab(actor=cast.sehun, lab=lab, reason="인사 이동")
    services.apply_to_lab(actor=cast.haneul, lab=lab, motivation="정보화 경험을 보태고 싶습니다")
    if phase in ("running", "closed"):
        services.start_lab(actor=cast.doyun, lab=lab)
    if phase == "closed":
        services.submit_report(actor=cast.jihoon, lab=lab, kind="final", body="서류 40% 감축")
        services.close_lab(actor=cast.jihoon, lab=lab, outcome=LabOutcome.ADOPTED, note="전 시군 도입")
    lab.refresh_from_db()
    return lab


@pytest.fixture
def lab(cast):
    return make_lab(cast)


@pytest.fixture
def running(cast, lab):
    join(cast, lab, cast.minji, cast.jihoon)
    return services.start_lab(actor=cast.doyun, lab=lab)
