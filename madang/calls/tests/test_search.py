"""Searching proposals in Korean: particles and spacing must not matter."""

from madang.calls import selectors, services


def titles(qs):
    return sorted(p.title for p in qs)


def test_it_finds_a_joined_word_written_with_a_space_and_a_particle(cast):
    cast.proposal(title="민원 서류를 한 번만", problem="같은 서류를 여러 번 냅니다.")
    cast.proposal(author=cast.jihoon, title="교통 신호 개선", problem="신호가 너무 짧습니다.")
    assert titles(selectors.search_proposals(cast.seojun, cast.call, query="민원서류")) == ["민원 서류를 한 번만"]


def test_it_finds_a_word_followed_by_particles(cast):
    cast.proposal(title="교통과의 협업 강화", problem="부서 간 협의가 늦습니다.")
    cast.proposal(author=cast.jihoon, title="복지 상담 예약", problem="대기 시간이 깁니다.")
    assert titles(selectors.search_proposals(cast.seojun, cast.call, query="교통")) == ["교통과의 협업 강화"]


def test_it_finds_words_in_the_body_and_across_html(cast):
    cast.proposal(title="업무 개선", problem="<p><strong>주차장</strong>이 부족합니다</p>")
    assert titles(selectors.search_proposals(cast.seojun, cast.call, query="주차")) == ["업무 개선"]


def test_it_needs_every_query_word(cast):
    cast.proposal(title="민원 서류 간소화")
    cast.proposal(author=cast.jihoon, title="민원 창구 안내", problem="창구가 붐빕니다.", solution="번호표")
    assert titles(selectors.search_proposals(cast.seojun, cast.call, query="민원 서류")) == ["민원 서류 간소화"]
    assert titles(selectors.search_proposals(cast.seojun, cast.call, query="민원")) == [
        "민원 서류 간소화",
        "민원 창구 안내",
    ]


def test_it_matches_full_width_latin(cast):
    cast.proposal(title="AI 민원 상담")
    assert titles(selectors.search_proposals(cast.seojun, cast.call, query="ａｉ")) == ["AI 민원 상담"]


def test_it_finds_an_edited_proposal_by_its_new_words(cast):
    p = cast.proposal(submit=False, title="처음 제목")
    services.update_proposal(
        actor=cast.minji, proposal=p, fields=services.ProposalFields(title="전자 결재 속도", problem="느림")
    )
    assert titles(selectors.search_proposals(cast.minji, cast.call, query="결재")) == ["전자 결재 속도"]
    assert titles(selectors.search_proposals(cast.minji, cast.call, query="처음")) == []


def test_it_searches_only_what_the_user_may_see(cast):
    cast.proposal(title="민원 서류 초안", submit=False)
    cast.proposal(author=cast.jihoon, title="민원 서류 제출본")
    assert titles(selectors.search_proposals(cast.seojun, cast.call, query="민원")) == ["민원 서류 제출본"]
    assert titles(selectors.search_proposals(cast.minji, cast.call, query="민원")) == [
        "민원 서류 제출본",
        "민원 서류 초안",
    ]


def test_it_orders_by_support(cast):
    quiet = cast.proposal(title="조용한 제안")
    loved = cast.proposal(author=cast.jihoon, title="인기 제안")
    services.support_proposal(actor=cast.seojun, proposal=loved)
    assert list(selectors.search_proposals(cast.seojun, cast.call, order="support")) == [loved, quiet]


def test_it_suggests_similar_proposals_with_the_shared_words(cast):
    near = cast.proposal(title="민원서류 간소화 방안", problem="서류 제출을 줄입니다.")
    cast.proposal(author=cast.jihoon, title="교통 신호 개선", problem="신호 주기를 바꿉니다.")
    found = selectors.similar_proposals(cast.call, "민원 서류 간소화")
    assert [p for p, _m in found] == [near]
    assert {"민원", "서류", "간소"} <= set(found[0][1].shared)


