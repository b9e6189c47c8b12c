"""On the demo's data, the team is offered the department where proposals like this one ended up."""

import pytest

from madang.calls import services as calls
from madang.calls.models import Call, Proposal
from madang.followup.models import Routing, RoutingState
from madang.followup.suggest import name_words, suggest_departments
from madang.people.models import Organisation, User


@pytest.fixture
def demo(demo_module, db, settings):
    settings.DEBUG = True


def propose(call, author, title, problem, solution, department=None):
    p = calls.create_proposal(
        actor=author,
        call=call,
        fields=calls.ProposalFields(
            title=title, problem=f"<p>{problem}</p>", solution=f"<p>{solution}</p>", suggested_department=department
        ),
    )
    return calls.submit_proposal(actor=author, proposal=p)


def test_it_suggests_where_a_similar_past_proposal_went_even_after_a_transfer(demo):
    # In the finished call, 축제 쓰레기 다회용기 전환 was sent to 환경정책과, which passed it on to 정보통신과.
    past = Proposal.objects.get(title="축제 쓰레기 다회용기 전환")
    held = Routing.objects.filter(proposal=past).exclude(state=RoutingState.TRANSFERRED).get()
    assert (
        held.department.code == "hanbit-it"
        and Routing.objects.filter(proposal=past, state=RoutingState.TRANSFERRED).exists()
    )
    call = Call.objects.get(slug="hanbit-2026-citizens")
    team = User.objects.get(username="team")
    p = propose(
        call,
        User.objects.get(username="official"),
        "지역 축제 일회용 쓰레기 줄이기",
        "축제가 끝나면 일회용품 쓰레기가 넘칩니다.",
        "다회용기를 빌려주고 축제 뒤에 회수합니다.",
    )
    s = suggest_departments(team, call, [p])[p.pk]
    assert s.department == held.department
    assert [x.proposal_id for x in s.precedents][:1] == [past.pk] and not s.authors_choice


def test_it_weighs_where_similar_proposals_went_over_the_authors_pick(demo):
    # 버스 정류장 실시간 혼잡도 안내 went to 교통정책과; the author of a new one names 정보통신과.
    call = Call.objects.get(slug="hanbit-2026-citizens")
    team = User.objects.get(username="team")
    past = Proposal.objects.get(title="버스 정류장 실시간 혼잡도 안내")
    assert Routing.objects.get(proposal=past).department.code == "hanbit-transport"
    p = propose(
        call,
        User.objects.get(username="official"),
        "버스 정류장 혼잡도 알림",
        "출퇴근 시간 버스 정류장이 너무 붐빕니다.",
        "정류장별 혼잡도를 앱으로 알려 줍니다.",
        department=Organisation.objects.get(code="hanbit-it"),
    )
    s = suggest_departments(team, call, [p])[p.pk]
    assert s.department.code == "hanbit-transport"
    assert past.pk in [x.proposal_id for x in s.precedents] and not s.authors_choice


def test_it_suggests_the_authors_department_when_nothing_like_it_was_routed(demo):
    call = Call.objects.get(slug="hanbit-2026-citizens")
    team = User.objects.get(username="team")
    p = propose(
        call,
        User.objects.get(username="official"),
        "청사 옥상 텃밭",
        "청사 옥상이 비어 있습니다.",
        "직원과 주민이 가꾸는 텃밭으로 씁니다.",
        department=Organisation.objects.get(code="hanbit-hr"),
    )
    s = suggest_departments(team, call, [p])[p.pk]
    assert s.department.code == "hanbit-hr" and s.authors_choice and not s.precedents


def test_it_weighs_past_routings_over_a_single_word_of_a_department_name(demo):
    # The text says "복지" (복지정책과), but proposals like it went to 보건정책과.
    call = Call.objects.get(slug="hanbit-2026-citizens")
    team = User.objects.get(username="team")
    pharmacy = Proposal.objects.get(title="야간 약국 안내 통합")
    assert Routing.objects.get(proposal=pharmacy).department.code == "hanbit-health"
    p = propose(
        call,
        User.objects.get(username="citizen"),
        "주말 약국 안내 한 화면으로",
        "주말과 야간에 문을 연 약국을 찾기 어렵습니다. 복지 차원에서도 중요합니다.",
        "휴일 약국 정보를 한 화면에서 안내합니다.",
    )
    s = suggest_departments(team, call, [p])[p.pk]
    assert s.department == Organisation.objects.get(code="hanbit-health")


def test_it_reads_the_subject_words_of_department_names():
    assert name_words("교통정책과") == ["교통"]
    assert name_words("민원봉사과") == ["민원", "봉사"]
    assert name_words("혁신담당관실") == ["혁신"]
    assert name_words("기획예산과") == ["예산"]
