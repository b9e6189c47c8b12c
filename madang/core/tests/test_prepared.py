"""A prepared read (core.prepared) reads exactly the rows, joined objects and annotations its
queryset reads, with the SQL compiled once per connection; a read whose SQL depends on its
values is refused, not run wrongly."""

import threading

import pytest
from django.db import connection, connections
from django.db.models import Count, QuerySet
from django.test.utils import CaptureQueriesContext

from madang.calls import selectors
from madang.calls import services as calls
from madang.calls.models import PhaseKind, Proposal
from madang.core import prepared
from madang.testing import set_phase

pytestmark = pytest.mark.django_db


def _with_authors(proposal: int) -> QuerySet[Proposal]:
    return (
        Proposal.objects.select_related("author__department")
        .annotate(supporters=Count("supports"))
        .prefetch_related("coauthors")
        .filter(pk=proposal)
    )


def test_rows_are_those_of_the_queryset(cast):
    set_phase(cast.call, PhaseKind.SUBMISSION)
    one = cast.proposal(author=cast.minji, title="버스 정류장 안내 개선")
    two = cast.proposal(author=cast.seojun, title="민원 서식 간소화")
    calls.support_proposal(actor=cast.haneul, proposal=two)
    read = prepared.Prepared(_with_authors, proposal=int)
    for p in (one, two):
        (got,) = read.run(proposal=p.pk)
        (want,) = list(_with_authors(p.pk))
        assert (got.pk, got.title, got.supporters) == (want.pk, want.title, want.supporters)
        with CaptureQueriesContext(connection) as asked:
            # Joined and prefetched with the row, as the queryset has them: nothing more is asked.
            assert got.author.department.name == want.author.department.name
            assert list(got.coauthors.all()) == list(want.coauthors.all())
        assert len(asked) == 0
    assert read.run(proposal=two.pk)[0].supporters == 1
    assert read.run(proposal=10**6) == []


def test_compiled_once_per_connection(cast):
    set_phase(cast.call, PhaseKind.SUBMISSION)
    p = cast.proposal(author=cast.minji)
    read = prepared.Prepared(_with_authors, proposal=int)
    built = []

    def counting(proposal: int) -> QuerySet[Proposal]:
        built.append(proposal)
        return _with_authors(proposal)

    read.build = counting
    for _ in range(3):
        assert [r.pk for r in read.run(proposal=p.pk)] == [p.pk]
    assert len(built) == 2  # (the two sample compilations, once)
    assert p.pk not in built

    other: dict[str, object] = {}

    def elsewhere() -> None:
        try:
            other["connection"] = read._compiled().compiler.connection
        finally:
            connections.close_all()

    t = threading.Thread(target=elsewhere)
    t.start()
    t.join()
    assert other["connection"] is not connection
    assert len(built) == 4  # (that thread compiled its own)


def _joined(proposal: int) -> QuerySet[Proposal]:
    return Proposal.objects.select_related("author__department").filter(pk=proposal)


def test_converters_are_worked_out_once_and_convert_as_the_orm_does(cast, monkeypatch):
    from django.db.models.sql.compiler import SQLCompiler

    set_phase(cast.call, PhaseKind.SUBMISSION)
    p = cast.proposal(author=cast.minji)
    read = prepared.Prepared(_joined, proposal=int)
    asked = []
    work_out = SQLCompiler.get_converters

    def counting(self: SQLCompiler, expressions: list) -> dict:
        asked.append(len(expressions))
        return work_out(self, expressions)

    monkeypatch.setattr(SQLCompiler, "get_converters", counting)
    rows = [read.run(proposal=p.pk)[0] for _ in range(4)]
    assert len(asked) == 1  # (the first run's; the other three use what it worked out)
    (want,) = list(_joined(p.pk))
    for got in rows:
        # Dates come back as aware datetimes, flags as bools, as the queryset reads them.
        assert got.submitted_at == want.submitted_at and got.submitted_at.tzinfo is not None
        assert got.author.is_active is want.author.is_active is True
        assert got.author.department.name == want.author.department.name


def test_signed_in_proposal_read_matches_the_orm(cast):
    set_phase(cast.call, PhaseKind.SUBMISSION)
    p = cast.proposal(author=cast.minji)
    calls.support_proposal(actor=cast.haneul, proposal=p)
    for viewer, supports in ((cast.haneul, True), (cast.sehun, False)):
        (got,) = selectors._READ_PROPOSAL_SIGNED_IN.run(proposal=p.pk, viewer=viewer.pk)
        (want,) = list(selectors._proposal_page_query(p.pk, viewer.pk))
        names = ("coauthored", "attached", "merged_here", "screened", "live_supports", "viewer_supports")
        assert {n: getattr(got, n) for n in names} == {n: getattr(want, n) for n in names}
        assert got.viewer_supports is supports


def test_a_value_outside_an_integer_column_finds_nothing_without_asking(cast):
    read = prepared.Prepared(_with_authors, proposal=int)
    with CaptureQueriesContext(connection) as asked:
        assert read.run(proposal=2**63) == []
        assert read.run(proposal=-(2**63) - 1) == []
    assert len(asked) == 0
    assert list(Proposal.objects.filter(pk=2**63)) == []


def test_a_key_beyond_32_bits_is_found_as_the_orm_finds_it(cast):
    # (Madang's keys are 64-bit: stop 21 found that such a key would have been "not found".)
    from madang.people.models import User

    User.objects.create(id=2**40, username="big", display_name="큰 번호")
    read = prepared.Prepared(lambda user: User.objects.filter(pk=user), user=int)
    assert [u.username for u in read.run(user=2**40)] == ["big"]
    assert list(User.objects.filter(pk=2**40).values_list("username", flat=True)) == ["big"]


def test_values_are_checked(cast):
    read = prepared.Prepared(_with_authors, proposal=int)
    with pytest.raises(TypeError):
        read.run(proposal="1")
    with pytest.raises(TypeError):
        read.run(proposal=True)  # (a bool is not an id)
    with pytest.raises(TypeError):
        read.run(proposal=1, viewer=2)
    with pytest.raises(TypeError):
        prepared.Prepared(_with_authors, proposal=float)


def test_a_read_whose_sql_depends_on_its_values_is_refused(cast):
    def sliced(n: int) -> QuerySet[Proposal]:
        return Proposal.objects.all()[:n]  # (a slice is written into the SQL)

    def unused(n: int) -> QuerySet[Proposal]:
        return Proposal.objects.filter(pk=1)

    with pytest.raises(ValueError, match="depends on the values"):
        prepared.Prepared(sliced, n=int).run(n=5)
    with pytest.raises(ValueError, match="not sent as parameters"):
        prepared.Prepared(unused, n=int).run(n=5)
