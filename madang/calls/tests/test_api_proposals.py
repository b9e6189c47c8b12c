"""The proposal API: 김민지 drafts, edits, submits and withdraws her idea over JSON, and
everyone else is refused exactly as on the pages."""

from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from madang.calls import services as calls
from madang.calls.models import PhaseKind, Proposal, ProposalRevision
from madang.calls.services import MAX_RICH
from madang.ledger.models import Entry
from madang.testing import set_phase

ROLES = ["anonymous", "minji", "seojun", "garam", "bada", "yuna", "doyun", "sohee", "admin"]
DRAFT = {
    "title": "민원 서류 한 번만 내기",
    "problem": "같은 서류를 여러 번 냅니다.",
    "solution": "공동이용으로 한 번만 냅니다.",
}


def client(cast, who: str, lang: str = "ko") -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE=lang)
    if who != "anonymous":
        c.force_login(getattr(cast, who))
    return c


def in_korean(msgid: str) -> str:
    with translation.override("ko"):
        return gettext(msgid)


def create(c: Client, slug: str, **fields: object):
    return c.post(f"/api/calls/{slug}/proposals", {**DRAFT, **fields}, content_type="application/json")


# ---------------------------------------------------------------- happy paths


def test_it_lets_minji_draft_edit_submit_and_withdraw(cast):
    minji = client(cast, "minji")
    category = cast.call.categories.get(name="민원")

    r = create(minji, cast.call.slug, category_id=category.pk, suggested_department_id=cast.civil.pk)
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["status"] == "draft"
    assert body["number"] is None
    assert body["category"] == {"id": category.pk, "name": "민원"}
    assert body["suggested_department"]["name"] == "한빛도 민원과"
    assert body["can"]["edit"]
    assert body["can"]["submit"]
    assert not body["can"]["support"]
    pk = body["id"]

    r = minji.patch(f"/api/proposals/{pk}", {"title": "민원 서류 한 번에 끝내기"}, content_type="application/json")
    assert r.status_code == 200, r.content
    assert r.json()["title"] == "민원 서류 한 번에 끝내기"
    assert r.json()["problem"] == "같은 서류를 여러 번 냅니다."  # untouched fields stay
    assert ProposalRevision.objects.filter(proposal_id=pk).count() == 2

    r = minji.post(f"/api/proposals/{pk}/submit")
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "submitted"
    assert r.json()["number"] == 1
    assert r.json()["reference"] == f"{cast.call.slug}-1"

    r = minji.post(f"/api/proposals/{pk}/withdraw")
    assert r.status_code == 200
    assert r.json()["status"] == "withdrawn"
    assert Entry.objects.filter(kind="proposal.withdrawn", subject=f"proposal:{pk}").exists()


def test_it_clears_a_category_with_null_and_keeps_it_when_left_out(cast):
    minji = client(cast, "minji")
    category = cast.call.categories.first()
    pk = create(minji, cast.call.slug, category_id=category.pk).json()["id"]
    assert (
        minji.patch(f"/api/proposals/{pk}", {"solution": "새 해법"}, content_type="application/json").json()[
            "category"
        ]["id"]
        == category.pk
    )
    assert (
        minji.patch(f"/api/proposals/{pk}", {"category_id": None}, content_type="application/json").json()["category"]
        is None
    )


def test_it_sanitises_rich_text_like_the_form(cast):
    pk = create(client(cast, "minji"), cast.call.slug, problem="<p>문제</p><script>alert(1)</script>").json()["id"]
    assert Proposal.objects.get(pk=pk).problem == "<p>문제</p>"


def test_it_shows_a_public_proposal_to_anonymous_readers_without_private_bits(cast):
    p = cast.proposal()
    r = client(cast, "anonymous").get(f"/api/proposals/{p.pk}")
    assert r.status_code == 200
    body = r.json()
    assert body["authors"][0]["display_name"] == "김민지"
    assert body["supported"] is False
    assert not any(body["can"].values())


def test_it_hides_authors_until_selection_when_the_call_says_so(cast):
    cast.call.hide_authors = True
    cast.call.save()
    p = cast.proposal()
    seen = {
        who: client(cast, who).get(f"/api/proposals/{p.pk}").json()["authors"]
        for who in ["anonymous", "seojun", "minji", "doyun"]
    }
    assert seen["anonymous"] is None
    assert seen["seojun"] is None
    assert seen["minji"][0]["display_name"] == "김민지"
    assert seen["doyun"][0]["display_name"] == "김민지"
    listed = client(cast, "seojun").get(f"/api/calls/{cast.call.slug}/proposals").json()["items"]
    assert listed[0]["authors"] is None
    set_phase(cast.call, PhaseKind.SELECTION)
    assert client(cast, "seojun").get(f"/api/proposals/{p.pk}").json()["authors"][0]["display_name"] == "김민지"


# ---------------------------------------------------------------- who may


def test_it_takes_drafts_from_eligible_officials_only(cast):
    got = {who: create(client(cast, who), cast.call.slug).status_code for who in ROLES}
    assert got == {
        "anonymous": 401,
        "minji": 201,
        "seojun": 201,
        "garam": 403,
        "bada": 403,
        "yuna": 201,
        "doyun": 201,
        "sohee": 201,
        "admin": 201,
    }
    assert Proposal.objects.count() == 6


