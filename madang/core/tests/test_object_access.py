"""Object-level checks across pages and the API: what one person may not read of another's.

- another agency's internal proposal (page, API detail, comments, lists, search, similar ideas);
- another reviewer's scorecard before the review closes (page, API, results, board);
- a citizen's private attributes (profile page, data export, the pool organiser's pages).
"""

import json

import pytest
from django.test import Client

from madang.calls import services as calls
from madang.calls.models import PhaseKind
from madang.review import services as review
from madang.review.models import Verdict
from madang.testing import set_phase


def client(user=None) -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE="ko")
    if user is not None:
        c.force_login(user)
    return c


@pytest.fixture
def internal(cast):
    p = cast.proposal(title="내부 검토 중인 청사 임대료 절감안")
    calls.set_internal(actor=cast.doyun, proposal=p, internal=True, reason="보안 검토 중")
    calls.add_comment(actor=cast.doyun, proposal=p, body="내부 의견입니다")
    return p


@pytest.mark.parametrize("who", ["anonymous", "bada", "garam", "sehun", "haneul"])
def test_an_internal_proposal_is_out_of_reach_of_people_outside_it(cast, internal, who):
    # bada works for another province; garam is a citizen; sehun a liaison it was not routed to;
    # haneul a reviewer who was not assigned it.
    c = client(None if who == "anonymous" else getattr(cast, who))
    slug = cast.call.slug
    assert c.get(f"/calls/p/{internal.pk}/").status_code == 404
    assert c.get(f"/api/proposals/{internal.pk}").status_code == 404
    assert c.get(f"/api/proposals/{internal.pk}/comments").status_code == 404
    listed = c.get(f"/api/calls/{slug}/proposals", {"q": "임대료"}).json()
    assert listed == {"items": [], "count": 0}
    assert f'href="/calls/p/{internal.pk}/"' not in c.get(f"/calls/c/{slug}/", {"q": "임대료"}).content.decode()
    similar = c.get(f"/api/calls/{slug}/similar", {"text": "청사 임대료 절감"})
    assert (
        internal.pk not in [s["id"] for s in similar.json()]
        if similar.status_code == 200
        else similar.status_code in (401, 403)
    )


@pytest.mark.parametrize("who", ["minji", "doyun", "admin"])
def test_an_internal_proposal_stays_readable_for_its_author_and_the_team(cast, internal, who):
    c = client(getattr(cast, who))
    assert c.get(f"/calls/p/{internal.pk}/").status_code == 200
    assert c.get(f"/api/proposals/{internal.pk}").json()["title"] == internal.title
    # (so the searches that find nothing for others above do find it when allowed)
    assert f'href="/calls/p/{internal.pk}/"' in c.get(f"/calls/c/{cast.call.slug}/", {"q": "임대료"}).content.decode()


@pytest.fixture
def scored(cast):
    p = cast.proposal()
    mine = review.assign_reviewer(actor=cast.doyun, proposal=p, reviewer=cast.yuna)
    theirs = review.assign_reviewer(actor=cast.doyun, proposal=p, reviewer=cast.haneul)
    set_phase(cast.call, PhaseKind.REVIEW)
    marks = {c.pk: 2 for c in cast.call.criteria.all()}
    review.submit_scorecard(
        actor=cast.yuna, assignment=mine, scores=marks, verdict=Verdict.INFEASIBLE, comment="예산 근거 부족"
    )
    return mine, theirs


def test_a_reviewer_cannot_read_another_reviewers_scorecard_while_the_review_runs(cast, scored):
    mine, theirs = scored
    haneul = client(cast.haneul)
    assert haneul.get(f"/review/assignments/{mine.pk}/").status_code == 404
    put = haneul.put(
        f"/api/review/assignments/{mine.pk}/scorecard",
        {"verdict": "feasible", "scores": {}},
        content_type="application/json",
    )
    assert put.status_code == 404
    own = haneul.get("/api/review/assignments").json()
    assert [a["id"] for a in own] == [theirs.pk]
    assert "예산 근거 부족" not in json.dumps(own, ensure_ascii=False)
    assert haneul.get(f"/api/review/calls/{cast.call.slug}/results").status_code in (403, 404)
    assert haneul.get(f"/review/c/{cast.call.slug}/").status_code in (403, 404)
    assert "예산 근거 부족" not in haneul.get(f"/review/assignments/{theirs.pk}/").content.decode()
    # The innovation team sees every scorecard.
    team = client(cast.doyun)
    assert team.get(f"/review/assignments/{mine.pk}/").status_code == 200
    assert team.get(f"/api/review/calls/{cast.call.slug}/results").status_code == 200


def test_a_citizens_attributes_are_theirs_alone(cast):
    garam = client(cast.garam)
    garam.post("/citizens/me/", {"consent": "on", "gender": "female", "age_band": "60-69", "region": "전남"})
    assert json.loads(garam.get("/citizens/me/data.json").content)["attributes"]["region"] == "전남"
    for who in ("bada", "seojun", "doyun", "sohee"):
        c = client(getattr(cast, who))
        for url in ("/citizens/me/", "/citizens/me/data.json", "/citizens/pools/"):
            response = c.get(url)
            assert "전남" not in response.content.decode(), (who, url)
    assert "전남" not in client().get("/citizens/pools/").content.decode()
