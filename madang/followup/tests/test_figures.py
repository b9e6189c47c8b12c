"""The follow-through figures count overdue and waiting routings: "100% on time" when 57 of 180
are overdue was the finding (the rate counted only answered routings)."""

from datetime import date, timedelta

from django.test import Client
from django.utils import timezone

from madang.calls.models import PhaseKind
from madang.followup import services
from madang.followup.models import AnswerKind, Routing
from madang.followup.selectors import RoutingFact, count_routings
from madang.review import services as review
from madang.testing import set_phase

TODAY = date(2026, 12, 6)


def fact(due_in: int, answer: str = "", on_time: bool = True, execution: str = "", pid: int = 1) -> RoutingFact:
    return RoutingFact(
        proposal_id=pid,
        department="한빛도 교통과",
        answer_due=TODAY + timedelta(days=due_in),
        answer=answer,
        on_time=on_time,
        execution=execution,
    )


def test_it_counts_the_hackathon_finding_honestly():
    facts = [fact(-3, "accept")] * 12 + [fact(-3)] * 57 + [fact(+10)] * 111
    s = count_routings(facts, TODAY)
    assert (s.routed, s.answered_on_time, s.answered_late, s.overdue, s.waiting) == (180, 12, 0, 57, 111)
    assert s.due == 69
    assert s.on_time_rate == 17  # 12 of 69 due so far, not "100%"
    assert s.answered_on_time + s.answered_late + s.overdue + s.waiting == s.routed


def test_it_says_nothing_is_due_instead_of_zero_percent():
    s = count_routings([fact(+5), fact(+1)], TODAY)
    assert s.on_time_rate is None and s.waiting == 2
    assert count_routings([], TODAY).on_time_rate is None


def test_it_says_zero_when_everything_due_is_overdue():
    assert count_routings([fact(-1), fact(+1)], TODAY).on_time_rate == 0


def test_it_counts_the_due_date_itself_as_within_the_deadline():
    assert count_routings([fact(0)], TODAY).waiting == 1
    assert count_routings([fact(0)], TODAY + timedelta(days=1)).overdue == 1  # the clock moves, the facts do not


def test_it_counts_late_answers_and_each_kind():
    s = count_routings(
        [
            fact(-5, "accept", execution="done"),
            fact(-5, "partial", on_time=False, execution="in_progress"),
            fact(-5, "decline"),
            fact(+3, "accept"),
        ],
        TODAY,
    )
    assert (s.answered_on_time, s.answered_late, s.accepted, s.partial, s.declined) == (3, 1, 2, 1, 1)
    assert (s.executed, s.executing, s.adopted, s.on_time_rate) == (1, 1, 3, 75)


def test_it_shows_the_rate_with_its_definition_and_a_line_per_proposal(cast):
    a = cast.proposal(title="버스 정류장 온열 의자")
    b = cast.proposal(author=cast.seojun, title="민원실 번호표 알림")
    set_phase(cast.call, PhaseKind.SELECTION)
    today = timezone.localdate()
    review.route_decision(actor=cast.doyun, proposal=a, department=cast.transport, answer_due=today + timedelta(days=7))
    review.route_decision(actor=cast.doyun, proposal=b, department=cast.welfare, answer_due=today + timedelta(days=7))
    services.answer_routing(actor=cast.sohee, routing=Routing.objects.get(proposal=a), kind=AnswerKind.ACCEPT)
    Routing.objects.filter(proposal=b).update(answer_due=today - timedelta(days=2))  # 복지과 let it pass
    page = Client(HTTP_ACCEPT_LANGUAGE="ko").get(f"/followup/dashboard/{cast.call.slug}/").content.decode()
    assert 'margin:0">50%</p>' in page  # 교통과 on time, 복지과 overdue: one of two due so far
    assert "지금까지 기한이 된 2건" in page  # the definition beside the figure
    assert "버스 정류장 온열 의자" in page and "민원실 번호표 알림" in page
    assert "수용 1" in page and "기한 초과 1" in page


def test_it_shows_a_dash_when_nothing_is_due_yet(cast):
    page = Client(HTTP_ACCEPT_LANGUAGE="ko").get("/followup/dashboard/").content.decode()
    assert 'margin:0">—</p>' in page and 'margin:0">0%' not in page
