"""No page asks the database more questions as the data grows: counts at one size and at three
times that size must be equal, page by page and for each kind of reader."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from madang.calls import selectors
from madang.calls import services as calls
from madang.calls.models import PhaseKind
from madang.ledger import services as ledger
from madang.review import services as review
from madang.testing import PASSWORD, set_phase

pytestmark = pytest.mark.django_db


def grow(cast, n: int) -> None:
    set_phase(cast.call, PhaseKind.SUBMISSION)
    authors = [cast.minji, cast.seojun, cast.jihoon]
    made = []
    for i in range(n):
        p = cast.proposal(author=authors[i % 3], title=f"민원 개선 제안 {i} {timezone.now().timestamp()}")
        for fan in (cast.haneul, cast.sehun):
            calls.support_proposal(actor=fan, proposal=p)
        calls.add_comment(actor=cast.haneul, proposal=p, body=f"좋은 의견입니다 {i}")
        made.append(p)
    set_phase(cast.call, PhaseKind.SELECTION)
    for p in made[::2]:
        review.route_decision(
            actor=cast.doyun,
            proposal=p,
            department=cast.transport,
            answer_due=timezone.localdate() + timedelta(days=14),
        )
    ledger.sequence()


def pages(cast) -> dict[str, list[str]]:
    slug = cast.call.slug
    first = cast.call.proposals.order_by("pk").first().pk
    return {
        "anonymous": [
            "/",
            "/calls/",
            f"/calls/c/{slug}/",
            f"/calls/c/{slug}/?q=민원",
            f"/calls/p/{first}/",
            "/ledger/",
            "/followup/dashboard/",
            f"/followup/dashboard/{slug}/",
            "/labs/",
            f"/api/calls/{slug}/proposals",
        ],
        "doyun": [f"/calls/c/{slug}/", f"/review/c/{slug}/", "/me/", "/inbox/", f"/calls/c/{slug}/moderation/"],
        "sohee": ["/followup/", "/me/", "/inbox/"],
        "minji": ["/me/", "/inbox/", f"/calls/c/{slug}/"],
    }


def counts(cast) -> dict[tuple[str, str], int]:
    out = {}
    for who, paths in pages(cast).items():
        client = Client()
        if who != "anonymous":
            assert client.login(username=getattr(cast, who).username, password=PASSWORD)
        for path in paths:
            # Each page read as the first in its process: this process's copies of a call and
            # of who reads it plainly live a few seconds, and one that lapsed between the two
            # sizes (a slow run) would count as growth.
            selectors.forget_call_copies()
            if who != "anonymous":
                selectors.forget_plain_reader(getattr(cast, who).pk)
            with CaptureQueriesContext(connection) as queries:
                status = client.get(path).status_code
            assert status == 200, (who, path, status)
            out[(who, path)] = len(queries)
    return out


def settle(cast, settled: bool, monkeypatch) -> None:
    """Put every author on one path: a reader whose own proposals changed within
    `selectors.settled_seconds()` reads their own list, one whose did not reads the shared one.
    Left to the clock, a slow run settled the small size's proposals and not the large size's, and
    counted the two paths as growth (20 against 17 questions, seen once in the PostgreSQL pass)."""
    if settled:
        long_ago = timezone.now() - timedelta(days=1)
        cast.call.proposals.update(updated_at=long_ago)
        cast.call.proposals.filter(submitted_at__isnull=False).update(submitted_at=long_ago)
    else:
        monkeypatch.setattr(selectors, "settled_seconds", lambda: 10 * 24 * 3600.0)


@pytest.mark.parametrize("settled", [False, True], ids=["just-changed", "settled"])
def test_it_asks_the_same_number_of_questions_at_three_times_the_data(cast, settled, monkeypatch):
    grow(cast, 4)
    settle(cast, settled, monkeypatch)
    small = counts(cast)
    grow(cast, 8)
    settle(cast, settled, monkeypatch)
    large = counts(cast)
    grown = {page: (small[page], large[page]) for page in small if large[page] > small[page]}
    assert not grown, f"pages whose query count grows with the data (small, large): {grown}"
