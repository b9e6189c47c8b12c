"""Conflicts of interest checked when a score is written (issue 12 §4), one rule for the
departments a proposal may be routed to, and one decide path for the page and the API (issue 13)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from madang.calls import services as calls
from madang.calls.models import PhaseKind, Proposal
from madang.core.errors import DomainError
from madang.followup import services as followup
from madang.followup.models import Routing
from madang.people import services as people
from madang.review import rules
from madang.review import services as review
from madang.review.models import Assignment, Decision, Scorecard
from madang.testing import PASSWORD, set_phase


def client(cast, who) -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE="ko")
    c.force_login(who if not isinstance(who, str) else getattr(cast, who))
    return c


def marks(cast) -> dict[str, object]:
    return {"scores": {str(c.pk): 3 for c in cast.call.criteria.all()}, "verdict": "feasible", "comment": ""}


def due():
    return timezone.localdate() + timedelta(days=14)


@pytest.fixture
def nuri(cast):
    """노누리, 7급 in 기획과: the department of the reviewer 최유나."""
    return people.create_user(
        actor=None,
        username="nuri",
        display_name="노누리",
        password=PASSWORD,
        email="nuri@example.kr",
        department=cast.planning,
        grade=7,
        title="주무관",
    )


def test_it_refuses_a_score_from_a_reviewer_whose_colleague_became_a_coauthor_after_assignment(cast, nuri):
    # Finding: a same-department co-author added after assignment was not caught.
    p = cast.proposal()
    assignment = review.assign_reviewer(actor=cast.doyun, proposal=p, reviewer=cast.yuna)
    cast.coauthor(Proposal.objects.get(pk=p.pk), nuri)
    set_phase(cast.call, PhaseKind.REVIEW)
    r = client(cast, "yuna").put(
        f"/api/review/assignments/{assignment.pk}/scorecard", marks(cast), content_type="application/json"
    )
    assert r.status_code == 400 and r.json()["code"] == "conflict"
    page = client(cast, "yuna").post(
        f"/review/assignments/{assignment.pk}/",
        {"verdict": "feasible", **{f"c{c.pk}": 3 for c in cast.call.criteria.all()}},
    )
    assert page.status_code == 400
    assert not Scorecard.objects.exists()
    assert client(cast, "yuna").get("/api/review/assignments").json()[0]["can_score"] is False
    # The team sees the assignment flagged on the review board.
    board = client(cast, "doyun").get(f"/review/c/{cast.call.slug}/")
    assert [(a.pk, conflict) for a, conflict in board.context["assignments"]] == [(assignment.pk, True)]


def test_it_refuses_a_score_from_a_reviewer_who_became_an_author_by_a_merge(cast):
    # Finding: a reviewer added as co-author then scored that proposal (PUT .../scorecard → 200).
    p = cast.proposal()
    own = cast.proposal(author=cast.yuna, title="최유나의 비슷한 제안")
    assignment = review.assign_reviewer(actor=cast.doyun, proposal=p, reviewer=cast.yuna)
    set_phase(cast.call, PhaseKind.REVIEW)
    review.merge_proposal(actor=cast.doyun, proposal=own, into=Proposal.objects.get(pk=p.pk))
    assert cast.yuna.pk in Proposal.objects.get(pk=p.pk).author_ids()
    r = client(cast, "yuna").put(
        f"/api/review/assignments/{assignment.pk}/scorecard", marks(cast), content_type="application/json"
    )
    assert r.status_code == 400 and r.json()["code"] == "conflict"
    assert not Scorecard.objects.exists()


def test_it_does_not_let_an_assigned_reviewer_accept_co_authorship(cast):
    p = cast.proposal()
    review.assign_reviewer(actor=cast.doyun, proposal=p, reviewer=cast.yuna)
    invitation = calls.invite_coauthor(actor=cast.minji, proposal=p, invitee=cast.yuna)
    r = client(cast, "yuna").post(
        f"/api/invitations/{invitation.pk}/answer", {"accept": True}, content_type="application/json"
    )
    assert r.status_code == 400 and r.json()["code"] == "conflict"
    assert Proposal.objects.get(pk=p.pk).author_ids() == {cast.minji.pk}


def test_it_counts_only_accepted_coauthors_as_a_conflict(cast, nuri):
    p = cast.proposal()
    calls.invite_coauthor(actor=cast.minji, proposal=p, invitee=nuri)
    assert not rules.has_conflict(cast.yuna, Proposal.objects.get(pk=p.pk))
    assert review.assign_reviewer(actor=cast.doyun, proposal=p, reviewer=cast.yuna)


# ---------------------------------------------------------------- routing departments


def test_it_refuses_in_the_service_to_route_to_a_department_the_call_does_not_reach(cast):
    p = cast.proposal()
    elsewhere = cast.bada.department  # 새벽도 민원과
    set_phase(cast.call, PhaseKind.REVIEW)
    with pytest.raises(DomainError) as err:
        followup.route_proposal(actor=cast.doyun, proposal=p, department=elsewhere, answer_due=due())
    assert err.value.code == "bad_department"
    with pytest.raises(DomainError):
        review.route_decision(actor=cast.doyun, proposal=p, department=elsewhere, answer_due=due())
    assert not Routing.objects.exists() and not Decision.objects.exists()
    r = client(cast, "doyun").post(
        f"/api/review/proposals/{p.pk}/decision",
        {"kind": "route", "department_id": elsewhere.pk, "answer_due": due().isoformat()},
        content_type="application/json",
    )
    assert r.status_code == 404
    page = client(cast, "doyun").post(
        f"/review/p/{p.pk}/decide/", {"kind": "route", "department": elsewhere.pk, "answer_due": due().isoformat()}
    )
    assert page.status_code == 400
    assert not Routing.objects.exists()


def test_it_refuses_a_transfer_to_a_department_the_call_does_not_reach(cast):
    p = cast.proposal()
    set_phase(cast.call, PhaseKind.REVIEW)
    review.route_decision(actor=cast.doyun, proposal=p, department=cast.transport, answer_due=due())
    routing = Routing.objects.get()
    with pytest.raises(DomainError) as err:
        followup.answer_routing(
            actor=cast.sohee, routing=routing, kind="transfer", reason="소관 아님", transfer_to=cast.bada.department
        )
    assert err.value.code == "bad_department"
    r = client(cast, "sohee").post(
        f"/api/followup/routings/{routing.pk}/answer",
        {"kind": "transfer", "reason": "소관 아님", "transfer_to": cast.bada.department.pk},
        content_type="application/json",
    )
    assert r.status_code == 404
    routing.refresh_from_db()
    assert routing.state == "awaiting"


def test_it_offers_the_same_departments_in_every_form_and_the_api(cast):
    from madang.calls.forms import ProposalForm
    from madang.calls.selectors import routable_departments
    from madang.followup.forms import AnswerForm
    from madang.review.forms import DecisionForm

    p = cast.proposal()
    expected = set(routable_departments(cast.call))
    assert cast.bada.department not in expected and cast.transport in expected
    assert set(ProposalForm(call=cast.call).fields["suggested_department"].queryset) == expected
    assert set(DecisionForm(proposal=p).fields["department"].queryset) == expected
    assert set(AnswerForm(call=cast.call).fields["transfer_to"].queryset) == expected


# ---------------------------------------------------------------- one decide path


def test_it_decides_through_one_service_path_from_the_page_and_the_api(cast, monkeypatch):
    seen = []
    original = review.decide

    def spy(**kwargs):
        seen.append(kwargs["kind"])
        return original(**kwargs)

    monkeypatch.setattr(review, "decide", spy)
    a, b = cast.proposal(title="가"), cast.proposal(title="나")
    set_phase(cast.call, PhaseKind.REVIEW)
    page = client(cast, "doyun").post(f"/review/p/{a.pk}/decide/", {"kind": "reject", "reason": "예산 부족"})
    assert page.status_code == 302
    r = client(cast, "doyun").post(
        f"/api/review/proposals/{b.pk}/decision",
        {"kind": "route", "department_id": cast.transport.pk},
        content_type="application/json",
    )
    assert r.status_code == 400 and r.json()["field"] == "answer_due", r.content
    r = client(cast, "doyun").post(
        f"/api/review/proposals/{b.pk}/decision", {"kind": "select"}, content_type="application/json"
    )
    assert r.status_code == 201
    assert seen == ["reject", "route", "select"]
    assert Assignment.objects.count() == 0
