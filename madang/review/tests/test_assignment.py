"""Spreading proposals over reviewers without conflicts of interest."""

from collections import Counter

import pytest

from madang.core.errors import DomainError, Forbidden
from madang.inbox.models import Notification, NotificationKind
from madang.review import services
from madang.review.models import Assignment
from madang.review.rules import has_conflict


def test_it_spreads_proposals_evenly_and_avoids_conflicts(cast):
    civil = [cast.proposal(title=f"민원 제안 {i}") for i in range(3)]
    transport = [cast.proposal(author=cast.jihoon, title=f"교통 제안 {i}") for i in range(3)]
    reviewers = [cast.yuna, cast.haneul, cast.seojun, cast.jihoon]

    created = services.assign_reviewers(actor=cast.doyun, call=cast.call, reviewers=reviewers, per_proposal=2)

    assert len(created) == 12
    pairs = list(Assignment.objects.select_related("proposal__author", "reviewer"))
    assert not [a for a in pairs if has_conflict(a.reviewer, a.proposal)]
    assert not [a for a in pairs if a.reviewer == a.proposal.author]
    assert not [a for a in pairs if a.reviewer.department_id == a.proposal.author.department_id]
    per_proposal = Counter(a.proposal_id for a in pairs)
    assert set(per_proposal.values()) == {2}
    assert set(per_proposal) == {p.pk for p in civil + transport}
    loads = Counter(a.reviewer_id for a in pairs)
    assert max(loads.values()) - min(loads.values()) <= 1


def test_it_keeps_loads_within_one_when_reviewers_outnumber_the_work(cast):
    for i in range(4):
        cast.proposal(title=f"제안 {i}")
    services.assign_reviewers(
        actor=cast.doyun, call=cast.call, reviewers=[cast.yuna, cast.haneul, cast.sohee], per_proposal=1
    )
    loads = Counter(Assignment.objects.values_list("reviewer__username", flat=True))
    assert sorted(loads.values()) == [1, 1, 2]


def test_it_tells_each_reviewer_once_per_proposal(cast):
    p = cast.proposal()
    services.assign_reviewers(actor=cast.doyun, call=cast.call, reviewers=[cast.yuna, cast.haneul], per_proposal=2)
    notes = Notification.objects.filter(kind=NotificationKind.ASSIGNED, proposal=p)
    assert sorted(notes.values_list("user__username", flat=True)) == ["haneul", "yuna"]


def test_it_tops_up_without_repeating_existing_assignments(cast):
    cast.proposal()
    services.assign_reviewers(actor=cast.doyun, call=cast.call, reviewers=[cast.yuna], per_proposal=1)
    services.assign_reviewers(actor=cast.doyun, call=cast.call, reviewers=[cast.yuna, cast.haneul], per_proposal=2)
    assert sorted(Assignment.objects.values_list("reviewer__username", flat=True)) == ["haneul", "yuna"]
    assert (
        services.assign_reviewers(actor=cast.doyun, call=cast.call, reviewers=[cast.yuna, cast.haneul], per_proposal=2)
        == []
    )


def test_it_reports_an_infeasible_request_and_assigns_nothing(cast):
    cast.proposal()
    with pytest.raises(DomainError) as err:
        services.assign_reviewers(
            actor=cast.doyun, call=cast.call, reviewers=[cast.yuna, cast.haneul, cast.seojun], per_proposal=3
        )
    assert err.value.code == "infeasible"
    assert not Assignment.objects.exists()
    assert not Notification.objects.filter(kind=NotificationKind.ASSIGNED).exists()


def test_it_skips_drafts_and_decided_proposals(cast):
    cast.proposal(submit=False)
    services.assign_reviewers(actor=cast.doyun, call=cast.call, reviewers=[cast.yuna], per_proposal=1)
    assert not Assignment.objects.exists()


def test_it_lets_only_the_team_assign(cast):
    p = cast.proposal()
    with pytest.raises(Forbidden):
        services.assign_reviewers(actor=cast.yuna, call=cast.call, reviewers=[cast.haneul], per_proposal=1)
    with pytest.raises(Forbidden):
        services.assign_reviewer(actor=cast.minji, proposal=p, reviewer=cast.yuna)
    with pytest.raises(DomainError) as err:
        services.assign_reviewers(actor=cast.doyun, call=cast.call, reviewers=[cast.haneul], per_proposal=0)
    assert err.value.code == "bad_number"
    assert not Assignment.objects.exists()


def test_it_refuses_a_reviewer_with_a_conflict(cast):
    p = cast.proposal()
    cast.coauthor(p, cast.jihoon)
    for conflicted in (
        cast.minji,
        cast.seojun,
        cast.jihoon,
        cast.sohee,
    ):  # author, colleague, co-author, co-author's colleague
        with pytest.raises(DomainError) as err:
            services.assign_reviewer(actor=cast.doyun, proposal=p, reviewer=conflicted)
        assert err.value.code == "conflict"
    assert not Assignment.objects.exists()


def test_it_assigns_a_single_reviewer_once(cast):
    p = cast.proposal()
    first = services.assign_reviewer(actor=cast.doyun, proposal=p, reviewer=cast.yuna)
    again = services.assign_reviewer(actor=cast.doyun, proposal=p, reviewer=cast.yuna)
    assert first == again
    assert Notification.objects.filter(kind=NotificationKind.ASSIGNED, user=cast.yuna).count() == 1


def test_it_refuses_to_assign_a_draft(cast):
    p = cast.proposal(submit=False)
    with pytest.raises(DomainError) as err:
        services.assign_reviewer(actor=cast.doyun, proposal=p, reviewer=cast.yuna)
    assert err.value.code == "not_submitted"
