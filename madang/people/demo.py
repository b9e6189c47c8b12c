"""The demo's people: 한빛도 (Hanbit Province), its twelve departments and the officials who work there.

Part of the demo scenario that madang/site/demo.py puts together; everyone is created through the
services, with one published password.
"""

import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from madang.people import services as people
from madang.people.models import Kind, Organisation, OrgKind, Role, User

DEMO_PASSWORD = "madang-demo-2026"  # noqa: S105 (published in the README on purpose)

DEPARTMENTS = [
    ("innovation", "혁신담당관", "Innovation Office"),
    ("budget", "기획예산과", "Planning and Budget"),
    ("civil", "민원봉사과", "Civil Service Desk"),
    ("transport", "교통정책과", "Transport Policy"),
    ("welfare", "복지정책과", "Welfare Policy"),
    ("environment", "환경정책과", "Environment Policy"),
    ("economy", "일자리경제과", "Jobs and Economy"),
    ("culture", "문화관광과", "Culture and Tourism"),
    ("safety", "재난안전과", "Disaster and Safety"),
    ("it", "정보통신과", "Information and Communications"),
    ("hr", "인사과", "Human Resources"),
    ("health", "보건정책과", "Health Policy"),
]

SURNAMES = "김이박최정강조윤장임한오서신권황안송류홍"
GIVEN = [
    "민지",
    "서준",
    "지훈",
    "유나",
    "하늘",
    "도윤",
    "소희",
    "세훈",
    "가람",
    "지우",
    "현우",
    "수빈",
    "예린",
    "준호",
    "다은",
    "태희",
    "성민",
    "은비",
    "재원",
    "나연",
    "승우",
    "하린",
    "동현",
    "지민",
    "채원",
    "우진",
    "서연",
    "민재",
    "윤아",
    "건우",
]
TITLES = {4: "서기관", 5: "사무관", 6: "주무관", 7: "주무관", 8: "주무관", 9: "주무관"}


def random_name(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)}{rng.choice(GIVEN)}"


@dataclass
class Province:
    """Who is who in the demo province, for the other apps' parts of the story."""

    province: Organisation
    depts: dict[str, Organisation]
    password_hash: str
    admin: User
    team: User
    reviewers: list[User]
    liaisons: dict[str, User]
    officials: list[User]  # the demo's `official` first
    citizen: User


def load(rng: random.Random) -> Province:
    province = people.create_organisation(
        actor=None, code="hanbit", name="한빛도", name_en="Hanbit Province", kind=OrgKind.PROVINCE
    )
    depts: dict[str, Organisation] = {}
    for code, name, en in DEPARTMENTS:
        depts[code] = people.create_organisation(
            actor=None, code=f"hanbit-{code}", name=name, name_en=en, kind=OrgKind.DEPARTMENT, parent=province
        )
    neighbour = people.create_organisation(
        actor=None, code="saebyeok", name="새벽시", name_en="Saebyeok City", kind=OrgKind.LOCAL, parent=province
    )
    depts["saebyeok-civil"] = people.create_organisation(
        actor=None, code="saebyeok-civil", name="민원과", kind=OrgKind.DEPARTMENT, parent=neighbour
    )

    # One hash for every demo account: hashing is deliberately slow, and it is the same password.
    password_hash = make_password(DEMO_PASSWORD)

    def person(
        username: str, name: str, dept: Organisation | None, grade: int | None, kind: str = Kind.OFFICIAL
    ) -> User:
        user = people.create_user(
            actor=None,
            username=username,
            display_name=name,
            email=f"{username}@hanbit.example.kr",
            kind=kind,
            department=dept,
            grade=grade,
            title=TITLES.get(grade or 0, ""),
        )
        User.objects.filter(pk=user.pk).update(password=password_hash)
        return user

    admin = person("admin", "관리자", depts["innovation"], 4)
    people.grant_role(actor=None, user=admin, role=Role.ADMINISTRATOR)
    team = person("team", "강도윤", depts["innovation"], 5)
    people.grant_role(actor=None, user=team, role=Role.INNOVATION_TEAM, organisation=province)
    reviewers = [
        person("reviewer", "최유나", depts["budget"], 5),
        person("reviewer2", "정하늘", depts["it"], 6),
        person("reviewer3", "문서윤", depts["hr"], 5),
    ]
    for r in reviewers:
        people.grant_role(actor=None, user=r, role=Role.REVIEWER, organisation=province)
    liaisons: dict[str, User] = {}
    for code in (
        "civil",
        "transport",
        "welfare",
        "budget",
        "environment",
        "economy",
        "culture",
        "safety",
        "it",
        "hr",
        "health",
        "innovation",
    ):
        u = person(f"liaison-{code}", random_name(rng), depts[code], 6)
        people.grant_role(actor=None, user=u, role=Role.LIAISON, organisation=depts[code])
        liaisons[code] = u
    liaisons["transport"].username = "liaison"
    liaisons["transport"].save(update_fields=["username"])
    official = person("official", "김민지", depts["civil"], 7)
    officials = [official]
    codes = [c for c, _n, _e in DEPARTMENTS]
    for i in range(23):
        grade = rng.choice([5, 6, 6, 7, 7, 7, 8, 8, 9])
        officials.append(person(f"staff{i + 1:02d}", random_name(rng), depts[codes[i % len(codes)]], grade))
    citizen = person("citizen", "한가람", None, None, kind=Kind.CITIZEN)
    return Province(
        province=province,
        depts=depts,
        password_hash=password_hash,
        admin=admin,
        team=team,
        reviewers=reviewers,
        liaisons=liaisons,
        officials=officials,
        citizen=citizen,
    )
