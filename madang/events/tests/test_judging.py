"""Judging: a jury with a weighted rubric, participants' votes, a published combination, awards."""

import pytest

from madang.core.errors import DomainError, Forbidden
from madang.events import selectors, services
from madang.events.models import BoardKind, JudgingOf, SessionKind
from madang.ledger.models import Entry

from .conftest import client, session


@pytest.fixture
def contest(folk, event):
    c = folk.cast
    for u in (c.minji, c.seojun, folk.jia, folk.min):
        services.register(actor=u, event=event)
    s = session(event, SessionKind.GROUPS)
    b1 = services.create_board(actor=folk.haram, session=s, kind=BoardKind.REVERSE, title="1분임", group=1)
    b2 = services.create_board(actor=folk.haram, session=s, kind=BoardKind.REVERSE, title="2분임", group=2)
    t1 = services.create_task(actor=folk.haram, event=event, title="서류 없는 민원", board=b1)
    t2 = services.create_task(actor=folk.haram, event=event, title="쉬운 공문서", board=b2)
    j = services.create_judging(
        actor=folk.haram,
        event=event,
        of=JudgingOf.TASKS,
        title="최우수 과제",
        criteria=[services.CriterionIn("효과", 3, 5), services.CriterionIn("실현 가능성", 1, 5)],
        jury_percent=60,
        votes_per_person=1,
    )
    services.assign_jurors(actor=folk.haram, judging=j, users=[c.yuna, c.haneul])
    cands = {cd.task_id: cd for cd in j.candidates.all()}
    return {"j": j, "a": cands[t1.pk], "b": cands[t2.pk], "folk": folk, "event": event}


def body(entry):
    import json

    return json.loads(bytes(entry.body))


def crit(j):
    return {k.name: k.pk for k in j.criteria.all()}


def test_it_combines_the_jury_and_the_votes_by_the_published_weight(contest):
    j, a, b, folk = contest["j"], contest["a"], contest["b"], contest["folk"]
    k = crit(j)
    services.score_candidate(actor=folk.cast.yuna, candidate=a, values={k["효과"]: 5, k["실현 가능성"]: 5})  # 100%
    services.score_candidate(
        actor=folk.cast.yuna, candidate=b, values={k["효과"]: 3, k["실현 가능성"]: 1}
    )  # (9+1)/20 = 50%
    services.score_candidate(
        actor=folk.cast.haneul, candidate=a, values={k["효과"]: 4, k["실현 가능성"]: 0}
    )  # 12/20 = 60%
    for u in (folk.cast.minji, folk.cast.seojun, folk.jia):
        services.cast_vote(actor=u, candidate=b)
    services.cast_vote(actor=folk.min, candidate=a)
    rows = {r.candidate: r for r in selectors.judging_results(j)}
    assert rows[a.pk].jury == pytest.approx(80.0) and rows[a.pk].jurors == 2
    assert rows[b.pk].jury == pytest.approx(50.0) and rows[b.pk].jurors == 1
    # a: 0.6 × 1 + 0.4 × 1/3; b: 0.6 × 50/80 + 0.4 × 1
    assert rows[a.pk].combined == pytest.approx(0.6 + 0.4 / 3)
    assert rows[b.pk].combined == pytest.approx(0.6 * 0.625 + 0.4)
    assert rows[b.pk].rank == 1  # the participants tipped it: 0.775 against 0.733


def test_it_lets_only_assigned_jurors_score_every_criterion_within_range(contest):
    j, a, folk = contest["j"], contest["a"], contest["folk"]
    k = crit(j)
    with pytest.raises(Forbidden):
        services.score_candidate(actor=folk.cast.minji, candidate=a, values={k["효과"]: 5, k["실현 가능성"]: 5})
    with pytest.raises(DomainError):
        services.score_candidate(actor=folk.cast.yuna, candidate=a, values={k["효과"]: 5})
    with pytest.raises(DomainError):
        services.score_candidate(actor=folk.cast.yuna, candidate=a, values={k["효과"]: 6, k["실현 가능성"]: 5})
    with pytest.raises(Forbidden):
        services.assign_jurors(actor=folk.cast.minji, judging=j, users=[folk.cast.minji])
    r = client(folk.cast.yuna).post(
        f"/events/hackathon/judging/{j.pk}/do/score/",
        {"candidate": a.pk, f"c{k['효과']}": 4, f"c{k['실현 가능성']}": 2},
    )
    assert r.status_code == 302 and a.scores.count() == 2


