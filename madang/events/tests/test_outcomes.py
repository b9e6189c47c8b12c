"""Outcomes: an agreed task becomes a proposal routed to every participating agency, whose
liaison answers through the follow-through; the outcomes page shows where it stands at each."""

from datetime import timedelta

import pytest
from django.utils import timezone

from madang.calls.models import Proposal
from madang.core.errors import DomainError, Forbidden
from madang.events import selectors, services
from madang.events.models import BoardKind, SessionKind
from madang.followup import services as followup
from madang.followup.models import AnswerKind, Routing
from madang.ledger.models import Entry
from madang.people import services as people
from madang.people.models import Organisation, Role

from .conftest import client, session


@pytest.fixture
def agreed(folk, event):
    c = folk.cast
    for u in (c.minji, folk.jia, folk.min):
        services.register(actor=u, event=event)
    mois_dept = Organisation.objects.get(code="mois-inno")
    people.grant_role(actor=None, user=folk.seungho, role=Role.LIAISON, organisation=mois_dept)
    board = services.create_board(
        actor=c.doyun, session=session(event, SessionKind.GROUPS), kind=BoardKind.REVERSE, title="민원 역발상", group=3
    )
    worse = services.post_item(actor=c.minji, board=board, text="서류를 세 번 떼게 한다")
    task = services.create_task(
        actor=c.doyun,
        event=event,
        title="서류 없는 민원 처리",
        description="행정정보 공동이용 확대",
        board=board,
        item=worse,
    )
    services.agree_task(actor=c.doyun, task=task)
    # The tasks go out through a call open to every participating agency (its routable departments).
    c.call.eligible_organisations.add(*selectors.participating_agencies(event))
    return task


def test_it_sends_an_agreed_task_to_every_participating_agency(folk, agreed):
    c = folk.cast
    due = timezone.localdate() + timedelta(days=14)
    routings = services.send_task(actor=c.doyun, task=agreed, call=c.call, answer_due=due)
    agreed.refresh_from_db()
    p = agreed.proposal
    assert p is not None and p.status == "submitted" and p.call == c.call and p.title == "서류 없는 민원 처리"
    assert "민원 역발상" in p.solution and "2026 범정부 혁신 해커톤" in p.solution
    agencies = {r.department.agency().name for r in routings}
    assert agencies == {"한빛도", "행정안전부", "국토교통부"}
    assert all(r.answer_due == due for r in routings)
    hanbit = next(r for r in routings if r.department.agency().name == "한빛도")
    assert hanbit.department in (c.transport, c.welfare)  # a department whose liaison answers
    assert agreed.board.group == 3 and agreed.group == 3
    assert Entry.objects.filter(kind="events.task_sent").count() == 1
    with pytest.raises(DomainError):
        services.send_task(actor=c.doyun, task=agreed, call=c.call, answer_due=due)


def test_it_refuses_tasks_not_agreed_and_senders_who_cannot_route(folk, event, agreed):
    c = folk.cast
    due = timezone.localdate() + timedelta(days=7)
    raw = services.create_task(actor=c.doyun, event=event, title="아직 논의 중")
    with pytest.raises(DomainError):
        services.send_task(actor=c.doyun, task=raw, call=c.call, answer_due=due)
    with pytest.raises(Forbidden):  # a facilitator is not the call's innovation team: nothing is half-sent
        services.send_task(actor=folk.haram, task=agreed, call=c.call, answer_due=due)
    assert not Proposal.objects.filter(title="서류 없는 민원 처리").exists()
    with pytest.raises(Forbidden):
        services.send_task(actor=c.minji, task=agreed, call=c.call, answer_due=due)
    with pytest.raises(DomainError):  # the follow-through's rule: no deadline in the past
        services.send_task(actor=c.doyun, task=agreed, call=c.call, answer_due=timezone.localdate() - timedelta(days=1))
    with pytest.raises(Forbidden):
        services.agree_task(actor=c.minji, task=raw)


def test_it_shows_each_agencys_own_decision_on_the_outcomes_page(folk, agreed):
    c = folk.cast
    routings = services.send_task(
        actor=c.doyun, task=agreed, call=c.call, answer_due=timezone.localdate() + timedelta(days=14)
    )
    by_agency = {r.department.agency().name: r for r in routings}
    assert "서류 없는 민원 처리" in client(folk.seungho).get("/followup/").content.decode()  # in the agency's inbox
    followup.answer_routing(
        actor=folk.seungho, routing=by_agency["행정안전부"], kind=AnswerKind.DECLINE, reason="이미 추진 중"
    )
    liaison = c.sohee if by_agency["한빛도"].department == c.transport else c.sehun
    followup.answer_routing(actor=liaison, routing=by_agency["한빛도"], kind=AnswerKind.ACCEPT)
    followup.post_execution_update(actor=liaison, routing=by_agency["한빛도"], state="in_progress", percent=40)
    with pytest.raises(Forbidden):  # another agency's liaison does not answer for 국토교통부
        followup.answer_routing(actor=folk.seungho, routing=by_agency["국토교통부"], kind=AnswerKind.ACCEPT)
    Routing.objects.filter(pk=by_agency["국토교통부"].pk).update(answer_due=timezone.localdate() - timedelta(days=1))
    agreed.refresh_from_db()
    states = {s.agency.name: (s.state, s.execution, s.percent) for s in selectors.task_standings(agreed)}
    assert states == {
        "한빛도": ("accept", "in_progress", 40),
        "행정안전부": ("decline", "", 0),
        "국토교통부": ("overdue", "", 0),
    }
    page = client(c.minji).get("/events/hackathon/outcomes/").content.decode()
    assert "행정안전부" in page and "standing-decline" in page and "standing-overdue" in page and "40%" in page
    api = client(c.minji).get("/api/events/hackathon/tasks").json()
    assert {s["state"] for s in api[0]["standings"]} == {"accept", "decline", "overdue"}
    assert client(c.bada).get("/events/hackathon/outcomes/").status_code == 404


