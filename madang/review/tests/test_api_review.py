"""Review over JSON: 최유나 scores what she was assigned, 강도윤's team reads results, assigns and decides."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from madang.calls.models import PhaseKind, Proposal
from madang.followup.models import Routing
from madang.review import services as review
from madang.review.models import Assignment, Decision, Scorecard
from madang.testing import set_phase

ROLES = ["anonymous", "minji", "seojun", "garam", "bada", "yuna", "doyun", "sohee", "admin"]
TEAM = {"doyun", "admin"}


def client(cast, who: str, lang: str = "ko") -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE=lang)
    if who != "anonymous":
        c.force_login(getattr(cast, who))
    return c


def send(c: Client, method: str, url: str, data: dict):
    return getattr(c, method)(url, data, content_type="application/json")


def full_marks(cast) -> dict[str, int]:
    return {str(c.pk): c.max_score for c in cast.call.criteria.all()}


def due() -> str:
    return (timezone.localdate() + timedelta(days=14)).isoformat()


def team_only(got: dict[str, int], ok: int) -> dict[str, int]:
    return {who: 401 if who == "anonymous" else (ok if who in TEAM else 404) for who in got}


# ---------------------------------------------------------------- reviewers


def test_it_lets_yuna_score_her_assignment_and_revise_it(cast):
    p = cast.proposal()
    a = review.assign_reviewer(actor=cast.doyun, proposal=p, reviewer=cast.yuna)
    set_phase(cast.call, PhaseKind.REVIEW)
    yuna = client(cast, "yuna")
    mine = yuna.get("/api/review/assignments").json()
    assert [(m["id"], m["proposal_title"], m["can_score"], m["scorecard"]) for m in mine] == [
        (a.pk, p.title, True, None)
    ]
    r = send(
        yuna,
        "put",
        f"/api/review/assignments/{a.pk}/scorecard",
        {"scores": full_marks(cast), "verdict": "feasible", "comment": "좋습니다"},
    )
    assert r.status_code == 200, r.content
    assert r.json()["total"] == 100.0
    scores = {str(c.pk): 0 for c in cast.call.criteria.all()}
    r = send(yuna, "put", f"/api/review/assignments/{a.pk}/scorecard", {"scores": scores, "verdict": "infeasible"})
    assert (r.json()["total"], r.json()["verdict"]) == (0.0, "infeasible")
    assert Scorecard.objects.count() == 1
    assert yuna.get("/api/review/assignments").json()[0]["scorecard"]["verdict"] == "infeasible"


def test_it_lets_only_the_assigned_reviewer_score_during_review(cast):
    p = cast.proposal()
    a = review.assign_reviewer(actor=cast.doyun, proposal=p, reviewer=cast.yuna)
    set_phase(cast.call, PhaseKind.REVIEW)
    body = {"scores": full_marks(cast), "verdict": "feasible"}
    got = {
        who: send(client(cast, who), "put", f"/api/review/assignments/{a.pk}/scorecard", body).status_code
        for who in ROLES
    }
    # The team may open the assignment but not fill it in; everyone else does not see it.
    assert got == {**team_only(got, 403), "yuna": 200}


def test_it_refuses_scores_outside_the_review_phases(cast):
    p = cast.proposal()
    a = review.assign_reviewer(actor=cast.doyun, proposal=p, reviewer=cast.yuna)
    r = send(
        client(cast, "yuna", "en"),
        "put",
        f"/api/review/assignments/{a.pk}/scorecard",
        {"scores": full_marks(cast), "verdict": "feasible"},
    )
    assert r.status_code == 403
    assert r.json()["message"] == "This review is not yours to fill in, or the review period is over."
    assert Scorecard.objects.count() == 0


def test_it_refuses_incomplete_or_impossible_scores(cast):
    p = cast.proposal()
    a = review.assign_reviewer(actor=cast.doyun, proposal=p, reviewer=cast.yuna)
    set_phase(cast.call, PhaseKind.REVIEW)
    yuna = client(cast, "yuna", "en")
    url = f"/api/review/assignments/{a.pk}/scorecard"
    marks = full_marks(cast)
    first = next(iter(marks))
    r = send(yuna, "put", url, {"scores": {first: 3}, "verdict": "feasible"})
    assert (r.status_code, r.json()["message"]) == (400, "Please score every criterion.")
    r = send(yuna, "put", url, {"scores": {**marks, first: 6}, "verdict": "feasible"})
    assert (r.status_code, r.json()["code"]) == (400, "out_of_range")
    r = send(yuna, "put", url, {"scores": marks, "verdict": "maybe"})
    assert (r.status_code, r.json()["field"]) == (422, "verdict")
    r = send(yuna, "put", url, {"scores": [5, 5, 5], "verdict": "feasible"})
    assert (r.status_code, r.json()["field"]) == (422, "scores")
    r = send(yuna, "put", url, {"scores": {"첫째": 5}, "verdict": "feasible"})
    assert r.status_code == 422
    r = send(yuna, "put", url, {"scores": marks, "verdict": "feasible", "comment": "가" * 4001})
    assert (r.status_code, r.json()["field"]) == (422, "comment")
    assert Scorecard.objects.count() == 0


# ---------------------------------------------------------------- the team


def test_it_shows_results_to_the_team_only(cast):
    p = cast.proposal()
    a = review.assign_reviewer(actor=cast.doyun, proposal=p, reviewer=cast.yuna)
    set_phase(cast.call, PhaseKind.REVIEW)
    review.submit_scorecard(
        actor=cast.yuna, assignment=a, scores={c.pk: 4 for c in cast.call.criteria.all()}, verdict="feasible"
    )
    got = {who: client(cast, who).get(f"/api/review/calls/{cast.call.slug}/results").status_code for who in ROLES}
    assert got == team_only(got, 200)
    rows = client(cast, "doyun").get(f"/api/review/calls/{cast.call.slug}/results").json()
    assert [(r["proposal_id"], r["raw_mean"], r["normalised_mean"], r["n_reviews"]) for r in rows] == [
        (p.pk, 80.0, 80.0, 1)
    ]


def test_it_lets_the_team_assign_reviewers_without_conflicts(cast):
    cast.proposal()
    cast.proposal(author=cast.jihoon, title="교통 제안")
    body = {"reviewer_ids": [cast.yuna.pk, cast.haneul.pk], "per_proposal": 1}
    got = {}
    for who in ROLES:
        got[who] = send(client(cast, who), "post", f"/api/review/calls/{cast.call.slug}/assignments", body).status_code
    assert got == team_only(got, 201)
    assert Assignment.objects.count() == 2  # the second run found every proposal already covered


def test_it_refuses_reviewers_who_are_not_reviewers(cast):
    cast.proposal()
    r = send(
        client(cast, "doyun", "en"),
        "post",
        f"/api/review/calls/{cast.call.slug}/assignments",
        {"reviewer_ids": [cast.yuna.pk, cast.garam.pk], "per_proposal": 1},
    )
    assert (r.status_code, r.json()["field"]) == (404, "reviewer_ids")
    r = send(
        client(cast, "doyun", "en"),
        "post",
        f"/api/review/calls/{cast.call.slug}/assignments",
        {"reviewer_ids": [cast.yuna.pk], "per_proposal": 11},
    )
    assert r.json()["message"] == "per_proposal: Ensure this value is less than or equal to 10."
    r = send(
        client(cast, "doyun", "en"),
        "post",
        f"/api/review/calls/{cast.call.slug}/assignments",
        {"reviewer_ids": [cast.yuna.pk], "per_proposal": 2},
    )
    assert (r.status_code, r.json()["code"]) == (400, "infeasible")
    assert Assignment.objects.count() == 0


def test_it_records_decisions_by_the_team_only_during_review(cast):
    got, outcomes = {}, {}
    set_phase(cast.call, PhaseKind.SUBMISSION)
    proposals = {who: cast.proposal(title=f"{who}에게 맡긴 제안") for who in ROLES}
    set_phase(cast.call, PhaseKind.REVIEW)
    for who, p in proposals.items():
        got[who] = send(
            client(cast, who), "post", f"/api/review/proposals/{p.pk}/decision", {"kind": "select", "reason": "좋음"}
        ).status_code
        outcomes[who] = Proposal.objects.get(pk=p.pk).outcome
    assert got == team_only(got, 201)
    assert outcomes == {who: "selected" if who in TEAM else "pending" for who in ROLES}


def test_it_refuses_decisions_during_submission(cast):
    p = cast.proposal()
    r = send(client(cast, "doyun", "en"), "post", f"/api/review/proposals/{p.pk}/decision", {"kind": "select"})
    assert r.status_code == 403
    assert r.json()["message"].startswith("Decisions are recorded by the innovation team")
    assert Decision.objects.count() == 0


def test_it_routes_merges_and_rejects(cast):
    a, b, c, d = (cast.proposal(title=t) for t in ["가 제안", "나 제안", "다 제안", "라 제안"])
    set_phase(cast.call, PhaseKind.REVIEW)
    doyun = client(cast, "doyun")
    url = "/api/review/proposals/{}/decision"
    r = send(
        doyun,
        "post",
        url.format(a.pk),
        {"kind": "route", "department_id": cast.transport.pk, "answer_due": due(), "reason": "교통과 소관"},
    )
    assert r.status_code == 201, r.content
    assert r.json()["department_id"] == cast.transport.pk
    assert Routing.objects.get(proposal=a).department == cast.transport
    r = send(doyun, "post", url.format(b.pk), {"kind": "merge", "merge_into_id": c.pk})
    assert (r.status_code, r.json()["merged_into_id"]) == (201, c.pk)
    r = send(doyun, "post", url.format(d.pk), {"kind": "reject", "reason": "예산 부족"})
    assert (r.status_code, r.json()["kind"]) == (201, "reject")
    assert {p.pk: p.outcome for p in Proposal.objects.all()} == {
        a.pk: "routed",
        b.pk: "merged",
        c.pk: "pending",
        d.pk: "not_adopted",
    }


def test_it_refuses_incomplete_or_repeated_decisions(cast):
    p = cast.proposal()
    other_call_dept = cast.bada.department_id
    set_phase(cast.call, PhaseKind.REVIEW)
    doyun = client(cast, "doyun", "en")
    url = f"/api/review/proposals/{p.pk}/decision"
    r = send(doyun, "post", url, {"kind": "route", "answer_due": due()})
    assert r.json() == {
        "code": "required",
        "message": "Routing needs a department and an answer deadline.",
        "field": "department_id",
    }
    r = send(doyun, "post", url, {"kind": "route", "department_id": other_call_dept, "answer_due": due()})
    assert (r.status_code, r.json()["field"]) == (404, "department_id")
    r = send(doyun, "post", url, {"kind": "route", "department_id": cast.transport.pk, "answer_due": "2020-01-01"})
    assert (r.status_code, r.json()["field"]) == (400, "answer_due")
    r = send(doyun, "post", url, {"kind": "route", "department_id": cast.transport.pk, "answer_due": "다음 주"})
    assert (r.status_code, r.json()["errors"][0]["message"]) == (422, "Enter a valid date.")
    r = send(doyun, "post", url, {"kind": "merge", "merge_into_id": p.pk})
    assert r.json()["message"] == "A proposal cannot be merged into itself."
    r = send(doyun, "post", url, {"kind": "merge", "merge_into_id": 777777})
    assert (r.status_code, r.json()["field"]) == (404, "merge_into_id")
    r = send(doyun, "post", url, {"kind": "reject", "reason": "  "})
    assert (r.status_code, r.json()["field"]) == (400, "reason")
    r = send(doyun, "post", url, {"kind": "adopt"})
    assert (r.status_code, r.json()["field"]) == (422, "kind")
    assert Decision.objects.count() == 0
    assert Routing.objects.count() == 0
    assert send(doyun, "post", url, {"kind": "select"}).status_code == 201
    r = send(doyun, "post", url, {"kind": "reject", "reason": "번복"})
    assert (r.status_code, r.json()["code"]) == (400, "already_decided")
    assert Decision.objects.count() == 1
