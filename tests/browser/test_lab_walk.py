"""A lab from volunteers to its first decision by consent, as the officials involved would click through it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from madang.calls.models import PhaseKind
from madang.labs import services
from madang.labs.models import DecisionState, Lab, LabDecision, LabState
from madang.ledger.models import Entry
from madang.people.models import User
from madang.review import services as review
from madang.testing import PASSWORD, set_phase

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = {
    "ko": {
        "apply_open": "이 혁신랩에 참여 신청하기",
        "apply": "참여 신청",
        "saved": "저장했습니다.",
        "no_members": "아직 구성원이 없습니다.",
        "to_confirm": "확정할 신청자",
        "confirm": "확정",
        "start": "혁신랩 시작하기",
        "forming": "구성 중",
        "running": "실행 중",
        "members": "구성원",
        "no_leader": "리더는 없습니다.",
        "propose_open": "결정 제안하기",
        "propose": "제안",
        "no_decisions": "아직 결정이 없습니다.",
        "open": "이의 접수 중",
        "object": "이의 제기",
        "until": "이의 제기 마감",
        "passed": "동의로 통과",
        "consent": "동의 결정",
    },
    "en": {
        "apply_open": "Volunteer for this lab",
        "apply": "Volunteer",
        "saved": "Saved.",
        "no_members": "No members yet.",
        "to_confirm": "Volunteers to confirm",
        "confirm": "Confirm",
        "start": "Start the lab",
        "forming": "Forming",
        "running": "Running",
        "members": "Members",
        "no_leader": "There is no leader.",
        "propose_open": "Propose a decision",
        "propose": "Propose",
        "no_decisions": "No decisions yet.",
        "open": "Open for objections",
        "object": "Object",
        "until": "objections until",
        "passed": "Passed by consent",
        "consent": "Decisions by consent",
    },
}
DECISION = "주 1회 민원실 현장 방문"


def login(page, username: str) -> None:  # type: ignore[no-untyped-def]
    # Each person has chosen the walk's language in their settings; log-in applies it.
    User.objects.filter(username=username).update(language=page.lang)
    page.goto(page.base + "/people/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    # the log-in page's own address also ends in "/": wait until the browser has left it, or a
    # goto() right after may cancel the log-in (a walk then went on signed out, now and then)
    page.wait_for_url(lambda url: "/people/login/" not in url, wait_until="networkidle")


def forming_lab(cast) -> Lab:  # type: ignore[no-untyped-def]
    """A lab made by the innovation team from a proposal selected as a lab task, still without members."""
    p = cast.proposal()
    set_phase(cast.call, PhaseKind.SELECTION)
    cast.call.refresh_from_db()
    review.select_proposal(actor=cast.doyun, proposal=p, reason="랩 과제")
    p.refresh_from_db()
    today = timezone.localdate()
    return services.create_lab(
        actor=cast.doyun,
        proposal=p,
        slug="paperless",
        title="서류 없는 민원 랩",
        home=cast.province,
        starts_on=today,
        ends_on=today + timedelta(days=120),
        mission="민원 서류를 없앤다",
    )


def visit(page, lab: Lab) -> str:  # type: ignore[no-untyped-def]
    """What the person reads on the lab's page now."""
    page.goto(page.base + f"/labs/{lab.slug}/")
    return page.locator("main").inner_text()


def card(page, heading_id: str) -> str:  # type: ignore[no-untyped-def]
    return page.locator(f"section[aria-labelledby={heading_id}]").inner_text()


def submit(page, button) -> None:  # type: ignore[no-untyped-def]
    """Press a form's button and wait for the page it leads back to."""
    with page.expect_navigation():
        button.click()
    page.get_by_text(TEXT[page.lang]["saved"], exact=True).wait_for()