def test_it_suggests_nothing_for_too_short_text_or_the_proposal_itself(cast):
    p = cast.proposal(title="민원 서류 간소화")
    assert selectors.similar_proposals(cast.call, "민원") == []
    assert selectors.similar_proposals(cast.call, "민원 서류 간소화", exclude=p.pk) == []


def test_it_suggests_no_drafts_hidden_or_internal_proposals(cast):
    cast.proposal(title="민원 서류 간소화 초안", submit=False)
    hidden = cast.proposal(author=cast.seojun, title="민원 서류 간소화 숨김")
    services.hide_proposal(actor=cast.doyun, proposal=hidden, reason="중복")
    internal = cast.proposal(author=cast.jihoon, title="민원 서류 간소화 내부")
    services.set_internal(actor=cast.doyun, proposal=internal, internal=True, reason="보안 검토 중")
    assert selectors.similar_proposals(cast.call, "민원 서류 간소화") == []


def test_it_finds_the_same_proposals_through_the_full_text_index_as_by_terms(cast):
    from madang.calls.models import Proposal
    from madang.solvers import korean

    titles_in = ["민원 서류 간소화", "버스 정류장 안내", "민원 창구 안내 개선", "주차 단속 강화", "복지 신청 안내"]
    for t in titles_in:
        cast.proposal(title=t)
    for query in ["안내", "민원 안내", "정류장", "주차단속", "복지신청", "없는말"]:
        terms = korean.query_terms(query)
        expected = {
            p.title
            for p in Proposal.objects.filter(call=cast.call)
            if all(f" {t} " in f" {p.search_terms} " for t in terms)
        }
        got = {p.title for p in selectors.search_proposals(cast.seojun, cast.call, query=query)}
        assert got == expected, query


def test_it_ranks_the_best_match_first(cast):
    cast.proposal(title="안내 문자", problem="재난 안내가 늦습니다")
    cast.proposal(title="버스 정류장 도착 안내", problem="버스 정류장 안내판의 버스 도착 시간이 틀립니다")
    ranked = selectors.search_proposals(cast.seojun, cast.call, query="버스 정류장 안내", order="relevance")
    assert [p.title for p in ranked][:1] == ["버스 정류장 도착 안내"]


def test_it_keeps_the_index_in_step_with_edits_and_deletions(cast):
    from madang.calls import services as calls
    from madang.calls.models import Proposal

    p = cast.proposal(title="초안 제목", submit=False)
    assert titles(selectors.search_proposals(cast.minji, cast.call, query="초안")) == ["초안 제목"]
    calls.update_proposal(
        actor=cast.minji, proposal=p, fields=calls.ProposalFields(title="고친 제목", problem="문제", solution="해결")
    )
    assert titles(selectors.search_proposals(cast.minji, cast.call, query="초안")) == []
    assert titles(selectors.search_proposals(cast.minji, cast.call, query="고친")) == ["고친 제목"]
    Proposal.objects.filter(pk=p.pk).delete()
    assert titles(selectors.search_proposals(cast.minji, cast.call, query="고친")) == []


def test_it_counts_a_long_list_only_up_to_its_cap(cast):
    from madang.core.paginator import CappedPaginator

    for i in range(7):
        cast.proposal(title=f"안내 개선 {i}")
    qs = selectors.search_proposals(cast.seojun, cast.call, query="안내")
    paginator = CappedPaginator(qs, 2)
    paginator.cap = 5
    assert paginator.capped
    assert paginator.num_pages == 3
    assert len(list(paginator.get_page(3))) == 2
    assert not CappedPaginator(qs, 2).capped
    assert CappedPaginator(qs, 2).count == 7


