"""A lab's page and API ask the database the same number of questions however much the lab has done."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from madang.labs import services

from .conftest import client


def grow(cast, lab, n: int) -> None:
    for i in range(n):
        d = services.propose_decision(actor=cast.minji, lab=lab, title=f"결정 {i}", body="내용")
        services.object_to(actor=cast.jihoon, decision=d, reason=f"이의 {i}")
        services.add_journal_entry(actor=cast.jihoon, lab=lab, body=f"일지 {i}")
        services.add_milestone(actor=cast.minji, lab=lab, title=f"단계 {i}", due_on=lab.ends_on)
        services.record_experiment(actor=cast.minji, lab=lab, hypothesis=f"가설 {i}")


def counts(cast, lab) -> dict[tuple[str, str], int]:
    out = {}
    for who in (None, cast.minji, cast.doyun):
        c = client(who)
        for url in (f"/labs/{lab.slug}/", "/labs/", f"/api/labs/{lab.slug}", f"/api/labs/{lab.slug}/decisions"):
            with CaptureQueriesContext(connection) as seen:
                assert c.get(url).status_code == 200
            out[(str(who), url)] = len(seen)
    return out


def test_it_asks_the_same_number_of_questions_at_three_times_the_work(cast, running):
    grow(cast, running, 2)
    small = counts(cast, running)
    grow(cast, running, 4)
    large = counts(cast, running)
    assert {k: (small[k], large[k]) for k in small if large[k] != small[k]} == {}
