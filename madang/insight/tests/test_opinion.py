from madang.calls.models import PhaseKind
from madang.insight import services
from madang.insight.models import Moderation, OpinionSnapshot, Statement, StatementVote
from madang.insight.tests.conftest import client, vote_in_two_camps
from madang.jobs.models import Job
from madang.ledger.models import Entry
from madang.testing import set_phase


def url(cast, tail=""):
    return f"/insight/{cast.call.slug}/opinion/{tail}"


def test_it_shows_the_page_to_anyone_and_asks_visitors_to_log_in(cast, statements):
    html = client().get(url(cast)).content.decode()
    assert "로그인" in html or "Log in" in html
    assert 'name="value"' not in html
    html = client(cast.jihoon).get(url(cast)).content.decode()
    assert 'name="value"' in html and any(s.text in html for s in statements)


def test_it_sends_visitors_who_vote_to_the_login_page(cast, statements):
    r = client().post(url(cast, "vote/"), {"statement": statements[0].pk, "value": 1})
    assert r.status_code == 302 and "/login" in r["Location"]
    assert not StatementVote.objects.exists()


def test_it_keeps_one_vote_per_person_per_statement_and_lets_it_change(cast, statements):
    c = client(cast.jihoon)
    assert c.post(url(cast, "vote/"), {"statement": statements[0].pk, "value": 1}).status_code == 302
    assert c.post(url(cast, "vote/"), {"statement": statements[0].pk, "value": -1}).status_code == 302
    vote = StatementVote.objects.get()
    assert vote.user == cast.jihoon and vote.value == -1
    client(cast.minji).post(url(cast, "vote/"), {"statement": statements[0].pk, "value": 0})
    assert StatementVote.objects.count() == 2


def test_it_answers_htmx_votes_with_the_next_statement(cast, statements):
    r = client(cast.jihoon).post(
        url(cast, "vote/"), {"statement": statements[0].pk, "value": 1}, HTTP_HX_REQUEST="true"
    )
    html = r.content.decode()
    assert r.status_code == 200 and 'id="statement-card"' in html and "<html" not in html
    assert statements[0].text not in html.split("<blockquote")[-1]


def test_it_lets_the_team_add_live_statements_and_participants_suggest_them(cast):
    assert (
        client(cast.doyun).post(url(cast, "statements/"), {"text": "민원실 대기 시간을 공개해야 한다"}).status_code
        == 302
    )
    assert Statement.objects.get().state == Moderation.APPROVED
    assert (
        client(cast.garam).post(url(cast, "statements/"), {"text": "민원 앱을 하나로 합쳐야 한다"}).status_code == 302
    )
    pending = Statement.objects.get(author=cast.garam)
    assert pending.state == Moderation.PENDING
    # Nobody votes on a statement that waits for approval, and others cannot even see it.
    assert client(cast.jihoon).post(url(cast, "vote/"), {"statement": pending.pk, "value": 1}).status_code == 404
    assert client(cast.garam).post(url(cast, "vote/"), {"statement": pending.pk, "value": 1}).status_code == 400
    assert client(cast.jihoon).post(url(cast, "moderate/"), {"item": pending.pk, "approve": "1"}).status_code == 404
    assert client(cast.doyun).post(url(cast, "moderate/"), {"item": pending.pk, "approve": "1"}).status_code == 302
    pending.refresh_from_db()
    assert pending.state == Moderation.APPROVED
    assert Entry.objects.filter(kind="insight.statement_moderated").exists()


def test_it_refuses_bad_statements_with_400(cast, statements):
    assert client(cast.garam).post(url(cast, "statements/"), {"text": "짧"}).status_code == 400
    assert client(cast.garam).post(url(cast, "statements/"), {"text": "x" * 300}).status_code == 400
    assert client(cast.garam).post(url(cast, "statements/"), {"text": statements[0].text}).status_code == 400


