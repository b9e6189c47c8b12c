"""내 업무: what waits on each person, with the count in the header."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from madang.calls.models import PhaseKind
from madang.followup.models import Routing
from madang.review import services as review
from madang.suggestions import services as suggestions
from madang.testing import set_phase


def page(cast, who):
    c = Client(HTTP_ACCEPT_LANGUAGE="ko")
    c.force_login(getattr(cast, who))
    return c.get("/me/").content.decode()


def scores(call, value=4):
    return {c.pk: value for c in call.criteria.all()}


def test_it_shows_the_team_what_waits_on_it(cast):
    cast.proposal(title="버스 정류장 온열 의자")
    b = cast.proposal(author=cast.seojun, title="민원실 번호표 알림")
    set_phase(cast.call, PhaseKind.REVIEW)
    review.route_decision(
        actor=cast.doyun, proposal=b, department=cast.transport, answer_due=timezone.localdate() + timedelta(days=3)
    )
    Routing.objects.filter(proposal=b).update(answer_due=timezone.localdate() - timedelta(days=1))
    html = page(cast, "doyun")
    assert "결정할 제안 (1)" in html and "버스 정류장 온열 의자" in html
    assert "기한 지난 답변 독촉 (1)" in html and "민원실 번호표 알림" in html
    assert 'class="badge"' in html and ">2</span>" in html  # the count, on the page's own header
    c = Client(HTTP_ACCEPT_LANGUAGE="ko")
    c.force_login(cast.doyun)
    assert "/me/count/" in c.get("/calls/").content.decode()  # other pages fetch it after loading
    assert ">2</span>" in c.get("/me/count/").content.decode()
    assert Client().get("/me/count/").status_code == 302


def test_it_shows_nothing_to_decide_while_the_call_takes_submissions(cast):
    cast.proposal()
    html = page(cast, "doyun")
    assert "결정할 제안" not in html
    assert "제출 완료" in Client(HTTP_ACCEPT_LANGUAGE="ko").get(f"/calls/c/{cast.call.slug}/").content.decode()


def test_it_shows_a_reviewer_open_assignments_with_call_and_deadline(cast):
    p = cast.proposal(title="버스 정류장 온열 의자")
    set_phase(cast.call, PhaseKind.REVIEW)
    a = review.assign_reviewer(actor=cast.doyun, proposal=p, reviewer=cast.yuna)
    html = page(cast, "yuna")
    assert "나에게 배정된 심사 (1)" in html and cast.call.title in html and "심사하기" in html
    review.submit_scorecard(actor=cast.yuna, assignment=a, scores=scores(cast.call), verdict="feasible")
    assert "제출 완료 – 수정" in page(cast, "yuna")
    set_phase(cast.call, PhaseKind.FOLLOW_THROUGH)
    html = page(cast, "yuna")
    assert "제출 완료 – 수정" not in html and "배정된 심사" not in html  # nothing can change any more


def test_it_shows_a_liaison_routings_by_deadline(cast):
    later = cast.proposal(title="늦게 마감")
    sooner = cast.proposal(author=cast.seojun, title="먼저 마감")
    set_phase(cast.call, PhaseKind.SELECTION)
    today = timezone.localdate()
    review.route_decision(
        actor=cast.doyun, proposal=later, department=cast.transport, answer_due=today + timedelta(days=20)
    )
    review.route_decision(
        actor=cast.doyun, proposal=sooner, department=cast.transport, answer_due=today + timedelta(days=5)
    )
    html = page(cast, "sohee")
    assert "우리 부서가 답변할 제안 (2)" in html
    assert html.index("먼저 마감") < html.index("늦게 마감")
    assert "답변할 제안" not in page(cast, "sehun")  # 복지과's liaison has nothing


def test_it_shows_an_official_their_proposals_and_no_count(cast):
    cast.proposal(title="버스 정류장 온열 의자")
    html = page(cast, "minji")
    assert "버스 정류장 온열 의자" in html and 'class="badge"' not in html.split("<main")[0]
    c = Client()
    c.force_login(cast.minji)
    assert "badge" not in c.get("/me/count/").content.decode()


def test_it_leads_each_person_to_their_pages_of_the_suggestion_system(cast):
    """The suggestion pages were reached by their addresses only. 강도윤 (innovation team) may open
    한빛도's office, then works at its desk; 윤소희 (liaison) tracks what 교통과 implements; 한가람
    (citizen) and 김민지 may file, and find their suggestions; 임바다's province has no office."""
    assert 'href="/suggestions/offices/open/"' in page(cast, "doyun")
    assert 'href="/suggestions/mine/"' not in page(cast, "garam")
    assert 'href="/suggestions/implementation/"' not in page(cast, "sohee")  # no office over 교통과 yet
    suggestions.open_office(actor=cast.doyun, organisation=cast.province, citizen_pack="kr-sejong")
    team = page(cast, "doyun")
    assert 'href="/suggestions/"' in team and 'href="/suggestions/implementation/"' in team
    assert "제안 처리 현황" in team and "실시 관리" in team
    assert 'href="/suggestions/implementation/"' in page(cast, "sohee")
    garam = page(cast, "garam")
    assert 'href="/suggestions/mine/"' in garam and "내 제안" in garam
    assert 'href="/suggestions/"' not in garam and 'href="/suggestions/implementation/"' not in garam
    assert 'href="/suggestions/mine/"' not in page(cast, "minji")  # the office takes no officials' suggestions
    assert "/suggestions/" not in page(cast, "bada")