def test_it_ranks_a_very_common_phrase_among_its_newest_matches_and_still_lists_every_match(cast, monkeypatch):
    from madang.core import fulltext

    best_but_old = cast.proposal(
        title="버스 정류장 버스 정류장 버스 정류장", problem="버스 정류장 안내판이 버스 정류장마다 다릅니다"
    )
    for i in range(4):
        cast.proposal(title=f"정류장 개선 {i}", problem=f"버스가 늦게 옵니다 {i}번 버스 정류장 의자")
    monkeypatch.setattr(fulltext, "WINDOW", 3)
    monkeypatch.setattr(fulltext, "WINDOW_PG", 3)
    ranked = list(selectors.search_proposals(cast.seojun, cast.call, query="버스 정류장", order="relevance"))
    assert len(ranked) == 5
    assert ranked[0] != best_but_old and best_but_old in ranked  # outside the newest three: listed, not ranked
    monkeypatch.setattr(fulltext, "WINDOW", 50)
    monkeypatch.setattr(fulltext, "WINDOW_PG", 50)
    assert selectors.search_proposals(cast.seojun, cast.call, query="버스 정류장", order="relevance")[0] == best_but_old


def test_it_finds_a_proposal_when_the_query_carries_a_particle_the_text_lacks(cast):
    cast.proposal(title="민원 서류 간소화", problem="같은 서류를 여러 번 냅니다.")
    cast.proposal(author=cast.jihoon, title="버스정류장 안내판", problem="도착 시간이 틀립니다.")
    assert titles(selectors.search_proposals(cast.seojun, cast.call, query="민원서류를")) == ["민원 서류 간소화"]
    assert titles(selectors.search_proposals(cast.seojun, cast.call, query="버스 정류장에서")) == ["버스정류장 안내판"]


def test_its_first_pages_in_best_match_order_are_the_pages_of_the_full_sort(
    cast, monkeypatch, django_assert_max_num_queries
):
    from madang.core import fulltext
    from madang.core.paginator import CappedPaginator

    made = [
        cast.proposal(
            title=f"버스 정류장 안내 {'버스 ' * (i % 4)}{i}", problem=f"정류장 {i}번 의자 " + "버스 " * (i % 3)
        )
        for i in range(9)
    ]
    services.hide_proposal(actor=cast.doyun, proposal=made[4], reason="중복")  # (ranked, then filtered out)
    monkeypatch.setattr(fulltext, "TOP", 6)
    qs = selectors.search_proposals(cast.seojun, cast.call, query="버스 정류장", order="relevance")
    full_sort = list(qs.order_by("relevance", "-submitted_at", "-id").values_list("pk", flat=True))
    assert len(full_sort) == 8 and made[4].pk not in full_sort
    paged = []
    for number in range(1, 5):
        with django_assert_max_num_queries(3):
            paged.extend(p.pk for p in CappedPaginator(qs, 2).page(number))
    assert paged == full_sort
    assert [p.pk for p in qs[1:4]] == full_sort[1:4]


def test_it_tells_which_ids_a_queryset_holds_by_primary_key_alone(cast):
    from madang.calls.models import Proposal
    from madang.core import fulltext

    shown = [cast.proposal(title=f"버스 안내 {i}") for i in range(3)]
    draft = cast.proposal(title="버스 초안", submit=False)
    qs = Proposal.objects.filter(call=cast.call, status="submitted").exclude(pk=shown[0].pk)
    ids = [p.pk for p in (*shown, draft)] + [10**9]
    assert (
        fulltext.visible_ids(qs, ids)
        == set(qs.filter(pk__in=ids).values_list("pk", flat=True))
        == {shown[1].pk, shown[2].pk}
    )
    assert fulltext.visible_ids(qs, []) == set()


def test_the_similar_ideas_prefilter_scores_the_rarest_terms_within_its_budget(cast, monkeypatch):
    from django.db import connection

    from madang.core import fulltext
    from madang.solvers import korean

    for i in range(6):
        cast.proposal(title=f"민원 서류 안내 {i}", problem="민원 서류를 여러 번 냅니다.")
    rare = cast.proposal(title="민원 서류 전자고지 도입", problem="고지서를 종이로 받습니다.")
    terms = korean.query_terms("민원 서류 전자고지")
    if connection.vendor == "sqlite":
        fulltext._df_cache.clear()  # (counts from earlier tests' proposals)
        monkeypatch.setattr(fulltext, "POSTINGS", 4)
        monkeypatch.setattr(fulltext, "MIN_TERMS", 1)
        chosen, floor = fulltext._bounded_terms(terms)
        assert chosen[0] in ("전자", "자고", "고지") and "민원" not in chosen  # the rare ones, in budget
        assert floor == 0  # (they fit: nothing to cut)
        monkeypatch.setattr(fulltext, "MIN_TERMS", 3)
        monkeypatch.setattr(fulltext, "POSTINGS", 1)
        _chosen, floor = fulltext._bounded_terms(terms)
        assert floor > 0  # over budget: only the newest are scored
    assert fulltext.candidates(cast.call.proposals.all(), terms, limit=3)[0] == rare.pk


