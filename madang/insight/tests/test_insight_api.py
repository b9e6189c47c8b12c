"""The insight API: the same rules as the pages, per role, on the opinion map, the wiki survey,
the duplicate clusters and the topic map."""

import pytest
from django.test import Client

from madang.calls.models import PhaseKind
from madang.insight import services
from madang.insight.models import Pair, StatementVote
from madang.insight.tests.conftest import STATEMENTS, vote_in_two_camps
from madang.insight.tests.duplicate_cast import build, outsiders
from madang.people import services as people
from madang.testing import set_phase


def api(user=None, language="ko"):
    if user is None:
        return Client(HTTP_ACCEPT_LANGUAGE=language)
    token = people.issue_api_token(actor=user, name="test")[1]
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE=language)


def base(cast, tail):
    return f"/api/insight/{cast.call.slug}/{tail}"


@pytest.fixture
def d(cast):
    return build(cast)


def test_it_reads_the_opinion_map_like_the_page(cast, statements, crowd):
    r = api().get(base(cast, "opinion"))
    assert r.status_code == 200 and r.json()["computed_at"] is None and r.json()["statements"] == len(STATEMENTS)
    vote_in_two_camps(crowd, statements)
    services.compute_opinion_map(actor=cast.doyun, call=cast.call)
    body = api().get(base(cast, "opinion")).json()
    assert body["participants"] == 12 and sorted(g["size"] for g in body["groups"]) == [6, 6]
    assert {g["letter"] for g in body["groups"]} == {"A", "B"}
    rep = body["groups"][0]["representative"][0]
    assert rep["text"] in STATEMENTS and rep["agree"] in (0, 100)
    cast.call.is_published = False
    cast.call.save(update_fields=["is_published"])
    assert api().get(base(cast, "opinion")).status_code == 404
    assert api(cast.doyun).get(base(cast, "opinion")).status_code == 200


def test_it_votes_and_hands_out_the_next_statement(cast, statements):
    c = api(cast.garam)
    first = c.get(base(cast, "opinion/next")).json()["statement"]
    assert first["text"] in STATEMENTS
    r = c.post(base(cast, "opinion/votes"), {"statement": first["id"], "value": -1}, content_type="application/json")
    assert r.status_code == 200 and r.json()["value"] == -1 and r.json()["next"]["id"] != first["id"]
    assert StatementVote.objects.get(user=cast.garam).value == -1
    for bad in [
        {"statement": first["id"], "value": 2},
        {"statement": first["id"]},
        {"statement": 0, "value": 1},
        {"statement": first["id"], "value": 1, "extra": 1},
    ]:
        assert c.post(base(cast, "opinion/votes"), bad, content_type="application/json").status_code == 422, bad
    assert (
        c.post(
            base(cast, "opinion/votes"), {"statement": 999999, "value": 1}, content_type="application/json"
        ).status_code
        == 404
    )
    assert (
        api()
        .post(base(cast, "opinion/votes"), {"statement": first["id"], "value": 1}, content_type="application/json")
        .status_code
        == 401
    )
    assert api().get(base(cast, "opinion/next")).status_code == 401
    set_phase(cast.call, PhaseKind.SELECTION)
    r = api(cast.garam, "en").get(base(cast, "opinion/next"))
    assert r.status_code == 403 and "Voting is open" in r.json()["message"]
    r = c.post(base(cast, "opinion/votes"), {"statement": first["id"], "value": 1}, content_type="application/json")
    assert r.status_code == 403 and StatementVote.objects.get(user=cast.garam).value == -1


