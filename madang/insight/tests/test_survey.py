import pytest

from madang.calls import services as calls
from madang.calls.models import PhaseKind
from madang.insight import services
from madang.insight.models import Idea, Moderation, Pair, RankingSnapshot
from madang.insight.tests.conftest import client
from madang.jobs.models import Job
from madang.ledger.models import Entry
from madang.testing import set_phase

TITLES = ["민원 서류 간소화", "버스 혼잡도 안내", "복지 사각지대 발굴", "공공 주차장 공유", "재난 문자 세분화"]


def url(cast, tail=""):
    return f"/insight/{cast.call.slug}/survey/{tail}"


@pytest.fixture
def proposals(cast):
    return [cast.proposal(author=[cast.minji, cast.seojun, cast.jihoon][i % 3], title=t) for i, t in enumerate(TITLES)]


def test_it_shows_a_pair_of_public_proposals_to_a_signed_in_person(cast, proposals):
    draft = cast.proposal(title="아직 초안인 제안", submit=False)
    html = client(cast.garam).get(url(cast)).content.decode()
    pair = Pair.objects.get()
    assert pair.user == cast.garam and pair.left.text in html and pair.right.text in html
    assert Idea.objects.filter(call=cast.call).count() == len(TITLES)
    assert not Idea.objects.filter(proposal=draft).exists()
    # Reloading shows the same open pair instead of a new one.
    client(cast.garam).get(url(cast))
    assert Pair.objects.count() == 1


def test_it_asks_visitors_to_log_in_and_shows_them_the_results(cast, proposals):
    html = client().get(url(cast)).content.decode()
    assert 'name="choice"' not in html and not Pair.objects.exists()
    assert client().post(url(cast, "vote/"), {"pair": 1, "choice": "left"}).status_code == 302
    assert client().get(url(cast, "results/")).status_code == 200


def test_it_takes_a_vote_only_for_a_pair_shown_to_that_person_and_only_once(cast, proposals):
    pair = services.show_pair(actor=cast.garam, call=cast.call)
    assert client(cast.jihoon).post(url(cast, "vote/"), {"pair": pair.pk, "choice": "left"}).status_code == 404
    assert client(cast.garam).post(url(cast, "vote/"), {"pair": pair.pk + 100, "choice": "left"}).status_code == 404
    assert client(cast.garam).post(url(cast, "vote/"), {"pair": pair.pk, "choice": "right"}).status_code == 302
    assert client(cast.garam).post(url(cast, "vote/"), {"pair": pair.pk, "choice": "left"}).status_code == 409
    pair.refresh_from_db()
    assert pair.choice == "right"


