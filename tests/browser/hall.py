"""A full hall for the browser walks of the day: 120 officials from 60 agencies (two each), two of
them called 이승우, twelve tables of ten, a groups session and a World Cafe running now."""

from datetime import timedelta
from types import SimpleNamespace

from django.utils import timezone

from madang.events import services
from madang.events.models import Rotation, SessionKind
from madang.events.tests.conftest import agency, official
from madang.people import services as people
from madang.people.models import OrgKind, Role

SURNAMES = "김이박최정강조윤장임한오서신권황안송류홍"
GIVEN = [
    "민준",
    "서연",
    "도윤",
    "하은",
    "건우",
    "지우",
    "예준",
    "수아",
    "시우",
    "지민",
    "주원",
    "채원",
    "현우",
    "다은",
    "승현",
    "유진",
    "준서",
    "소윤",
    "우진",
    "가은",
    "선우",
    "나연",
    "태윤",
    "하린",
]
PLACES = [
    "서울특별시",
    "부산광역시",
    "대구광역시",
    "인천광역시",
    "광주광역시",
    "대전광역시",
    "울산광역시",
    "세종특별자치시",
    "경기도",
    "강원특별자치도",
    "충청북도",
    "충청남도",
    "전북특별자치도",
    "전라남도",
    "경상북도",
    "경상남도",
    "제주특별자치도",
    "과학기술정보통신부",
    "행정안전부",
    "국토교통부",
]


def agency_names(n: int = 60) -> list[str]:
    names = [*PLACES]
    suffixes = ["교육청", "소방본부", "경찰청"]
    for suffix in suffixes:
        names += [p + suffix for p in PLACES[:17]]
    return names[:n]


def person_names(n: int = 120) -> list[str]:
    out: list[str] = []
    for k in range(10_000):
        name = SURNAMES[k % len(SURNAMES)] + GIVEN[(k * 7 + k // len(SURNAMES)) % len(GIVEN)]
        if name not in out and name != "이승우":
            out.append(name)
        if len(out) == n - 2:
            break
    return ["이승우", *out[: n // 2 - 1], "이승우", *out[n // 2 - 1 :]]


def full_hall(cast, *, people_count: int = 120, gender_blank_every: int = 0):  # type: ignore[no-untyped-def]
    haram = official("haram", "송하람", cast.innovation, 6)
    people.grant_role(actor=None, user=haram, role=Role.FACILITATOR, organisation=cast.province)
    event = services.create_event(
        actor=haram,
        organisation=cast.province,
        slug="hall",
        title="2026 범정부 혁신 해커톤",
        capacity=people_count + 10,
        max_per_agency=2,
    )
    services.set_event_state(actor=haram, event=event, state="open")
    day = services.add_day(actor=haram, event=event, date=timezone.localdate())
    now = timezone.now()
    groups = services.add_session(
        actor=haram,
        event=event,
        day=day,
        title="분임 토의",
        kind=SessionKind.GROUPS,
        starts_at=now - timedelta(hours=3),
        ends_at=now - timedelta(hours=2),
    )
    cafe = services.add_session(
        actor=haram,
        event=event,
        day=day,
        title="월드카페",
        kind=SessionKind.CAFE,
        starts_at=now - timedelta(minutes=10),
        ends_at=now + timedelta(hours=1),
    )
    services.add_tables(actor=haram, event=event, count=12, capacity=10)
    agencies = [
        agency(f"ag{i:02d}", name, OrgKind.LOCAL if i < 17 else OrgKind.MINISTRY)
        for i, name in enumerate(agency_names(people_count // 2))
    ]
    regs, users = [], []
    for k, name in enumerate(person_names(people_count)):
        u = official(f"hk{k:03d}", name, agencies[k // 2], [5, 6, 7, 8, 9][k % 5])
        gender = "" if gender_blank_every and k % gender_blank_every == 0 else ["female", "male"][k % 2]
        regs.append(services.register(actor=u, event=event, gender=gender))
        users.append(u)
    return SimpleNamespace(event=event, haram=haram, groups=groups, cafe=cafe, regs=regs, users=users)


def run_cafe_round(hall, *, rounds: int = 3):  # type: ignore[no-untyped-def]
    """Plan, publish and start round 1 of the World Cafe (the job runs inline in tests)."""
    rot = services.configure_rotation(actor=hall.haram, session=hall.cafe, rounds=rounds, round_minutes=20, seconds=0.5)
    services.start_rotation(actor=hall.haram, rotation=rot)
    rot = Rotation.objects.get(pk=rot.pk)
    services.publish_rotation(actor=hall.haram, rotation=rot)
    return services.start_round(actor=hall.haram, rotation=rot, round_no=0)
