"""A routed proposal and the department's answer: once, by its liaison, with reasons."""

from datetime import timedelta

import pytest
from django.utils import timezone

from madang.calls import services as calls
from madang.calls.models import PhaseKind
from madang.core.errors import DomainError, Forbidden
from madang.followup import services
from madang.followup.models import Answer, AnswerKind, Routing, RoutingState
from madang.inbox.models import Notification, NotificationKind
from madang.review import services as review
from madang.testing import set_phase


def due(days=14):
    return timezone.localdate() + timedelta(days=days)


@pytest.fixture
def routing(cast):
    p = cast.proposal()
    calls.support_proposal(actor=cast.seojun, proposal=p)
    set_phase(cast.call, PhaseKind.SELECTION)
    review.route_decision(actor=cast.doyun, proposal=p, department=cast.transport, answer_due=due())
    return Routing.objects.get(proposal=p)


def test_it_routes_only_by_the_team_to_a_department_with_a_future_deadline(cast):
    p = cast.proposal()
    with pytest.raises(Forbidden):
        services.route_proposal(actor=cast.sohee, proposal=p, department=cast.transport, answer_due=due())
    with pytest.raises(DomainError) as err:
        services.route_proposal(actor=cast.doyun, proposal=p, department=cast.province, answer_due=due())
    assert err.value.code == "not_department"
    with pytest.raises(DomainError) as err:
        services.route_proposal(actor=cast.doyun, proposal=p, department=cast.transport, answer_due=due(-1))
    assert err.value.code == "bad_date"
    assert not Routing.objects.exists()
    r = services.route_proposal(
        actor=cast.doyun, proposal=p, department=cast.transport, answer_due=due(0), note=" 검토 바랍니다 "
    )
    assert (r.state, r.note, r.routed_by) == (RoutingState.AWAITING, "검토 바랍니다", cast.doyun)


def test_it_tells_the_liaison_and_the_followers_about_a_routing(cast, routing):
    notes = Notification.objects.filter(kind=NotificationKind.ROUTED).values_list("user__username", flat=True)
    assert sorted(notes) == ["minji", "seojun", "sohee"]


def test_it_accepts_without_a_reason(cast, routing):
    answer = services.answer_routing(actor=cast.sohee, routing=routing, kind=AnswerKind.ACCEPT)
    routing.refresh_from_db()
    assert (answer.kind, answer.reason, answer.on_time) == (AnswerKind.ACCEPT, "", True)
    assert routing.state == RoutingState.ANSWERED


@pytest.mark.parametrize("kind", [AnswerKind.PARTIAL, AnswerKind.DECLINE, AnswerKind.TRANSFER])
def test_it_needs_a_reason_for_anything_but_accepting(cast, routing, kind):
    with pytest.raises(DomainError) as err:
        services.answer_routing(actor=cast.sohee, routing=routing, kind=kind, reason=" ", transfer_to=cast.welfare)
    assert (err.value.code, err.value.field) == ("required", "reason")
    assert not Answer.objects.exists()


def test_it_records_a_partial_acceptance_with_its_reason(cast, routing):
    answer = services.answer_routing(
        actor=cast.sohee, routing=routing, kind=AnswerKind.PARTIAL, reason="예산 범위 안에서 일부 시행"
    )
    assert (answer.kind, answer.reason) == (AnswerKind.PARTIAL, "예산 범위 안에서 일부 시행")


def test_it_refuses_an_unknown_answer(cast, routing):
    with pytest.raises(DomainError) as err:
        services.answer_routing(actor=cast.sohee, routing=routing, kind="maybe", reason="글쎄요")
    assert err.value.code == "required"


def test_it_transfers_to_another_department_and_keeps_the_chain(cast, routing):
    services.answer_routing(
        actor=cast.sohee,
        routing=routing,
        kind=AnswerKind.TRANSFER,
        reason="복지과 소관입니다",
        transfer_to=cast.welfare,
    )
    routing.refresh_from_db()
    assert routing.state == RoutingState.TRANSFERRED
    onward = Routing.objects.get(transferred_from=routing)
    assert (onward.department, onward.state, onward.note) == (cast.welfare, RoutingState.AWAITING, "복지과 소관입니다")
    assert onward.answer_due == routing.answer_due
    assert Notification.objects.filter(user=cast.sehun, kind=NotificationKind.ROUTED).count() == 1
    # The new department answers the onward routing; the old liaison no longer can.
    with pytest.raises(Forbidden):
        services.answer_routing(actor=cast.sohee, routing=onward, kind=AnswerKind.ACCEPT)
    services.answer_routing(actor=cast.sehun, routing=onward, kind=AnswerKind.ACCEPT)
    assert [r.department for r in routing.proposal.routings.all()] == [cast.transport, cast.welfare]


def test_it_refuses_a_transfer_without_a_different_department(cast, routing):
    with pytest.raises(DomainError) as err:
        services.answer_routing(actor=cast.sohee, routing=routing, kind=AnswerKind.TRANSFER, reason="이관")
    assert err.value.code == "required"
    with pytest.raises(DomainError) as err:
        services.answer_routing(
            actor=cast.sohee, routing=routing, kind=AnswerKind.TRANSFER, reason="이관", transfer_to=cast.transport
        )
    assert err.value.code == "same_department"
    assert Routing.objects.count() == 1


def test_it_answers_only_once(cast, routing):
    services.answer_routing(actor=cast.sohee, routing=routing, kind=AnswerKind.DECLINE, reason="법령상 불가")
    with pytest.raises(DomainError) as err:
        services.answer_routing(actor=cast.sohee, routing=routing, kind=AnswerKind.ACCEPT)
    assert err.value.code == "already_answered"
    assert Answer.objects.get().kind == AnswerKind.DECLINE


def test_it_lets_only_the_departments_liaison_answer(cast, routing):
    for person in (cast.sehun, cast.jihoon, cast.doyun, cast.minji):
        with pytest.raises(Forbidden):
            services.answer_routing(actor=person, routing=routing, kind=AnswerKind.ACCEPT)
    assert not Answer.objects.exists()


def test_it_marks_a_late_answer(cast, routing):
    Routing.objects.filter(pk=routing.pk).update(answer_due=due(-3))
    answer = services.answer_routing(actor=cast.sohee, routing=routing, kind=AnswerKind.ACCEPT)
    assert answer.on_time is False


def test_it_tells_followers_but_not_the_liaison_about_the_answer(cast, routing):
    services.answer_routing(actor=cast.sohee, routing=routing, kind=AnswerKind.ACCEPT)
    notes = Notification.objects.filter(kind=NotificationKind.ANSWERED).values_list("user__username", flat=True)
    assert sorted(notes) == ["minji", "seojun"]