def test_it_gives_each_participant_their_votes_and_no_more(contest):
    a, b, folk = contest["a"], contest["b"], contest["folk"]
    services.cast_vote(actor=folk.jia, candidate=a)
    with pytest.raises(DomainError):
        services.cast_vote(actor=folk.jia, candidate=b)
    with pytest.raises(DomainError):
        services.cast_vote(actor=folk.jia, candidate=a)
    services.withdraw_vote(actor=folk.jia, candidate=a)
    services.cast_vote(actor=folk.jia, candidate=b)
    with pytest.raises(Forbidden):
        services.cast_vote(actor=folk.cast.bada, candidate=a)  # not a participant
    with pytest.raises(Forbidden):
        services.cast_vote(actor=folk.haram, candidate=a)  # an organiser who is not registered


def test_it_shows_scores_to_participants_only_once_published_and_then_freezes(contest):
    j, a, b, folk = contest["j"], contest["a"], contest["b"], contest["folk"]
    k = crit(j)
    services.score_candidate(actor=folk.cast.yuna, candidate=a, values={k["효과"]: 5, k["실현 가능성"]: 4})
    url = f"/events/hackathon/judging/{j.pk}/"
    assert 'id="results"' not in client(folk.cast.minji).get(url).content.decode()
    assert client(folk.cast.minji).get(f"/api/events/hackathon/judgings/{j.pk}").json()["results"] is None
    assert 'id="results"' in client(folk.haram).get(url).content.decode()
    with pytest.raises(Forbidden):
        services.publish_results(actor=folk.cast.minji, judging=j)
    services.publish_results(actor=folk.haram, judging=j)
    page = client(folk.cast.minji).get(url).content.decode()
    assert 'id="results"' in page and "최유나" in page and "60%" in page
    api = client(folk.cast.minji).get(f"/api/events/hackathon/judgings/{j.pk}").json()
    assert api["results"][0]["label"] == "서류 없는 민원" and "0.60" in api["method"]
    entry = body(Entry.objects.get(kind="events.judging_published"))
    assert entry["jury_percent"] == 60 and len(entry["scores"]) == 2
    with pytest.raises(Forbidden):
        services.score_candidate(actor=folk.cast.yuna, candidate=b, values={k["효과"]: 5, k["실현 가능성"]: 4})
    with pytest.raises(Forbidden):
        services.cast_vote(actor=folk.jia, candidate=b)
    with pytest.raises(DomainError):
        services.publish_results(actor=folk.haram, judging=j)


def test_it_gives_awards_after_publication_with_a_ledger_entry(contest):
    j, a, folk = contest["j"], contest["a"], contest["folk"]
    with pytest.raises(DomainError):
        services.give_award(actor=folk.haram, judging=j, candidate=a, title="대상")
    services.publish_results(actor=folk.haram, judging=j)
    with pytest.raises(Forbidden):
        services.give_award(actor=folk.cast.minji, judging=j, candidate=a, title="대상")
    r = client(folk.haram).post(f"/events/hackathon/judging/{j.pk}/do/award/", {"candidate": a.pk, "title": "대상"})
    assert r.status_code == 302
    assert "대상" in bytes(Entry.objects.get(kind="events.award").body).decode()
    assert "대상" in client(folk.cast.minji).get(f"/events/hackathon/judging/{j.pk}/").content.decode()


def test_it_judges_groups_from_their_boards(contest):
    folk, event = contest["folk"], contest["event"]
    g = services.create_judging(
        actor=folk.haram,
        event=event,
        of=JudgingOf.GROUPS,
        title="최우수 분임",
        criteria=[services.CriterionIn("협업", 1, 10)],
    )
    assert [c.group for c in g.candidates.all()] == [1, 2]
    with pytest.raises(DomainError):
        services.create_judging(actor=folk.haram, event=event, of=JudgingOf.GROUPS, title="x", criteria=[])
    with pytest.raises(DomainError):
        services.create_judging(
            actor=folk.haram,
            event=event,
            of=JudgingOf.GROUPS,
            title="x",
            criteria=[services.CriterionIn("a", 1, 5)],
            jury_percent=120,
        )


def test_it_opens_a_judging_from_the_page_with_a_rubric(contest):
    folk = contest["folk"]
    r = client(folk.haram).post(
        "/events/hackathon/do/judging/",
        {
            "of": "groups",
            "title": "분임상",
            "criteria": "협업;2;5\n발표;1;5",
            "jury_percent": 50,
            "votes_per_person": 2,
        },
    )
    assert r.status_code == 302
    j = contest["event"].judgings.get(title="분임상")
    assert [(c.name, c.weight) for c in j.criteria.all()] == [("협업", 2), ("발표", 1)]
    assert client(folk.cast.bada).get(f"/events/hackathon/judging/{j.pk}/").status_code == 404
    assert (
        client(folk.cast.yuna).get(f"/events/hackathon/judging/{contest['j'].pk}/").status_code == 200
    )  # a juror from outside