def test_it_takes_no_drafts_after_the_submission_phase(cast):
    set_phase(cast.call, PhaseKind.REVIEW)
    got = {who: create(client(cast, who), cast.call.slug).status_code for who in ROLES}
    assert got == {
        "anonymous": 401,
        "minji": 400,
        "seojun": 400,
        "garam": 403,
        "bada": 403,
        "yuna": 400,
        "doyun": 400,
        "sohee": 400,
        "admin": 400,
    }
    assert Proposal.objects.count() == 0


def test_it_lets_only_the_author_edit_a_submitted_proposal(cast):
    p = cast.proposal()
    got = {}
    for who in ROLES:
        r = client(cast, who).patch(
            f"/api/proposals/{p.pk}", {"title": f"{who}의 제목"}, content_type="application/json"
        )
        got[who] = r.status_code
    assert got == {
        "anonymous": 401,
        "minji": 200,
        "seojun": 403,
        "garam": 403,
        "bada": 403,
        "yuna": 403,
        "doyun": 403,
        "sohee": 403,
        "admin": 403,
    }
    p.refresh_from_db()
    assert p.title == "minji의 제목"


def test_it_shows_drafts_to_their_authors_only(cast):
    # Finding: the innovation team and admins could read other people's drafts by id.
    draft = cast.proposal(submit=False)
    got = {who: client(cast, who).get(f"/api/proposals/{draft.pk}").status_code for who in ROLES}
    assert got == {who: 200 if who == "minji" else 404 for who in ROLES}
    # Lists show a draft to its authors alone, as the call page does.
    listed = {
        who: [p["id"] for p in client(cast, who).get(f"/api/calls/{cast.call.slug}/proposals").json()["items"]]
        for who in ROLES
    }
    assert listed == {who: [draft.pk] if who == "minji" else [] for who in ROLES}


def test_it_lets_only_the_author_submit_and_withdraw(cast):
    for action in ("submit", "withdraw"):
        got = {}
        for who in ROLES:
            p = cast.proposal(submit=action == "withdraw")
            got[who] = client(cast, who).post(f"/api/proposals/{p.pk}/{action}").status_code
        # Someone else's draft is invisible (404), to the team too;
        # a submitted proposal is visible but not theirs (403).
        expected = {who: 403 if action == "withdraw" else 404 for who in ROLES}
        assert got == {**expected, "anonymous": 401, "minji": 200}, action


def test_it_refuses_to_withdraw_after_the_submission_phase(cast):
    p = cast.proposal()
    set_phase(cast.call, PhaseKind.REVIEW)
    r = client(cast, "minji", "en").post(f"/api/proposals/{p.pk}/withdraw")
    assert r.status_code == 400
    assert r.json() == {"code": "closed", "message": "This proposal can no longer be withdrawn.", "field": None}
    p.refresh_from_db()
    assert p.status == "submitted"


def test_it_hides_a_moderated_proposal_from_all_but_its_author_and_the_team(cast):
    p = cast.proposal()
    calls.hide_proposal(actor=cast.doyun, proposal=p, reason="개인정보 포함")
    got = {who: client(cast, who).get(f"/api/proposals/{p.pk}").status_code for who in ROLES}
    assert got == {who: 200 if who in {"minji", "doyun", "admin"} else 404 for who in ROLES}
    assert client(cast, "minji").get(f"/api/proposals/{p.pk}").json()["hidden_reason"] == "개인정보 포함"


def test_it_shows_an_internal_proposal_to_its_reviewer_but_not_the_public(cast):
    from madang.review import services as review

    p = cast.proposal()
    calls.set_internal(actor=cast.doyun, proposal=p, internal=True, reason="보안 검토 중")
    review.assign_reviewer(actor=cast.doyun, proposal=p, reviewer=cast.yuna)
    got = {who: client(cast, who).get(f"/api/proposals/{p.pk}").status_code for who in ROLES}
    assert got == {who: 200 if who in {"minji", "yuna", "doyun", "admin"} else 404 for who in ROLES}
    listed = {who: client(cast, who).get(f"/api/calls/{cast.call.slug}/proposals").json()["count"] for who in ROLES}
    assert listed == {who: 1 if who in {"minji", "yuna", "doyun", "admin"} else 0 for who in ROLES}


# ---------------------------------------------------------------- bad input


def test_it_refuses_an_overlong_title_in_korean_and_writes_nothing(cast):
    r = create(client(cast, "minji"), cast.call.slug, title="가" * 201)
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "invalid"
    assert body["field"] == "title"
    assert body["message"] == "title: 값이 최대 200자 이하여야 합니다 (현재 201자)."
    assert Proposal.objects.count() == 0


def test_it_refuses_an_overlong_title_in_english(cast):
    r = create(client(cast, "minji", "en"), cast.call.slug, title="a" * 201)
    assert r.status_code == 422
    assert r.json()["message"] == "title: Ensure this value has at most 200 characters (it has 201)."