def test_it_follows_a_transfer_to_the_department_answering_now(folk, agreed):
    c = folk.cast
    routings = services.send_task(
        actor=c.doyun, task=agreed, call=c.call, answer_due=timezone.localdate() + timedelta(days=14)
    )
    hanbit = next(r for r in routings if r.department.agency().name == "한빛도")
    liaison = c.sohee if hanbit.department == c.transport else c.sehun
    other = c.welfare if hanbit.department == c.transport else c.transport
    followup.answer_routing(
        actor=liaison, routing=hanbit, kind=AnswerKind.TRANSFER, reason="소관 부서로", transfer_to=other
    )
    agreed.refresh_from_db()
    standing = next(s for s in selectors.task_standings(agreed) if s.agency.name == "한빛도")
    assert standing.department == other and standing.state == "awaiting"
    assert len(selectors.task_standings(agreed)) == 3


def test_it_runs_the_outcome_steps_from_the_page(folk, event, agreed):
    c = folk.cast
    r = client(c.doyun).post("/events/hackathon/do/task/", {"title": "쉬운 공문서", "description": ""})
    assert r.status_code == 302
    task = event.tasks.get(title="쉬운 공문서")
    client(c.doyun).post("/events/hackathon/do/agree_task/", {"task": task.pk})
    r = client(c.doyun).post(
        "/events/hackathon/do/send_task/",
        {"task": task.pk, "call": c.call.pk, "answer_due": (timezone.localdate() + timedelta(days=10)).isoformat()},
    )
    assert r.status_code == 302
    task.refresh_from_db()
    assert task.agreed_at and task.proposal and task.proposal.routings.count() == 3
    assert client(c.minji).post("/events/hackathon/do/task/", {"title": "몰래"}).status_code == 403


def test_it_sends_a_provinces_copy_to_the_province_not_to_a_city_inside_it(folk):
    from .conftest import agency

    province = folk.cast.province
    city = people.create_organisation(actor=None, code="hanbit-city", name="빛고을시", kind="local", parent=province)
    people.create_organisation(actor=None, code="hanbit-city-a", name="가과", kind="department", parent=city)
    assert selectors.receiving_department(province).agency() == province
    assert selectors.receiving_department(city).agency() == city
    assert selectors.receiving_department(agency("lonely", "외딴청").parent).name == "혁신행정담당관"


def test_it_refuses_a_call_that_cannot_reach_every_agency_and_sends_nothing(folk, agreed):
    c = folk.cast
    c.call.eligible_organisations.clear()
    with pytest.raises(DomainError) as refused:
        services.send_task(
            actor=c.doyun, task=agreed, call=c.call, answer_due=timezone.localdate() + timedelta(days=14)
        )
    assert refused.value.code == "unreachable_agencies"
    agreed.refresh_from_db()
    assert agreed.proposal_id is None and not Routing.objects.exists()


def test_it_offers_only_the_calls_the_organiser_may_read_when_sending_a_task(folk, agreed):
    """새벽도 runs a call only its own officials may read: 강도윤, sending 한빛도's task, is not offered it."""
    from madang.calls import rules as call_rules
    from madang.calls import services as calls
    from madang.calls.models import Confidentiality
    from madang.events import forms
    from madang.testing import phases_around

    c = folk.cast
    secret = calls.create_call(
        actor=c.admin,
        slug="saebyeok-secret",
        title="새벽도 내부 공모",
        organisation=c.other_province,
        phases=phases_around(timezone.now()),
        confidentiality=Confidentiality.LISTED,
    )
    assert not call_rules.can_view_call(c.doyun, secret)
    offered = set(forms.SendTaskForm(user=c.doyun).fields["call"].queryset)
    assert c.call in offered and secret not in offered
    form = forms.SendTaskForm(
        {"call": secret.pk, "answer_due": timezone.localdate() + timedelta(days=14)}, user=c.doyun
    )
    assert not form.is_valid() and "call" in form.errors
    r = client(c.doyun).get(f"/events/{agreed.event.slug}/outcomes/")
    assert r.status_code == 200 and "새벽도 내부 공모" not in r.content.decode()
