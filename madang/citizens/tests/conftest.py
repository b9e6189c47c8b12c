"""An invitation pool of 한빛도 with a dozen citizen volunteers, set up through the services."""

from datetime import timedelta

import pytest
from django.utils import timezone

from madang.citizens import services
from madang.citizens.models import CitizenProfile, Purpose
from madang.people import services as people
from madang.people.models import Kind
from madang.testing import PASSWORD

# username, name, gender, age band, region
VOLUNTEERS = [
    ("nuri", "송누리", "female", "30-39", "충남"),
    ("harin", "문하린", "female", "19-29", "대전"),
    ("seoyeon", "배서연", "female", "40-49", "충남"),
    ("yerin", "권예린", "female", "60-69", "세종"),
    ("dahye", "황다혜", "female", "19-29", "충북"),
    ("junho", "안준호", "male", "50-59", "충남"),
    ("taehee", "서태희", "male", "19-29", "대전"),
    ("sungmin", "신성민", "male", "30-39", "충북"),
    ("jaewon", "류재원", "male", "40-49", "세종"),
    ("woojin", "홍우진", "male", "60-69", "충남"),
    ("minjae", "조민재", "male", "70+", "대전"),
]

QUOTAS = {
    "gender": {"female": [2, 3], "male": [2, 3], "other": [0, 0]},
    "age_band": {"19-29": [1, 2], "30-39": [1, 2], "40-49": [0, 2], "50-59": [0, 2], "60-69": [1, 2], "70+": [0, 1]},
}


def make_citizen(username: str, name: str, gender: str, age_band: str, region: str):
    user = people.create_user(
        actor=None,
        username=username,
        display_name=name,
        password=PASSWORD,
        email=f"{username}@example.kr",
        kind=Kind.CITIZEN,
    )
    CitizenProfile.objects.create(user=user, email_verified_at=timezone.now())
    services.grant_consent(actor=user, purpose=Purpose.ATTRIBUTES)
    services.update_attributes(actor=user, gender=gender, age_band=age_band, region=region)
    return user


@pytest.fixture
def pool(cast):
    now = timezone.now()
    return services.create_pool(
        actor=cast.doyun,
        organisation=cast.province,
        title="2027 한빛도 시민 전략회의",
        k=5,
        attributes=["gender", "age_band"],
        quotas=QUOTAS,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=7),
        description="도정 전략을 시민과 함께 정합니다.",
    )


@pytest.fixture
def garam(cast):
    services.grant_consent(actor=cast.garam, purpose=Purpose.ATTRIBUTES)
    services.update_attributes(actor=cast.garam, gender="male", age_band="30-39", region="충남")
    return cast.garam


@pytest.fixture
def volunteers(pool, garam):
    crowd = [garam] + [make_citizen(*row) for row in VOLUNTEERS]
    for user in crowd:
        services.volunteer(actor=user, pool=pool)
    return crowd


@pytest.fixture
def computed(cast, pool, volunteers):
    services.close_pool(actor=cast.doyun, pool=pool)
    services.compute_distribution(actor=cast.doyun, pool=pool)  # eager job in tests
    pool.refresh_from_db()
    return pool


@pytest.fixture
def committed(cast, computed):
    services.commit_distribution(actor=cast.doyun, pool=computed, seed_source="2026-12-05 로또 6/45 제1200회 당첨번호")
    computed.refresh_from_db()
    return computed


@pytest.fixture
def drawn(cast, committed):
    services.draw_panel(actor=cast.doyun, pool=committed, seed="3 11 19 24 38 42 + 7")
    committed.refresh_from_db()
    return committed
