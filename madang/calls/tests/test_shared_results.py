"""Signed-in readers who see only what a call shares get the same list and search results, made
once and shared for a few seconds; everyone else gets their own, and nobody sees more than their
own rules allow (issue 18: the signed-in list and search pages)."""

import re
from datetime import timedelta
from urllib.parse import parse_qs

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from madang.calls import selectors
from madang.calls import services as calls
from madang.calls.models import Proposal
from madang.core import pagecache
from madang.review import services as review
from madang.testing import fresh_login

pytestmark = pytest.mark.django_db

TITLE = re.compile(r'<h3 style="margin:0"><a href="/calls/p/(\d+)/">')


@pytest.fixture
def shared(settings):
    """The shared copies on, as in production, and none left from another test."""
    settings.MADANG_PAGE_CACHE_SECONDS = 5
    cache.clear()
    selectors._plain_readers.clear()
    yield
    cache.clear()
    selectors._plain_readers.clear()


def listed(client: Client, path: str) -> list[int]:
    response = client.get(path)
    assert response.status_code == 200
    return [int(pk) for pk in TITLE.findall(response.content.decode())]


def signed_in(user) -> Client:
    return fresh_login(Client(), user)


def test_who_is_a_plain_reader(cast):
    mine = cast.proposal(author=cast.minji)
    cast.coauthor(mine, cast.seojun)
    review.assign_reviewer(actor=cast.doyun, proposal=cast.proposal(author=cast.jihoon), reviewer=cast.yuna)
    call = cast.call
    assert selectors.plain_reader(AnonymousUser(), call) is True  # (the call is public)
    assert selectors.plain_reader(cast.haneul, call) is True  # a reviewer, but of nothing in it yet
    assert selectors.plain_reader(cast.sohee, call) is True
    assert selectors.plain_reader(cast.minji, call) is False  # the author
    assert selectors.plain_reader(cast.seojun, call) is False  # a co-author
    assert selectors.plain_reader(cast.yuna, call) is False  # assigned to review one
    assert selectors.plain_reader(cast.doyun, call) is False  # the innovation team
    assert selectors.plain_reader(cast.admin, call) is False


def test_a_plain_readers_results_are_exactly_their_own(cast, settings):
    settings.MADANG_PAGE_CACHE_SECONDS = 0
    for i in range(25):
        cast.proposal(author=[cast.minji, cast.jihoon][i % 2], title=f"민원 서류 간소화 {i}")
    cast.proposal(author=cast.jihoon, title="초안", submit=False)
    hidden = cast.proposal(author=cast.jihoon, title="숨김 대상")
    calls.set_internal(actor=cast.doyun, proposal=hidden, internal=True, reason="내부 검토")
    reader = cast.haneul
    assert selectors.plain_reader(reader, cast.call)
    slug = cast.call.slug
    for query in ("", "?page=2", "?q=민원", "?q=간소화&order=support", "?order=comments&page=2"):
        params = parse_qs(query.lstrip("?"))
        expected = selectors.search_proposals(
            reader, cast.call, query=params.get("q", [""])[0], order=params.get("order", ["recent"])[0]
        )
        got = listed(signed_in(reader), f"/calls/c/{slug}/{query}")
        assert got, query
        page = int(params.get("page", ["1"])[0])
        assert got == list(expected.values_list("pk", flat=True)[(page - 1) * 20 : page * 20]), query
    everything = set(selectors.search_proposals(reader, cast.call).values_list("pk", flat=True))
    shown = set(listed(signed_in(reader), f"/calls/c/{slug}/")) | set(
        listed(signed_in(reader), f"/calls/c/{slug}/?page=2")
    )
    assert shown == everything
    assert hidden.pk not in shown


def test_what_only_some_may_see_never_reaches_the_shared_copy(cast, shared):
    draft = cast.proposal(author=cast.minji, title="민지의 초안", submit=False)
    internal = cast.proposal(author=cast.jihoon, title="내부 제안")
    calls.set_internal(actor=cast.doyun, proposal=internal, internal=True, reason="내부 검토")
    path = f"/calls/c/{cast.call.slug}/"
    # The author and the team first: their pages are their own, and nothing of theirs is kept.
    assert draft.pk in listed(signed_in(cast.minji), path)
    assert internal.pk in listed(signed_in(cast.doyun), path)
    plain = listed(signed_in(cast.haneul), path)
    assert draft.pk not in plain and internal.pk not in plain
    # A plain reader made the copy; the author and the team still get their own.
    assert listed(signed_in(cast.sohee), path) == plain
    assert draft.pk in listed(signed_in(cast.minji), path)
    assert internal.pk in listed(signed_in(cast.doyun), path)


def test_a_reader_who_writes_a_draft_sees_it_at_once(cast, shared):
    path = f"/calls/c/{cast.call.slug}/"
    cast.proposal(author=cast.jihoon)
    reader = signed_in(cast.haneul)
    before = listed(reader, path)
    assert selectors.plain_reader(cast.haneul, cast.call)  # (kept for a few seconds)
    draft = cast.proposal(author=cast.haneul, title="하늘의 초안", submit=False)
    after = listed(reader, path)
    assert sorted(after) == sorted([draft.pk, *before])


