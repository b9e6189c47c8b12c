import pytest
from django.test import Client

from madang.calls import counters
from madang.calls.models import Comment, Support
from madang.core import ratelimit


def client(user, lang: str = "ko") -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE=lang)
    c.force_login(user)
    return c


def test_it_reads_the_limits_setting():
    assert ratelimit.parse("support=60/60, comment=12/60") == {"support": (60, 60), "comment": (12, 60)}
    assert ratelimit.parse("off") == {} == ratelimit.parse("")
    with pytest.raises(ValueError, match="scope=count/seconds"):
        ratelimit.parse("support=lots")


@pytest.fixture
def tight(settings):
    settings.MADANG_RATE_LIMITS = "support=2/60,comment=1/60"


def test_it_refuses_a_third_support_within_the_minute_and_writes_nothing(cast, tight):
    ps = [cast.proposal(title=f"제안 {i}") for i in range(3)]
    seojun = client(cast.seojun)
    assert [seojun.post(f"/api/proposals/{p.pk}/support").status_code for p in ps[:2]] == [200, 200]
    r = seojun.post(f"/api/proposals/{ps[2].pk}/support")
    assert r.status_code == 429
    assert r.json()["code"] == "rate_limited"
    assert "요청이 너무 많습니다" in r.json()["message"]
    assert 1 <= int(r["Retry-After"]) <= 60
    assert not Support.objects.filter(proposal=ps[2]).exists()
    assert counters.live_count(ps[2].pk) == 0
    # Someone else's budget is their own.
    assert client(cast.garam).post(f"/api/proposals/{ps[2].pk}/support").status_code == 200


def test_it_shares_one_budget_between_the_page_and_the_api(cast, tight):
    ps = [cast.proposal(title=f"제안 {i}") for i in range(3)]
    seojun = client(cast.seojun, "en")
    assert seojun.post(f"/calls/p/{ps[0].pk}/support/").status_code == 302
    assert seojun.post(f"/api/proposals/{ps[1].pk}/support").status_code == 200
    page = seojun.post(f"/calls/p/{ps[2].pk}/support/")
    assert page.status_code == 429
    assert "Too many requests in a short time" in page.content.decode()
    assert page["Retry-After"]


def test_it_opens_a_new_window_after_the_old_one_ends(cast, tight, monkeypatch):
    p, q = cast.proposal(title="하나"), cast.proposal(title="둘")
    seojun = client(cast.seojun)
    now = 60.0 * 16_666_667 + 20  # 20 s into a minute
    monkeypatch.setattr(ratelimit.time, "time", lambda: now)
    assert seojun.post(f"/api/proposals/{p.pk}/support").status_code == 200
    assert seojun.delete(f"/api/proposals/{p.pk}/support").status_code == 200
    r = seojun.post(f"/api/proposals/{q.pk}/support")
    assert (r.status_code, r["Retry-After"]) == (429, "40")
    now += 40
    assert seojun.post(f"/api/proposals/{q.pk}/support").status_code == 200


def test_it_limits_comments(cast, tight):
    p = cast.proposal()
    garam = client(cast.garam)
    assert (
        garam.post(f"/api/proposals/{p.pk}/comments", {"body": "좋아요"}, content_type="application/json").status_code
        == 201
    )
    r = garam.post(f"/api/proposals/{p.pk}/comments", {"body": "한 번 더"}, content_type="application/json")
    assert r.status_code == 429
    assert list(Comment.objects.filter(proposal=p).values_list("body", flat=True)) == ["좋아요"]


def test_it_can_be_switched_off(cast, settings):
    settings.MADANG_RATE_LIMITS = "off"
    ps = [cast.proposal(title=f"제안 {i}") for i in range(5)]
    seojun = client(cast.seojun)
    assert {seojun.post(f"/api/proposals/{p.pk}/support").status_code for p in ps} == {200}


def test_it_limits_suggested_statements_and_votes_in_the_opinion_map(cast, settings):
    from madang.insight import services as insight
    from madang.insight.models import Statement

    settings.MADANG_RATE_LIMITS = "statement=1/3600,vote=1/60"
    insight.add_statement(actor=cast.garam, call=cast.call, text="주말 민원 창구가 필요합니다")
    with pytest.raises(ratelimit.RateLimited):
        insight.add_statement(actor=cast.garam, call=cast.call, text="야간 민원 창구도 필요합니다")
    # The team's own statements are not limited.
    first = insight.add_statement(actor=cast.doyun, call=cast.call, text="온라인 예약을 늘립니다")
    second = insight.add_statement(actor=cast.doyun, call=cast.call, text="전화 예약을 줄입니다")
    insight.vote_statement(actor=cast.seojun, statement=first, value=1)
    with pytest.raises(ratelimit.RateLimited):
        insight.vote_statement(actor=cast.seojun, statement=second, value=1)
    assert Statement.objects.filter(call=cast.call).count() == 3
