"""The innovation team's decisions: select, reject, route, merge — once, by the team, in time."""

from datetime import timedelta

import pytest
from django.utils import timezone

from madang.calls import counters
from madang.calls import services as calls
from madang.calls.models import Outcome, PhaseKind, Support
from madang.core.errors import DomainError, Forbidden
from madang.followup.models import Routing, RoutingState
from madang.inbox.models import Notification, NotificationKind
from madang.ledger.models import Entry
from madang.review import services
from madang.review.models import Decision, DecisionKind
from madang.testing import set_phase


def in_two_weeks():
    return timezone.localdate() + timedelta(days=14)


@pytest.fixture
def proposal(cast):
    p = cast.proposal()
    calls.support_proposal(actor=cast.seojun, proposal=p)
    set_phase(cast.call, PhaseKind.SELECTION)
    return p


def test_it_selects_a_proposal_and_tells_its_followers(cast, proposal):
    d = services.select_proposal(actor=cast.doyun, proposal=proposal, reason=" 파급력이 큼 ")
    proposal.refresh_from_db()
    assert (proposal.outcome, d.kind, d.reason, d.decided_by) == (
        Outcome.SELECTED,
        DecisionKind.SELECT,
        "파급력이 큼",
        cast.doyun,
    )
    notified = Notification.objects.filter(kind=NotificationKind.DECISION).values_list("user__username", flat=True)
    assert sorted(notified) == ["minji", "seojun"]
    assert Entry.objects.filter(kind="decision.select", subject=f"proposal:{proposal.pk}").count() == 1


def test_it_rejects_only_with_a_reason(cast, proposal):
    with pytest.raises(DomainError) as err:
        services.reject_proposal(actor=cast.doyun, proposal=proposal, reason="  ")
    assert (err.value.code, err.value.field) == ("required", "reason")
    proposal.refresh_from_db()
    assert proposal.outcome == Outcome.PENDING
    d = services.reject_proposal(actor=cast.doyun, proposal=proposal, reason="이미 시행 중인 제도입니다")
    proposal.refresh_from_db()
    assert (proposal.outcome, d.reason) == (Outcome.NOT_ADOPTED, "이미 시행 중인 제도입니다")


