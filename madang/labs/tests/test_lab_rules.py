from datetime import timedelta

import pytest
from django.utils import timezone

from madang.core.errors import DomainError, Forbidden
from madang.labs import services
from madang.labs.models import DecisionState, LabOutcome, LabState, Membership
from madang.ledger.models import Entry


def test_it_creates_a_lab_only_from_a_selected_proposal(cast):
    p = cast.proposal()
    today = timezone.localdate()
    with pytest.raises(DomainError) as err:
        services.create_lab(
            actor=cast.doyun,
            proposal=p,
            slug="x",
            title="x",
            home=cast.province,
            starts_on=today,
            ends_on=today + timedelta(days=100),
        )
    assert err.value.code == "not_selected"


def test_it_keeps_terms_between_three_and_six_months(cast, lab):
    today = timezone.localdate()
    for days in (60, 200):
        with pytest.raises(DomainError) as err:
            services.create_lab(
                actor=cast.doyun,
                proposal=lab.proposal,
                slug=f"t{days}",
                title="t",
                home=cast.province,
                starts_on=today,
                ends_on=today + timedelta(days=days),
            )
        assert err.value.code in ("bad_term", "duplicate")


def test_it_cannot_start_with_one_member(cast, lab):
    m = services.apply_to_lab(actor=cast.minji, lab=lab, motivation="참여")
    services.confirm_member(actor=cast.doyun, membership=m)
    with pytest.raises(DomainError) as err:
        services.start_lab(actor=cast.doyun, lab=lab)
    assert err.value.code == "too_few_members"
    lab.refresh_from_db()
    assert lab.state == LabState.FORMING


def test_it_starts_with_two_confirmed_members(cast, running):
    assert running.state == LabState.RUNNING
    assert Entry.objects.filter(kind="lab.started").exists()


def test_it_has_no_leader_anywhere():
    fields = {f.name for f in Membership._meta.get_fields()}
    assert not any(word in name for name in fields for word in ("leader", "role", "manager", "head"))


def test_it_keeps_membership_history_when_people_leave_and_rejoin(cast, running):
    services.leave_lab(actor=cast.jihoon, lab=running, reason="인사 이동")
    again = services.apply_to_lab(actor=cast.jihoon, lab=running, motivation="다시 합류")
    assert running.memberships.filter(user=cast.jihoon).count() == 2
    assert again.state == "applied"


def test_it_passes_a_decision_by_consent_when_no_one_objects(cast, running):
    d = services.propose_decision(
        actor=cast.minji, lab=running, title="주 1회 현장 방문", body="매주 목요일 민원실 방문", consent_days=1
    )
    assert services.settle_decision(decision=d).state == DecisionState.OPEN
    later = timezone.now() + timedelta(days=2)
    assert services.settle_decision(decision=d, now=later).state == DecisionState.PASSED


def test_it_holds_a_decision_while_an_objection_is_open(cast, running):
    d = services.propose_decision(actor=cast.minji, lab=running, title="예산 요청", body="시제품 예산", consent_days=1)
    o = services.object_to(actor=cast.jihoon, decision=d, reason="규모를 줄이면 동의합니다")
    later = timezone.now() + timedelta(days=2)
    assert services.settle_decision(decision=d, now=later).state == DecisionState.OPEN
    with pytest.raises(Forbidden):
        services.resolve_objection(actor=cast.minji, objection=o, resolution="줄였음")
    services.resolve_objection(actor=cast.jihoon, objection=o, resolution="절반 규모로 합의")
    assert services.settle_decision(decision=d, now=later).state == DecisionState.PASSED
    assert d.objections.get().resolution == "절반 규모로 합의"


def test_it_lets_every_member_propose_and_no_outsider(cast, running):
    services.propose_decision(actor=cast.jihoon, lab=running, title="회고 주기", body="2주마다")
    with pytest.raises(Forbidden):
        services.propose_decision(actor=cast.seojun, lab=running, title="외부인", body="x")


def test_it_extends_the_term_once_with_a_reason(cast, running):
    services.extend_term(
        actor=cast.minji, lab=running, new_end=running.ends_on + timedelta(days=60), reason="시범 운영 연장"
    )
    with pytest.raises(DomainError) as err:
        services.extend_term(actor=cast.minji, lab=running, new_end=running.ends_on + timedelta(days=30), reason="또")
    assert err.value.code == "already_extended"


def test_it_states_failures_as_lessons(cast, running):
    with pytest.raises(DomainError):
        services.record_experiment(actor=cast.minji, lab=running, hypothesis="키오스크 음성 안내", state="failed")
    exp = services.record_experiment(
        actor=cast.minji,
        lab=running,
        hypothesis="키오스크 음성 안내",
        state="failed",
        lesson="소음 때문에 음성보다 큰 글씨가 낫다",
    )
    assert exp.lesson.startswith("소음")


def test_it_closes_only_after_the_final_report(cast, running):
    with pytest.raises(DomainError) as err:
        services.close_lab(actor=cast.minji, lab=running, outcome=LabOutcome.ADOPTED, note="도입")
    assert err.value.code == "no_final_report"
    services.submit_report(actor=cast.jihoon, lab=running, kind="final", body="성과: 서류 40% 감축")
    closed = services.close_lab(actor=cast.minji, lab=running, outcome=LabOutcome.ADOPTED, note="전 시군 도입")
    assert closed.state == LabState.CLOSED and closed.outcome == "adopted"


def test_it_hands_over_to_a_department_through_follow_through(cast, running):
    services.submit_report(actor=cast.minji, lab=running, kind="final", body="성과 보고")
    with pytest.raises(Forbidden):
        services.close_lab(
            actor=cast.minji, lab=running, outcome=LabOutcome.HANDED_OVER, note="이관", department=cast.transport
        )
    services.close_lab(
        actor=cast.doyun, lab=running, outcome=LabOutcome.HANDED_OVER, note="교통과가 운영", department=cast.transport
    )
    routing = running.proposal.routings.get()
    assert routing.department == cast.transport


def test_it_tells_the_home_department_about_released_duties(cast, running):
    services.set_released_duties(actor=cast.jihoon, lab=running, duties=["weekly_reports", "budget"])
    assert cast.sohee.notifications.exists()  # sohee is the liaison of 교통과, jihoon's department
    with pytest.raises(DomainError):
        services.set_released_duties(actor=cast.jihoon, lab=running, duties=["napping"])