def test_a_newest_first_search_finds_the_same_proposals_whichever_way_postgresql_is_asked(cast, monkeypatch):
    from django.db import connection

    from madang.core import fulltext

    for i in range(5):
        cast.proposal(title=f"버스 정류장 안내 {i}", problem="정류장마다 다릅니다")
    cast.proposal(title="버스 노선 개편", problem="노선이 깁니다")
    indexed = list(selectors.search_proposals(cast.seojun, cast.call, query="버스 정류장"))
    monkeypatch.setattr(fulltext, "_walk_is_cheaper", lambda terms, table: True)
    qs = selectors.search_proposals(cast.seojun, cast.call, query="버스 정류장")
    assert list(qs) == indexed and len(indexed) == 5
    assert ("ts_match_vq" in str(qs.query)) == (connection.vendor == "postgresql")
    ranked = selectors.search_proposals(cast.seojun, cast.call, query="버스 정류장", order="relevance")
    assert list(ranked) == list(
        selectors.search_proposals(cast.seojun, cast.call, query="버스 정류장", order="relevance")
    )
    assert sorted(p.pk for p in ranked) == sorted(p.pk for p in indexed)
    by_support = selectors.search_proposals(cast.seojun, cast.call, query="버스 정류장", order="support")
    assert "ts_match_vq" not in str(by_support.query)  # (every match is sorted: the index collects them)


