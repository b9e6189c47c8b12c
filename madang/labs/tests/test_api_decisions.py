"""Decisions by consent over JSON: 김민지 proposes, 박지훈 objects and later resolves his objection,
and the decision passes when the window closes, through the worker rather than a visit."""

from datetime import timedelta

from django.utils import timezone

from madang.labs import services
from madang.labs.models import DecisionState, LabDecision
from madang.ledger.models import Entry

from .conftest import client


def post(c, url, data):
    return c.post(url, data, content_type="application/json")


def test_it_runs_a_decision_from_proposal_through_objection_to_consent(cast, running):
    minji, jihoon = client(cast.minji), client(cast.jihoon)
    r = post(
        minji, f"/api/labs/{running.slug}/decisions", {"title": "예산 요청", "body": "시제품 예산", "consent_days": 1}
    )
    assert r.status_code == 201
    decision = r.json()
    assert decision["state"] == "open" and decision["proposed_by"] == "김민지" and decision["objections"] == []
    assert cast.jihoon.notifications.count() == 1  # the other member hears of it

    r = post(
        jihoon,
        f"/api/labs/{running.slug}/decisions/{decision['id']}/objections",
        {"reason": "규모를 줄이면 동의합니다"},
    )
    assert r.status_code == 201
    objection = r.json()["objections"][0]
    assert objection["member"] == "박지훈" and objection["resolved_at"] is None

    r = post(minji, f"/api/labs/{running.slug}/objections/{objection['id']}/resolve", {"resolution": "줄였음"})
    assert r.status_code == 403  # only the objector resolves
    LabDecision.objects.filter(pk=decision["id"]).update(consent_until=timezone.now() - timedelta(minutes=1))
    assert services.settle_due_decisions() == 0  # held by the open objection

    r = post(
        jihoon, f"/api/labs/{running.slug}/objections/{objection['id']}/resolve", {"resolution": "절반 규모로 합의"}
    )
    assert r.status_code == 200 and r.json()["objections"][0]["resolution"] == "절반 규모로 합의"
    assert services.settle_due_decisions() == 1
    listed = client().get(f"/api/labs/{running.slug}/decisions").json()
    assert [(d["title"], d["state"]) for d in listed] == [("예산 요청", DecisionState.PASSED)]
    assert Entry.objects.filter(kind="lab.decision_passed").count() == 1


def test_it_validates_a_proposal_at_the_edge(cast, running):
    c = client(cast.minji, "en")
    for body in (
        {"title": "", "body": "x"},
        {"title": "x", "body": "y", "consent_days": 15},
        {"title": "x", "body": "y", "by": 1},
        {"title": "x" * 201, "body": "y"},
        {"title": "x\x00", "body": "y"},
    ):
        r = post(c, f"/api/labs/{running.slug}/decisions", body)
        assert r.status_code == 422, body
        assert r.json()["code"] == "invalid"
    assert not LabDecision.objects.exists()


def test_it_refuses_an_objection_once_the_window_has_closed(cast, running):
    d = services.propose_decision(actor=cast.minji, lab=running, title="회고 주기", body="2주", consent_days=1)
    LabDecision.objects.filter(pk=d.pk).update(consent_until=timezone.now() - timedelta(minutes=1))
    r = post(client(cast.jihoon), f"/api/labs/{running.slug}/decisions/{d.pk}/objections", {"reason": "늦은 이의"})
    assert r.status_code == 400 and r.json()["code"] == "closed"


def test_it_lets_no_outsider_object(cast, running):
    d = services.propose_decision(actor=cast.minji, lab=running, title="회고 주기", body="2주")
    for who in (cast.seojun, cast.doyun, cast.garam):
        r = post(client(who), f"/api/labs/{running.slug}/decisions/{d.pk}/objections", {"reason": "반대"})
        assert r.status_code == 403
    assert not d.objections.exists()


def test_only_the_proposer_withdraws_an_open_decision_and_it_never_passes(cast, running):
    d = services.propose_decision(actor=cast.minji, lab=running, title="회의 없는 수요일", body="매주", consent_days=1)
    url = f"/api/labs/{running.slug}/decisions/{d.pk}/withdraw"
    assert post(client(cast.jihoon), url, {}).status_code == 403  # another member may object, not withdraw
    assert post(client(), url, {}).status_code == 401
    r = post(client(cast.minji), url, {})
    assert r.status_code == 200 and r.json()["state"] == DecisionState.WITHDRAWN
    assert post(client(cast.minji), url, {}).json()["code"] == "closed"  # once is enough
    LabDecision.objects.filter(pk=d.pk).update(consent_until=timezone.now() - timedelta(minutes=1))
    assert services.settle_due_decisions() == 0 and not Entry.objects.filter(kind="lab.decision_passed").exists()


def test_the_lab_page_offers_the_proposer_a_withdraw_button_that_works(cast, running):
    d = services.propose_decision(actor=cast.minji, lab=running, title="회의 없는 수요일", body="매주", consent_days=1)
    assert "withdraw" not in client(cast.jihoon).get(f"/labs/{running.slug}/").content.decode()
    minji = client(cast.minji)
    assert f"/labs/{running.slug}/withdraw/" in minji.get(f"/labs/{running.slug}/").content.decode()
    r = minji.post(f"/labs/{running.slug}/withdraw/", {"decision": d.pk})
    assert r.status_code == 302
    d.refresh_from_db()
    assert d.state == DecisionState.WITHDRAWN
