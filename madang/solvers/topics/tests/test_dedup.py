import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from madang.solvers import korean
from madang.solvers.topics import Doc, near_duplicates, synthetic, words
from madang.solvers.topics.dedup import complete_link


def doc(key, text, **kw):
    return Doc(key=key, terms=korean.index_terms(text).split(), text=text, **kw)


FILLER = [
    "버스 정류장 혼잡도 실시간 안내",
    "복지 사각지대 위기 가구 발굴",
    "공공 주차장 주말 개방",
    "폭염 쉼터 위치 지도 공개",
    "축제 다회용기 대여 체계",
    "청년 창업 원스톱 창구",
    "야간 약국 정보 통합 안내",
    "산불 감시 드론 순찰",
    "도서관 상호대차 배송",
    "전기차 충전기 고장 지도",
    "재난 문자 읍면동 세분화",
    "보건소 진료 온라인 예약",
]
BASE = "민원인이 같은 증빙 서류를 부서마다 다시 제출해야 합니다. 행정정보 공동이용으로 서류를 자동 조회합니다."
COPY = (
    "민원인이 같은 증빙서류를 부서마다 또 제출해야 합니다. 행정정보 공동 이용으로 서류를 자동으로 조회합니다. 꼭 "
    "검토 부탁드립니다."
)


def cosine(a, b, idf):
    dot = sum(idf[t] ** 2 for t in a & b)
    return dot / (math.sqrt(sum(idf[t] ** 2 for t in a)) * math.sqrt(sum(idf[t] ** 2 for t in b)))


def test_it_finds_a_resubmitted_proposal_and_says_why():
    docs = [doc(1, BASE, support=2, order=1), doc(2, COPY, support=9, order=2)] + [
        doc(10 + i, t) for i, t in enumerate(FILLER)
    ]
    found = near_duplicates(docs)
    assert len(found.clusters) == 1
    cluster = found.clusters[0]
    # The more supported one is kept; the other says how alike it is and which words they share.
    assert cluster.keep == 2 and [m.key for m in cluster.members] == [2, 1]
    member = cluster.members[1]
    assert 0.6 <= member.similarity < 1
    assert {"서류", "제출", "민원인"} & set(member.shared)
    assert all(w in words(BASE) and w in words(COPY) for w in member.shared)


def test_it_keeps_a_decided_proposal_whatever_the_supports():
    docs = [doc(1, BASE, support=0, order=5, fixed=True), doc(2, COPY, support=50, order=1)] + [
        doc(10 + i, t) for i, t in enumerate(FILLER)
    ]
    assert near_duplicates(docs).clusters[0].keep == 1
    docs = [doc(1, BASE, support=3, order=5), doc(2, COPY, support=3, order=1)] + [
        doc(10 + i, t) for i, t in enumerate(FILLER)
    ]
    assert near_duplicates(docs).clusters[0].keep == 2  # same supports: the earlier one


def test_it_does_not_chain_unlike_proposals_through_a_middle_one():
    # B shares half its words with A and half with C; A and C share nothing.
    a = "주차장 개방 예약제 주말 야간 공유"
    b = "주차장 개방 예약제 택배 보관함 무인"
    c = "택배 보관함 무인 세탁 수거 대행"
    docs = [doc(1, a), doc(2, b), doc(3, c)] + [doc(10 + i, t) for i, t in enumerate(FILLER)]
    found = near_duplicates(docs, threshold=0.3)
    assert found.verified_pairs == 2  # A~B and B~C, never A~C
    assert [sorted(m.key for m in cl.members) for cl in found.clusters] in ([[1, 2]], [[2, 3]])


def test_complete_link_on_a_hand_checked_graph():
    pairs = np.array([[0, 1], [1, 2], [0, 2], [2, 3], [4, 5]])
    sims = np.array([0.9, 0.8, 0.7, 0.95, 0.6])
    # 2–3 joins first (0.95); then 0–1 (0.9); {0,1} and {2,3} lack 0–3 and 1–3, so they stay apart.
    assert sorted(complete_link(6, pairs, sims)) == [[0, 1], [2, 3], [4, 5]]


@settings(max_examples=60, deadline=None)
@given(
    st.integers(3, 14).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.sets(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda p: p[0] < p[1]), max_size=40),
            st.integers(0, 2**31 - 1),
        )
    )
)
def test_complete_link_gives_cliques_that_cannot_be_joined(case):
    n, edge_set, seed = case
    edges = sorted(edge_set)
    pairs = np.array(edges, dtype=np.int64).reshape(-1, 2)
    sims = np.random.default_rng(seed).random(len(edges))
    clusters = complete_link(n, pairs, sims)
    have = set(edges)
    seen: set[int] = set()
    for c in clusters:
        assert not seen & set(c)
        seen |= set(c)
        assert all((a, b) in have for a, b in itertools.combinations(c, 2))
    # Independent check of the stopping rule: no two groups (singletons included) are fully linked.
    groups = clusters + [[i] for i in range(n) if i not in seen]
    for g, h in itertools.combinations(groups, 2):
        assert not all((min(a, b), max(a, b)) in have for a in g for b in h)


def test_it_recovers_planted_duplicates_and_its_figures_check_out():
    corpus = synthetic.corpus(600, seed=7)
    found = near_duplicates(corpus.docs, seed=3)
    truth = {
        tuple(sorted((corpus.docs[a].key, corpus.docs[b].key)))
        for g in corpus.duplicate_groups
        for a, b in itertools.combinations(g, 2)
    }
    got = {tuple(sorted((a.key, b.key))) for c in found.clusters for a, b in itertools.combinations(c.members, 2)}
    assert len(truth & got) >= 0.9 * len(truth) and len(truth & got) >= 0.9 * len(got)
    misses = {tuple(sorted((corpus.docs[a].key, corpus.docs[b].key))) for a, b in corpus.near_miss_pairs}
    assert len(misses & got) <= 1
    # Recompute every reported similarity from the term sets, with the same idf.
    terms = {d.key: set(d.terms) for d in corpus.docs}
    idf = {t: math.log((len(corpus.docs) + 1) / (c + 0.5)) for t, c in _df(corpus.docs).items()}
    for c in found.clusters:
        for m in c.members[1:]:
            assert cosine(terms[c.keep], terms[m.key], idf) == pytest.approx(m.similarity, abs=1e-3)
        keys = [m.key for m in c.members]
        low = min(cosine(terms[a], terms[b], idf) for a, b in itertools.combinations(keys, 2))
        assert low >= found.threshold - 1e-9 and low == pytest.approx(c.min_similarity, abs=1e-3)


def _df(docs):
    df = {}
    for d in docs:
        for t in set(d.terms):
            df[t] = df.get(t, 0) + 1
    return df


def test_it_is_deterministic_for_a_seed_and_copes_with_nothing():
    corpus = synthetic.corpus(200, seed=1)
    assert near_duplicates(corpus.docs, seed=5) == near_duplicates(corpus.docs, seed=5)
    assert near_duplicates([]).clusters == ()
    assert near_duplicates([doc(1, "")]).clusters == ()
    assert near_duplicates([doc(1, BASE), doc(2, BASE)]).clusters[0].members[1].similarity == pytest.approx(1.0)
    with pytest.raises(ValueError):
        near_duplicates([], threshold=0)


def test_words_are_whole_words_without_particles():
    assert words("민원인이 서류를 여러 번 제출합니다. 민원실에서 대기가 깁니다") == ["민원인", "서류", "민원실", "대기"]
    assert words("회의 자료와 종이 보고서") == ["회의", "자료", "종이", "보고서"]
