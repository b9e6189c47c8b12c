"""When an import finds that one of 한빛도's suggestions looks like a filing of 새벽도, the office is told in
its inbox (once per match), and reads and rules on the matches over the JSON API with the page's
permissions: the office only; the proposer and other officials see nothing."""

from datetime import date

import pytest
from django.test import Client

from madang.inbox.models import Notification, NotificationKind
from madang.inbox.services import describe
from madang.priority import services
from madang.priority.models import Match, Ruling
from madang.suggestions.tests.conftest import file

from .test_import import BUS, PARKING

pytestmark = pytest.mark.django_db


def api(user=None):
    c = Client(HTTP_ACCEPT_LANGUAGE="ko")
    if user is not None:
        c.force_login(user)
    return c


@pytest.fixture
def matched(cast, office, saebyeok, peer):
    saebyeok.receive(BUS, date(2025, 3, 4))
    saebyeok.receive(PARKING, date(2025, 3, 20))
    bus = file(cast, office, on=date(2025, 3, 10))
    services.import_export(actor=None, peer=peer, data=saebyeok.export())
    return Match.objects.get(suggestion=bus)


def notices(user):
    return list(Notification.objects.filter(user=user, kind=NotificationKind.PRIORITY))


def test_the_office_is_told_of_a_new_match_once(cast, matched, saebyeok, peer):
    [notice] = notices(cast.doyun)
    assert notice.proposal_id == matched.suggestion.proposal_id
    assert notice.params["order"] == "theirs" and notice.params["match"] == matched.pk
    text = describe(notice)
    assert "새벽도" in text and "2025-03-04" in text and "2025-0001" in text
    for someone in (cast.garam, cast.seojun, cast.yuna):
        assert notices(someone) == []
    services.import_export(actor=None, peer=peer, data=saebyeok.export())  # nothing new: no second notice
    assert len(notices(cast.doyun)) == 1
    listed = api(cast.doyun).get("/api/inbox/notifications").json()
    assert any(n["kind"] == "priority" and "새벽도" in n["text"] for n in listed["items"])


def test_the_api_lists_the_offices_matches_and_nobody_elses(cast, matched):
    rows = api(cast.doyun).get("/api/priority/matches").json()
    assert [(r["id"], r["order"], r["peer"], r["their_number"], r["their_received_on"]) for r in rows] == [
        (matched.pk, "theirs", "새벽도", "2025-0001", "2025-03-04")
    ]
    assert rows[0]["receipt_url"] == f"/priority/filings/{matched.filing_id}/receipt.tlog-proof"
    assert rows[0]["ruling"] is None and rows[0]["first_receipt_url"] is None
    for someone in (cast.garam, cast.seojun):
        assert api(someone).get("/api/priority/matches").json() == []
        assert api(someone).get(f"/api/priority/matches/{matched.pk}").status_code == 404
        assert api(someone).get("/api/priority/peers").status_code == 404
    assert api().get("/api/priority/matches").status_code == 401
    one = api(cast.doyun).get(f"/api/priority/matches/{matched.pk}").json()
    assert one["verified"] is True and one["similarity"] > 0.8
    assert [p["name"] for p in api(cast.doyun).get("/api/priority/peers").json()] == ["새벽도"]


def test_the_office_rules_over_the_api_as_on_the_page(cast, matched):
    path = f"/api/priority/matches/{matched.pk}/ruling"
    body = {"verdict": "ours_first", "note": "우리가 먼저"}
    refused = api(cast.doyun).post(path, body, content_type="application/json")
    assert (refused.status_code, refused.json()["code"]) == (400, "order")  # their receipt is earlier
    assert api(cast.garam).post(path, body, content_type="application/json").status_code == 404
    done = api(cast.doyun).post(
        path, {"verdict": "theirs_first", "note": "새벽도에 먼저 접수됨"}, content_type="application/json"
    )
    assert done.status_code == 201
    assert done.json()["ruling"]["verdict"] == "theirs_first"
    assert Ruling.objects.get(match=matched).ruled_by == cast.doyun
    assert api(cast.doyun).get("/api/priority/matches?open=true").json() == []
    assert len(api(cast.doyun).get("/api/priority/matches").json()) == 1