def test_it_runs_the_wiki_survey(cast, d):
    c = api(cast.garam)
    pair = c.get(base(cast, "survey/pair")).json()["pair"]
    assert pair and pair["left"]["id"] != pair["right"]["id"]
    assert c.get(base(cast, "survey/pair")).json()["pair"]["id"] == pair["id"]  # the same open pair
    assert (
        api(cast.jihoon)
        .post(base(cast, "survey/votes"), {"pair": pair["id"], "choice": "left"}, content_type="application/json")
        .status_code
        == 404
    )  # not shown to him
    r = c.post(base(cast, "survey/votes"), {"pair": pair["id"], "choice": "left"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["next"]["id"] != pair["id"]
    again = c.post(base(cast, "survey/votes"), {"pair": pair["id"], "choice": "right"}, content_type="application/json")
    assert again.status_code == 409 and Pair.objects.get(pk=pair["id"]).choice == "left"
    assert (
        c.post(
            base(cast, "survey/votes"), {"pair": pair["id"], "choice": "both"}, content_type="application/json"
        ).status_code
        == 422
    )
    assert api().get(base(cast, "survey/ranking")).json() == {"computed_at": None, "votes": 0, "rows": []}
    services.refit_ranking(actor=cast.doyun, call=cast.call)
    body = api().get(base(cast, "survey/ranking")).json()
    assert body["votes"] == 1 and len(body["rows"]) == 8  # the public proposals
    assert body["rows"][0]["idea"]["id"] == pair["left"]["id"]
    assert all(r["lower"] <= r["score"] <= r["upper"] for r in body["rows"])
    # Internal proposals never enter the public survey.
    assert d.internal.pk not in {r["idea"]["proposal"] for r in body["rows"]}


def test_it_serves_duplicates_and_topics_to_the_team_and_administrators_only(cast, d):
    for role, who in outsiders(cast, d).items():
        for path in ("duplicates", "topics"):
            assert api(who).get(base(cast, path)).status_code == 404, (role, path)
            assert api(who).post(base(cast, f"{path}/compute")).status_code == 404, (role, path)
    assert api().get(base(cast, "duplicates")).status_code == 401
    team = api(cast.doyun)
    assert team.get(base(cast, "duplicates")).json()["clusters"] == []
    r = team.post(base(cast, "duplicates/compute"))
    assert r.status_code == 202 and r.json()["state"] == "done" and r.json()["kind"] == "insight.duplicates"
    body = api(cast.admin).get(base(cast, "duplicates")).json()
    assert (
        body["proposals"] == 9 and body["threshold"] == 0.6 and body["computed_at"] and body["job"]["state"] == "done"
    )
    [cluster] = body["clusters"]
    assert cluster["keep"]["id"] == d.original.pk
    assert {m["proposal"]["id"] for m in cluster["members"]} == {d.resubmitted.pk, d.internal.pk}
    assert all(m["shared"] and m["similarity"] >= 0.6 and m["can_merge"] is False for m in cluster["members"])
    set_phase(cast.call, PhaseKind.REVIEW)
    assert all(m["can_merge"] for m in team.get(base(cast, "duplicates")).json()["clusters"][0]["members"])
    assert team.post(base(cast, "topics/compute")).status_code == 202
    topics = api(cast.admin).get(base(cast, "topics")).json()
    assert topics["k"] == len(topics["themes"]) >= 2 and sum(t["size"] for t in topics["themes"]) == 9
    assert all(-1 <= t["x"] <= 1 and t["words"] and t["top"] for t in topics["themes"])
    assert api(d.rival_team).get(f"/api/insight/{d.rival_call.slug}/duplicates").json()["clusters"] == []


def test_it_describes_every_endpoint_with_its_own_schema_names():
    schema = Client().get("/api/openapi.json").json()
    paths = set(schema["paths"])
    assert {
        "/api/insight/{slug}/opinion",
        "/api/insight/{slug}/opinion/next",
        "/api/insight/{slug}/opinion/votes",
        "/api/insight/{slug}/survey/ranking",
        "/api/insight/{slug}/survey/pair",
        "/api/insight/{slug}/survey/votes",
        "/api/insight/{slug}/duplicates",
        "/api/insight/{slug}/topics",
    } <= paths
    assert all(name.startswith("Insight") for name in schema["components"]["schemas"] if "Insight" in name)
