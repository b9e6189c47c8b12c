"""Ids sent to a lab's actions are parsed strictly: "²" passes `str.isdigit()` but not `int()`, and
a 25-digit number overflows the database driver. Each used to answer 500; now 404, for members
and for any other logged-in user alike, and nothing is written."""

import pytest

from madang.labs import selectors, services
from madang.labs.models import Membership, Milestone, Objection

from .conftest import client, join, make_lab

SHAPES = ["²", "¹²", "٣", "1²", "9999999999999999999999999", "-1", "0", "1.0", " ", "", "abc", "1e3", "0x10"]
FIELDS = {"confirm": "membership", "milestone_done": "milestone", "resolve": "objection", "object": "decision"}


@pytest.fixture
def things(cast, running):
    services.apply_to_lab(actor=cast.seojun, lab=running, motivation="참여")
    services.add_milestone(actor=cast.minji, lab=running, title="현장 조사", due_on=running.ends_on)
    d = services.propose_decision(actor=cast.minji, lab=running, title="주간 회고", body="금요일")
    services.object_to(actor=cast.jihoon, decision=d, reason="시간 조정")
    return running


@pytest.mark.parametrize("action", sorted(FIELDS))
@pytest.mark.parametrize("who", ["minji", "jihoon", "doyun", "bada"])
def test_it_answers_not_found_for_ids_that_are_not_plain_numbers(cast, things, action, who):
    c = client(getattr(cast, who))
    before = (
        Membership.objects.filter(state="applied").count(),
        Milestone.objects.filter(done_on__isnull=False).count(),
        Objection.objects.filter(resolved_at__isnull=False).count(),
        Objection.objects.count(),
    )
    for shape in SHAPES:
        r = c.post(f"/labs/{things.slug}/{action}/", {FIELDS[action]: shape, "accept": "1", "text": "해결"})
        assert r.status_code == 404, (action, shape, r.status_code)
    assert (
        Membership.objects.filter(state="applied").count(),
        Milestone.objects.filter(done_on__isnull=False).count(),
        Objection.objects.filter(resolved_at__isnull=False).count(),
        Objection.objects.count(),
    ) == before


def test_it_answers_not_found_for_another_labs_ids(cast, things):
    other = make_lab(cast, slug="second")
    join(cast, other, cast.minji, cast.seojun)
    theirs = services.propose_decision(actor=cast.seojun, lab=other, title="다른 랩의 결정", body="x")
    r = client(cast.minji).post(f"/labs/{things.slug}/object/", {"decision": theirs.pk, "text": "이의"})
    assert r.status_code == 404
    r = client(cast.minji).post(
        f"/api/labs/{things.slug}/decisions/{theirs.pk}/objections", {"reason": "이의"}, content_type="application/json"
    )
    assert r.status_code == 404
    assert not theirs.objections.exists()


@pytest.mark.parametrize("shape", ["²", "9999999999999999999999999", "0", "-3", "abc"])
def test_it_refuses_bad_ids_in_the_api_before_looking(cast, things, shape):
    c = client(cast.minji)
    for url in (
        f"/api/labs/{things.slug}/milestones/{shape}/done",
        f"/api/labs/{things.slug}/objections/{shape}/resolve",
        f"/api/labs/{things.slug}/decisions/{shape}/objections",
        f"/api/labs/{things.slug}/memberships/{shape}/confirm",
    ):
        r = c.post(url, {}, content_type="application/json")
        assert r.status_code in (404, 422), (url, r.status_code)
        assert r.json()["code"] in ("invalid", "not_found")


@pytest.mark.parametrize("slug", ["²", "x" * 81, "a b", "%00", "no-such-lab"])
def test_it_answers_bad_lab_addresses_without_a_server_error(cast, things, slug):
    c = client(cast.minji)
    assert c.get(f"/labs/{slug}/").status_code == 404
    assert c.get(f"/api/labs/{slug}").status_code in (404, 422)
    assert c.post(f"/labs/{slug}/decision/", {"title": "t", "body": "b", "consent_days": 1}).status_code == 404


def test_it_parses_ids_strictly():
    assert [selectors.parse_id(v) for v in ("7", " 42 ", 5, "²", "٣", "0", "-1", "1.0", str(2**63), True, "")] == [
        7,
        42,
        5,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
    ]
    assert selectors.parse_id(str(2**63 - 1)) == 2**63 - 1
