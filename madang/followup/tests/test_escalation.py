"""Unanswered routings past their deadline are flagged once and the right people told."""

from datetime import timedelta

import pytest
from django.utils import timezone

from madang.calls.models import PhaseKind
from madang.followup import services
from madang.followup.models import AnswerKind, Routing
from madang.inbox.models import Notification, NotificationKind
from madang.ledger.models import Entry
from madang.review import services as review
from madang.testing import set_phase


@pytest.fixture
def routing(cast):
    p = cast.proposal()
    set_phase(cast.call, PhaseKind.SELECTION)
    review.route_decision(
        actor=cast.doyun, proposal=p, department=cast.transport, answer_due=timezone.localdate() + timedelta(days=7)
    )
    return Routing.objects.get(proposal=p)


def later(days):
    return timezone.localdate() + timedelta(days=days)


def test_it_leaves_routings_alone_until_the_deadline_passes(cast, routing):
    assert services.escalate_overdue(today=later(7)) == []
    routing.refresh_from_db()
    assert routing.escalated_at is None


def test_it_flags_an_overdue_routing_and_tells_the_team_and_the_liaison(cast, routing):
    assert services.escalate_overdue(today=later(8)) == [routing]
    routing.refresh_from_db()
    assert routing.escalated_at is not None
    told = Notification.objects.filter(kind=NotificationKind.OVERDUE).values_list("user__username", flat=True)
    assert sorted(told) == ["doyun", "sohee"]
    assert Entry.objects.filter(kind="followup.escalated").count() == 1


def test_it_escalates_only_once(cast, routing):
    services.escalate_overdue(today=later(8))
    stamp = Routing.objects.get(pk=routing.pk).escalated_at
    assert services.escalate_overdue(today=later(9)) == []
    assert Routing.objects.get(pk=routing.pk).escalated_at == stamp
    assert Notification.objects.filter(kind=NotificationKind.OVERDUE).count() == 2
    assert Entry.objects.filter(kind="followup.escalated").count() == 1


def test_it_never_escalates_an_answered_routing(cast, routing):
    services.answer_routing(actor=cast.sohee, routing=routing, kind=AnswerKind.ACCEPT)
    assert services.escalate_overdue(today=later(30)) == []
    assert not Notification.objects.filter(kind=NotificationKind.OVERDUE).exists()


def test_it_tells_a_team_granted_on_the_call_only(cast, routing):
    from madang.people import services as people
    from madang.people.models import Role

    people.grant_role(actor=None, user=cast.haneul, role=Role.INNOVATION_TEAM, call=cast.call)
    people.grant_role(actor=None, user=cast.bada, role=Role.INNOVATION_TEAM, organisation=cast.other_province)
    services.escalate_overdue(today=later(8))
    told = Notification.objects.filter(kind=NotificationKind.OVERDUE).values_list("user__username", flat=True)
    assert sorted(told) == ["doyun", "haneul", "sohee"]
