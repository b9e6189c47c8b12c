"""/api/suggestions/… for effects, awards, personnel credit, upward recommendation and the yearly
report: the same rules as the pages for every role (404 for those with no part in the suggestion,
403 for a step that is not theirs, 401 for nobody), the API's error shape, and the evidence hash."""

import base64
import hashlib
import json
from datetime import date

import pytest
from django.test import Client

from madang.ledger.models import Entry
from madang.suggestions import services
from madang.suggestions.models import Award, Effect, PersonnelCredit
from madang.suggestions.services import EffectFigures
from madang.suggestions.tests.conftest import file
from madang.suggestions.tests.test_awards import PDF, implemented
from madang.suggestions.tests.test_lifecycle import PERSONA, ROLES, adopted

pytestmark = pytest.mark.django_db

# Who may see an adopted suggestion of 한가람's (implemented by 교통과, panel 최유나 and 정하늘): the
# proposer, its implementing liaison (윤소희) and its panel (최유나) read it; the office acts.
READERS = {"proposer", "liaison", "reviewer", "team", "admin"}
OFFICE = {"team", "admin"}


def api(user=None):
    c = Client(HTTP_ACCEPT_LANGUAGE="ko")
    if user is not None:
        c.force_login(user)
    return c


def post(user, path, body):
    return api(user).post(f"/api/suggestions{path}", body, content_type="application/json")


def each_role(cast):
    for role in ROLES:
        yield role, getattr(cast, PERSONA[role])


@pytest.fixture
def adopted_one(cast, award_office):
    s = file(cast, award_office)
    adopted(cast, s)
    s.refresh_from_db()
    return s


EFFECT = {
    "measure": "projected",
    "budget_saved_krw": 5_000_000,
    "citizen_hours": 120,
    "evidence": "정류장 200곳 추정",
}


def test_it_records_an_effect_with_its_evidence_hash_for_the_office_only(cast, adopted_one):
    s = adopted_one
    for role, who in each_role(cast):
        if role in OFFICE:
            continue
        r = post(who, f"/{s.pk}/effects", EFFECT)
        assert r.status_code == (403 if role in READERS else 404), role
        assert set(r.json()) == {"code", "message", "field"}
    assert post(None, f"/{s.pk}/effects", EFFECT).status_code == 401
    assert not Effect.objects.exists()
    sent = {**EFFECT, "evidence_file": {"name": "추정 근거.pdf", "content_base64": base64.b64encode(PDF).decode()}}
    r = post(cast.doyun, f"/{s.pk}/effects", sent)
    assert r.status_code == 201
    out = r.json()
    assert out["evidence_sha256"] == hashlib.sha256(PDF).hexdigest() and out["evidence_name"] == "추정 근거.pdf"
    assert out["budget_saved_krw"] == 5_000_000 and out["current"] is True and out["corrects"] is None
    body = json.loads(bytes(Entry.objects.get(kind="suggestion.effect_recorded").body))
    assert body["evidence_sha256"] == out["evidence_sha256"]
    assert Effect.objects.get().evidence_file.read() == PDF


def test_it_answers_bad_effects_in_the_apis_error_shape(cast, adopted_one):
    s = adopted_one
    bad = {**EFFECT, "evidence_file": {"name": "근거.pdf", "content_base64": "not base64!"}}
    r = post(cast.doyun, f"/{s.pk}/effects", bad)
    assert r.status_code == 400 and r.json()["field"] == "evidence_file"
    assert r.json()["message"] == "근거 파일이 올바른 base64 형식이 아닙니다."
    disguised = {**EFFECT, "evidence_file": {"name": "근거.pdf", "content_base64": base64.b64encode(b"MZ").decode()}}
    assert post(cast.doyun, f"/{s.pk}/effects", disguised).status_code == 400
    r = post(cast.doyun, f"/{s.pk}/effects", {**EFFECT, "budget_saved_krw": -1})
    assert r.status_code == 422 and r.json()["field"] == "budget_saved_krw"
    r = post(cast.doyun, f"/{s.pk}/effects", {**EFFECT, "measure": "actual"})
    assert r.status_code == 400 and r.json()["code"] == "not_implemented"
    r = post(cast.doyun, f"/{s.pk}/effects", {**EFFECT, "unknown": 1})
    assert r.status_code == 422
    assert not Effect.objects.exists()


