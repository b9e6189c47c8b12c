"""Ledger entries: written with the decision, rolled back with it, and free of personal data."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from madang.calls import services as calls
from madang.calls.models import Outcome, PhaseKind
from madang.core.errors import DomainError
from madang.followup import services as followup
from madang.followup.models import AnswerKind, ExecutionState, Routing
from madang.ledger import services as ledger
from madang.ledger.models import Entry
from madang.review import services as review
from madang.review.models import Decision, Verdict
from madang.testing import set_phase


def kinds():
    return list(Entry.objects.values_list("kind", flat=True))


def test_it_writes_one_entry_per_decision_in_order(cast):
    a = cast.proposal(title="A")
    b = cast.proposal(author=cast.jihoon, title="B")
    set_phase(cast.call, PhaseKind.SELECTION)
    before = Entry.objects.count()
    review.select_proposal(actor=cast.doyun, proposal=a)
    review.reject_proposal(actor=cast.doyun, proposal=b, reason="예산 부족")
    assert kinds()[before:] == ["decision.select", "decision.reject"]
    bodies = [json.loads(bytes(e.body)) for e in Entry.objects.all()[before:]]
    assert [body["decision"] for body in bodies] == list(Decision.objects.values_list("pk", flat=True))
    assert bodies[0]["actor"] == ledger.pseudonym(cast.doyun.pk, f"proposal:{a.pk}/decision")


def test_it_rolls_the_entry_back_with_a_failed_decision(cast):
    p = cast.proposal()
    set_phase(cast.call, PhaseKind.SELECTION)
    before = kinds()
    with pytest.raises(DomainError):
        # The decision and its entry are written before the routing refuses the past date.
        review.route_decision(
            actor=cast.doyun, proposal=p, department=cast.transport, answer_due=timezone.localdate() - timedelta(days=1)
        )
    assert kinds() == before
    assert not Decision.objects.exists()
    assert not Routing.objects.exists()
    p.refresh_from_db()
    assert p.outcome == Outcome.PENDING


def test_it_rolls_back_the_decision_when_the_entry_cannot_be_written(cast, monkeypatch):
    p = cast.proposal()
    set_phase(cast.call, PhaseKind.SELECTION)

    def broken(**kwargs):
        raise RuntimeError("ledger unavailable")

    monkeypatch.setattr(ledger, "record", broken)
    with pytest.raises(RuntimeError):
        review.select_proposal(actor=cast.doyun, proposal=p)
    p.refresh_from_db()
    assert p.outcome == Outcome.PENDING
    assert not Decision.objects.exists()


def test_it_writes_canonical_versioned_json(cast):
    p = cast.proposal()
    body = bytes(Entry.objects.get(kind="proposal.submitted").body)
    data = json.loads(body)
    assert body == json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    assert (data["v"], data["kind"], data["subject"]) == (2, "proposal.submitted", f"proposal:{p.pk}")


def test_it_keeps_people_pseudonymous_stable_in_a_context_and_unlinkable_across(cast):
    here, there = "proposal:1/author", "proposal:2/author"
    assert ledger.pseudonym(cast.minji.pk, here) == ledger.pseudonym(cast.minji.pk, here)
    assert ledger.pseudonym(cast.minji.pk, here) != ledger.pseudonym(cast.seojun.pk, here)
    assert ledger.pseudonym(cast.minji.pk, here) != ledger.pseudonym(cast.minji.pk, there)
    assert str(cast.minji.pk) != ledger.pseudonym(cast.minji.pk, here)
    assert ledger.pseudonym(None, here) is None


def test_it_gives_the_person_an_opening_that_hashes_to_their_actor(cast):
    from madang.solvers.tlog.opening import actor_of

    opening = ledger.opening(cast.minji.pk, "proposal:1/author")
    assert actor_of(opening) == ledger.pseudonym(cast.minji.pk, "proposal:1/author")
    assert actor_of(opening) != ledger.pseudonym(cast.minji.pk, "proposal:2/author")


def test_it_takes_the_key_from_its_own_setting_when_set(cast, settings):
    before = ledger.pseudonym(cast.minji.pk, "proposal:1/author")
    settings.MADANG_LEDGER_PSEUDONYM_KEY = "a-dedicated-key"
    assert ledger.pseudonym(cast.minji.pk, "proposal:1/author") != before


def test_it_refuses_an_undeclared_kind_or_field(cast):
    with pytest.raises(KeyError):
        ledger.record(kind="made.up", subject="x:1", actor_id=None, data={})
    with pytest.raises(ValueError):
        ledger.record(kind="decision.select", subject="proposal:1", actor_id=None, data={"name": "김민지"})


def test_it_keeps_free_text_as_a_commitment_that_can_be_checked(cast):
    salt, digest = ledger.commitment("예산 부족")
    assert ledger.commitment("예산 부족", salt) == (salt, digest)
    assert ledger.commitment("예산 충분", salt)[1] != digest


def test_it_holds_no_personal_data_anywhere_in_a_whole_story(cast):
    """Every kind of entry a proposal's life writes, searched for names, usernames, e-mails and reasons."""
    p = cast.proposal(title="민원 서류 간소화")
    other = cast.proposal(author=cast.seojun, title="서류 없는 민원")
    forgotten = cast.proposal(author=cast.jihoon, title="잊힌 제안")
    calls.update_proposal(
        actor=cast.seojun,
        proposal=other,
        fields=calls.ProposalFields(title="서류 없는 민원 창구", problem="문제", solution="해결"),
    )
    calls.support_proposal(actor=cast.jihoon, proposal=p)
    calls.snapshot_support_tally(actor=cast.doyun, call=cast.call)
    set_phase(cast.call, PhaseKind.REVIEW)
    a = review.assign_reviewer(actor=cast.doyun, proposal=p, reviewer=cast.yuna)
    review.submit_scorecard(
        actor=cast.yuna,
        assignment=a,
        scores={c.pk: 4 for c in cast.call.criteria.all()},
        verdict=Verdict.FEASIBLE,
        comment="최유나 의견: 김민지 주무관 제안 우수",
    )
    review.merge_proposal(actor=cast.doyun, proposal=other, into=p, reason="이서준 주무관 제안과 같음")
    review.route_decision(
        actor=cast.doyun,
        proposal=p,
        department=cast.transport,
        answer_due=timezone.localdate() + timedelta(days=7),
        reason="교통과 윤소희 주무관 검토",
    )
    routing = Routing.objects.get(proposal=p)
    followup.answer_routing(actor=cast.sohee, routing=routing, kind=AnswerKind.PARTIAL, reason="윤소희: 일부 수용")
    followup.post_execution_update(
        actor=cast.sohee, routing=routing, state=ExecutionState.STOPPED, note="오세훈 요청으로 중단"
    )
    review.route_decision(
        actor=cast.doyun,
        proposal=forgotten,
        department=cast.welfare,
        answer_due=timezone.localdate(),
        reason="오세훈 주무관 담당",
    )
    assert len(followup.escalate_overdue(today=timezone.localdate() + timedelta(days=1))) == 1

    expected = {
        "proposal.submitted",
        "proposal.edited",
        "call.support_tally",
        "review.scorecard",
        "decision.merge",
        "decision.route",
        "followup.answered",
        "followup.execution",
        "followup.escalated",
    }
    assert expected <= set(kinds())
    people = [cast.minji, cast.seojun, cast.jihoon, cast.yuna, cast.doyun, cast.sohee, cast.sehun]
    forbidden = [s for u in people for s in (u.username, u.display_name, u.email)]
    forbidden += ["일부 수용", "교통과 윤소희", "같음", "우수", "담당"]
    for entry in Entry.objects.all():
        text = bytes(entry.body).decode()
        assert not [s for s in forbidden if s in text], (entry.kind, text)
