"""Follow-through over JSON: 윤소희 answers for 교통과 and reports execution; the public watches."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from madang.calls import services as calls
from madang.calls.models import PhaseKind
from madang.followup import services as followup
from madang.followup.models import Answer, ExecutionUpdate, Routing
from madang.review import services as review
from madang.testing import set_phase

ROLES = ["anonymous", "minji", "seojun", "garam", "bada", "yuna", "doyun", "sohee", "sehun", "admin"]


def client(cast, who: str, lang: str = "ko") -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE=lang)
    if who != "anonymous":
        c.force_login(getattr(cast, who))
    return c


def post(c: Client, url: str, data: dict):
    return c.post(url, data, content_type="application/json")


def route(cast, title: str = "버스 정류장 온열 의자") -> Routing:
    p = cast.proposal(title=title)
    set_phase(cast.call, PhaseKind.REVIEW)
    review.route_decision(
        actor=cast.doyun, proposal=p, department=cast.transport, answer_due=timezone.localdate() + timedelta(days=7)
    )
    return Routing.objects.get(proposal=p)


@pytest.fixture
def routing(cast):
    return route(cast)


def test_it_shows_where_a_public_proposal_went_to_everyone(cast, routing):
    got = {
        who: client(cast, who).get(f"/api/followup/proposals/{routing.proposal_id}/routings").status_code
        for who in ROLES
    }
    assert got == {who: 200 for who in ROLES}
    body = client(cast, "anonymous").get(f"/api/followup/proposals/{routing.proposal_id}/routings").json()
    assert [(r["department"], r["state"], r["can_answer"]) for r in body] == [("한빛도 교통과", "awaiting", False)]
    assert client(cast, "sohee").get(f"/api/followup/routings/{routing.pk}").json()["can_answer"] is True


def test_it_keeps_an_internal_proposals_routings_internal(cast, routing):
    calls.set_internal(actor=cast.doyun, proposal=routing.proposal, internal=True, reason="보안 검토 중")
    got = {
        who: client(cast, who).get(f"/api/followup/proposals/{routing.proposal_id}/routings").status_code
        for who in ROLES
    }
    insiders = {"minji", "doyun", "admin", "sohee"}
    assert got == {who: 200 if who in insiders else 404 for who in ROLES}
    got = {who: client(cast, who).get(f"/api/followup/routings/{routing.pk}").status_code for who in ROLES}
    assert got == {who: 200 if who in insiders else 404 for who in ROLES}


def test_it_fills_each_liaisons_inbox_with_their_departments_routings(cast, routing):
    got = {who: client(cast, who).get("/api/followup/inbox") for who in ROLES}
    assert got["anonymous"].status_code == 401
    assert [r["id"] for r in got["sohee"].json()] == [routing.pk]
    assert got["sehun"].json() == []
    assert got["minji"].json() == []


def test_it_takes_the_answer_from_the_routed_departments_liaison_only(cast):
    got, states = {}, {}
    for who in ROLES:
        set_phase(cast.call, PhaseKind.SUBMISSION)
        r = route(cast, title=f"{who}가 답할 제안")
        got[who] = post(client(cast, who), f"/api/followup/routings/{r.pk}/answer", {"kind": "accept"}).status_code
        r.refresh_from_db()
        states[who] = r.state
    assert got == {**{who: 403 for who in ROLES}, "anonymous": 401, "sohee": 200}
    assert states == {**{who: "awaiting" for who in ROLES}, "sohee": "answered"}


def test_it_transfers_to_another_department_whose_liaison_then_answers(cast, routing):
    r = post(
        client(cast, "sohee"),
        f"/api/followup/routings/{routing.pk}/answer",
        {"kind": "transfer", "reason": "복지과 소관입니다", "transfer_to": cast.welfare.pk},
    )
    assert r.status_code == 200, r.content
    assert r.json()["state"] == "transferred"
    new = Routing.objects.get(transferred_from=routing)
    assert new.department == cast.welfare
    assert [x["id"] for x in client(cast, "sehun").get("/api/followup/inbox").json()] == [new.pk]
    r = post(
        client(cast, "sehun"), f"/api/followup/routings/{new.pk}/answer", {"kind": "partial", "reason": "일부 수용"}
    )
    assert r.json()["answer"]["kind"] == "partial"


def test_it_refuses_answers_without_what_they_need(cast, routing):
    sohee = client(cast, "sohee", "en")
    url = f"/api/followup/routings/{routing.pk}/answer"
    r = post(sohee, url, {"kind": "decline"})
    assert r.json() == {
        "code": "required",
        "message": "Please give a reason: the author and the public will read it.",
        "field": "reason",
    }
    r = post(sohee, url, {"kind": "transfer", "reason": "다른 과"})
    assert (r.status_code, r.json()["field"]) == (400, "transfer_to")
    r = post(sohee, url, {"kind": "transfer", "reason": "다른 과", "transfer_to": 123456})
    assert (r.status_code, r.json()["field"]) == (404, "transfer_to")
    r = post(sohee, url, {"kind": "transfer", "reason": "다른 과", "transfer_to": cast.transport.pk})
    assert r.json()["code"] == "same_department"
    r = post(sohee, url, {"kind": "maybe"})
    assert (r.status_code, r.json()["field"]) == (422, "kind")
    r = post(sohee, url, {"kind": "decline", "reason": "가" * 4001})
    assert (r.status_code, r.json()["field"]) == (422, "reason")
    assert Answer.objects.count() == 0
    assert post(sohee, url, {"kind": "accept"}).status_code == 200
    r = post(sohee, url, {"kind": "decline", "reason": "번복"})
    assert (r.status_code, r.json()["code"]) == (400, "already_answered")
    assert Answer.objects.get().kind == "accept"


def test_it_takes_execution_reports_from_the_accepting_liaison_only(cast, routing):
    followup.answer_routing(actor=cast.sohee, routing=routing, kind="accept")
    got = {}
    for who in ROLES:
        got[who] = post(
            client(cast, who), f"/api/followup/routings/{routing.pk}/updates", {"state": "in_progress", "percent": 10}
        ).status_code
    assert got == {**{who: 403 for who in ROLES}, "anonymous": 401, "sohee": 201}
    assert ExecutionUpdate.objects.count() == 1


def test_it_reports_execution_until_done(cast, routing):
    sohee = client(cast, "sohee", "en")
    url = f"/api/followup/routings/{routing.pk}/updates"
    r = post(sohee, url, {"state": "planned"})
    assert r.status_code == 403  # not answered yet
    followup.answer_routing(actor=cast.sohee, routing=routing, kind="accept")
    r = post(
        sohee,
        url,
        {"state": "in_progress", "percent": 40, "note": "시범 설치", "happened_on": timezone.localdate().isoformat()},
    )
    assert (r.status_code, r.json()["percent"]) == (201, 40)
    r = post(sohee, url, {"state": "stopped"})
    assert (r.status_code, r.json()["message"]) == (400, "Stopping needs a reason.")
    r = post(sohee, url, {"state": "in_progress", "percent": 101})
    assert r.json()["message"] == "percent: Ensure this value is less than or equal to 100."
    r = post(
        sohee, url, {"state": "in_progress", "happened_on": (timezone.localdate() + timedelta(days=3)).isoformat()}
    )
    assert (r.status_code, r.json()["field"]) == (400, "happened_on")
    r = post(sohee, url, {"state": "in_progress", "percent": "절반"})
    assert (r.status_code, r.json()["field"]) == (422, "percent")
    assert post(sohee, url, {"state": "done"}).json()["percent"] == 100
    r = post(sohee, url, {"state": "in_progress", "percent": 50})
    assert (r.status_code, r.json()["code"]) == (400, "ended")
    timeline = client(cast, "anonymous").get(f"/api/followup/routings/{routing.pk}").json()["updates"]
    assert [(u["state"], u["percent"]) for u in timeline] == [("in_progress", 40), ("done", 100)]
