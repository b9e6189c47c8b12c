"""Korean text terms: bigrams that survive particles and irregular spacing."""

from hypothesis import given
from hypothesis import strategies as st

from madang.solvers import korean


def matches(query: str, text: str) -> bool:
    """What search does in the database: every query term is among the stored terms."""
    stored = set(korean.index_terms(text).split())
    return all(t in stored for t in korean.query_terms(query))


def test_it_splits_hangul_into_overlapping_bigrams():
    assert korean.terms("민원서류") == ["민원", "원서", "서류"]


def test_it_keeps_single_syllables_and_latin_words_whole():
    assert korean.terms("길 AI 2026 x") == ["길", "ai", "2026"]


def test_it_finds_words_whatever_particle_follows():
    assert matches("교통", "교통과의 협의가 필요합니다")
    assert matches("서류", "민원 서류를 줄입니다")
    assert matches("주차", "주차장에서 생긴 일")


def test_it_finds_joined_words_written_with_a_space():
    assert matches("민원서류", "민원 서류를 한 번만 냅니다")


def test_it_finds_spaced_words_written_joined():
    assert matches("민원 서류", "민원서류 간소화")


def test_it_does_not_bridge_across_markup_or_punctuation():
    assert korean.index_terms("<p>민원</p> <p>교통</p>").split() == ["민원", "교통"]
    assert not matches("민원교통", "민원. 교통")


def test_it_folds_full_width_latin_and_digits():
    assert korean.terms("ＡＢＣ１２３ 민원") == ["abc123", "민원"]
    assert matches("abc", "ＡＢＣ 프로젝트")


def test_it_composes_decomposed_hangul():
    decomposed = "\u1106\u1175\u11ab\u110b\u116f\u11ab"  # 민원 as conjoining jamo (NFD)
    assert korean.terms(decomposed) == ["민원"]


def test_it_drops_particle_bigrams_from_queries_unless_nothing_is_left():
    assert korean.query_terms("민원에서") == ["민원", "원에"]
    assert korean.query_terms("에서") == ["에서"]


def test_it_highlights_every_occurrence_of_a_query_term():
    spans = korean.highlight_spans("서류와 서류를 냅니다", "서류")
    assert spans == [("서류", True), ("와 ", False), ("서류", True), ("를 냅니다", False)]


def test_it_highlights_full_width_text_in_place():
    assert korean.highlight_spans("ＡＢＣ 민원", "민원") == [("ＡＢＣ ", False), ("민원", True)]


def test_it_highlights_nothing_when_normalising_changes_lengths():
    text = "㈜한빛 민원"  # NFKC turns ㈜ into three characters
    assert korean.highlight_spans(text, "민원") == [(text, False)]


def test_it_highlights_nothing_for_an_empty_query():
    assert korean.highlight_spans("민원 서류", "") == [("민원 서류", False)]


def test_it_ranks_the_closest_proposal_first_and_says_why():
    found = korean.similar(
        "민원 서류 간소화",
        [(1, "교통 신호 개선"), (2, "민원서류 간소화 방안"), (3, "복지 서류 전산화")],
    )
    assert [m.key for m in found][:1] == [2]
    assert 1 not in [m.key for m in found]
    assert {"민원", "서류", "간소"} <= set(found[0].shared)


def test_it_respects_the_limit_and_threshold():
    topics = ["교통 신호 개선", "복지 상담 예약", "청사 주차 안내", "전자 결재 속도", "민원 서류 간소화"]
    candidates = [(i, topics[i % len(topics)]) for i in range(20)]
    assert len(korean.similar("민원 서류 간소화", candidates, limit=3)) == 3
    assert korean.similar("민원 서류", candidates, min_score=1.01) == []


hangul = st.text(alphabet=st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3), min_size=2, max_size=6)


@given(st.lists(hangul, min_size=1, max_size=4), st.sampled_from(["", "을", "를", "이", "가", "의", "에서", "과의"]))
def test_it_finds_any_phrase_whatever_its_spacing(words, particle):
    assert matches("".join(words), " ".join(words) + particle)
    assert matches(" ".join(words), "".join(words))


@given(st.text(max_size=40), st.text(max_size=6))
def test_it_highlights_without_losing_or_reordering_text(text, query):
    spans = korean.highlight_spans(text, query)
    assert "".join(piece for piece, _ in spans) == text


def test_a_search_query_loses_one_particle_per_word_but_keeps_two_syllables():
    assert korean.search_terms("민원서류를") == ["민원", "원서", "서류"]
    assert korean.search_terms("주민센터에서는 예약을") == ["주민", "민센", "센터", "예약"]
    assert korean.search_terms("아이") == ["아이"]  # (one syllable would be left: kept whole)
    assert korean.strip_particle("교통과의") == "교통과"  # one particle only
    assert korean.search_terms("GPS를 쓰는 버스") == ["gps", "쓰는", "버스"]  # a particle on a Latin word goes too
    assert korean.search_terms("3번에 타는") == ["3", "번에", "타는"]  # ("번에" is no particle: kept)
    # Stripping never adds a term: the stripped query's terms are some of the query's own.
    for query in ("민원서류를", "버스 정류장에서", "어린이 보호구역", "챗봇을 이용한 안내"):
        assert set(korean.search_terms(query)) <= set(korean.query_terms(query))


LONG = (
    ("주민센터에 갈 때마다 같은 서류를 다시 냅니다. " * 6)
    + "전입신고를 하면서 주차 허가도 한 번에 신청하고 싶습니다. "
    + ("담당자도 바쁩니다. " * 8)
)


def test_a_snippet_shows_the_passage_around_the_first_match():
    spans = korean.snippet_spans(LONG, "주차 허가", width=60)
    shown = "".join(piece for piece, _ in spans)
    assert shown.startswith("…") and shown.endswith("…")
    assert len(shown) <= 60 + 2
    assert [piece for piece, hit in spans if hit] == ["주차", "허가"]
    assert shown[1:-1] in " ".join(LONG.split())  # a passage of the text, in order


def test_a_snippet_of_a_short_text_is_the_whole_text_highlighted():
    assert korean.snippet_spans("민원 서류\n간소화", "서류") == [("민원 ", False), ("서류", True), (" 간소화", False)]


def test_a_snippet_without_a_match_is_the_start_of_the_text():
    shown = "".join(piece for piece, _ in korean.snippet_spans(LONG, "버스", width=40))
    assert shown == " ".join(LONG.split())[:40] + "…"


@given(st.text(max_size=300), st.text(max_size=6), st.integers(10, 200))
def test_a_snippet_is_a_contiguous_passage_of_the_text(text, query, width):
    spans = korean.snippet_spans(text, query, width)
    shown = "".join(piece for piece, _ in spans).removeprefix("…").removesuffix("…")
    assert shown in " ".join(text.split())
    assert len(shown) <= width
