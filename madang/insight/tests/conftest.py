import pytest
from django.test import Client

from madang.insight import services
from madang.people import services as people
from madang.people.models import Kind
from madang.testing import PASSWORD

STATEMENTS = [
    "민원 서류는 온라인으로만 받아도 된다",
    "주말에도 민원실을 열어야 한다",
    "버스 노선은 주민 투표로 정해야 한다",
    "복지 예산을 늘려야 한다",
    "공공 주차장을 주민에게 개방해야 한다",
    "재난 문자는 더 자주 보내야 한다",
    "행정 데이터는 모두 공개해야 한다",
    "공무원 제안 제도는 상시 운영해야 한다",
]


def client(user=None):
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


@pytest.fixture
def statements(cast):
    return [services.add_statement(actor=cast.doyun, call=cast.call, text=t) for t in STATEMENTS]


@pytest.fixture
def crowd(cast):
    """Twelve signed-up citizens, enough to form opinion groups."""
    return [
        people.create_user(
            actor=None,
            username=f"voter{i:02d}",
            display_name=f"투표자{i}",
            password=PASSWORD,
            email=f"voter{i}@example.kr",
            kind=Kind.CITIZEN,
        )
        for i in range(12)
    ]


def vote_in_two_camps(crowd, statements):
    """The first half agrees with the first half of the statements and disagrees with the rest;
    the other half the opposite."""
    half = len(statements) // 2
    for n, person in enumerate(crowd):
        camp = 1 if n < len(crowd) // 2 else -1
        for j, s in enumerate(statements):
            services.vote_statement(actor=person, statement=s, value=camp if j < half else -camp)