def test_it_names_every_bad_field(cast):
    r = client(cast, "minji", "en").post(
        f"/api/calls/{cast.call.slug}/proposals",
        {"problem": 5, "solution": "x" * (MAX_RICH + 1), "category_id": "둘"},
        content_type="application/json",
    )
    assert r.status_code == 422
    errors = {e["field"]: e["message"] for e in r.json()["errors"]}
    assert errors == {
        "title": "This field is required.",
        "problem": "Enter a valid value.",
        "solution": f"Ensure this value has at most {MAX_RICH} characters (it has {MAX_RICH + 1}).",
        "category_id": "Enter a whole number.",
    }
    assert Proposal.objects.count() == 0


def test_it_answers_broken_json_with_400_in_korean(cast):
    r = client(cast, "minji").post(f"/api/calls/{cast.call.slug}/proposals", "{title:", content_type="application/json")
    assert r.status_code == 400
    assert r.json() == {"code": "invalid_json", "message": "올바른 JSON을 입력하세요.", "field": None}


def test_it_refuses_unknown_ids_with_404(cast):
    minji = client(cast, "minji", "en")
    assert minji.get("/api/proposals/999999").status_code == 404
    assert minji.get(f"/api/proposals/{2**63}").status_code == 422  # beyond any database id
    assert minji.get("/api/proposals/abc").status_code == 422
    assert minji.get("/api/proposals/-1").status_code == 422
    assert minji.post("/api/proposals/999999/submit").status_code == 404
    assert minji.get("/api/calls/no-such-call").status_code == 404
    r = create(minji, cast.call.slug, category_id=424242)
    assert r.status_code == 404
    assert r.json() == {
        "code": "not_found",
        "message": "The page or item was not found, or you may not see it.",
        "field": "category_id",
    }
    other_province_dept = cast.bada.department_id
    r = create(minji, cast.call.slug, suggested_department_id=other_province_dept)
    assert (r.status_code, r.json()["field"]) == (404, "suggested_department_id")
    assert Proposal.objects.count() == 0


def test_it_refuses_a_double_submission_and_keeps_the_number(cast):
    p = cast.proposal()
    r = client(cast, "minji", "en").post(f"/api/proposals/{p.pk}/submit")
    assert r.status_code == 400
    assert r.json()["code"] == "already_submitted"
    assert r.json()["message"] == "This proposal has already been submitted."
    p.refresh_from_db()
    assert p.number == 1


def test_it_refuses_a_late_edit_in_both_languages(cast):
    p = cast.proposal()
    set_phase(cast.call, PhaseKind.REVIEW)
    msgid = "The submission period is over: the proposal can no longer be edited."
    ko = client(cast, "minji").patch(f"/api/proposals/{p.pk}", {"title": "늦은 수정"}, content_type="application/json")
    en = client(cast, "minji", "en").patch(f"/api/proposals/{p.pk}", {"title": "late"}, content_type="application/json")
    assert (ko.status_code, en.status_code) == (400, 400)
    assert ko["Content-Language"] == "ko"
    assert ko.json()["message"] == in_korean(msgid)
    assert en["Content-Language"] == "en"
    assert en.json()["message"] == msgid
    p.refresh_from_db()
    assert p.title == "민원 서류 간소화"
    assert p.revisions.count() == 1


def test_it_refuses_submitting_without_the_required_fields(cast):
    minji = client(cast, "minji", "en")
    pk = create(minji, cast.call.slug, problem="", solution="").json()["id"]
    r = minji.post(f"/api/proposals/{pk}/submit")
    assert r.status_code == 400
    assert r.json()["code"] == "required"
    assert r.json()["field"] == "problem"
    assert Proposal.objects.get(pk=pk).status == "draft"


def test_it_never_answers_garbage_with_a_500(cast):
    p = cast.proposal()
    minji = client(cast, "minji", "en")
    minji.raise_request_exception = False
    writes = [
        ("post", f"/api/calls/{cast.call.slug}/proposals"),
        ("patch", f"/api/proposals/{p.pk}"),
        ("post", f"/api/proposals/{p.pk}/comments"),
        ("post", f"/api/proposals/{p.pk}/reports"),
        ("post", "/api/review/proposals/1/decision"),
        ("put", "/api/review/assignments/1/scorecard"),
        ("post", "/api/followup/routings/1/answer"),
        ("post", "/api/inbox/notifications/read"),
    ]
    bodies = [
        "[1, 2]",
        '"글"',
        "null",
        '{"title": {"$gt": 1}}',
        b"\xff\xfe\x00",
        "{" * 1000,
        '{"title": "' + "가" * 100_000 + '"}',
    ]
    for method, url in writes:
        for body in bodies:
            r = getattr(minji, method)(url, body, content_type="application/json")
            assert 400 <= r.status_code < 500, (method, url, body[:20], r.status_code)
            assert set(r.json()) >= {"code", "message", "field"}, (url, body[:20])
        r = getattr(minji, method)(url, "title=x", content_type="application/x-www-form-urlencoded")
        assert 400 <= r.status_code < 500, (method, url, "form", r.status_code)
    assert Proposal.objects.count() == 1
