"""The whole walk of one idea, as the people involved would click through it."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from madang.calls import counters
from madang.calls.models import PhaseKind, Proposal
from madang.people.models import User
from madang.testing import PASSWORD, set_phase

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = {
    "ko": {
        "submit": "제출",
        "support": "공감",
        "assign": "배정",
        "review_submit": "심사 제출",
        "decide": "결정 기록",
        "answer": "답변 보내기",
        "post": "진행 상황 올리기",
        "routed": "교통과",
        "done": "완료",
        "accepted": "수용",
        "submitted": "제출 완료",
        "supports": "2 공감",
        "reviewed": "심사위원 1명 심사 완료",
    },
    "en": {
        "submit": "Submit",
        "support": "Support",
        "assign": "Assign",
        "review_submit": "Submit review",
        "decide": "Record decision",
        "answer": "Send answer",
        "post": "Post update",
        "routed": "교통과",
        "done": "Done",
        "accepted": "Accepted",
        "submitted": "Submitted",
        "supports": "2 supports",
        "reviewed": "Reviewed by 1 reviewer",
    },
}


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


def status(page, proposal: Proposal) -> str:  # type: ignore[no-untyped-def]
    """What the author reads on the proposal's status page now."""
    page.goto(page.base + f"/calls/p/{proposal.pk}/")
    return page.locator(".timeline").inner_text()


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_it_carries_an_idea_from_proposal_to_done(cast, open_page, lang):
    t = TEXT[lang]
    author = open_page(lang)
    login(author, "minji")
    author.goto(author.base + f"/calls/c/{cast.call.slug}/propose/")
    author.fill("#id_title", "민원 서류 한 번만 내기")
    author.fill("#id_problem", "같은 서류를 부서마다 다시 냅니다.")
    author.fill("#id_solution", "행정정보 공동이용으로 자동 조회합니다.")
    author.get_by_role("button", name=t["submit"], exact=True).click()
    author.wait_for_url(re.compile(r".*/calls/p/\d+/$"))
    proposal = Proposal.objects.get(title="민원 서류 한 번만 내기")
    assert proposal.status == "submitted"
    assert t["submitted"] in author.locator(".timeline").inner_text()

    for supported, colleague in enumerate(("seojun", "jihoon"), start=1):
        page = open_page(lang)
        login(page, colleague)
        page.goto(page.base + f"/calls/p/{proposal.pk}/")
        page.get_by_role("button", name=t["support"], exact=True).click()
        # Wait for this colleague's own count: the page opened with the earlier ones already
        # counted. (expect() polls from Playwright's side: no string eval, which the CSP forbids.)
        expect(page.locator("#support-count")).to_have_text(re.compile(rf"^\s*{supported}\s*$"))
    assert counters.live_count(proposal.pk) == 2
    status(author, proposal)
    assert t["supports"] in " ".join(author.locator("#support-count").locator("..").inner_text().split())

    set_phase(cast.call, PhaseKind.REVIEW)  # the submission window closes
    team = open_page(lang)
    login(team, "doyun")
    team.goto(team.base + f"/review/c/{cast.call.slug}/")
    team.get_by_label("최유나").check()
    team.fill("#id_per_proposal", "1")
    team.get_by_role("button", name=t["assign"], exact=True).click()
    team.wait_for_load_state()

    reviewer = open_page(lang)
    login(reviewer, "yuna")
    assignment = proposal.review_assignments.get()
    reviewer.goto(reviewer.base + f"/review/assignments/{assignment.pk}/")
    for criterion in cast.call.criteria.all():
        reviewer.fill(f"#id_c{criterion.pk}", "4")
    reviewer.locator("input[name=verdict][value=feasible]").check()
    reviewer.get_by_role("button", name=t["review_submit"]).click()
    reviewer.wait_for_url(re.compile(r".*/me/$"))
    assert assignment.__class__.objects.get(pk=assignment.pk).scorecard.total == 80.0
    seen = status(author, proposal)
    assert t["reviewed"] in seen and "최유나" not in seen  # that it was reviewed is public, by whom is not

    team.goto(team.base + f"/review/p/{proposal.pk}/decide/")
    team.locator("input[name=kind][value=route]").check()
    team.select_option("#id_department", str(cast.transport.pk))
    team.fill("#id_answer_due", (timezone.localdate() + timedelta(days=14)).isoformat())
    team.get_by_role("button", name=t["decide"]).click()
    team.wait_for_url(re.compile(r".*/calls/p/\d+/$"))
    assert t["routed"] in status(author, proposal)

    liaison = open_page(lang)
    login(liaison, "sohee")
    liaison.goto(liaison.base + "/me/")
    liaison.get_by_role("link", name="민원 서류 한 번만 내기").click()
    liaison.locator("input[name=kind][value=accept]").check()
    liaison.get_by_role("button", name=t["answer"]).click()
    liaison.wait_for_selector("#id_state")  # the execution form follows the answer
    assert t["accepted"] in status(author, proposal)
    liaison.select_option("#id_state", "done")
    liaison.fill("#id_note", "전 부서 적용 완료")
    liaison.get_by_role("button", name=t["post"]).click()
    liaison.get_by_text("전 부서 적용 완료").first.wait_for()

    author.goto(author.base + f"/calls/p/{proposal.pk}/")
    timeline = author.locator(".timeline").inner_text()
    assert t["routed"] in timeline
    assert t["accepted"] in timeline
    assert t["done"] in timeline and "100%" in timeline
    inbox = author.goto(author.base + "/inbox/")
    assert inbox is not None and inbox.status == 200
    assert author.locator("main li.card").count() >= 3
