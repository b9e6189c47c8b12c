"""A proposal's comments a page at a time (selectors.comment_window).

Found while measuring issue 18: the page of a popular proposal rendered every comment. One
generated at 1 % of national scale had 6,967, and its page was 9.8 MB and took 2.7 s; the API
answered all of them in one list too.
"""

from datetime import timedelta

from django.db import connection
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from madang.calls import selectors, services
from madang.calls.models import Comment, Proposal

PER = selectors.COMMENTS_PER_PAGE
SHOWN = selectors.REPLIES_SHOWN


def _comments(proposal, author, n, *, parent=None, start=0):
    """n comments in order, one second apart (bulk: the pages, not the service, are under test)."""
    t0 = timezone.now() - timedelta(days=1)
    rows = [
        Comment(
            proposal=proposal,
            author=author,
            parent=parent,
            body=f"{'답글' if parent else '의견'} {start + i:03d}",
            created_at=t0 + timedelta(seconds=start + i),
        )
        for i in range(n)
    ]
    made = Comment.objects.bulk_create(rows)
    # (and counted, as services.add_comment counts each in the transaction that writes it)
    Proposal.objects.filter(pk=proposal.pk).update(comment_count=F("comment_count") + n)
    proposal.comment_count += n
    return made


def _signed_in(user):
    c = Client()
    c.force_login(user)
    return c


def test_the_proposal_page_shows_its_comments_a_page_at_a_time(cast):
    p = cast.proposal()
    _comments(p, cast.seojun, 2 * PER + 5)
    c = _signed_in(cast.jihoon)
    first = c.get(f"/calls/p/{p.pk}/").content.decode()
    assert "의견 000" in first and f"의견 {PER - 1:03d}" in first
    assert f"의견 {PER:03d}" not in first
    assert "?comments=2#comments" in first
    last = c.get(f"/calls/p/{p.pk}/?comments=3").content.decode()
    assert f"의견 {2 * PER:03d}" in last and f"의견 {2 * PER + 4:03d}" in last
    assert "의견 000" not in last
    assert "?comments=2#comments" in last and "?comments=4" not in last
    assert c.get(f"/calls/p/{p.pk}/?comments=4").status_code == 404
    assert c.get(f"/calls/p/{p.pk}/?comments=abc").status_code == 400


def test_a_page_asks_the_same_questions_however_many_comments(cast):
    few, many = cast.proposal(), cast.proposal(title="다른 제안")
    _comments(few, cast.jihoon, 1, parent=_comments(few, cast.seojun, 3)[0])
    for top in _comments(many, cast.seojun, PER + 10):
        _comments(many, cast.jihoon, 2, parent=top)
    c = _signed_in(cast.yuna)
    counts = []
    for p in (few, many, few, many):
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(f"/calls/p/{p.pk}/").status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[2] == counts[3], counts


def test_a_proposal_without_comments_or_replies_does_not_ask_for_them(cast):
    """Most proposals of a call have no comment, or no reply: their page does not ask (the
    proposal's `comment_count`, which counts replies too, tells)."""
    quiet, flat = cast.proposal(), cast.proposal(title="다른 제안")
    _comments(flat, cast.seojun, 3)
    c = _signed_in(cast.yuna)
    c.get(f"/calls/p/{quiet.pk}/")  # (what this process keeps of the call is read once)
    asked = {}
    for name, p in (("quiet", quiet), ("flat", flat)):
        with CaptureQueriesContext(connection) as ctx:
            page = c.get(f"/calls/p/{p.pk}/").content.decode()
        asked[name] = [q["sql"] for q in ctx.captured_queries if 'FROM "calls_comment"' in q["sql"]]
        # (each comment says whether the filter ever screened it; these never were)
        assert not [q for q in ctx.captured_queries if q["sql"].startswith('SELECT "privacy_screening"')]
        assert ("의견 000" in page) is (name == "flat")
    assert asked["quiet"] == []
    assert len(asked["flat"]) == 1 and '"parent_id" IS NULL' in asked["flat"][0]
    assert c.get(f"/calls/p/{quiet.pk}/?comments=2").status_code == 404


def test_a_long_thread_shows_its_first_replies_and_links_to_the_rest(cast):
    p = cast.proposal()
    (top,) = _comments(p, cast.seojun, 1)
    _comments(p, cast.jihoon, SHOWN + 60, parent=top)
    c = _signed_in(cast.yuna)
    page = c.get(f"/calls/p/{p.pk}/").content.decode()
    assert f"답글 {SHOWN - 1:03d}" in page and f"답글 {SHOWN:03d}" not in page
    thread_url = f"/calls/p/{p.pk}/comments/{top.pk}/"
    assert thread_url in page
    thread = c.get(thread_url).content.decode()
    assert "의견 000" in thread  # the comment itself heads its thread
    per = selectors.REPLIES_PER_PAGE
    assert f"답글 {per - 1:03d}" in thread and f"답글 {per:03d}" not in thread
    rest = c.get(thread_url + "?page=2").content.decode()
    assert f"답글 {per:03d}" in rest and f"답글 {SHOWN + 59:03d}" in rest
    # Only a top-level comment of this proposal has a thread page.
    reply = top.replies.first()
    assert c.get(f"/calls/p/{p.pk}/comments/{reply.pk}/").status_code == 404
    other = cast.proposal(title="다른 제안")
    assert c.get(f"/calls/p/{other.pk}/comments/{top.pk}/").status_code == 404


