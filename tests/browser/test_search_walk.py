"""Finding what colleagues said: searching a call's comments as one types, and an event's boards."""

import re

import pytest
from playwright.sync_api import expect

from madang.calls import services

from .test_idea_walk import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_colleague_finds_a_comment_as_they_type_and_lands_on_it(cast, open_page):
    proposal = cast.proposal(title="민원 서류 한 번만 내기")
    services.add_comment(actor=cast.seojun, proposal=proposal, body="주민센터에서 전입신고 서류를 세 번이나 냈습니다.")
    comment = services.add_comment(
        actor=cast.jihoon, proposal=proposal, body="주차 허가도 같은 창구에서 받으면 좋겠습니다."
    )
    page = open_page("ko")
    login(page, "yuna")
    page.goto(page.base + f"/calls/c/{cast.call.slug}/")
    page.select_option("#f-within", "comments")
    page.fill("#q", "주차허가")  # typed without the space the comment has
    hit = page.locator("#proposal-list li.card")
    expect(hit).to_have_count(1)  # htmx swapped the list in while typing: no button pressed
    expect(hit.locator("mark").first).to_have_text("주차")
    expect(page).to_have_url(re.compile(r"within=comments"))
    hit.get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/calls/p/{proposal.pk}/#comment-{comment.pk}$"))
    expect(page.locator(f"#comment-{comment.pk}")).to_contain_text("주차 허가도 같은 창구에서")
