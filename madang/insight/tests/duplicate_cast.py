"""Proposals with planted duplicates for the duplicate and topic tests, and the extra roles the
cast lacks: a facilitator, and the innovation team of another province with a call of its own."""

from dataclasses import dataclass

from django.test import Client
from django.utils import timezone

from madang.calls import services as calls
from madang.calls.models import Audience, Call, Proposal
from madang.people import services as people
from madang.people.models import Role, User
from madang.testing import PASSWORD, Cast, phases_around

ORIGINAL = (
    "민원 서류 한 번만 제출하기",
    "민원인이 같은 증빙 서류를 부서마다 다시 제출해야 합니다.",
    "행정정보 공동이용으로 부서 간 서류를 자동 조회합니다.",
)
RESUBMITTED = (
    "민원 서류 한번만 제출",
    "민원인이 같은 증빙서류를 부서마다 또 제출해야 합니다.",
    "행정정보 공동 이용으로 부서 간 서류를 자동으로 조회합니다.",
)
INTERNAL_COPY = (
    "민원 서류 한번만 제출하기",
    "민원인이 같은 증빙서류를 부서마다 다시 제출해야 합니다.",
    "행정정보 공동 이용으로 부서 간 서류를 자동 조회합니다.",
)
OTHERS = [
    (
        "버스 정류장 실시간 혼잡도 안내",
        "출퇴근 시간 정류장 혼잡으로 시민 불편이 큽니다.",
        "교통카드 데이터로 정류장별 혼잡도를 안내판에 표시합니다.",
    ),
    (
        "버스 노선 배차 간격 조정",
        "외곽 버스 노선의 배차 간격이 너무 깁니다.",
        "승객이 많은 시간대 버스 배차를 늘립니다.",
    ),
    (
        "저상버스 정류장 호출",
        "휠체어 이용자가 정류장에서 저상버스를 오래 기다립니다.",
        "앱으로 저상버스 탑승을 미리 알리는 호출 기능을 둡니다.",
    ),
    (
        "축제 쓰레기 다회용기 전환",
        "지역 축제마다 일회용품 쓰레기가 넘칩니다.",
        "다회용기 대여와 회수 체계를 축제 조건으로 합니다.",
    ),
    (
        "재활용 쓰레기 분리배출 안내",
        "아파트 쓰레기 분리배출 기준을 주민이 잘 모릅니다.",
        "쓰레기 분리배출 안내문을 그림으로 바꿉니다.",
    ),
    ("하천 쓰레기 수거 봉사", "하천 변에 쓰레기가 쌓여 있습니다.", "주민 자원봉사로 하천 쓰레기를 수거합니다."),
]


@dataclass
class Dupes:
    original: Proposal
    resubmitted: Proposal
    internal: Proposal
    others: list[Proposal]
    facilitator: User
    rival_team: User  # innovation team of 새벽도, another province
    rival_call: Call


def build(cast: Cast) -> Dupes:
    def propose(author: User, fields: tuple[str, str, str]) -> Proposal:
        return cast.proposal(author=author, title=fields[0], problem=fields[1], solution=fields[2])

    original = propose(cast.minji, ORIGINAL)
    resubmitted = propose(cast.jihoon, RESUBMITTED)
    internal = propose(cast.seojun, INTERNAL_COPY)
    calls.set_internal(actor=cast.doyun, proposal=internal, internal=True, reason="보안 검토 중")
    others = [propose([cast.minji, cast.jihoon, cast.seojun][i % 3], f) for i, f in enumerate(OTHERS)]
    for supporter in (cast.yuna, cast.haneul):
        calls.support_proposal(actor=supporter, proposal=original)
    facilitator = people.create_user(
        actor=None,
        username="haram",
        display_name="송하람",
        password=PASSWORD,
        email="haram@example.kr",
        department=cast.planning,
        grade=6,
        title="주무관",
    )
    people.grant_role(actor=None, user=facilitator, role=Role.FACILITATOR, organisation=cast.province)
    rival = people.create_user(
        actor=None,
        username="ujin",
        display_name="문우진",
        password=PASSWORD,
        email="ujin@example.kr",
        department=cast.bada.department,
        grade=5,
        title="사무관",
    )
    people.grant_role(actor=None, user=rival, role=Role.INNOVATION_TEAM, organisation=cast.other_province)
    rival_call = calls.create_call(
        actor=rival,
        slug="saebyeok-2026",
        title="2026 새벽도 아이디어 공모",
        description="<p>새벽도</p>",
        organisation=cast.other_province,
        audience=Audience.OFFICIALS,
        phases=phases_around(timezone.now()),
    )
    return Dupes(original, resubmitted, internal, others, facilitator, rival, rival_call)


def client(user: User | None = None, language: str = "ko") -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        c.force_login(user)
    return c


def outsiders(cast: Cast, d: Dupes) -> dict[str, User]:
    """Everyone who is neither the call's innovation team nor a site administrator."""
    return {
        "official": cast.minji,
        "citizen": cast.garam,
        "reviewer": cast.yuna,
        "liaison": cast.sohee,
        "facilitator": d.facilitator,
        "other agency": cast.bada,
        "other province's team": d.rival_team,
    }