def opened(page, summary: str):  # type: ignore[no-untyped-def]
    """Open the <details> with this summary and return it."""
    box = page.locator("details").filter(has=page.get_by_text(summary, exact=True))
    box.locator("summary").click()
    return box


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_it_takes_volunteers_into_a_lab_that_decides_by_consent(cast, open_page, lang):
    t = TEXT[lang]
    lab = forming_lab(cast)

    # Two officials volunteer on the lab's page.
    volunteers = {}
    for username, why in (("minji", "민원 현장 경험을 살리고 싶습니다"), ("jihoon", "교통과 서류도 줄이고 싶습니다")):
        page = open_page(lang)
        login(page, username)
        seen = visit(page, lab)
        assert lab.title in seen and t["forming"] in seen and t["no_members"] in seen
        assert t["to_confirm"] not in seen and t["start"] not in seen  # only the innovation team confirms and starts
        form = opened(page, t["apply_open"])
        form.locator("textarea[name=motivation]").fill(why)
        submit(page, form.get_by_role("button", name=t["apply"], exact=True))
        assert page.get_by_text(t["apply_open"], exact=True).count() == 0  # no second application
        volunteers[username] = page
    assert lab.memberships.filter(state="applied").count() == 2

    # The innovation team sees both applications, confirms them and starts the lab.
    team = open_page(lang)
    login(team, "doyun")
    visit(team, lab)
    applicants = card(team, "h-members")
    assert t["to_confirm"] in applicants
    assert "김민지" in applicants and "민원 현장 경험을 살리고 싶습니다" in applicants
    assert "박지훈" in applicants and "교통과 서류도 줄이고 싶습니다" in applicants
    for name in ("김민지", "박지훈"):
        submit(team, team.locator("li", has_text=name).get_by_role("button", name=t["confirm"], exact=True))
    assert t["to_confirm"] not in card(team, "h-members")
    submit(team, team.get_by_role("button", name=t["start"], exact=True))
    lab.refresh_from_db()
    assert lab.state == LabState.RUNNING
    assert team.locator("main span.tag.ok").first.inner_text() == t["running"]
    assert team.get_by_role("button", name=t["start"], exact=True).count() == 0

    # A member proposes a decision.
    minji = volunteers["minji"]
    visit(minji, lab)
    members = card(minji, "h-members")
    assert "김민지" in members and "박지훈" in members and t["no_leader"] in members
    assert t["no_decisions"] in card(minji, "h-dec")
    form = opened(minji, t["propose_open"])
    form.locator("input[name=title]").fill(DECISION)
    form.locator("textarea[name=body]").fill("매주 목요일 오후 민원실에서 시민 인터뷰")
    form.locator("input[name=consent_days]").fill("1")
    submit(minji, form.get_by_role("button", name=t["propose"], exact=True))
    decision = LabDecision.objects.get(lab=lab)
    assert decision.title == DECISION and decision.state == DecisionState.OPEN
    seen = card(minji, "h-dec")
    assert DECISION in seen and t["open"] in seen and t["until"] in seen

    # The other member sees it open and could object, but does not.
    jihoon = volunteers["jihoon"]
    visit(jihoon, lab)
    seen = card(jihoon, "h-dec")
    assert t["consent"] in seen and DECISION in seen and "김민지" in seen and t["open"] in seen
    assert jihoon.locator("section[aria-labelledby=h-dec] details summary", has_text=t["object"]).count() == 1

    # A colleague outside the lab can read the decision but neither object nor propose.
    outsider = open_page(lang)
    login(outsider, "seojun")
    visit(outsider, lab)
    assert DECISION in card(outsider, "h-dec")
    assert outsider.get_by_text(t["object"], exact=True).count() == 0
    assert outsider.get_by_text(t["propose_open"], exact=True).count() == 0

    # The consent window closes with no objection: the worker's upkeep passes the decision on
    # time (reading the page writes nothing), and everyone sees it passed.
    LabDecision.objects.filter(pk=decision.pk).update(consent_until=timezone.now() - timedelta(minutes=1))
    visit(jihoon, lab)
    assert Entry.objects.filter(kind="lab.decision_passed").count() == 0
    assert services.settle_due_decisions() == 1
    visit(jihoon, lab)
    seen = card(jihoon, "h-dec")
    assert t["passed"] in seen and t["open"] not in seen
    assert jihoon.locator("section[aria-labelledby=h-dec] details summary", has_text=t["object"]).count() == 0
    decision.refresh_from_db()
    assert decision.state == DecisionState.PASSED and decision.objections.count() == 0
    assert Entry.objects.filter(kind="lab.decision_passed").count() == 1
    visit(minji, lab)
    assert t["passed"] in card(minji, "h-dec")
