"""A proposal's status, as its page and `GET /api/proposals/{pk}/status` show it: the same facts
from one selector (`followup.selectors.access_status`), for every reader the visibility rule of
calls lets in, and "not found" for everyone else.

김민지 proposes; 최유나 reviews; 강도윤 (innovation team) sends one proposal to 교통과, whose liaison
윤소희 accepts it and reports execution; he marks another internal before sending it there too, and
hides a third. The public, 김민지, 강도윤, 윤소희 and an official of another department (오세훈) look.
"""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from madang.calls import services as calls
from madang.calls.models import PhaseKind
from madang.followup import selectors
from madang.followup import services as followup
from madang.followup.models import Routing
from madang.review import services as review
from madang.review.models import Assignment
from madang.testing import set_phase

READERS = ["anonymous", "minji", "doyun", "sohee", "sehun"]


def client(cast, who: str) -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    if who != "anonymous":
        c.force_login(getattr(cast, who))
    return c


def from_page(c: Client, pk: int, url: str | None = None) -> tuple[int, dict | None]:
    response = c.get(url or reverse("followup:status", args=[pk]))
    if response.status_code != 200:
        return response.status_code, None
    html = response.content.decode()
    return 200, {
        "steps": re.findall(r'<li data-kind="([^"]+)"(?: data-due="([^"]+)")?>', html),
        "routings": [int(r) for r in re.findall(r'data-routing="(\d+)"', html)],
        "due": re.findall(r'answer due <time datetime="([^"]+)">', html),
        "decide": reverse("review:decide", args=[pk]) in html,
    }


def from_api(c: Client, pk: int) -> tuple[int, dict | None]:
    response = c.get(f"/api/proposals/{pk}/status")
    if response.status_code != 200:
        return response.status_code, None
    body = response.json()
    return 200, {
        "steps": [(s["kind"], s["due"] or "") for s in body["steps"]],
        "routings": [r["id"] for r in body["routings"]],
        "due": [r["answer_due"] for r in body["routings"] if r["state"] == "awaiting"],
        "decide": body["can"]["decide"],
    }


@pytest.fixture
def story(cast):
    followed = cast.proposal(title="버스 정류장 온열 의자")
    internal = cast.proposal(title="청사 출입 보안 점검")
    hidden = cast.proposal(title="광고성 글")
    pending = cast.proposal(title="야간 민원 창구")
    set_phase(cast.call, PhaseKind.REVIEW)
    cast.call.refresh_from_db()
    review.assign_reviewers(actor=cast.doyun, call=cast.call, reviewers=[cast.yuna], per_proposal=1)
    for a in Assignment.objects.filter(proposal=followed):
        review.submit_scorecard(
            actor=cast.yuna,
            assignment=a,
            scores={c.pk: 4 for c in cast.call.criteria.all()},
            verdict="feasible",
            comment="",
        )
    due = timezone.localdate() + timedelta(days=7)
    review.route_decision(actor=cast.doyun, proposal=followed, department=cast.transport, answer_due=due)
    routing = Routing.objects.get(proposal=followed)
    followup.answer_routing(actor=cast.sohee, routing=routing, kind="accept")
    followup.post_execution_update(actor=cast.sohee, routing=routing, state="in_progress", percent=40, note="시범 설치")
    calls.set_internal(actor=cast.doyun, proposal=internal, internal=True, reason="보안 사항")
    review.route_decision(actor=cast.doyun, proposal=internal, department=cast.transport, answer_due=due)
    calls.hide_proposal(actor=cast.doyun, proposal=hidden, reason="광고")
    return {"followed": followed, "internal": internal, "hidden": hidden, "pending": pending, "due": due.isoformat()}


def test_it_shows_the_same_facts_on_the_page_and_in_the_api_for_every_reader(cast, story):
    for name in ("followed", "internal", "hidden", "pending"):
        pk = story[name].pk
        for who in READERS:
            c = client(cast, who)
            page, api = from_page(c, pk), from_api(c, pk)
            assert page == api, (name, who, page, api)