def test_after_posting_one_lands_on_the_page_that_shows_the_comment(cast):
    p = cast.proposal()
    tops = _comments(p, cast.seojun, 2 * PER + 1)
    c = _signed_in(cast.jihoon)
    r = c.post(f"/calls/p/{p.pk}/comment/", {"body": "새 의견입니다"})
    new = Comment.objects.get(body="새 의견입니다")
    assert r.status_code == 302
    assert r["Location"] == f"/calls/p/{p.pk}/?comments=3#comment-{new.pk}"
    assert "새 의견입니다" in c.get(r["Location"]).content.decode()
    # A reply to a comment on the first page: that page, at the reply.
    r = c.post(f"/calls/p/{p.pk}/comment/", {"body": "첫 답글", "parent": tops[0].pk})
    reply = Comment.objects.get(body="첫 답글")
    assert r["Location"] == f"/calls/p/{p.pk}/#comment-{reply.pk}"
    # A reply beyond the replies the proposal's page shows: the thread's page.
    _comments(p, cast.seojun, SHOWN, parent=tops[0], start=100)
    r = c.post(f"/calls/p/{p.pk}/comment/", {"body": "늦은 답글", "parent": tops[0].pk})
    late = Comment.objects.get(body="늦은 답글")
    assert r["Location"] == f"/calls/p/{p.pk}/comments/{tops[0].pk}/#comment-{late.pk}"
    assert "늦은 답글" in c.get(r["Location"]).content.decode()


def test_the_api_pages_comments_and_threads(cast):
    p = cast.proposal()
    tops = _comments(p, cast.seojun, PER + 2)
    _comments(p, cast.jihoon, SHOWN + 1, parent=tops[0])
    api = Client()
    first = api.get(f"/api/proposals/{p.pk}/comments").json()
    assert [c["body"] for c in first] == [f"의견 {i:03d}" for i in range(PER)]
    assert first[0]["more_replies"] is True and len(first[0]["replies"]) == SHOWN
    assert first[1]["more_replies"] is False and first[1]["replies"] == []
    second = api.get(f"/api/proposals/{p.pk}/comments?page=2").json()
    assert [c["body"] for c in second] == [f"의견 {PER:03d}", f"의견 {PER + 1:03d}"]
    assert api.get(f"/api/proposals/{p.pk}/comments?page=3").status_code == 404
    assert api.get(f"/api/proposals/{p.pk}/comments?page=0").status_code in (400, 422)
    replies = api.get(f"/api/proposals/{p.pk}/comments/{tops[0].pk}/replies").json()
    assert [r["body"] for r in replies] == [f"답글 {i:03d}" for i in range(SHOWN + 1)]
    assert api.get(f"/api/proposals/{p.pk}/comments/{tops[1].pk}/replies").json() == []
    reply_id = replies[0]["id"]
    assert api.get(f"/api/proposals/{p.pk}/comments/{reply_id}/replies").status_code == 404


def test_flagged_text_is_masked_on_every_page_and_thread(cast, settings):
    p = cast.proposal()
    tops = _comments(p, cast.seojun, PER + 1)
    flagged = services.add_comment(
        actor=cast.seojun, proposal=p, body="연락처 010-1234-5678 입니다", personal_data_ok=True
    )
    reply = services.add_comment(
        actor=cast.seojun, proposal=p, body="답글 연락처 010-2345-6789", parent=tops[0], personal_data_ok=True
    )
    c = _signed_in(cast.jihoon)
    page2 = c.get(f"/calls/p/{p.pk}/?comments=2").content.decode()
    assert f"comment-{flagged.pk}" in page2 and "010-1234-5678" not in page2
    page1 = c.get(f"/calls/p/{p.pk}/").content.decode()
    assert f"comment-{reply.pk}" in page1 and "010-2345-6789" not in page1
    thread = c.get(f"/calls/p/{p.pk}/comments/{tops[0].pk}/").content.decode()
    assert f"comment-{reply.pk}" in thread and "010-2345-6789" not in thread
    # Its author reads it as written.
    own = _signed_in(cast.seojun).get(f"/calls/p/{p.pk}/?comments=2").content.decode()
    assert "010-1234-5678" in own


def test_each_comments_reply_and_report_forms_post_to_the_proposal(cast):
    p = cast.proposal()
    (top,) = _comments(p, cast.seojun, 1)
    c = _signed_in(cast.jihoon)
    html = c.get(f"/calls/p/{p.pk}/").content.decode()
    reply = html.split(f'name="parent" value="{top.pk}"')[0].rsplit("<form ", 1)[1]
    report = html.split(f'name="comment" value="{top.pk}"')[0].rsplit("<form ", 1)[1]
    assert f'action="/calls/p/{p.pk}/comment/"' in reply and f'action="/calls/p/{p.pk}/report/"' in report
    c.post(f"/calls/p/{p.pk}/comment/", {"body": "동의합니다", "parent": top.pk})
    assert Comment.objects.filter(parent=top, body="동의합니다").exists()