def test_it_opens_a_routing_when_routing(cast, proposal):
    d = services.route_decision(
        actor=cast.doyun, proposal=proposal, department=cast.transport, answer_due=in_two_weeks(), reason="교통과 소관"
    )
    routing = Routing.objects.get(proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.outcome == Outcome.ROUTED
    assert (d.department, routing.department, routing.state, routing.answer_due) == (
        cast.transport,
        cast.transport,
        RoutingState.AWAITING,
        in_two_weeks(),
    )
    assert Notification.objects.filter(user=cast.sohee, kind=NotificationKind.ROUTED).count() == 1


def test_it_decides_only_once(cast, proposal):
    services.select_proposal(actor=cast.doyun, proposal=proposal)
    attempts = [
        lambda: services.select_proposal(actor=cast.doyun, proposal=proposal),
        lambda: services.reject_proposal(actor=cast.doyun, proposal=proposal, reason="재검토"),
        lambda: services.route_decision(
            actor=cast.doyun, proposal=proposal, department=cast.welfare, answer_due=in_two_weeks()
        ),
    ]
    for attempt in attempts:
        with pytest.raises(DomainError) as err:
            attempt()
        assert err.value.code == "already_decided"
    assert Decision.objects.count() == 1
    assert not Routing.objects.exists()


def test_it_lets_only_the_team_decide(cast, proposal):
    for person in (cast.minji, cast.yuna, cast.sohee, cast.jihoon):
        with pytest.raises(Forbidden):
            services.select_proposal(actor=person, proposal=proposal)
    assert services.select_proposal(actor=cast.admin, proposal=proposal).kind == DecisionKind.SELECT


@pytest.mark.parametrize(
    ("phase", "allowed"),
    [
        (PhaseKind.SUBMISSION, False),
        (PhaseKind.REVIEW, True),
        (PhaseKind.SELECTION, True),
        (PhaseKind.FOLLOW_THROUGH, True),
    ],
)
def test_it_decides_only_in_deciding_phases(cast, proposal, phase, allowed):
    set_phase(cast.call, phase)
    if allowed:
        services.reject_proposal(actor=cast.doyun, proposal=proposal, reason="예산 부족")
        assert Decision.objects.count() == 1
    else:
        with pytest.raises(Forbidden):
            services.reject_proposal(actor=cast.doyun, proposal=proposal, reason="예산 부족")
        assert not Decision.objects.exists()


def test_it_refuses_decisions_on_withdrawn_proposals(cast):
    p = calls.withdraw_proposal(actor=cast.minji, proposal=cast.proposal())
    set_phase(cast.call, PhaseKind.SELECTION)
    with pytest.raises(DomainError) as err:
        services.select_proposal(actor=cast.doyun, proposal=p)
    assert err.value.code == "not_submitted"


class TestMerge:
    @pytest.fixture
    def pair(self, cast):
        # 김민지's idea, supported by 이서준, 최유나 and 박지훈; merged into 박지훈's, which 이서준
        # and 김민지 already support.
        source = cast.proposal(title="민원 서류 간소화")
        target = cast.proposal(author=cast.jihoon, title="서류 없는 민원")
        for person in (cast.seojun, cast.yuna, cast.jihoon):
            calls.support_proposal(actor=person, proposal=source)
        for person in (cast.seojun, cast.minji):
            calls.support_proposal(actor=person, proposal=target)
        set_phase(cast.call, PhaseKind.SELECTION)
        return source, target

    def test_it_carries_supports_and_authors_over_without_duplicates(self, cast, pair):
        source, target = pair
        d = services.merge_proposal(actor=cast.doyun, proposal=source, into=target, reason="같은 문제")
        source.refresh_from_db()
        target.refresh_from_db()
        assert (source.outcome, source.merged_into, d.merged_into) == (Outcome.MERGED, target, target)
        assert target.author_ids() == {cast.jihoon.pk, cast.minji.pk}
        supporters = sorted(Support.objects.filter(proposal=target).values_list("user__username", flat=True))
        assert supporters == ["seojun", "yuna"]
        assert target.support_count == 2
        assert counters.live(target.pk) == (2, 0)

    def test_it_leaves_no_author_supporting_their_own_proposal(self, cast, pair):
        source, target = pair
        services.merge_proposal(actor=cast.doyun, proposal=source, into=target)
        target.refresh_from_db()
        assert not Support.objects.filter(proposal=target, user_id__in=target.author_ids()).exists()

    def test_it_refuses_merging_into_itself_or_across_calls(self, cast, pair):
        source, _target = pair
        with pytest.raises(DomainError) as err:
            services.merge_proposal(actor=cast.doyun, proposal=source, into=source)
        assert err.value.code == "self_merge"
        other = calls.create_call(
            actor=cast.doyun,
            slug="other",
            title="다른 공모",
            organisation=cast.province,
            phases=[
                calls.PhaseSpec(
                    PhaseKind.SUBMISSION, timezone.now() - timedelta(days=1), timezone.now() + timedelta(days=1)
                )
            ],
        )
        stranger = calls.submit_proposal(
            actor=cast.seojun,
            proposal=calls.create_proposal(
                actor=cast.seojun,
                call=other,
                fields=calls.ProposalFields(title="다른 공모 제안", problem="문제", solution="해결"),
            ),
        )
        with pytest.raises(DomainError) as err:
            services.merge_proposal(actor=cast.doyun, proposal=source, into=stranger)
        assert err.value.code == "other_call"
        assert not Decision.objects.exists()

    def test_it_refuses_a_target_that_was_itself_merged(self, cast, pair):
        source, target = pair
        services.merge_proposal(actor=cast.doyun, proposal=target, into=source)
        with pytest.raises(DomainError) as err:
            services.merge_proposal(actor=cast.doyun, proposal=source, into=target)
        assert err.value.code == "bad_target"
        source.refresh_from_db()
        assert source.outcome == Outcome.PENDING