def test_it_shows_a_followed_proposal_to_everyone_step_by_step_with_its_deadline(cast, story):
    status, facts = from_api(client(cast, "anonymous"), story["followed"].pk)
    assert status == 200
    kinds = [kind for kind, _due in facts["steps"]]
    assert kinds == ["submitted", "reviewed", "decision.route", "routed", "answer.accept", "execution.in_progress"]
    assert ("routed", story["due"]) in facts["steps"]
    assert facts["decide"] is False


def test_it_keeps_an_internal_proposal_to_its_authors_the_team_and_the_liaison_it_was_sent_to(cast, story):
    pk = story["internal"].pk
    got = {who: from_api(client(cast, who), pk)[0] for who in READERS}
    assert got == {"anonymous": 404, "minji": 200, "doyun": 200, "sohee": 200, "sehun": 404}
    assert {who: from_page(client(cast, who), pk)[0] for who in READERS} == got
    _status, facts = from_api(client(cast, "sohee"), pk)
    assert facts["due"] == [story["due"]]  # the deadline the liaison works to


def test_it_keeps_a_hidden_proposal_to_its_authors_and_the_team(cast, story):
    pk = story["hidden"].pk
    got = {who: from_api(client(cast, who), pk)[0] for who in READERS}
    assert got == {"anonymous": 404, "minji": 200, "doyun": 200, "sohee": 404, "sehun": 404}
    assert client(cast, "minji").get(f"/api/proposals/{pk}/status").json()["hidden"] is True


def test_it_offers_the_decision_only_to_the_team_while_it_is_pending(cast, story):
    pending = story["pending"]
    assert from_page(client(cast, "doyun"), pending.pk)[1]["decide"] is True
    assert from_api(client(cast, "doyun"), pending.pk)[1]["decide"] is True
    assert from_api(client(cast, "minji"), pending.pk)[1]["decide"] is False
    assert from_api(client(cast, "doyun"), story["followed"].pk)[1]["decide"] is False  # already decided


def test_it_shows_the_status_on_the_proposal_page_too(cast, story):
    pk = story["followed"].pk
    for who in READERS:
        c = client(cast, who)
        assert from_page(c, pk, reverse("calls:proposal", args=[pk])) == from_api(c, pk)


def test_it_answers_not_found_for_a_missing_proposal(cast):
    c = client(cast, "anonymous")
    assert c.get("/api/proposals/999999/status").status_code == 404
    assert c.get(reverse("followup:status", args=[999999])).status_code == 404


def _queries(reader, proposal) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        selectors.proposal_status(reader, proposal)
    return [q["sql"] for q in ctx.captured_queries]


def test_a_proposal_nothing_happened_to_yet_asks_one_question_for_its_review_decisions_and_routings(cast, story):
    """Most proposals of a national call are never reviewed, decided or routed: their status asks
    one plain question for all three, not one ORM query each (about 1.6 ms of every proposal page)."""
    asked = _queries(cast.sehun, story["pending"])
    touching = [q for q in asked if any(t in q for t in ("followup_routing", "review_decision", "review_scorecard"))]
    assert len(touching) == 1 and "EXISTS" in touching[0], asked
    assert not any("followup_answer" in q or "followup_executionupdate" in q for q in asked)


def test_a_followed_proposal_reads_its_answers_and_updates_with_its_routings(cast, story):
    """The answers and execution updates come with the routings (as the routings' table shows
    them), not again for the timeline; another update asks nothing more."""
    followed = story["followed"]
    _queries(cast.sehun, followed)  # (what this process keeps of the call and the sites is read once)
    before = _queries(cast.sehun, followed)
    assert sum("followup_answer" in q for q in before) == 1  # joined to the routings
    followup.post_execution_update(
        actor=cast.sohee, routing=Routing.objects.get(proposal=followed), state="in_progress", percent=70, note="확대"
    )
    after = _queries(cast.sehun, followed)
    assert len(after) == len(before)
    steps = [e.kind for e in selectors.proposal_status(cast.sehun, followed).steps]
    assert steps.count("execution.in_progress") == 2 and steps.count("answer.accept") == 1
