"""/api/suggestions/…: the same rules as the pages (404 for those with no part, 403 for a step that is
not theirs), clear errors for bad input, and the clocks as the desk shows them."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from madang.suggestions import services
from madang.suggestions.models import Stage
from madang.suggestions.tests.conftest import fields

pytestmark = pytest.mark.django_db


def api(user=None):
    c = Client(HTTP_ACCEPT_LANGUAGE="ko")
    if user is not None:
        c.force_login(user)
    return c


@pytest.fixture
def filed(cast, office):
    return services.file_suggestion(actor=cast.garam, office=office, fields=fields())


def post(user, path, body):
    return api(user).post(f"/api/suggestions{path}", body, content_type="application/json")


def test_it_files_and_reads_a_suggestion_with_its_clock(cast, office):
    r = post(
        cast.garam,
        "",
        {"office_id": office.pk, "title": "공원 안내", "problem": "찾기 어렵다", "solution": "지도 표시"},
    )
    assert r.status_code == 201
    body = r.json()
    assert body["number"].endswith("-0001") and body["clock"]["name"] == "decision"
    assert body["clock"]["working_days_left"] >= 0 and body["can"]["answer"] is False
    assert api(cast.garam).get("/api/suggestions/mine").json()[0]["id"] == body["id"]


def test_it_shows_the_desk_to_the_office_only(cast, filed):
    assert [r["id"] for r in api(cast.doyun).get("/api/suggestions").json()] == [filed.pk]
    assert api(cast.garam).get("/api/suggestions").json() == []
    for who in (cast.minji, cast.sohee, cast.bada):
        assert api(who).get(f"/api/suggestions/{filed.pk}").status_code == 404
    assert api().get(f"/api/suggestions/{filed.pk}").status_code == 401


def test_it_runs_a_supplement_and_a_decision_through_the_api(cast, filed):
    answer_by = (timezone.localdate() + timedelta(days=3)).isoformat()
    r = post(cast.garam, f"/{filed.pk}/supplements", {"question": "위치", "answer_by": answer_by})
    assert r.status_code == 403
    r = post(cast.doyun, f"/{filed.pk}/supplements", {"question": "위치를 알려 주십시오", "answer_by": answer_by})
    assert r.status_code == 201 and r.json()["clock"]["due"] is None and r.json()["clock"]["stopped_since"]
    sid = r.json()["supplements"][0]["id"]
    r = post(cast.garam, f"/{filed.pk}/supplements/{sid}/answer", {"answer": "시청 앞"})
    assert r.status_code == 200 and r.json()["clock"]["due"]
    decision = {
        "outcome": "transfer",
        "ground": "civil_complaint",
        "explanation": "민원 절차로 처리합니다",
        "panel_ids": [cast.yuna.pk],
        "transfer_to": "교통과 민원 창구",
    }
    assert post(cast.garam, f"/{filed.pk}/decision", decision).status_code == 403
    r = post(cast.doyun, f"/{filed.pk}/decision", decision)
    assert r.status_code == 200
    assert r.json()["decisions"][0]["transferred_to"] == "교통과 민원 창구" and r.json()["stage"] == Stage.TRANSFERRED


def test_it_answers_bad_input_with_a_clear_message(cast, filed):
    r = post(cast.doyun, f"/{filed.pk}/decision", {"outcome": "maybe", "explanation": "x", "panel_ids": [cast.yuna.pk]})
    assert r.status_code == 422 and r.json()["field"] == "outcome"
    r = post(
        cast.doyun,
        f"/{filed.pk}/decision",
        {"outcome": "not_adopt", "ground": "nonsense", "explanation": "x", "panel_ids": [cast.yuna.pk]},
    )
    assert r.status_code == 400 and r.json()["field"] == "ground"
    r = post(cast.doyun, f"/{filed.pk}/decision", {"outcome": "adopt", "explanation": "x", "panel_ids": [cast.bada.pk]})
    assert r.status_code == 404 and r.json()["field"] == "panel_ids"  # not an official of the office's organisation
    r = post(cast.garam, f"/{filed.pk}/reexamination", {"reason": "다시"})
    assert r.status_code == 400 and r.json()["code"] == "closed"


def test_receiving_is_reached_and_not_taken_for_a_suggestion_id(cast):
    """POST /api/suggestions/receipts answered 405: the path /suggestions/{suggestion_id} came first."""
    from django.test import Client

    c = Client()
    c.force_login(cast.doyun)
    r = c.post("/api/suggestions/receipts", {"proposal_id": 999999}, content_type="application/json")
    assert r.status_code == 404
