"""An inter-agency hackathon of 한빛도, set up through the services.

Besides the cast (김민지, 이서준 and 박지훈 of 한빛도; 최유나, a 5급 reviewer; 임바다 of 새벽도;
한가람, a citizen), two ministries send people: 행정안전부 (문지아 6급, 백승호 4급) and
국토교통부 (남궁민 7급, 서가은 5급). 송하람 is the province's facilitator.
"""

from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import timezone

from madang.events import services
from madang.events.models import SessionKind
from madang.people import services as people
from madang.people.models import OrgKind, Role
from madang.testing import PASSWORD


def client(user=None):
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def official(username, name, department, grade):
    return people.create_user(
        actor=None,
        username=username,
        display_name=name,
        password=PASSWORD,
        email=f"{username}@example.kr",
        department=department,
        grade=grade,
        title="주무관",
    )


def agency(code, name, kind=OrgKind.MINISTRY):
    org = people.create_organisation(actor=None, code=code, name=name, kind=kind)
    return people.create_organisation(
        actor=None, code=f"{code}-inno", name="혁신행정담당관", kind=OrgKind.DEPARTMENT, parent=org
    )


@pytest.fixture
def folk(cast):
    mois, molit = agency("mois", "행정안전부"), agency("molit", "국토교통부")
    haram = official("haram", "송하람", cast.innovation, 6)
    people.grant_role(actor=None, user=haram, role=Role.FACILITATOR, organisation=cast.province)
    return SimpleNamespace(
        cast=cast,
        haram=haram,
        mois=mois.parent,
        molit=molit.parent,
        jia=official("jia", "문지아", mois, 6),
        seungho=official("seungho", "백승호", mois, 4),
        min=official("nam", "남궁민", molit, 7),
        gaeun=official("gaeun", "서가은", molit, 5),
    )


def at(hour: int, minute: int = 0, days: int = 0) -> datetime:
    today = timezone.localtime()
    return today.replace(hour=hour, minute=minute, second=0, microsecond=0) + timedelta(days=days)


@pytest.fixture
def event(folk):
    """Six places, at most two per agency, at least half grade 6 and below; registration open."""
    cast = folk.cast
    e = services.create_event(
        actor=cast.doyun,
        organisation=cast.province,
        slug="hackathon",
        title="2026 범정부 혁신 해커톤",
        capacity=6,
        max_per_agency=2,
        junior_grade=6,
        junior_min_percent=50,
    )
    services.set_event_state(actor=cast.doyun, event=e, state="open")
    day = services.add_day(actor=cast.doyun, event=e, date=timezone.localdate(), title="첫째 날")
    hall = services.add_room(actor=cast.doyun, event=e, name="대강당", capacity=10)
    services.add_room(actor=cast.doyun, event=e, name="세미나실", capacity=3)
    for title, kind, start, end in [
        ("여는 마당", SessionKind.PLENARY, 9, 10),
        ("분임 토의", SessionKind.GROUPS, 10, 11),
        ("월드카페", SessionKind.CAFE, 11, 12),
        ("오픈 스페이스 1", SessionKind.OPEN_SPACE, 13, 14),
        ("오픈 스페이스 2", SessionKind.OPEN_SPACE, 14, 15),
    ]:
        services.add_session(
            actor=cast.doyun, event=e, day=day, title=title, kind=kind, starts_at=at(start), ends_at=at(end), room=hall
        )
    return e


def session(event, kind):
    return event.sessions.filter(kind=kind).order_by("starts_at").first()


@pytest.fixture
def crowd(folk):
    """A bigger event: 16 officials, two from each of eight agencies, all registered and confirmed."""
    cast = folk.cast
    e = services.create_event(
        actor=cast.doyun, organisation=cast.province, slug="big-day", title="혁신 공작소", capacity=40, max_per_agency=2
    )
    services.set_event_state(actor=cast.doyun, event=e, state="open")
    day = services.add_day(actor=cast.doyun, event=e, date=timezone.localdate())
    for title, kind, start in [("분임", SessionKind.GROUPS, 10), ("월드카페", SessionKind.CAFE, 11)]:
        services.add_session(
            actor=cast.doyun, event=e, day=day, title=title, kind=kind, starts_at=at(start), ends_at=at(start + 1)
        )
    services.add_tables(actor=cast.doyun, event=e, count=4, capacity=5)
    regs = []
    grades = [5, 6, 7, 8, 9, 6, 7, 8]
    for i in range(8):
        dept = agency(f"agency{i}", f"기관{i + 1}", OrgKind.MINISTRY if i < 4 else OrgKind.LOCAL)
        for k in range(2):
            u = official(f"p{i}{k}", f"참가자{i}{k}", dept, grades[(i + k) % 8])
            regs.append(
                services.register(actor=u, event=e, gender=["female", "male"][k], region=["서울", "부산"][i % 2])
            )
    return SimpleNamespace(event=e, regs=regs, doyun=cast.doyun, folk=folk)


@pytest.fixture
def room(folk, event):
    """Four participants, two tables and one board of each method for group 1 of a groups session."""
    from madang.events.models import BoardKind

    c = folk.cast
    for u in (c.minji, c.seojun, folk.jia, folk.min):
        services.register(actor=u, event=event)
    s = session(event, SessionKind.GROUPS)
    services.add_tables(actor=folk.haram, event=event, count=2)
    mk = lambda kind, **kw: services.create_board(  # noqa: E731
        actor=folk.haram, session=s, kind=kind, title=f"{kind} 보드", group=1, **kw
    )
    return {
        "jam": mk(BoardKind.JAM),
        "reverse": mk(BoardKind.REVERSE, prompt="민원 처리를 더 느리게 하려면?"),
        "harvest": mk(BoardKind.HARVEST, round_no=2),
        "dots": mk(BoardKind.DOTS, dots_per_person=2),
        "folk": folk,
    }
