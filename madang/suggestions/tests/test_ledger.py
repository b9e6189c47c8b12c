"""`madang ledger verify` finds a suggestion's record changed behind the services' back: a decision's
ground or panel, a due date, a receipt number, a supplement's dates, a plan, a ruling, or a record
inserted with no entry."""

from datetime import date

import pytest

from madang.ledger.verify import verify_all
from madang.suggestions import services
from madang.suggestions.models import Decision, DelayNotice, Plan, Ruling, Suggestion, Supplement
from madang.suggestions.services import Adoption
from madang.suggestions.tests.conftest import file

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(cast, office):
    """One suggestion through every step: supplement, not adopted, re-examined and adopted, planned,
    delayed, declared impossible, the declaration not accepted, implemented; and one handed to 민원."""
    s = file(cast, office)
    x = services.request_supplement(
        actor=cast.doyun, suggestion=s, question="위치", answer_by=date(2025, 3, 20), today=date(2025, 3, 12)
    )
    services.answer_supplement(actor=cast.garam, supplement=x, answer="시청 앞", today=date(2025, 3, 14))
    services.decide(
        actor=cast.doyun,
        suggestion=s,
        outcome="not_adopt",
        ground="impracticable",
        explanation="예산 부족",
        panel=[cast.yuna],
        today=date(2025, 3, 25),
    )
    services.request_reexamination(actor=cast.garam, suggestion=s, reason="비용 자료", today=date(2025, 3, 28))
    services.decide_reexamination(
        actor=cast.doyun,
        suggestion=s,
        outcome="adopt",
        explanation="채택",
        panel=[cast.haneul],
        adoption=Adoption(department=cast.transport),
        today=date(2025, 4, 8),
    )
    services.plan_implementation(
        actor=cast.sohee, suggestion=s, text="시범 10곳", implement_by=date(2025, 9, 30), today=date(2025, 4, 20)
    )
    services.notify_delay(
        actor=cast.sohee, suggestion=s, reason="조달 지연", new_date=date(2025, 11, 30), today=date(2025, 9, 1)
    )
    services.declare_cannot_implement(actor=cast.sohee, suggestion=s, reason="제조사 폐업", today=date(2025, 10, 1))
    services.rule_on_implementation(
        actor=cast.doyun,
        suggestion=s,
        kind="cannot_rejected",
        note="다른 제조사",
        new_date=date(2026, 2, 27),
        today=date(2025, 10, 6),
    )
    services.rule_on_implementation(
        actor=cast.doyun, suggestion=s, kind="implemented", note="완료", today=date(2026, 2, 20)
    )
    other = file(cast, office, title="고장 신고")
    services.decide(
        actor=cast.doyun,
        suggestion=other,
        outcome="transfer",
        ground="civil_complaint",
        explanation="민원입니다",
        panel=[cast.yuna],
        transfer_to="교통과 민원 창구",
        today=date(2025, 3, 11),
    )
    late = file(cast, office, title="늦은 결정", on=date(2025, 2, 3))
    sent = services.send_reminders(today=date(2025, 3, 10))  # its decision was due Tue 2025-03-04: overdue
    assert ("overdue", late.pk) in {(r.stage, r.suggestion_id) for r in sent}
    return s, other, late


def found(findings):
    return {(f.where.split(" (")[1].split(",")[0] if " (" in f.where else f.where, f.field) for f in findings}


def test_it_finds_nothing_wrong_with_the_untouched_story(story):
    assert [str(f) for f in verify_all()] == []


def test_it_finds_a_changed_decision_ground(story):
    s, _other, _late = story
    Decision.objects.filter(suggestion=s, round="first").update(ground="mere_complaint")
    assert ("suggestion.decided", "ground") in found(verify_all())


def test_it_finds_a_changed_explanation_outcome_and_panel(story):
    s, _other, _late = story
    first = Decision.objects.get(suggestion=s, round="first")
    Decision.objects.filter(pk=first.pk).update(explanation="다른 사유", outcome="return")
    first.panel.set([s.proposal.author.__class__.objects.get(username="haneul")])
    assert {
        ("suggestion.decided", "explanation"),
        ("suggestion.decided", "outcome"),
        ("suggestion.decided", "panel"),
    } <= found(verify_all())


def test_it_finds_changed_receipt_dates_and_pack(story):
    s, _other, _late = story
    Suggestion.objects.filter(pk=s.pk).update(received_on=date(2025, 3, 3), receipt_seq=9, pack_version="2030-01-01")
    assert {
        ("suggestion.received", "received_on"),
        ("suggestion.received", "number"),
        ("suggestion.received", "pack"),
    } <= found(verify_all())


def test_it_finds_a_stop_made_longer(story):
    Supplement.objects.update(answered_on=date(2025, 3, 19))
    assert ("suggestion.supplement_closed", "answered_on") in found(verify_all())


def test_it_finds_changed_implementation_dates_and_rulings(story):
    Plan.objects.update(implement_by=date(2026, 9, 30))
    DelayNotice.objects.update(reason="다른 이유")
    Ruling.objects.filter(kind="cannot_rejected").update(kind="cannot_accepted")
    assert {
        ("suggestion.implementation_planned", "implement_by"),
        ("suggestion.delay_notified", "reason"),
        ("suggestion.implementation_ruled", "ruling_kind"),
    } <= found(verify_all())


def test_it_finds_a_decision_inserted_without_an_entry(story, cast):
    _s, _other, late = story
    d = Decision.objects.create(
        suggestion=late, outcome="adopt", explanation="몰래", decided_on=date(2025, 3, 11), decided_by=cast.doyun
    )
    assert any(
        f.field == "record" and f"decision {d.pk} has no suggestion.decided entry" in f.what for f in verify_all()
    )
