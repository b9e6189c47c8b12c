"""Reads do not write, and decisions still pass on time: the worker's upkeep (and a command where
no worker runs) settles due decisions, and opening a lab's page or API changes nothing (but the
access record the safety-measures standard asks when a page shows members' personal data)."""

import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from madang.inbox.models import Notification
from madang.jobs import registry
from madang.jobs import services as jobs
from madang.labs import services
from madang.labs.models import DecisionState, LabDecision
from madang.ledger.models import Entry

from .conftest import ROLES, client, person

WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
# Recording a look at personal data is the one write a read makes (docs/privacy.md, "Reads that write").
ACCESS_RECORD = re.compile(r'"privacy_(accessrecord|chainhead)"')


def due(decision: LabDecision) -> LabDecision:
    LabDecision.objects.filter(pk=decision.pk).update(consent_until=timezone.now() - timedelta(minutes=1))
    decision.refresh_from_db()
    return decision


@pytest.fixture
def waiting(cast, running):
    """A decision whose window closed a minute ago with nobody objecting, not yet settled."""
    return due(
        services.propose_decision(
            actor=cast.minji, lab=running, title="주 1회 현장 방문", body="목요일 오후", consent_days=1
        )
    )


def counts() -> tuple[int, int, int, int]:
    return (
        Entry.objects.count(),
        LabDecision.objects.filter(state=DecisionState.PASSED).count(),
        LabDecision.objects.count(),
        Notification.objects.count(),
    )


@pytest.mark.parametrize("role", ROLES)
def test_it_writes_nothing_when_anyone_reads_a_lab(cast, running, waiting, role):
    c = client(person(cast, role))
    before = counts()
    with CaptureQueriesContext(connection) as seen:
        for url in (
            f"/labs/{running.slug}/",
            "/labs/",
            f"/api/labs/{running.slug}",
            f"/api/labs/{running.slug}/decisions",
            "/api/labs",
            f"/api/labs/{running.slug}/milestones",
            f"/api/labs/{running.slug}/reports",
        ):
            assert c.get(url).status_code == 200, url
    writes = [
        q["sql"]
        for q in seen.captured_queries
        if WRITES.match(q["sql"]) and "django_session" not in q["sql"] and not ACCESS_RECORD.search(q["sql"])
    ]
    assert writes == []
    assert counts() == before
    waiting.refresh_from_db()
    assert waiting.state == DecisionState.OPEN and waiting.settled_at is None


def test_it_settles_a_due_decision_in_the_workers_upkeep_without_a_visit(cast, running, waiting):
    later = services.propose_decision(actor=cast.jihoon, lab=running, title="격주 회고", body="금요일", consent_days=3)
    entries = Entry.objects.filter(kind="lab.decision_passed").count()
    assert jobs.work(worker="test", once=True) == 0  # no job queued: only the upkeep ran
    waiting.refresh_from_db()
    later.refresh_from_db()
    assert waiting.state == DecisionState.PASSED and waiting.settled_at is not None
    assert later.state == DecisionState.OPEN  # its window is still open
    assert Entry.objects.filter(kind="lab.decision_passed").count() == entries + 1


def test_it_schedules_the_settling_as_periodic_upkeep():
    assert any(path == "madang.labs.services.settle_due_decisions" and every <= 60 for every, path in registry.PERIODIC)
    assert registry.resolve_path("madang.labs.services.settle_due_decisions") is services.settle_due_decisions


def test_it_settles_from_the_command_once(cast, running, waiting):
    out = io.StringIO()
    call_command("settle_lab_decisions", stdout=out)
    assert out.getvalue().startswith("1 ")
    waiting.refresh_from_db()
    assert waiting.state == DecisionState.PASSED
    entries = Entry.objects.count()
    out = io.StringIO()
    call_command("settle_lab_decisions", stdout=out)  # a second run finds nothing new
    assert out.getvalue().startswith("0 ")
    assert Entry.objects.count() == entries


def test_it_holds_a_due_decision_while_an_objection_is_open(cast, running):
    d = services.propose_decision(actor=cast.minji, lab=running, title="예산 요청", body="시제품", consent_days=1)
    objection = services.object_to(actor=cast.jihoon, decision=d, reason="규모를 줄이면 동의합니다")
    due(d)
    assert services.settle_due_decisions() == 0
    d.refresh_from_db()
    assert d.state == DecisionState.OPEN
    services.resolve_objection(actor=cast.jihoon, objection=objection, resolution="절반 규모로 합의")
    assert services.settle_due_decisions() == 1
    d.refresh_from_db()
    assert d.state == DecisionState.PASSED


def test_it_records_each_passing_once_however_often_it_runs(cast, running, waiting):
    assert services.settle_due_decisions() == 1
    assert services.settle_due_decisions() == 0
    assert services.settle_decision(decision=waiting).state == DecisionState.PASSED
    assert Entry.objects.filter(kind="lab.decision_passed").count() == 1


def test_it_refuses_an_objection_after_the_window_even_before_the_job_ran(cast, running, waiting):
    r = client(cast.jihoon, "en").post(f"/labs/{running.slug}/object/", {"decision": waiting.pk, "text": "늦은 이의"})
    assert r.status_code == 400
    assert "no longer open" in r.content.decode()
    waiting.refresh_from_db()
    assert waiting.state == DecisionState.PASSED and not waiting.objections.exists()