def test_it_refuses_bad_votes_with_4xx_never_500(cast, statements):
    c = client(cast.jihoon)
    for data in [
        {},
        {"statement": "abc", "value": 1},
        {"statement": statements[0].pk, "value": 7},
        {"statement": statements[0].pk, "value": "agree"},
        {"statement": 10**12, "value": 1},
        {"statement": -3, "value": 1},
    ]:
        assert 400 <= c.post(url(cast, "vote/"), data).status_code < 500, data
    assert c.post(url(cast, "vote/"), {"statement": 999999, "value": 1}).status_code == 404
    assert c.get(url(cast, "vote/")).status_code == 405
    assert client(cast.jihoon).get("/insight/no-such-call/opinion/").status_code == 404
    assert not StatementVote.objects.exists()


def test_it_closes_voting_when_the_phase_takes_no_supports(cast, statements):
    set_phase(cast.call, PhaseKind.SELECTION)
    assert client(cast.jihoon).post(url(cast, "vote/"), {"statement": statements[0].pk, "value": 1}).status_code == 403
    assert client().get(url(cast)).status_code == 200


def test_it_hides_an_unpublished_call_from_everyone_but_the_team(cast, statements):
    cast.call.is_published = False
    cast.call.save(update_fields=["is_published"])
    assert client().get(url(cast)).status_code == 404
    assert client(cast.jihoon).get(url(cast)).status_code == 404
    assert client(cast.jihoon).post(url(cast, "vote/"), {"statement": statements[0].pk, "value": 1}).status_code == 404
    assert client(cast.doyun).get(url(cast)).status_code == 200


def test_it_lets_only_the_team_compute_the_map(cast, statements, crowd):
    vote_in_two_camps(crowd, statements)
    for who in (cast.jihoon, cast.yuna, cast.garam, cast.bada):
        assert client(who).post(url(cast, "compute/")).status_code == 404
    assert not Job.objects.filter(kind="insight.opinion_map").exists()


def test_it_computes_the_map_from_votes_through_the_job(cast, statements, crowd):
    vote_in_two_camps(crowd, statements)
    assert client(cast.doyun).post(url(cast, "compute/")).status_code == 302
    job = Job.objects.get(kind="insight.opinion_map")
    assert job.state == "done", job.error
    snap = OpinionSnapshot.objects.get()
    assert snap.n_participants == 12 and snap.n_votes == 12 * len(statements)
    assert snap.data["k"] == 2 and sorted(g["size"] for g in snap.data["groups"]) == [6, 6]
    labels = [p[2] for p in snap.data["points"]]
    # Whoever voted alike landed in the same group.
    assert len(set(labels[:6])) == 1 and len(set(labels[6:])) == 1 and labels[0] != labels[6]
    assert all(g["representative"] for g in snap.data["groups"])
    rep = snap.data["groups"][0]["representative"][0]
    assert rep["agree"] in (0, 100)
    assert Entry.objects.filter(kind="insight.opinion_map").exists()
    html = client().get(url(cast)).content.decode()
    assert "<svg" in html and html.count("<circle") >= 12 and "투표자" not in html


def test_it_reports_too_few_votes_on_the_job_not_as_a_crash(cast, statements):
    services.vote_statement(actor=cast.jihoon, statement=statements[0], value=1)
    client(cast.doyun).post(url(cast, "compute/"))
    job = Job.objects.get(kind="insight.opinion_map")
    assert job.state == "failed" and job.error
    assert not OpinionSnapshot.objects.exists()
    assert client(cast.doyun).get(url(cast)).status_code == 200


def test_it_picks_unseen_statements_after_the_map_and_stops_when_all_are_seen(cast, statements, crowd):
    vote_in_two_camps(crowd[:11], statements)
    services.compute_opinion_map(actor=cast.doyun, call=cast.call)
    late = crowd[11]
    seen = set()
    for _ in statements:
        s = services.choose_statement(user=late, call=cast.call)
        assert s is not None and s.pk not in seen
        seen.add(s.pk)
        services.vote_statement(actor=late, statement=s, value=1)
    assert services.choose_statement(user=late, call=cast.call) is None
    # A statement added after the map is offered too.
    new = services.add_statement(actor=cast.doyun, call=cast.call, text="새로 추가된 의견입니다")
    assert services.choose_statement(user=late, call=cast.call) == new
