"""Tampering with the database after the fact is found, and reported as what changed and where."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from madang.calls.models import PhaseKind, Proposal
from madang.followup import services as followup
from madang.followup.models import Answer, AnswerKind, ExecutionState, ExecutionUpdate
from madang.ledger import services as ledger
from madang.ledger.models import Entry
from madang.ledger.verify import verify_all
from madang.review import services as review
from madang.review.models import Decision, Score, Verdict
from madang.testing import set_phase

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(cast):
    """A proposal submitted, scored, routed, answered and reported on, all in the log."""
    p = cast.proposal()
    set_phase(cast.call, PhaseKind.REVIEW)
    review.assign_reviewers(actor=cast.doyun, call=cast.call, reviewers=[cast.yuna], per_proposal=1)
    assignment = p.review_assignments.get()
    criteria = list(cast.call.criteria.all())
    review.submit_scorecard(
        actor=cast.yuna,
        assignment=assignment,
        scores={c.pk: 3 for c in criteria},
        verdict=Verdict.FEASIBLE,
        comment="좋습니다",
    )
    set_phase(cast.call, PhaseKind.SELECTION)
    review.route_decision(
        actor=cast.doyun,
        proposal=p,
        department=cast.transport,
        answer_due=timezone.localdate() + timedelta(days=14),
        reason="교통과 소관",
    )
    routing = p.routings.get()
    followup.answer_routing(actor=cast.sohee, routing=routing, kind=AnswerKind.ACCEPT, reason="내년 예산에 반영")
    followup.post_execution_update(
        actor=cast.sohee,
        routing=routing,
        state=ExecutionState.IN_PROGRESS,
        percent=40,
        happened_on=timezone.localdate(),
    )
    ledger.sequence()
    return p


def test_it_finds_nothing_wrong_with_an_untouched_history(history):
    assert verify_all() == []
    call_command("ledger", "verify")


def test_it_reports_a_changed_score(history):
    Score.objects.filter(scorecard__assignment__proposal=history).update(value=5)
    findings = verify_all()
    assert findings
    assert all("review.scorecard" in f.where for f in findings)
    assert any(f.field.startswith("scores[") and "is 5 in the database, 3 in the log" in f.what for f in findings)
    with pytest.raises(CommandError, match="does not match"):
        call_command("ledger", "verify")


def test_it_reports_a_rewritten_entry_row(history):
    entry = Entry.objects.filter(kind="review.scorecard").get()
    entry.body = bytes(entry.body).replace(b'"verdict":"feasible"', b'"verdict":"infeasible"')
    entry.save()
    findings = verify_all()
    assert any(f.field == "verdict" and "review.scorecard" in f.where for f in findings)


def test_it_reports_a_changed_reason_and_answer(history):
    Decision.objects.update(reason="다른 이유")
    Answer.objects.update(kind=AnswerKind.DECLINE)
    text = " | ".join(str(f) for f in verify_all())
    assert "reason: the text in the database no longer matches its commitment" in text
    assert 'answer: is "decline" in the database, "accept" in the log' in text


def test_it_reports_edited_text_and_a_removed_execution_update(history):
    Proposal.objects.filter(pk=history.pk).update(solution="몰래 바꾼 해결책")
    ExecutionUpdate.objects.all().delete()
    text = " | ".join(str(f) for f in verify_all())
    assert "(proposal.submitted" in text and "content: is" in text
    assert "followup.execution" in text and "is gone from the database" in text


def test_it_reports_a_tampered_tile(history, settings):
    tile = ledger.log_dir() / "tile/0/000.p"
    path = next(tile.iterdir())
    data = bytearray(path.read_bytes())
    data[0] ^= 0xFF
    path.write_bytes(bytes(data))
    ledger.forget_open_logs()
    findings = verify_all()
    assert findings[0].where == "log"


def test_it_verifies_a_receipt_from_the_files_alone(history, tmp_path, capsys):
    entry = Entry.objects.filter(subject=f"proposal:{history.pk}", kind="proposal.submitted").get()
    path = tmp_path / "receipt.txt"
    path.write_text(ledger.receipt(entry))
    call_command("ledger", "verify", "--receipt", str(path), "--mirror", str(ledger.log_dir()))
    assert "verified" in capsys.readouterr().out
