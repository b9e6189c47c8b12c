"""A citizen's walk through an invitation lottery: sign up, volunteer, get drawn, confirm, and
later delete the account — while the organiser closes, computes, commits and draws in the browser."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from madang.citizens import lottery
from madang.citizens import services as citizens
from madang.citizens.models import CitizenProfile, InvitationState, Purpose
from madang.people import services as people
from madang.people.models import Kind, User
from madang.testing import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = {
    "ko": {
        "join": "가입",
        "save": "저장",
        "volunteer": "참여 신청",
        "close": "참여 신청 마감",
        "compute": "추첨 확률 계산",
        "commit": "사전 공개하고 알리기",
        "draw": "패널 추첨",
        "drawn": "추첨에 뽑히셨습니다.",
        "confirm": "참석을 확정합니다",
        "confirmed": "참석 확정",
        "delete": "회원 탈퇴",
        "verified": "방금 서버에서 검증했습니다",
    },
    "en": {
        "join": "Join",
        "save": "Save",
        "volunteer": "Volunteer",
        "close": "Close volunteering",
        "compute": "Compute the lottery",
        "commit": "Commit and announce",
        "draw": "Draw the panel",
        "drawn": "You were drawn.",
        "confirm": "Confirm my seat",
        "confirmed": "Confirmed",
        "delete": "Delete my account",
        "verified": "Verified on the server just now",
    },
}


def login(page, username: str) -> None:  # type: ignore[no-untyped-def]
    User.objects.filter(username=username).update(language=page.lang)
    page.goto(page.base + "/people/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    # the log-in page's own address also ends in "/": wait until the browser has left it, or a
    # goto() right after may cancel the log-in (a walk then went on signed out, now and then)
    page.wait_for_url(lambda url: "/people/login/" not in url, wait_until="networkidle")


def man(username: str, name: str, age: str) -> User:
    user = people.create_user(
        actor=None,
        username=username,
        display_name=name,
        password=PASSWORD,
        email=f"{username}@example.kr",
        kind=Kind.CITIZEN,
    )
    CitizenProfile.objects.create(user=user, email_verified_at=timezone.now())
    citizens.grant_consent(actor=user, purpose=Purpose.ATTRIBUTES)
    citizens.update_attributes(actor=user, gender="male", age_band=age, region="충남")
    return user


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_it_takes_a_citizen_from_sign_up_to_a_confirmed_seat_and_out_again(cast, open_page, lang):
    t = TEXT[lang]
    now = timezone.now()
    # One woman's seat among three: whoever volunteers as the only woman is certain to be drawn.
    pool = citizens.create_pool(
        actor=cast.doyun,
        organisation=cast.province,
        title="2027 한빛도 시민 전략회의",
        k=3,
        attributes=["gender"],
        quotas={"gender": {"female": [1, 1], "male": [2, 2], "other": [0, 0]}},
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=7),
    )
    for username, name, age in [
        ("junho", "안준호", "50-59"),
        ("taehee", "서태희", "19-29"),
        ("woojin", "홍우진", "60-69"),
    ]:
        citizens.volunteer(actor=man(username, name, age), pool=pool)

    nuri = open_page(lang)
    nuri.goto(nuri.base + "/citizens/join/")
    nuri.fill("#id_username", "nuri")
    nuri.fill("#id_display_name", "송누리")
    nuri.fill("#id_email", "nuri@example.kr")
    nuri.fill("#id_password", "hanbit-citizen-2026")
    nuri.fill("#id_password2", "hanbit-citizen-2026")
    nuri.check("#id_terms")
    nuri.get_by_role("button", name=t["join"], exact=True).click()
    # Not logged in yet: the e-mail's link confirms the address, then she logs in.
    nuri.wait_for_selector("main h1")
    [welcome] = [m for m in mail.outbox if m.to == ["nuri@example.kr"]]
    # The link names the address the site was reached at (the test server's), not a fixed one.
    link = next(w for w in welcome.body.split() if "/citizens/verify/" in w)
    assert link.startswith(nuri.base)
    nuri.goto(link)
    nuri.wait_for_url(re.compile(r".*/people/login/"))
    nuri.fill("#id_username", "nuri")
    nuri.fill("#id_password", "hanbit-citizen-2026")
    nuri.locator("main form button[type=submit]").click()
    # the log-in page's own address also ends in "/": wait until the browser has left it, or a
    # goto() right after may cancel the log-in (a walk then went on signed out, now and then)
    nuri.wait_for_url(lambda url: "/people/login/" not in url, wait_until="networkidle")
    assert CitizenProfile.objects.get(user__username="nuri").email_verified_at is not None
    nuri.goto(nuri.base + "/citizens/me/")
    nuri.check("#id_consent")
    nuri.select_option("#id_gender", "female")
    nuri.select_option("#id_age_band", "30-39")
    nuri.select_option("#id_region", "충남")
    nuri.locator("main form.stack button[type=submit]").click()
    nuri.wait_for_url(re.compile(r".*/citizens/me/$"))
    assert CitizenProfile.objects.get(user__username="nuri").gender == "female"

    nuri.goto(nuri.base + f"/citizens/pools/{pool.pk}/")
    nuri.get_by_role("button", name=t["volunteer"], exact=True).click()
    nuri.wait_for_selector("#volunteer-state")
    assert pool.volunteerings.filter(user__username="nuri").exists()

    team = open_page(lang)
    login(team, "doyun")
    team.goto(team.base + f"/citizens/pools/{pool.pk}/organise/")
    team.get_by_role("button", name=t["close"], exact=True).click()
    team.get_by_role("button", name=t["compute"], exact=True).click()
    team.wait_for_selector("#id_seed_source")
    team.fill("#id_seed_source", "2026-12-05 로또 6/45 제1200회")
    due = timezone.localtime() + timedelta(days=2)
    team.fill("#id_seed_due_at", due.strftime("%Y-%m-%dT%H:%M"))  # when the seed is published: after the commitment
    team.get_by_role("button", name=t["commit"], exact=True).click()
    team.wait_for_selector("#id_seed")
    team.fill("#id_seed", "3 11 19 24 38 42 + 7")
    team.get_by_role("button", name=t["draw"], exact=True).click()
    team.wait_for_load_state()
    pool.refresh_from_db()
    assert pool.state == "drawn"

    nuri.goto(nuri.base + f"/citizens/pools/{pool.pk}/")
    assert t["drawn"] in nuri.locator("#my-status").inner_text()
    nuri.get_by_role("button", name=t["confirm"], exact=True).click()
    nuri.wait_for_selector("#invitation-state")
    assert t["confirmed"] in nuri.locator("#invitation-state").inner_text()
    user = User.objects.get(username="nuri")
    assert pool.invitations.get(user=user).state == InvitationState.CONFIRMED

    nuri.goto(nuri.base + "/citizens/me/delete/")
    nuri.fill("#id_password", "hanbit-citizen-2026")
    nuri.get_by_role("button", name=t["delete"], exact=True).click()
    # the delete page's own address also ends in "/": wait until the browser has left it
    nuri.wait_for_url(lambda url: "/delete/" not in url, wait_until="networkidle")
    user.refresh_from_db()
    assert not user.is_active and user.email == "" and "송누리" not in user.display_name

    public = open_page(lang)
    public.goto(public.base + f"/citizens/pools/{pool.pk}/transparency/")
    page = public.locator("main").inner_text()
    assert t["verified"] in page and "송누리" not in page and "nuri" not in page
    assert lottery.verify(pool.lotteries.get()).ok