def test_the_shared_list_is_the_same_copy_and_tallies_may_lag_a_few_seconds(cast, shared):
    p = cast.proposal(author=cast.jihoon)
    path = f"/calls/c/{cast.call.slug}/"
    count = lambda c: re.search(r"공감 (\d+)", c.get(path).content.decode()).group(1)  # noqa: E731
    first = signed_in(cast.haneul)
    assert count(first) == "0"
    calls.support_proposal(actor=cast.sohee, proposal=p)
    assert count(signed_in(cast.sohee)) == "0"  # the copy made a moment ago
    cache.clear()
    assert count(signed_in(cast.sohee)) == "1"


def test_each_reader_still_gets_their_own_page_around_the_shared_list(cast, shared):
    cast.proposal(author=cast.jihoon)
    path = f"/calls/c/{cast.call.slug}/"
    one = signed_in(cast.haneul).get(path).content.decode()
    two = signed_in(cast.sohee).get(path).content.decode()
    assert cast.haneul.display_name in one and cast.haneul.display_name not in two
    assert cast.sohee.display_name in two
    token = lambda html: re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)  # noqa: E731
    assert token(one) != token(two)


def test_htmx_asks_for_the_list_alone(cast, shared):
    p = cast.proposal(author=cast.jihoon)
    client = signed_in(cast.haneul)
    response = client.get(f"/calls/c/{cast.call.slug}/?q=민원", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="proposal-list")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert [int(pk) for pk in TITLE.findall(html)] == [p.pk]


def test_a_fragment_with_a_csrf_token_is_never_kept(settings):
    settings.MADANG_PAGE_CACHE_SECONDS = 5
    cache.clear()
    made = []
    form = '<input type="hidden" name="csrfmiddlewaretoken" value="' + "a" * 64 + '">'
    for _ in range(2):
        pagecache.shared_fragment("test-token", lambda: made.append(1) or form)
    assert len(made) == 2
    for _ in range(2):
        assert pagecache.shared_fragment("test-plain", lambda: made.append(1) or "<p>x</p>") == "<p>x</p>"
    assert len(made) == 3


def _settle(*proposals) -> None:
    """As if written and submitted a while ago (longer than a shared copy and an answer may live)."""
    then = timezone.now() - timedelta(seconds=selectors.settled_seconds() + 60)
    Proposal.objects.filter(pk__in=[p.pk for p in proposals]).update(updated_at=then, submitted_at=then)


def test_an_author_whose_proposals_are_all_shared_settled_and_unflagged_shares_the_page(cast, shared):
    """At national scale about one signed-in official in eight has a proposal of their own in the
    call; their own list cost about five times a shared one (issue 18). When what they have is
    what the call shares anyway, unflagged and settled, they read the shared page too."""
    mine, theirs = cast.proposal(author=cast.minji), cast.proposal(author=cast.jihoon)
    cast.coauthor(theirs, cast.seojun)
    review.assign_reviewer(actor=cast.doyun, proposal=theirs, reviewer=cast.yuna)
    for who in (cast.minji, cast.seojun, cast.yuna):
        assert selectors.plain_reader(who, cast.call) is False  # just written: their own page
    _settle(mine, theirs)
    for who in (cast.minji, cast.jihoon, cast.seojun, cast.yuna):
        assert selectors.plain_reader(who, cast.call) is True, who
    path = f"/calls/c/{cast.call.slug}/"
    assert listed(signed_in(cast.minji), path) == listed(signed_in(cast.haneul), path) == [theirs.pk, mine.pk]


def test_an_author_sees_their_own_edit_at_once_even_where_others_share_a_page(cast, shared):
    mine = cast.proposal(author=cast.minji, title="버스 정류장 의자")
    _settle(mine)
    path = f"/calls/c/{cast.call.slug}/"
    assert "버스 정류장 의자" in signed_in(cast.haneul).get(path).content.decode()  # the shared copy is made
    assert selectors.plain_reader(cast.minji, cast.call) is True
    calls.update_proposal(
        actor=cast.minji,
        proposal=mine,
        fields=calls.ProposalFields(title="버스 정류장 온열 의자", problem="추운 날", solution="온열 의자"),
    )
    assert selectors.plain_reader(cast.minji, cast.call) is False
    assert "버스 정류장 온열 의자" in signed_in(cast.minji).get(path).content.decode()
    assert (
        "버스 정류장 온열 의자" not in signed_in(cast.haneul).get(path).content.decode()
    )  # (the copy, for a few seconds)


