"""The lab API's reads: the portfolio and a lab, with public fields only for anonymous visitors,
and the schema that describes them."""

from madang.labs import services

from .conftest import client

PUBLIC_FIELDS = {
    "id",
    "slug",
    "title",
    "state",
    "home",
    "starts_on",
    "ends_on",
    "outcome",
    "mission",
    "started_at",
    "closed_at",
    "extended_at",
    "extension_reason",
    "outcome_note",
    "handed_to",
    "task",
    "members",
    "milestones",
    "experiments",
    "reports",
    "following",
    "can",
}


def test_it_lists_the_portfolio_to_anyone(cast, running):
    r = client().get("/api/labs")
    assert r.status_code == 200
    assert r.json() == [
        {
            "id": running.pk,
            "slug": "paperless",
            "title": "서류 없는 민원 랩",
            "state": "running",
            "home": "한빛도",
            "starts_on": running.starts_on.isoformat(),
            "ends_on": running.ends_on.isoformat(),
            "outcome": "",
        }
    ]


def test_it_shows_an_anonymous_visitor_the_public_face_only(cast, running):
    services.set_released_duties(actor=cast.minji, lab=running, duties=["weekly_reports"])
    services.add_journal_entry(actor=cast.minji, lab=running, body="현장 인터뷰 5건")
    body = client().get(f"/api/labs/{running.slug}").json()
    assert set(body) == PUBLIC_FIELDS
    assert body["task"] == {"id": running.proposal_id, "title": "민원 서류 간소화"}  # a public proposal
    assert {m["name"] for m in body["members"]} == {"김민지", "박지훈"}
    assert all(m["released_duties"] is None for m in body["members"])
    assert "현장 인터뷰" not in str(body)
    assert body["following"] is False and not any(body["can"].values())


def test_it_shows_a_member_their_colleagues_released_duties_and_what_they_may_do(cast, running):
    services.set_released_duties(actor=cast.jihoon, lab=running, duties=["budget", "events"])
    body = client(cast.minji).get(f"/api/labs/{running.slug}").json()
    jihoon = next(m for m in body["members"] if m["name"] == "박지훈")
    assert jihoon["released_duties"] == ["budget", "events"]
    assert jihoon["department"] == "한빛도 교통과"
    assert body["can"] == {
        "apply": False,
        "confirm": False,
        "start": False,
        "work": True,
        "close": True,
        "hand_over": False,
        "follow": True,
        "read_journal": True,
    }


def test_it_answers_not_found_in_the_apis_shape(cast, running):
    r = client(cast.minji, "en").get("/api/labs/no-such-lab")
    assert r.status_code == 404
    assert r.json() == {
        "code": "not_found",
        "message": "The page or item was not found, or you may not see it.",
        "field": None,
    }


def test_it_shows_following_after_a_follow_on_the_page(cast, running):
    client(cast.seojun).post(f"/labs/{running.slug}/follow/", {"follow": "1"})
    assert client(cast.seojun).get(f"/api/labs/{running.slug}").json()["following"] is True


def test_it_describes_the_lab_endpoints_in_the_schema(cast):
    schema = client().get("/api/openapi.json").json()
    assert {
        "/api/labs",
        "/api/labs/{slug}",
        "/api/labs/{slug}/journal",
        "/api/labs/{slug}/decisions",
        "/api/labs/{slug}/decisions/{decision_id}/objections",
        "/api/labs/{slug}/objections/{objection_id}/resolve",
        "/api/labs/{slug}/milestones",
        "/api/labs/{slug}/milestones/{milestone_id}/done",
        "/api/labs/{slug}/reports",
        "/api/labs/{slug}/memberships",
        "/api/labs/{slug}/memberships/{membership_id}/confirm",
        "/api/labs/{slug}/start",
        "/api/labs/{slug}/close",
    } <= set(schema["paths"])
    components = schema["components"]["schemas"]
    assert components["LabDecisionIn"]["properties"]["consent_days"]["maximum"] == 14
    assert components["LabReportIn"]["properties"]["body"]["maxLength"] == 20_000
    # Other domains' shapes keep their names (ninja names components by class name).
    assert components["ReportIn"]["properties"]["reason"]["maxLength"] == 300
    assert {} in schema["paths"]["/api/labs/{slug}"]["get"]["security"]  # readable without logging in
