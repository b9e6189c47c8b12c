"""A hackathon walked through in the browser: registration with quotas, check-in, discussion
groups, a World Cafe round on the projector view, and an Open Space schedule."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from madang.events import services
from madang.events.models import Grouping, Registration, SessionKind
from madang.events.tests.conftest import agency, at, official
from madang.people import services as people
from madang.people.models import OrgKind, Role
from madang.testing import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def login(page, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(page.base + "/people/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    # the log-in page's own address also ends in "/": wait until the browser has left it, or a
    # goto() right after may cancel the log-in (a walk then went on signed out, now and then)
    page.wait_for_url(lambda url: "/people/login/" not in url, wait_until="networkidle")


def test_it_runs_a_hackathon_from_registration_to_open_space(cast, open_page):
    haram = official("haram", "송하람", cast.innovation, 6)
    people.grant_role(actor=None, user=haram, role=Role.FACILITATOR, organisation=cast.province)
    event = services.create_event(
        actor=haram,
        organisation=cast.province,
        slug="walk",
        title="혁신 해커톤",
        capacity=20,
        max_per_agency=2,
        junior_grade=6,
        junior_min_percent=50,
    )
    services.set_event_state(actor=haram, event=event, state="open")
    day = services.add_day(actor=haram, event=event, date=timezone.localdate())
    services.add_room(actor=haram, event=event, name="대강당", capacity=30)
    services.add_room(actor=haram, event=event, name="세미나실", capacity=8)
    for title, kind, start in [
        ("분임 토의", SessionKind.GROUPS, 9),
        ("월드카페", SessionKind.CAFE, 10),
        ("오픈 스페이스 1", SessionKind.OPEN_SPACE, 13),
        ("오픈 스페이스 2", SessionKind.OPEN_SPACE, 14),
    ]:
        services.add_session(
            actor=haram, event=event, day=day, title=title, kind=kind, starts_at=at(start), ends_at=at(start + 1)
        )
    services.add_tables(actor=haram, event=event, count=3, capacity=6)
    others = []
    for i in range(5):
        dept = agency(f"walk{i}", f"기관{i + 1}", OrgKind.MINISTRY if i % 2 else OrgKind.LOCAL)
        for k in range(2):
            u = official(f"w{i}{k}", f"참가자{i}{k}", dept, [6, 7, 8, 5][(i + k) % 4])
            services.register(actor=u, event=event)
            others.append(u)

    # registration: two from 한빛도 get in, the third waits (two per agency)
    for username in ("minji", "seojun", "jihoon"):
        page = open_page("ko")
        login(page, username)
        page.goto(page.base + "/events/walk/")
        page.get_by_role("button", name="참가 신청", exact=True).click()
        page.wait_for_selector("#my-registration")
        text = page.locator("#my-registration").inner_text()
        if username == "jihoon":
            assert "대기 중" in text and "소속 기관 몫" in text
        else:
            assert "확정" in text
    minji = page = open_page("ko")
    login(minji, "minji")

    # check-in: 김민지 with the code from the venue, 이서준 by the facilitator from the list
    minji.goto(minji.base + "/events/walk/me/")
    minji.fill("#id_code", event.check_in_code.lower())
    minji.get_by_role("button", name="체크인", exact=True).click()
    minji.wait_for_selector("#my-state")
    assert "체크인함" in minji.locator("#my-state").inner_text()
    fac = open_page("ko")
    login(fac, "haram")
    fac.goto(fac.base + "/events/walk/manage/")
    fac.get_by_role("button", name="이서준 체크인").click()
    fac.wait_for_load_state()
    assert Registration.objects.get(event=event, user=cast.seojun).checked_in_at is not None

    # discussion groups: computed as a job, shown with a diversity picture, colleagues apart
    groups = event.sessions.get(kind=SessionKind.GROUPS)
    fac.goto(fac.base + f"/events/walk/s/{groups.pk}/")
    fac.fill("#id_group_count", "3")
    fac.fill("#id_seconds", "0.3")
    fac.get_by_role("button", name="분임 계산", exact=True).click()
    fac.wait_for_selector("#group-3")
    assert fac.locator("#plan svg.chart").count() == 3
    fac.get_by_role("button", name="분임 공개", exact=True).click()
    fac.wait_for_load_state()
    g = Grouping.objects.get(session=groups)
    agencies = {r.pk: r.agency_id for r in event.registrations.all()}
    assert g.state == "published" and all(len({agencies[p] for p in m}) == len(m) for m in g.groups)

    # World Cafe: plan, publish, start round 1, and look at the projector
    cafe = event.sessions.get(kind=SessionKind.CAFE)
    fac.goto(fac.base + f"/events/walk/s/{cafe.pk}/")
    fac.fill("#id_rounds", "3")
    fac.fill("#id_seconds", "0.5")
    fac.get_by_role("button", name="순환 배치 계산", exact=True).click()
    fac.get_by_role("button", name="순환 배치 공개", exact=True).click()
    fac.get_by_role("button", name="1라운드 시작", exact=True).click()
    fac.wait_for_load_state()
    fac.goto(fac.base + "/events/walk/projector/")
    assert "1 / 3라운드" in fac.locator("h1").inner_text()
    assert fac.locator(".seat-table").count() == 3
    expect(fac.locator(".remaining").first).to_contain_text(":")  # (no string eval under the CSP)
    assert re.match(r"\d\d:\d\d", fac.locator(".remaining").inner_text())

    # Open Space: topics and interest (htmx), a schedule computed, published and joined
    services.post_topic(actor=others[0], event=event, title="데이터 공유")
    services.post_topic(actor=others[2], event=event, title="쉬운 공문서")
    minji.goto(minji.base + "/events/walk/openspace/")
    minji.locator("summary", has_text="주제 올리기").click()
    minji.fill("#id_title", "민원 서류 줄이기")
    minji.get_by_role("button", name="올리기", exact=True).click()
    minji.wait_for_load_state()
    topic = event.topics.get(title="데이터 공유")
    minji.locator(f"#topic-{topic.pk} button").click()
    minji.wait_for_selector(f"#topic-{topic.pk} button[aria-pressed=true]")
    fac.goto(fac.base + "/events/walk/openspace/")
    fac.get_by_role("button", name="일정 계산", exact=True).click()
    fac.wait_for_selector("table.open-space")
    fac.get_by_role("button", name="일정 공개", exact=True).click()
    fac.wait_for_load_state()
    minji.goto(minji.base + "/events/walk/openspace/")
    assert "민원 서류 줄이기" in minji.locator("table.open-space").inner_text()
    minji.locator("table.open-space button").first.click()
    minji.wait_for_selector(".here")
