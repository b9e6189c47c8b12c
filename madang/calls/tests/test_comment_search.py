"""Searching a call's comments: Korean matching, who may read what, highlighting, the page and the API."""

from django.test import Client
from django.utils import timezone

from madang.calls import selectors, services
from madang.calls.models import Comment
from madang.core import fulltext
from madang.solvers import korean
from madang.testing import phases_around


def bodies(qs) -> list[str]:
    return [c.body for c in qs]


def client(user=None) -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE="ko")
    if user is not None:
        c.force_login(user)
    return c


def url(cast) -> str:
    return f"/calls/c/{cast.call.slug}/"


def test_it_finds_comments_by_korean_words_whatever_their_spacing_and_particles(cast):
    p = cast.proposal()
    services.add_comment(actor=cast.seojun, proposal=p, body="주민센터에서 같은 서류를 또 냈습니다.")
    services.add_comment(actor=cast.jihoon, proposal=p, body="버스 정류장 안내도 바꿔 주세요.")
    assert bodies(selectors.search_comments(cast.jihoon, cast.call, query="주민 센터")) == [
        "주민센터에서 같은 서류를 또 냈습니다."
    ]
    assert bodies(selectors.search_comments(cast.jihoon, cast.call, query="버스정류장에서")) == [
        "버스 정류장 안내도 바꿔 주세요."
    ]
    assert bodies(selectors.search_comments(cast.jihoon, cast.call, query="지하철")) == []
    assert len(selectors.search_comments(cast.jihoon, cast.call)) == 2  # no words: every comment, newest first


def test_it_leaves_out_hidden_comments_and_comments_on_proposals_the_reader_may_not_see(cast):
    shown = cast.proposal(title="민원 서류 간소화")
    removed = cast.proposal(author=cast.jihoon, title="교통 안내 개선")
    services.add_comment(actor=cast.seojun, proposal=shown, body="서류 발급이 느립니다.")
    rude = services.add_comment(actor=cast.jihoon, proposal=shown, body="서류 담당자는 무능합니다.")
    services.add_comment(actor=cast.seojun, proposal=removed, body="서류 없이도 되게 해 주세요.")
    services.hide_comment(actor=cast.doyun, comment=rude, reason="인신공격")
    services.hide_proposal(actor=cast.doyun, proposal=removed, reason="중복")
    assert bodies(selectors.search_comments(cast.seojun, cast.call, query="서류")) == ["서류 발급이 느립니다."]
    assert bodies(selectors.search_comments(None, cast.call, query="서류")) == [
        "서류 발급이 느립니다."
    ]  # (anonymous reader)
    draft = cast.proposal(title="서류 초안", submit=False)
    assert not selectors.search_comments(cast.minji, cast.call).filter(proposal=draft).exists()


def test_it_ranks_the_best_matching_comment_first_when_asked(cast):
    p = cast.proposal()
    services.add_comment(
        actor=cast.seojun, proposal=p, body="전입신고 서류와 주차 허가 서류, 서류가 너무 많습니다. 서류 서류"
    )
    services.add_comment(
        actor=cast.jihoon, proposal=p, body="주차장이 부족한데 서류 이야기도 나옵니다 " + "그리고 다른 이야기 " * 20
    )
    best = selectors.search_comments(cast.seojun, cast.call, query="서류", order="relevance")
    assert bodies(best)[0].startswith("전입신고")
    assert bodies(selectors.search_comments(cast.seojun, cast.call, query="서류"))[0].startswith(
        "주차장"
    )  # newest first


def test_it_filters_comments_by_their_proposals_category_and_outcome(cast):
    category = cast.call.categories.first()
    assert category is not None
    tagged = cast.proposal(title="분류된 제안")
    tagged.category = category
    tagged.save(update_fields=["category"])
    other = cast.proposal(author=cast.jihoon, title="다른 제안")
    services.add_comment(actor=cast.seojun, proposal=tagged, body="좋은 의견입니다")
    services.add_comment(actor=cast.seojun, proposal=other, body="좋은 생각입니다")
    assert bodies(selectors.search_comments(cast.seojun, cast.call, query="좋은", category=category.pk)) == [
        "좋은 의견입니다"
    ]
    assert bodies(selectors.search_comments(cast.seojun, cast.call, query="좋은", outcome="selected")) == []


