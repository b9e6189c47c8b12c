"""A NUL character in any JSON text is refused (422, in Korean) before it reaches the database.

PostgreSQL cannot store U+0000 in a text column and answers such a write with an error,
which would otherwise surface as a 500 (SQLite stores it silently).
"""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from madang.calls.models import PhaseKind
from madang.followup.models import Routing
from madang.review import services as review
from madang.review.models import Assignment
from madang.testing import set_phase

NUL = "민원\x00서류"


def client(user, lang: str = "ko") -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE=lang)
    c.force_login(user)
    return c


def refused(r) -> None:
    assert r.status_code == 422, (r.status_code, r.content[:300])
    assert "null 문자는 사용할 수 없습니다" in r.json()["message"]


def test_it_refuses_nul_in_proposals_comments_reports_and_tokens(cast):
    p = cast.proposal(submit=False)
    submitted = cast.proposal(author=cast.seojun, title="다른 제안")
    minji = client(cast.minji)
    refused(minji.post(f"/api/calls/{cast.call.slug}/proposals", {"title": NUL}, content_type="application/json"))
    refused(minji.patch(f"/api/proposals/{p.pk}", {"problem": NUL}, content_type="application/json"))
    refused(minji.post(f"/api/proposals/{submitted.pk}/comments", {"body": NUL}, content_type="application/json"))
    refused(minji.post(f"/api/proposals/{submitted.pk}/reports", {"reason": NUL}, content_type="application/json"))
    refused(minji.post("/api/tokens", {"name": NUL}, content_type="application/json"))


@pytest.fixture
def routed(cast):
    p = cast.proposal()
    set_phase(cast.call, PhaseKind.REVIEW)
    cast.call.refresh_from_db()
    review.assign_reviewers(actor=cast.doyun, call=cast.call, reviewers=[cast.yuna], per_proposal=1)
    return p


def test_it_refuses_nul_in_scorecards_decisions_answers_and_updates(cast, routed):
    p = routed
    assignment = Assignment.objects.get(proposal=p)
    scores = {str(c.pk): 3 for c in cast.call.criteria.all()}
    refused(
        client(cast.yuna).put(
            f"/api/review/assignments/{assignment.pk}/scorecard",
            {"scores": scores, "verdict": "feasible", "comment": NUL},
            content_type="application/json",
        )
    )
    refused(
        client(cast.doyun).post(
            f"/api/review/proposals/{p.pk}/decision", {"kind": "reject", "reason": NUL}, content_type="application/json"
        )
    )
    review.route_decision(
        actor=cast.doyun, proposal=p, department=cast.transport, answer_due=timezone.localdate() + timedelta(days=7)
    )
    routing = Routing.objects.get(proposal=p)
    sohee = client(cast.sohee)
    refused(
        sohee.post(
            f"/api/followup/routings/{routing.pk}/answer",
            {"kind": "partial", "reason": NUL},
            content_type="application/json",
        )
    )
    assert (
        sohee.post(
            f"/api/followup/routings/{routing.pk}/answer", {"kind": "accept"}, content_type="application/json"
        ).status_code
        == 200
    )
    refused(
        sohee.post(
            f"/api/followup/routings/{routing.pk}/updates",
            {"state": "planned", "note": NUL},
            content_type="application/json",
        )
    )
