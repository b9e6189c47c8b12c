"""Comments, replies and reports over JSON."""

from django.test import Client

from madang.calls import services as calls
from madang.calls.models import Comment, Report

ROLES = ["anonymous", "minji", "seojun", "garam", "bada", "yuna", "doyun", "sohee", "admin"]


def client(cast, who: str, lang: str = "ko") -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE=lang)
    if who != "anonymous":
        c.force_login(getattr(cast, who))
    return c


def post(c: Client, url: str, data: dict):
    return c.post(url, data, content_type="application/json")


def test_it_threads_replies_under_their_comment(cast):
    p = cast.proposal()
    seojun, minji = client(cast, "seojun"), client(cast, "minji")
    r = post(seojun, f"/api/proposals/{p.pk}/comments", {"body": "현장에서 꼭 필요합니다."})
    assert r.status_code == 201
    first = r.json()
    assert first["author"] == "이서준"
    assert first["by_proposal_author"] is False
    reply = post(minji, f"/api/proposals/{p.pk}/comments", {"body": "고맙습니다!", "parent_id": first["id"]}).json()
    assert reply["parent_id"] == first["id"]
    assert reply["by_proposal_author"] is True
    # A reply to a reply stays one level deep.
    deeper = post(seojun, f"/api/proposals/{p.pk}/comments", {"body": "네", "parent_id": reply["id"]}).json()
    assert deeper["parent_id"] == first["id"]
    thread = client(cast, "anonymous").get(f"/api/proposals/{p.pk}/comments").json()
    assert [c["body"] for c in thread] == ["현장에서 꼭 필요합니다."]
    assert [r["body"] for r in thread[0]["replies"]] == ["고맙습니다!", "네"]
    p.refresh_from_db()
    assert p.comment_count == 3


def test_it_takes_comments_from_logged_in_people(cast):
    p = cast.proposal()
    got = {
        who: post(client(cast, who), f"/api/proposals/{p.pk}/comments", {"body": "좋아요"}).status_code for who in ROLES
    }
    assert got == {**{who: 201 for who in ROLES}, "anonymous": 401}
    assert Comment.objects.filter(proposal=p).count() == len(ROLES) - 1


def test_it_closes_comments_on_a_withdrawn_proposal(cast):
    p = cast.proposal()
    calls.withdraw_proposal(actor=cast.minji, proposal=p)
    r = post(client(cast, "minji", "en"), f"/api/proposals/{p.pk}/comments", {"body": "다시 봐 주세요"})
    assert r.status_code == 400
    assert r.json()["message"] == "Comments are closed for this proposal."
    assert Comment.objects.count() == 0


def test_it_hides_a_moderated_comment_but_shows_its_author_why(cast):
    p = cast.proposal()
    c = calls.add_comment(actor=cast.bada, proposal=p, body="광고입니다")
    calls.hide_comment(actor=cast.doyun, comment=c, reason="광고")
    seen = {
        who: client(cast, who).get(f"/api/proposals/{p.pk}/comments").json()[0] for who in ["seojun", "bada", "doyun"]
    }
    assert (seen["seojun"]["body"], seen["seojun"]["hidden_reason"]) == (None, None)
    assert (seen["bada"]["body"], seen["bada"]["hidden_reason"]) == ("광고입니다", "광고")
    assert (seen["doyun"]["body"], seen["doyun"]["hidden_reason"]) == (None, "광고")
    assert all(s["hidden"] for s in seen.values())


def test_it_keeps_the_author_anonymous_in_comments_while_authors_are_hidden(cast):
    cast.call.hide_authors = True
    cast.call.save()
    p = cast.proposal()
    calls.add_comment(actor=cast.minji, proposal=p, body="제가 더 설명드리면")
    seen = client(cast, "seojun").get(f"/api/proposals/{p.pk}/comments").json()[0]
    assert seen["author"] is None
    assert seen["by_proposal_author"] is True


def test_it_refuses_bad_comments_and_writes_nothing(cast):
    p = cast.proposal()
    other = cast.proposal(author=cast.seojun, title="다른 제안")
    elsewhere = calls.add_comment(actor=cast.garam, proposal=other, body="다른 곳")
    c = client(cast, "garam", "en")
    url = f"/api/proposals/{p.pk}/comments"
    assert post(c, url, {"body": ""}).json()["field"] == "body"
    r = post(c, url, {"body": "   "})
    assert (r.status_code, r.json()["message"]) == (400, "The comment is empty.")
    r = post(c, url, {"body": "가" * 4001})
    assert (r.status_code, r.json()["message"]) == (
        422,
        "body: Ensure this value has at most 4000 characters (it has 4001).",
    )
    r = post(c, url, {"body": "답글", "parent_id": elsewhere.pk})
    assert (r.status_code, r.json()["field"]) == (404, "parent_id")
    r = post(c, url, {"body": ["목록"]})
    assert r.status_code == 422
    assert Comment.objects.filter(proposal=p).count() == 0


def test_it_takes_reports_of_proposals_and_comments(cast):
    p = cast.proposal()
    comment = calls.add_comment(actor=cast.bada, proposal=p, body="광고")
    got = {
        who: post(client(cast, who), f"/api/proposals/{p.pk}/reports", {"reason": "부적절"}).status_code
        for who in ROLES
    }
    assert got == {**{who: 201 for who in ROLES}, "anonymous": 401}
    r = post(client(cast, "garam"), f"/api/proposals/{p.pk}/reports", {"reason": "광고 댓글", "comment_id": comment.pk})
    assert r.status_code == 201
    assert Report.objects.get(pk=r.json()["id"]).comment_id == comment.pk


def test_it_refuses_bad_reports(cast):
    p = cast.proposal()
    c = client(cast, "garam")
    before = Report.objects.count()
    assert post(c, f"/api/proposals/{p.pk}/reports", {"reason": "가" * 301}).status_code == 422
    assert post(c, f"/api/proposals/{p.pk}/reports", {"reason": "이유", "comment_id": 99999}).status_code == 404
    assert post(c, f"/api/proposals/{p.pk}/reports", {}).json()["message"] == "reason: 필수 항목입니다."
    assert Report.objects.count() == before
