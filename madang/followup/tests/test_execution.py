"""Execution reports after a department accepts: planned → in progress → done (or stopped)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from madang.calls.models import PhaseKind
from madang.core.errors import DomainError, Forbidden
from madang.followup import services
from madang.followup.models import AnswerKind, ExecutionState, ExecutionUpdate, Routing
from madang.inbox.models import Notification, NotificationKind
from madang.review import services as review
from madang.testing import set_phase


def routed(cast):
    p = cast.proposal()
    set_phase(cast.call, PhaseKind.SELECTION)
    review.route_decision(
        actor=cast.doyun, proposal=p, department=cast.transport, answer_due=timezone.localdate() + timedelta(days=14)
    )
    return Routing.objects.get(proposal=p)


@pytest.fixture
def accepted(cast):
    r = routed(cast)
    services.answer_routing(actor=cast.sohee, routing=r, kind=AnswerKind.ACCEPT)
    return r


def post(cast, routing, state, percent=0, note=""):
    return services.post_execution_update(actor=cast.sohee, routing=routing, state=state, percent=percent, note=note)


def test_it_follows_a_plan_to_completion(cast, accepted):
    post(cast, accepted, ExecutionState.PLANNED, note="다음 달 착수")
    post(cast, accepted, ExecutionState.IN_PROGRESS, 40)
    post(cast, accepted, ExecutionState.IN_PROGRESS, 80)
    done = post(cast, accepted, ExecutionState.DONE, 10)
    assert done.percent == 100  # done is done, whatever was typed
    assert list(accepted.updates.values_list("state", "percent")) == [
        ("planned", 0),
        ("in_progress", 40),
        ("in_progress", 80),
        ("done", 100),
    ]


def test_it_takes_no_update_after_done_or_stopped(cast, accepted):
    post(cast, accepted, ExecutionState.DONE)
    with pytest.raises(DomainError) as err:
        post(cast, accepted, ExecutionState.IN_PROGRESS, 50)
    assert err.value.code == "ended"
    assert accepted.updates.count() == 1


def test_it_needs_a_reason_to_stop(cast, accepted):
    with pytest.raises(DomainError) as err:
        post(cast, accepted, ExecutionState.STOPPED)
    assert (err.value.code, err.value.field) == ("required", "note")
    post(cast, accepted, ExecutionState.STOPPED, note="관련 법령 개정으로 중단")
    with pytest.raises(DomainError) as err:
        post(cast, accepted, ExecutionState.IN_PROGRESS, 10)
    assert err.value.code == "ended"


@pytest.mark.parametrize("percent", [-1, 101])
def test_it_keeps_progress_between_zero_and_a_hundred(cast, accepted, percent):
    with pytest.raises(DomainError) as err:
        post(cast, accepted, ExecutionState.IN_PROGRESS, percent)
    assert err.value.code == "out_of_range"
    assert not ExecutionUpdate.objects.exists()


def test_it_refuses_an_unknown_state_and_a_future_date(cast, accepted):
    with pytest.raises(DomainError) as err:
        post(cast, accepted, "paused")
    assert err.value.code == "required"
    with pytest.raises(DomainError) as err:
        services.post_execution_update(
            actor=cast.sohee,
            routing=accepted,
            state=ExecutionState.PLANNED,
            happened_on=timezone.localdate() + timedelta(days=1),
        )
    assert err.value.code == "bad_date"


def test_it_takes_updates_after_a_partial_acceptance(cast):
    r = routed(cast)
    services.answer_routing(actor=cast.sohee, routing=r, kind=AnswerKind.PARTIAL, reason="일부만 시행")
    assert post(cast, r, ExecutionState.IN_PROGRESS, 20).percent == 20


def test_it_takes_no_updates_before_an_answer_or_after_a_decline(cast):
    r = routed(cast)
    with pytest.raises(Forbidden):
        post(cast, r, ExecutionState.PLANNED)
    services.answer_routing(actor=cast.sohee, routing=r, kind=AnswerKind.DECLINE, reason="법령상 불가")
    with pytest.raises(Forbidden):
        post(cast, r, ExecutionState.PLANNED)
    assert not ExecutionUpdate.objects.exists()


def test_it_takes_updates_only_from_the_departments_liaison(cast, accepted):
    for person in (cast.sehun, cast.doyun, cast.minji):
        with pytest.raises(Forbidden):
            services.post_execution_update(actor=person, routing=accepted, state=ExecutionState.PLANNED)
    assert not ExecutionUpdate.objects.exists()


def test_it_tells_the_followers(cast, accepted):
    post(cast, accepted, ExecutionState.IN_PROGRESS, 30)
    note = Notification.objects.get(kind=NotificationKind.EXECUTION)
    assert note.user == cast.minji
    assert note.params["state"] == "in_progress"