def test_it_lists_effects_with_their_corrections_to_whoever_reads_the_suggestion(cast, adopted_one):
    s = adopted_one
    first = post(cast.doyun, f"/{s.pk}/effects", EFFECT).json()
    correction = {
        "budget_saved_krw": 500_000,
        "citizen_hours": 120,
        "evidence": "20곳 추정",
        "reason": "정류장 수 오기",
    }
    r = post(cast.garam, f"/{s.pk}/effects/{first['id']}/correction", correction)
    assert r.status_code == 403
    r = post(cast.doyun, f"/{s.pk}/effects/{first['id']}/correction", correction)
    assert r.status_code == 201 and r.json()["corrects"] == first["id"]
    again = post(cast.doyun, f"/{s.pk}/effects/{first['id']}/correction", correction)
    assert again.status_code == 400 and again.json()["code"] == "superseded"
    assert post(cast.doyun, f"/{s.pk}/effects/999999/correction", correction).status_code == 404
    for role, who in each_role(cast):
        r = api(who).get(f"/api/suggestions/{s.pk}/effects")
        if role not in READERS:
            assert r.status_code == 404, role
            continue
        assert r.status_code == 200, role
        assert [(e["id"], e["current"]) for e in r.json()] == [(first["id"], False), (r.json()[1]["id"], True)]
        assert r.json()[1]["correction_reason"] == "정류장 수 오기"
    detail = api(cast.garam).get(f"/api/suggestions/{s.pk}").json()
    assert [e["budget_saved_krw"] for e in detail["effects"]] == [5_000_000, 500_000]


def test_it_awards_credits_and_recommends_through_the_api_for_the_office_only(cast, award_office):
    s = file(cast, award_office, cast.minji)
    adopted(cast, s)
    award = {"grade": "silver", "note": "이용자 체감 효과", "implementer_id": cast.sohee.pk, "implementer_note": "시행"}
    # 김민지 proposed this one: 한가람 ("proposer" in the persona map) has no part in it.
    for role, who in each_role(cast):
        if role in OFFICE:
            continue
        r = post(who, f"/{s.pk}/award", award)
        expected = (403, "forbidden") if role in ("liaison", "reviewer") else (404, "not_found")
        assert (r.status_code, r.json()["code"]) == expected, role
    assert post(cast.minji, f"/{s.pk}/award", award).status_code == 403
    r = post(cast.doyun, f"/{s.pk}/award", {**award, "implementer_id": cast.seojun.pk})
    assert r.status_code == 400 and r.json()["field"] == "implementer_id"
    r = post(cast.doyun, f"/{s.pk}/award", {**award, "grade": "platinum"})
    assert r.status_code == 400 and r.json()["code"] == "bad_grade"
    r = post(cast.doyun, f"/{s.pk}/award", award)
    assert r.status_code == 201
    out = r.json()
    assert (out["grade"], out["grade_label"], out["amount_krw"], out["implementer"]) == (
        "silver",
        "은상",
        2_000_000,
        "윤소희",
    )
    assert out["credits"] == []
    assert post(cast.doyun, f"/{s.pk}/award", award).json()["code"] == "duplicate"
    credit = {"person_id": cast.minji.pk, "kind": "merit_points", "points": "0.5", "note": "실적 가점"}
    assert post(cast.minji, f"/{s.pk}/award/credits", credit).status_code == 403
    r = post(cast.doyun, f"/{s.pk}/award/credits", {**credit, "person_id": cast.seojun.pk})
    assert r.status_code == 400 and r.json()["field"] == "person_id"
    r = post(cast.doyun, f"/{s.pk}/award/credits", credit)
    assert r.status_code == 201 and r.json()["credits"][0]["points"] == "0.50"
    assert r.json()["credits"][0]["person"] == "김민지"
    assert PersonnelCredit.objects.get().points == 0.5
    assert post(cast.sohee, f"/{s.pk}/award/recommendation", {"note": "추천"}).status_code == 403
    r = post(cast.doyun, f"/{s.pk}/award/recommendation", {"note": "효과 분석 첨부"})
    assert r.status_code == 201 and r.json()["recommended_on"] and r.json()["recommendation_note"] == "효과 분석 첨부"
    assert post(cast.doyun, f"/{s.pk}/award/recommendation", {"note": "다시"}).json()["code"] == "duplicate"
    # The proposer reads the award on the suggestion, without the office's credits and package.
    mine = api(cast.minji).get(f"/api/suggestions/{s.pk}").json()["award"]
    assert mine["grade"] == "silver" and mine["credits"] is None and mine["recommendation_note"] is None


def test_it_refuses_an_award_with_the_clear_message_under_packs_without_grades(cast, office):
    s = file(cast, office)
    adopted(cast, s)
    r = post(cast.doyun, f"/{s.pk}/award", {"grade": "gold", "note": "우수"})
    assert r.status_code == 400 and r.json()["code"] == "no_grades" and r.json()["field"] == "grade"
    assert "시상 등급이 없습니다" in r.json()["message"] and "세종특별자치시 제안제도" in r.json()["message"]
    r = post(cast.doyun, f"/{s.pk}/award/credits", {"person_id": cast.garam.pk, "kind": "special_step", "note": "x"})
    assert r.status_code == 400 and r.json()["code"] == "not_awarded"
    assert not Award.objects.exists()