def test_an_author_with_anything_the_call_does_not_share_or_a_flagged_title_keeps_their_own_page(cast, shared):
    internal, withdrawn = cast.proposal(author=cast.minji), cast.proposal(author=cast.jihoon)
    calls.set_internal(actor=cast.doyun, proposal=internal, internal=True, reason="내부 검토")
    calls.withdraw_proposal(actor=cast.jihoon, proposal=withdrawn)
    flagged = cast.proposal(author=cast.seojun, submit=False, title="상담 전화 010-2345-6789 개설")
    calls.submit_proposal(actor=cast.seojun, proposal=flagged, personal_data_ok=True)
    _settle(internal, withdrawn, flagged)
    for who in (cast.minji, cast.jihoon, cast.seojun):
        assert selectors.plain_reader(who, cast.call) is False, who
    path = f"/calls/c/{cast.call.slug}/"
    assert internal.pk in listed(signed_in(cast.minji), path)
    assert "상담 전화 010-2345-6789 개설" in signed_in(cast.seojun).get(path).content.decode()
    assert "010-2345-6789" not in signed_in(cast.haneul).get(path).content.decode()


def _row(p: Proposal) -> tuple:
    author = p.author
    department = author.department
    return (
        p.pk,
        p.title,
        p.number,
        p.status,
        p.outcome,
        p.support_count,
        p.comment_count,
        p.category.name if p.category_id else None,
        p.call.slug,
        author.display_name,
        department.name if department else None,
        department.parent.name if department and department.parent_id else None,
    )


@pytest.mark.parametrize("order", ["recent", "support", "comments"])
def test_the_shared_lists_rows_read_by_compiled_sql_are_those_of_the_query(cast, order):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from madang.core.paginator import CappedPaginator, rows_by_key

    for i, author in enumerate([cast.minji, cast.jihoon, cast.haneul, cast.sohee, cast.seojun]):
        cast.proposal(author=author, title=f"제안 {i}")
    qs = selectors.search_proposals(AnonymousUser(), cast.call, order=order, shared_only=True)
    rows = selectors.shared_rows(qs)
    assert rows is not None
    keys = list(qs.values_list("pk", flat=True))
    assert len(keys) == 5
    for some in (keys, keys[:2], keys[::-1], keys[1:2]):
        assert sorted(map(_row, rows(some))) == sorted(map(_row, rows_by_key(qs, some)))
    with CaptureQueriesContext(connection) as queries:
        page = CappedPaginator(qs, 2, rows=rows).get_page(2)
    assert [p.pk for p in page] == keys[2:4]  # (in the query's order)
    assert [_row(p) for p in page] == [_row(p) for p in CappedPaginator(qs, 2).get_page(2)]
    assert len(queries) == 3  # (the count, the keys, the rows with their joins)
    assert selectors._SHARED_ROWS[2]._compiled()  # (kept for this page size)


def test_a_list_of_another_shape_is_read_as_before(cast):
    from madang.calls.models import Proposal as P

    cast.proposal(author=cast.minji)
    qs = selectors.search_proposals(AnonymousUser(), cast.call, shared_only=True)
    assert selectors.shared_rows(qs.annotate(n=P.objects.none().values("pk")[:1])) is None
    assert selectors.shared_rows(qs.select_related("suggested_department")) is None  # (one join more)
    assert selectors.shared_rows(qs.defer("body")) is None
    assert selectors.shared_rows(qs.prefetch_related("coauthors")) is None
    assert selectors.shared_rows(P.objects.filter(call=cast.call)) is None  # (joins nothing)
    # A key no row has finds nothing; one beyond a 64-bit column is not even asked for.
    assert selectors._read_shared_rows([2**40]) == selectors._read_shared_rows([2**64]) == []
    assert [p.pk for p in selectors._read_shared_rows([qs.get().pk])] == [qs.get().pk]


def test_whether_a_reader_has_their_own_is_answered_in_one_compiled_query_as_one_by_one(cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    mine = cast.proposal(author=cast.minji)
    cast.coauthor(mine, cast.seojun)
    review.assign_reviewer(actor=cast.doyun, proposal=cast.proposal(author=cast.jihoon), reviewer=cast.yuna)
    call = cast.call

    def one_by_one(user) -> bool:
        return any(selectors._in_call(call).filter(way).exists() for way in selectors._ways_in(user))

    expected = {"minji": True, "seojun": True, "yuna": True, "jihoon": True, "haneul": False, "sehun": False}
    for name, has in expected.items():
        user = getattr(cast, name)
        assert selectors._has_own(user, call) is one_by_one(user) is has, name
    selectors._HAS_OWN.run(user=cast.haneul.pk, call=call.pk)  # (compiled on this connection)
    with CaptureQueriesContext(connection) as queries:
        assert selectors._has_own(cast.haneul, call) is False
    assert len(queries) <= 2  # (their role grants, if not yet read, and the one question)
    assert "EXISTS" in queries[-1]["sql"].upper()
    # A liaison's ways depend on their departments: asked one by one, with the same answer.
    assert selectors._has_own(cast.sohee, call) is one_by_one(cast.sohee) is False
