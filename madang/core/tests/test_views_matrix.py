"""Every role × every page action: who may, who may not, and what they get back.

Pages answer 404 for what a person may not see at all, 403 for what they see but may
not do, 400 for bad input, and send anonymous visitors to the log-in page for actions.
"""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from madang.calls import counters
from madang.calls.models import PhaseKind
from madang.followup.models import Routing
from madang.review import services as review
from madang.testing import set_phase

ROLES = ["anonymous", "minji", "seojun", "jihoon", "yuna", "doyun", "sohee", "sehun", "garam", "bada", "admin"]


def client_for(cast, who: str) -> Client:
    c = Client()
    if who != "anonymous":
        c.force_login(getattr(cast, who))
    return c


def expect(
    status: int, allowed: set[str], who: str, ok: int = 200, refused: int = 404, anonymous: int | None = None
) -> None:
    if who == "anonymous" and anonymous is not None:
        assert status == anonymous, (who, status)
    elif who in allowed:
        assert status == ok, (who, status)
    else:
        assert status == refused, (who, status)


@pytest.fixture
def routed(cast):
    p = cast.proposal()
    set_phase(cast.call, PhaseKind.REVIEW)
    cast.call.refresh_from_db()
    review.route_decision(
        actor=cast.doyun, proposal=p, department=cast.transport, answer_due=timezone.localdate() + timedelta(days=7)
    )
    return p, Routing.objects.get(proposal=p)


@pytest.mark.parametrize("who", ROLES)
def test_it_lets_anyone_read_a_public_proposal(cast, who):
    p = cast.proposal()
    assert client_for(cast, who).get(f"/calls/p/{p.pk}/").status_code == 200
    assert client_for(cast, who).get(f"/calls/c/{cast.call.slug}/").status_code == 200


@pytest.mark.parametrize("who", ROLES)
def test_it_opens_the_proposal_form_to_eligible_officials_only(cast, who):
    status = client_for(cast, who).get(f"/calls/c/{cast.call.slug}/propose/").status_code
    eligible = {"minji", "seojun", "jihoon", "yuna", "doyun", "sohee", "sehun", "admin"}
    expect(status, eligible, who, refused=403, anonymous=302)


@pytest.mark.parametrize("who", ROLES)
def test_it_shows_drafts_to_their_authors_only(cast, who):
    draft = cast.proposal(submit=False)
    status = client_for(cast, who).get(f"/calls/p/{draft.pk}/").status_code
    expect(status, {"minji"}, who)  # not the team or administrators either


@pytest.mark.parametrize("who", ROLES)
def test_it_lets_only_authors_edit(cast, who):
    p = cast.proposal()
    status = client_for(cast, who).get(f"/calls/p/{p.pk}/edit/").status_code
    expect(status, {"minji"}, who, refused=403, anonymous=302)


@pytest.mark.parametrize("who", ROLES)
def test_it_counts_supports_from_everyone_but_the_author(cast, who):
    p = cast.proposal()
    response = client_for(cast, who).post(f"/calls/p/{p.pk}/support/")
    count = counters.live_count(p.pk)
    if who == "anonymous":
        assert response.status_code == 302 and "/people/login/" in response["Location"]
        assert count == 0
    elif who == "minji":
        assert response.status_code == 400
        assert count == 0
    else:
        assert response.status_code == 302
        assert count == 1


@pytest.mark.parametrize("who", ROLES)
def test_it_takes_comments_from_logged_in_people(cast, who):
    p = cast.proposal()
    response = client_for(cast, who).post(f"/calls/p/{p.pk}/comment/", {"body": "좋은 제안입니다"})
    p.refresh_from_db()
    if who == "anonymous":
        assert response.status_code == 302 and "/people/login/" in response["Location"]
        assert p.comment_count == 0
    else:
        assert response.status_code == 302
        assert p.comment_count == 1


@pytest.mark.parametrize("who", ROLES)
def test_it_shows_the_review_board_to_the_team_only(cast, who):
    status = client_for(cast, who).get(f"/review/c/{cast.call.slug}/").status_code
    expect(status, {"doyun", "admin"}, who, anonymous=302)


@pytest.mark.parametrize("who", ROLES)
def test_it_opens_a_scorecard_to_its_reviewer_and_the_team(cast, who):
    p = cast.proposal()
    a = review.assign_reviewer(actor=cast.doyun, proposal=p, reviewer=cast.yuna)
    status = client_for(cast, who).get(f"/review/assignments/{a.pk}/").status_code
    expect(status, {"yuna", "doyun", "admin"}, who, anonymous=302)


@pytest.mark.parametrize("who", ROLES)
def test_it_records_decisions_by_the_team_only(cast, who):
    p = cast.proposal()
    set_phase(cast.call, PhaseKind.REVIEW)
    response = client_for(cast, who).post(f"/review/p/{p.pk}/decide/", {"kind": "select", "reason": "좋음"})
    p.refresh_from_db()
    if who in {"doyun", "admin"}:
        assert response.status_code == 302
        assert p.outcome == "selected"
    else:
        assert response.status_code in (302, 404) if who == "anonymous" else response.status_code == 404
        assert p.outcome == "pending"


@pytest.mark.parametrize("who", ROLES)
def test_it_takes_the_answer_from_the_routed_departments_liaison_only(cast, routed, who):
    _p, routing = routed
    response = client_for(cast, who).post(f"/followup/r/{routing.pk}/", {"form": "answer", "kind": "accept"})
    routing.refresh_from_db()
    if who == "sohee":
        assert response.status_code == 302
        assert routing.state == "answered"
    else:
        assert response.status_code in (403, 400)
        assert routing.state == "awaiting"


@pytest.mark.parametrize("who", ROLES)
def test_it_shows_moderation_and_import_to_their_roles_only(cast, who):
    c = client_for(cast, who)
    expect(c.get(f"/calls/c/{cast.call.slug}/moderation/").status_code, {"doyun", "admin"}, who, anonymous=302)
    expect(c.get("/people/import/").status_code, {"admin"}, who, anonymous=302)
    expect(c.get("/calls/new/").status_code, {"doyun", "admin"}, who, anonymous=302)
