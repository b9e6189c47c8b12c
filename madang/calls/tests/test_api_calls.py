"""Reading calls and searching their proposals over JSON, as anyone may on the pages."""

from django.test import Client

from madang.calls import services as calls
from madang.calls.models import Call, PhaseKind
from madang.testing import phases_around, set_phase

ROLES = ["anonymous", "minji", "seojun", "garam", "bada", "yuna", "doyun", "sohee", "admin"]


def client(cast, who: str, lang: str = "ko") -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE=lang)
    if who != "anonymous":
        c.force_login(getattr(cast, who))
    return c


def unpublished_call(cast) -> Call:
    from django.utils import timezone

    call = calls.create_call(
        actor=cast.doyun,
        slug="hanbit-draft",
        title="준비 중인 공모",
        organisation=cast.province,
        phases=phases_around(timezone.now()),
    )
    call.is_published = False
    call.save()
    return call


def test_it_lists_published_calls_to_everyone_and_drafts_to_the_team(cast):
    hidden = unpublished_call(cast)
    got = {who: sorted(c["slug"] for c in client(cast, who).get("/api/calls").json()) for who in ROLES}
    team = sorted([cast.call.slug, hidden.slug])
    assert got == {who: team if who in {"doyun", "admin"} else [cast.call.slug] for who in ROLES}
    assert client(cast, "anonymous").get(f"/api/calls/{hidden.slug}").status_code == 404


def test_it_describes_a_call_with_phases_categories_and_criteria(cast):
    r = client(cast, "minji").get(f"/api/calls/{cast.call.slug}")
    assert r.status_code == 200
    body = r.json()
    assert body["title"] == "2026 한빛도 적극행정 아이디어 공모"
    assert body["organisation"] == "한빛도"
    assert body["current_phase"] == "submission"
    assert [p["kind"] for p in body["phases"]] == ["submission", "review", "selection", "follow_through"]
    assert [c["name"] for c in body["categories"]] == ["민원", "교통", "복지"]
    assert [(c["name"], c["weight"], c["max_score"]) for c in body["criteria"]] == [
        ("실현 가능성", 2.0, 5),
        ("효과", 2.0, 5),
        ("창의성", 1.0, 5),
    ]
    assert body["required_fields"] == ["problem", "solution"]
    assert body["can_submit"] is True
    assert client(cast, "garam").get(f"/api/calls/{cast.call.slug}").json()["can_submit"] is False
    set_phase(cast.call, PhaseKind.REVIEW)
    assert client(cast, "minji").get(f"/api/calls/{cast.call.slug}").json()["current_phase"] == "review"


def test_it_finds_proposals_by_korean_words(cast):
    cast.proposal(
        title="버스 정류장 온열 의자",
        problem="겨울철 버스를 기다리는 시민이 춥습니다.",
        solution="정류장에 온열 의자를 놓습니다.",
    )
    cast.proposal(
        author=cast.seojun,
        title="민원실 번호표 알림",
        problem="민원인이 오래 기다립니다.",
        solution="문자로 순서를 알립니다.",
    )
    anonymous = client(cast, "anonymous")
    found = anonymous.get(f"/api/calls/{cast.call.slug}/proposals", {"q": "정류장"}).json()
    assert [p["title"] for p in found["items"]] == ["버스 정류장 온열 의자"]
    assert found["count"] == 1
    # A particle glued to the word still finds it ("정류장에").
    assert anonymous.get(f"/api/calls/{cast.call.slug}/proposals", {"q": "정류장에"}).json()["count"] == 1
    assert anonymous.get(f"/api/calls/{cast.call.slug}/proposals", {"q": "도서관"}).json()["count"] == 0


def test_it_filters_orders_and_pages(cast):
    category = cast.call.categories.get(name="교통")
    first = cast.proposal(title="첫째 제안")
    second = cast.proposal(author=cast.seojun, title="둘째 제안")
    third = cast.proposal(author=cast.jihoon, title="셋째 제안")
    calls.update_proposal(
        actor=cast.jihoon,
        proposal=third,
        fields=calls.ProposalFields(
            title="셋째 제안", problem=third.problem, solution=third.solution, category=category
        ),
    )
    calls.support_proposal(actor=cast.garam, proposal=second)
    calls.fold_support_counts()  # (lists sort by the folded tally, which the worker keeps up)
    c = client(cast, "garam")
    url = f"/api/calls/{cast.call.slug}/proposals"
    assert [p["id"] for p in c.get(url).json()["items"]] == [third.pk, second.pk, first.pk]
    assert next(p["id"] for p in c.get(url, {"order": "support"}).json()["items"]) == second.pk
    assert [p["id"] for p in c.get(url, {"category": category.pk}).json()["items"]] == [third.pk]
    assert c.get(url, {"outcome": "selected"}).json() == {"items": [], "count": 0}
    page = c.get(url, {"page": 2, "page_size": 2}).json()
    assert page["count"] == 3
    assert [p["id"] for p in page["items"]] == [first.pk]
    assert c.get(url, {"page": 9999}).json()["items"] == []


def test_it_refuses_bad_paging_and_filters_with_a_clear_message(cast):
    c = client(cast, "anonymous", "en")
    url = f"/api/calls/{cast.call.slug}/proposals"
    for params, field in [
        ({"page": -1}, "page"),
        ({"page": 0}, "page"),
        ({"page": 10**40}, "page"),
        ({"page_size": 100000}, "page_size"),
        ({"page": "두"}, "page"),
        ({"order": "random"}, "order"),
        ({"outcome": "everything"}, "outcome"),
        ({"q": "가" * 201}, "q"),
        ({"category": 2**64}, "category"),
    ]:
        r = c.get(url, params)
        assert r.status_code == 422, (params, r.content)
        assert r.json()["field"] == field, params
        assert r.json()["message"].startswith(f"{field}: "), params
    r = c.get(url, {"page_size": 101})
    assert r.json()["message"] == "page_size: Ensure this value is less than or equal to 100."
    r = client(cast, "anonymous").get(url, {"page": 0})
    assert r.json()["message"] == "page: 값이 1 이상이어야 합니다."


def test_it_suggests_similar_proposals_for_a_draft(cast):
    existing = cast.proposal(
        title="버스 정류장 온열 의자", problem="겨울철 버스 정류장이 춥습니다.", solution="온열 의자"
    )
    cast.proposal(author=cast.seojun, title="민원실 번호표", problem="대기 시간이 깁니다.", solution="문자 알림")
    r = client(cast, "seojun").get(f"/api/calls/{cast.call.slug}/similar", {"text": "겨울철 버스 정류장 의자"})
    assert r.status_code == 200
    found = r.json()
    assert found[0]["id"] == existing.pk
    assert found[0]["score"] > 0
    assert found[0]["shared"]
    assert (
        client(cast, "seojun")
        .get(f"/api/calls/{cast.call.slug}/similar", {"text": "정류장", "exclude": existing.pk})
        .json()
        == []
    )
    assert client(cast, "seojun").get(f"/api/calls/{cast.call.slug}/similar", {"text": "가" * 5001}).status_code == 422


def test_it_lists_a_page_in_a_fixed_number_of_queries(cast, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = client(cast, "doyun")
    url = f"/api/calls/{cast.call.slug}/proposals"
    cast.proposal()
    with CaptureQueriesContext(connection) as few:
        c.get(url)
    for i in range(8):
        cast.proposal(author=[cast.seojun, cast.jihoon][i % 2], title=f"제안 {i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert c.get(url).json()["count"] == 9