def test_a_capped_count_of_common_words_walks_newest_first_on_postgresql(cast, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from madang.core import fulltext

    for i in range(5):
        cast.proposal(title=f"버스 정류장 안내 {i}", problem="정류장마다 다릅니다")
    cast.proposal(title="버스 노선 개편", problem="노선이 깁니다")
    hers = cast.proposal(title="버스 정류장 의자", problem="정류장에 의자가 없습니다")
    services.add_comment(actor=cast.seojun, proposal=hers, body="정류장 의자가 필요합니다.")
    services.add_comment(actor=cast.jihoon, proposal=hers, body="의자 말고 그늘도 필요합니다.")
    for walk in (True, False):
        monkeypatch.setattr(fulltext, "_walk_is_cheaper", lambda terms, table, walk=walk: walk)
        for order in ("recent", "relevance"):
            qs = selectors.search_proposals(cast.seojun, cast.call, query="버스 정류장", order=order)
            with CaptureQueriesContext(connection) as ctx:
                assert fulltext.capped_count(qs, 3) == 4  # (the same counts in any order)
                assert fulltext.capped_count(qs, 10) == 6
            if connection.vendor == "postgresql":
                counts = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"]]
                # Walked: in the index's newest-first order (never by the relevance position, which
                # would sort every match); collected from the full-text index: in no order.
                newest = 'ORDER BY "calls_proposal"."submitted_at" DESC, "calls_proposal"."id" DESC LIMIT'
                assert len(counts) == 2 and all((newest in sql) == walk for sql in counts)
                assert not any("CASE" in sql.partition("ORDER BY")[2] for sql in counts)
        comments = selectors.search_comments(cast.seojun, cast.call, query="필요")
        with CaptureQueriesContext(connection) as ctx:
            assert fulltext.capped_count(comments, 1) == 2
        if connection.vendor == "postgresql":
            count = next(q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"])
            assert ('ORDER BY "calls_comment"."id" DESC LIMIT' in count) == walk


def test_a_words_overlapping_bigrams_count_as_one_when_matches_are_estimated(monkeypatch):
    from madang.core import fulltext

    assert fulltext._word_groups(["버스", "정류", "류장"]) == [["버스"], ["정류", "류장"]]
    assert fulltext._word_groups(["gps", "버스"]) == [["gps"], ["버스"]]
    common = {"버스": 100_000, "정류": 90_000, "류장": 80_000, "예산": 150_000, "도입": 150_000}
    monkeypatch.setattr(fulltext, "_doc_freqs", lambda terms, table: {t: common.get(t, 40_000) for t in terms})
    monkeypatch.setattr(fulltext, "_pg_stats", {"calls_proposal": (0.0, common, 40_000)})
    monkeypatch.setattr(fulltext, "_pg_rows", {"calls_proposal": 1_000_000.0})
    matches, rows = fulltext._estimated_matches(["버스", "정류", "류장"], "calls_proposal")
    assert rows == 1_000_000 and round(matches) == 8_000  # 10 % × 8 %, not 10 % × 9 % × 8 %
    assert fulltext._walk_is_cheaper(["버스", "정류", "류장"], "calls_proposal")
    assert fulltext._walk_is_cheaper(["버스", "예산", "도입"], "calls_proposal")  # ~ 2,250 expected: still a short walk
    assert not fulltext._walk_is_cheaper(["버스", "챗봇"], "calls_proposal")  # a rarer term: the index finds its few
    assert not fulltext._walk_is_cheaper(["버스", "예산", "도입", "정류"], "calls_proposal")  # ~ 200 expected


def test_a_capped_count_is_exact_below_the_cap_and_capped_above_it_however_few_matches_it_probes(cast, monkeypatch):
    from django.utils import timezone

    from madang.core import fulltext
    from madang.core.paginator import CappedPaginator
    from madang.testing import phases_around

    other = services.create_call(
        actor=cast.doyun,
        slug="other-2026",
        title="다른 공모",
        organisation=cast.province,
        phases=phases_around(timezone.now()),
    )
    mine = [cast.proposal(title=f"주차 안내 {i}") for i in range(4)]
    for i in range(5):  # newer matches, of another call: the newest few the probe sees are not this call's
        services.submit_proposal(
            actor=cast.jihoon,
            proposal=services.create_proposal(
                actor=cast.jihoon,
                call=other,
                fields=services.ProposalFields(title=f"주차 개선 {i}", problem="주차", solution="주차"),
            ),
        )
    monkeypatch.setattr(fulltext, "COUNT_PROBE", 3)
    for order in ("recent", "relevance"):
        qs = selectors.search_proposals(cast.seojun, cast.call, query="주차", order=order)
        assert fulltext.capped_count(qs, 10) == 4 == len(mine)
        assert fulltext.capped_count(qs, 2) == 3  # (more than two: capped)
        paginator = CappedPaginator(qs, 2)
        paginator.cap = 3
        assert paginator.count == 4 and paginator.capped
    from madang.calls.models import Proposal

    everywhere = Proposal.objects.filter(status="submitted")
    assert fulltext.capped_count(fulltext.matching(everywhere, ["주차"]), 100) == 9
    assert fulltext.capped_count([1, 2, 3], 1) == 2  # (a plain list)


def test_a_pages_rows_are_read_by_their_keys_alone(cast):
    """The keys of a page pass every condition; its rows are then asked for by key alone. With
    the conditions again, SQLite walked the call's index over every shared proposal of a
    national call to find twenty (12–19 ms a page; issue 18)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from madang.core.paginator import CappedPaginator

    made = [cast.proposal(title=f"버스 정류장 {i}") for i in range(5)]
    services.hide_proposal(actor=cast.doyun, proposal=made[2], reason="중복")
    qs = selectors.search_proposals(cast.seojun, cast.call, query="", order="recent")
    with CaptureQueriesContext(connection) as ctx:
        page = CappedPaginator(qs, 2).page(2)
    assert [p.pk for p in page] == [made[1].pk, made[0].pk]  # newest first, the hidden one left out
    where = ctx.captured_queries[-1]["sql"].partition(" WHERE ")[2]
    assert where.startswith('"calls_proposal"."id" IN') and "call_id" not in where and "AND" not in where
    assert all(p.author.display_name for p in page)  # (joined as the query joins them)