def test_it_answers_htmx_votes_with_the_next_pair(cast, proposals):
    pair = services.show_pair(actor=cast.garam, call=cast.call)
    r = client(cast.garam).post(url(cast, "vote/"), {"pair": pair.pk, "choice": "tie"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and 'id="pair-card"' in r.content.decode()
    nxt = Pair.objects.filter(answered_at__isnull=True).get()
    assert nxt.pk != pair.pk and f'value="{nxt.pk}"' in r.content.decode()


def test_it_refuses_bad_pair_votes_with_4xx_never_500(cast, proposals):
    pair = services.show_pair(actor=cast.garam, call=cast.call)
    c = client(cast.garam)
    for data in [
        {},
        {"pair": pair.pk},
        {"pair": pair.pk, "choice": "both"},
        {"pair": "x", "choice": "left"},
        {"pair": 10**15, "choice": "left"},
    ]:
        assert 400 <= c.post(url(cast, "vote/"), data).status_code < 500, data
    assert c.post(url(cast, "ideas/"), {"text": ""}).status_code == 400
    assert c.post(url(cast, "moderate/"), {"item": "x"}).status_code == 404
    assert client(cast.doyun).post(url(cast, "moderate/"), {"item": "x"}).status_code == 400
    assert not Pair.objects.filter(answered_at__isnull=False).exists()


def test_it_refuses_votes_when_the_phase_takes_no_supports(cast, proposals):
    pair = services.show_pair(actor=cast.garam, call=cast.call)
    set_phase(cast.call, PhaseKind.SELECTION)
    assert client(cast.garam).post(url(cast, "vote/"), {"pair": pair.pk, "choice": "left"}).status_code == 403
    assert client(cast.garam).get(url(cast)).status_code == 200


def test_it_holds_participant_ideas_until_the_team_approves(cast, proposals):
    assert client(cast.garam).post(url(cast, "ideas/"), {"text": "민원실에 아이 돌봄 공간"}).status_code == 302
    idea = Idea.objects.get(author=cast.garam)
    assert idea.state == Moderation.PENDING
    for _ in range(30):
        pair = services.show_pair(actor=cast.jihoon, call=cast.call)
        assert idea.pk not in (pair.left_id, pair.right_id)
        services.answer_pair(actor=cast.jihoon, pair=pair, choice="tie")
    assert client(cast.jihoon).post(url(cast, "moderate/"), {"item": idea.pk, "approve": "1"}).status_code == 404
    assert client(cast.doyun).post(url(cast, "moderate/"), {"item": idea.pk, "approve": "1"}).status_code == 302
    idea.refresh_from_db()
    assert idea.state == Moderation.APPROVED
    # Once approved it is shown, and often until it has been seen enough (next_pairs' floor for
    # newcomers, tested with fixed seeds in madang/solvers/pairwise). The pair seeds come from row
    # ids, which differ from run to run on PostgreSQL, so this counts over enough draws to hold
    # whatever the seed: in about 2 of 3 pairs while under the floor of 8, so fewer than 8 of 30
    # has a chance of about 1.5 in a million (6 of 6 at 3 or more failed about one run in ten).
    services.refit_ranking(actor=cast.doyun, call=cast.call)
    shown = 0
    for _ in range(30):
        pair = services.show_pair(actor=cast.jihoon, call=cast.call)
        shown += idea.pk in (pair.left_id, pair.right_id)
        services.answer_pair(actor=cast.jihoon, pair=pair, choice="left")
    assert shown >= 8


def test_it_drops_a_withdrawn_proposal_from_the_pairs(cast, proposals):
    calls.withdraw_proposal(actor=cast.minji, proposal=proposals[0])
    for _ in range(20):
        pair = services.show_pair(actor=cast.garam, call=cast.call)
        assert proposals[0].title not in (pair.left.text, pair.right.text)
        services.answer_pair(actor=cast.garam, pair=pair, choice="left")


def _vote_by_strength(cast, people, n):
    strength = {t: len(TITLES) - i for i, t in enumerate(TITLES)}  # the first title is the favourite
    for k in range(n):
        who = people[k % len(people)]
        pair = services.show_pair(actor=who, call=cast.call)
        better = "left" if strength[pair.left.text] > strength[pair.right.text] else "right"
        services.answer_pair(actor=who, pair=pair, choice=better)


def test_it_ranks_ideas_from_votes_through_the_job(cast, proposals, monkeypatch):
    _vote_by_strength(cast, [cast.garam, cast.jihoon, cast.yuna], 60)
    for who in (cast.jihoon, cast.garam):
        assert client(who).post(url(cast, "refit/")).status_code == 404
    monkeypatch.setattr(services, "INLINE_RANKING_VOTES", 10)  # force the background path
    assert client(cast.doyun).post(url(cast, "refit/")).status_code == 302
    job = Job.objects.get(kind="insight.wiki_survey")
    assert job.state == "done", job.error
    snap = RankingSnapshot.objects.get()
    assert snap.n_votes == 60
    ranked = sorted(snap.data["rows"], key=lambda r: -r["score"])
    texts = [Idea.objects.get(pk=r["idea_id"]).text for r in ranked]
    assert texts[0] == TITLES[0] and texts[-1] == TITLES[-1]
    assert all(r["lower"] <= r["score"] <= r["upper"] for r in ranked)
    assert Entry.objects.filter(kind="insight.wiki_ranking").exists()
    html = client().get(url(cast, "results/")).content.decode()
    assert "<svg" in html and TITLES[0] in html


def test_it_refits_small_surveys_inline(cast, proposals):
    _vote_by_strength(cast, [cast.garam], 12)
    assert client(cast.doyun).post(url(cast, "refit/")).status_code == 302
    assert RankingSnapshot.objects.count() == 1 and not Job.objects.filter(kind="insight.wiki_survey").exists()