def test_it_lists_the_offices_awards_to_the_office_only(cast, award_office):
    s = file(cast, award_office)
    adopted(cast, s)
    services.award(actor=cast.doyun, suggestion=s, grade="gold", note="우수", today=date(2025, 5, 2))
    r = api(cast.doyun).get("/api/suggestions/awards")
    assert r.status_code == 200 and [a["number"] for a in r.json()] == [s.receipt_number]
    assert api(cast.doyun).get("/api/suggestions/awards?year=2025").json()[0]["grade"] == "gold"
    assert api(cast.doyun).get("/api/suggestions/awards?year=2024").json() == []
    assert api(cast.doyun).get(f"/api/suggestions/awards?office_id={award_office.pk}").status_code == 200
    assert api(cast.doyun).get("/api/suggestions/awards?year=1800").status_code == 422
    for role, who in each_role(cast):
        if role in OFFICE:
            continue
        assert api(who).get("/api/suggestions/awards").json() == [], role
        assert api(who).get(f"/api/suggestions/awards?office_id={award_office.pk}").status_code == 404, role
    assert api().get("/api/suggestions/awards").status_code == 401


def test_it_serves_the_yearly_report_as_json_to_the_office_only(cast, award_office):
    s = file(cast, award_office)
    adopted(cast, s, implement_by=date(2025, 6, 30))
    implemented(cast, s)
    services.award(actor=cast.doyun, suggestion=s, grade="gold", note="우수", today=date(2025, 7, 1))
    services.record_effect(
        actor=cast.doyun,
        suggestion=s,
        measure="actual",
        figures=EffectFigures(budget_saved_krw=1_000_000, citizen_hours=40),
        evidence="실적",
        today=date(2025, 7, 2),
    )
    returned = file(cast, award_office, title="불만")
    services.decide(
        actor=cast.doyun,
        suggestion=returned,
        outcome="return",
        ground="mere_complaint",
        explanation="단순 불만",
        panel=[cast.yuna],
        today=date(2025, 3, 12),
    )
    url = f"/api/suggestions/report/{cast.province.code}/2025"
    r = api(cast.doyun).get(url)
    assert r.status_code == 200
    out = r.json()
    assert out["organisation_code"] == cast.province.code and out["year"] == 2025
    t = out["total"]
    assert (t["received"], t["returned"], t["adopted"], t["implemented"], t["implemented_on_time"]) == (2, 1, 1, 1, 1)
    assert t["awarded_by_grade"] == {"gold": 1} and t["award_amount_krw"] == 3_000_000 and t["label"] == "합계"
    assert t["actual"]["budget_saved_krw"] == 1_000_000 and t["returned_by_ground"] == {"mere_complaint": 1}
    assert out["grades"] == [{"code": "gold", "label": "금상"}]
    assert out["grounds"][0]["code"] == "mere_complaint" and out["grounds"][0]["label"]
    standing = next(x for x in out["types"] if x["type"] == "standing")
    assert standing["received"] == 2
    for role, who in each_role(cast):
        if role not in OFFICE:
            assert api(who).get(url).status_code == 404, role
    assert api(cast.doyun).get(f"/api/suggestions/report/{cast.province.code}/1800").status_code == 404
    assert api(cast.doyun).get("/api/suggestions/report/nowhere/2025").status_code == 404


def test_the_literal_paths_are_not_taken_for_a_suggestion_id(cast, office):
    """Routes like /suggestions/awards sit beside /suggestions/{suggestion_id}: a POST to
    /suggestions/receipts answered 405 when the id route came first."""
    c = api(cast.doyun)
    assert c.get("/api/suggestions/awards").status_code == 200
    assert c.get("/api/suggestions/packs").status_code == 200
    r = c.post("/api/suggestions/offices", {"organisation_id": 999999}, content_type="application/json")
    assert r.status_code == 404 and r.json()["field"] == "organisation_id"
    r = c.post(
        "/api/suggestions/refilings",
        {"proposal_id": 999999, "title": "x", "problem": "x", "solution": "x"},
        content_type="application/json",
    )
    assert r.status_code == 404


def test_the_openapi_document_still_validates_and_lists_the_new_routes():
    import openapi_spec_validator

    schema = Client().get("/api/openapi.json").json()
    openapi_spec_validator.validate(schema)
    assert {
        "/api/suggestions/packs",
        "/api/suggestions/offices",
        "/api/suggestions/awards",
        "/api/suggestions/report/{org}/{year}",
        "/api/suggestions/refilings",
        "/api/suggestions/{suggestion_id}/effects",
        "/api/suggestions/{suggestion_id}/effects/{effect_id}/correction",
        "/api/suggestions/{suggestion_id}/award",
        "/api/suggestions/{suggestion_id}/award/credits",
        "/api/suggestions/{suggestion_id}/award/recommendation",
    } <= set(schema["paths"])
    effect_in = schema["components"]["schemas"]["SuggestionEffectIn"]["properties"]
    assert effect_in["budget_saved_krw"]["minimum"] == 0 and "evidence_file" in effect_in
    # Every literal route comes before the id route it would otherwise be taken for.
    paths = list(schema["paths"])
    for literal in ("packs", "offices", "awards", "refilings", "receipts"):
        assert paths.index(f"/api/suggestions/{literal}") < paths.index("/api/suggestions/{suggestion_id}"), literal