def test_the_call_page_searches_comments_and_marks_what_matched(cast):
    p = cast.proposal(title="민원 서류 간소화")
    c = services.add_comment(
        actor=cast.seojun, proposal=p, body="<b>서류</b>를 " + "한 번만 내면 좋겠습니다. " * 20 + "주차 허가도 함께요."
    )
    page = client(cast.jihoon).get(url(cast), {"q": "주차 허가", "within": "comments"}).content.decode()
    assert f'href="/calls/p/{p.pk}/#comment-{c.pk}"' in page
    assert "<mark>주차</mark> <mark>허가</mark>" in page
    escaped = client(cast.jihoon).get(url(cast), {"q": "서류", "within": "comments"}).content.decode()
    assert "&lt;b&gt;<mark>서류</mark>&lt;/b&gt;" in escaped  # the writer's text is escaped, never markup
    assert "…" in page  # a long comment shows the passage that matched
    part = client(cast.jihoon).get(
        url(cast), {"q": "주차", "within": "comments"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="proposal-list"
    )
    assert part.status_code == 200 and "<html" not in part.content.decode() and "#comment-" in part.content.decode()
    nothing = client(cast.jihoon).get(url(cast), {"q": "지하철", "within": "comments"}).content.decode()
    assert "검색에 맞는 댓글이 없습니다" in nothing


def test_the_pages_of_a_comment_search_keep_its_words_and_filters(cast):
    p = cast.proposal()
    for i in range(23):  # (written directly: one person's comments are rate limited)
        Comment.objects.create(
            proposal=p, author=cast.seojun, body=f"서류 의견 {i}", search_terms=korean.index_terms(f"서류 의견 {i}")
        )
    page = (
        client(cast.jihoon).get(url(cast), {"q": "서류", "within": "comments", "order": "relevance"}).content.decode()
    )
    assert "1 / 2" in page
    assert "q=%EC%84%9C%EB%A5%98&amp;within=comments&amp;order=relevance&amp;page=2" in page
    second = client(cast.jihoon).get(url(cast), {"q": "서류", "within": "comments", "order": "relevance", "page": 2})
    assert second.content.decode().count('class="card"') >= 3


def test_the_api_searches_comments_and_hides_the_proposals_author_while_authors_are_hidden(cast):
    blind = services.create_call(
        actor=cast.doyun,
        slug="blind-2026",
        title="익명 공모",
        organisation=cast.province,
        phases=phases_around(timezone.now()),
        hide_authors=True,
    )
    p = services.submit_proposal(
        actor=cast.minji,
        proposal=services.create_proposal(
            actor=cast.minji,
            call=blind,
            fields=services.ProposalFields(title="익명 제안", problem="문제", solution="해결"),
        ),
    )
    services.add_comment(actor=cast.seojun, proposal=p, body="주차 문제가 큽니다")
    services.add_comment(actor=cast.minji, proposal=p, body="주차 공간을 늘리겠습니다")
    rows = client(cast.jihoon).get("/api/calls/blind-2026/comments", {"q": "주차"}).json()
    assert rows["count"] == 2
    by_body = {r["body"]: r for r in rows["items"]}
    assert (
        by_body["주차 공간을 늘리겠습니다"]["author"] is None
        and by_body["주차 공간을 늘리겠습니다"]["by_proposal_author"] is True
    )
    assert by_body["주차 문제가 큽니다"]["author"] == "이서준"
    assert all(r["proposal_title"] == "익명 제안" for r in rows["items"])
    team = client(cast.doyun).get("/api/calls/blind-2026/comments", {"q": "주차"}).json()
    assert {r["author"] for r in team["items"]} == {"김민지", "이서준"}
    bad = client(cast.jihoon).get("/api/calls/blind-2026/comments", {"q": "주차", "order": "loudest"})
    assert bad.status_code == 422 and "order" in bad.content.decode()


def test_it_indexes_comments_written_before_the_index_existed(cast):
    p = cast.proposal()
    old = Comment.objects.create(proposal=p, author=cast.seojun, body="오래된 댓글의 주차 이야기")  # (no terms yet)
    assert bodies(selectors.search_comments(cast.seojun, cast.call, query="주차")) == []
    fulltext.fill_terms(Comment, "body", batch=1)
    old.refresh_from_db()
    assert "주차" in old.search_terms.split()
    assert bodies(selectors.search_comments(cast.seojun, cast.call, query="주차")) == ["오래된 댓글의 주차 이야기"]
