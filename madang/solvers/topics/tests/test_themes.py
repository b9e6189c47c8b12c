import numpy as np
import pytest

from madang.solvers import korean
from madang.solvers.opinion import adjusted_rand_index
from madang.solvers.topics import Doc, synthetic, topic_map, words
from madang.solvers.topics.themes import randomized_svd, silhouette, spherical_kmeans

GROUPS = {
    "교통": [
        "버스 정류장 혼잡도를 실시간으로 안내합니다",
        "버스 노선 배차 간격을 줄여 주세요",
        "정류장 버스 도착 안내판 정확도 개선",
        "출퇴근 버스 혼잡도 분산 노선 조정",
        "저상버스 정류장 호출 안내 서비스",
    ],
    "민원": [
        "민원 서류를 한 번만 제출하게 해 주세요",
        "민원실 대기 번호를 모바일로 발급",
        "민원 서류 발급 수수료 감면",
        "무인 민원 발급기 서류 종류 확대",
        "민원실 서류 작성 도우미 배치",
    ],
    "환경": [
        "축제 쓰레기 다회용기로 줄이기",
        "재활용 쓰레기 분리배출 안내 강화",
        "하천 쓰레기 수거 자원봉사",
        "일회용품 쓰레기 줄이는 다회용기 대여",
        "음식물 쓰레기 분리배출 시간 조정",
    ],
}


def docs_of(groups):
    out, truth = [], []
    for g, (_name, texts) in enumerate(groups.items()):
        for t in texts:
            out.append(Doc(key=len(out) + 1, terms=korean.index_terms(t).split(), text=t))
            truth.append(g)
    return out, truth


def test_it_finds_three_obvious_themes_and_labels_them_with_their_words():
    docs, truth = docs_of(GROUPS)
    tm = topic_map(docs, seed=1)
    assert tm.k == 3 and sorted(t.size for t in tm.themes) == [5, 5, 5]
    assert adjusted_rand_index(np.array([tm.assignment[d.key] for d in docs]), np.array(truth)) == pytest.approx(1.0)
    by_theme = {truth[t.top[0] - 1]: set(t.words) for t in tm.themes}
    assert {"버스", "정류장"} <= by_theme[0] and {"민원", "서류"} <= by_theme[1] and "쓰레기" in by_theme[2]
    for t in tm.themes:
        members = [d for d in docs if tm.assignment[d.key] == t.id]
        # Labels are whole words that occur in the theme's own texts.
        assert t.words and all(any(w in words(d.text) for d in members) for w in t.words)
        assert set(t.top) <= {d.key for d in members}
        assert -1 <= t.x <= 1 and -1 <= t.y <= 1


def test_it_recovers_planted_themes_in_a_generated_call():
    corpus = synthetic.corpus(1500, seed=4)
    tm = topic_map(corpus.docs, seed=0)
    labels = np.array([tm.assignment[d.key] for d in corpus.docs])
    assert adjusted_rand_index(labels, np.array(corpus.theme_of)) >= 0.8
    assert 12 <= tm.k <= 20 and sum(t.size for t in tm.themes) == len(corpus.docs)
    assert [t.size for t in tm.themes] == sorted((t.size for t in tm.themes), reverse=True)
    assert tm.silhouette_by_k[tm.k] == max(tm.silhouette_by_k.values())


def test_it_is_deterministic_and_honours_a_given_k():
    docs, _truth = docs_of(GROUPS)
    assert topic_map(docs, seed=3) == topic_map(docs, seed=3)
    assert topic_map(docs, k=2, seed=3).k == 2


def test_it_copes_with_tiny_and_empty_calls():
    assert topic_map([]).themes == ()
    one = topic_map([Doc(1, korean.index_terms("버스 정류장 안내").split(), "버스 정류장 안내")])
    assert (
        one.k == 1
        and one.themes[0].size == 1
        and one.assignment == {1: 0}
        and (one.themes[0].x, one.themes[0].y) == (0, 0)
    )
    blank = topic_map([Doc(i, [], "") for i in range(1, 6)])
    assert sum(t.size for t in blank.themes) == 5


def test_the_pieces_do_what_their_papers_say():
    rng = np.random.default_rng(0)
    a = rng.standard_normal((60, 8)) @ rng.standard_normal((8, 40))
    import scipy.sparse as sp

    us = randomized_svd(sp.csr_matrix(a), 8, seed=1)
    exact = np.linalg.svd(a, compute_uv=False)[:8]
    assert np.linalg.norm(us, axis=0) == pytest.approx(exact, rel=1e-6)
    z = np.vstack([rng.normal([1, 0, 0], 0.05, (20, 3)), rng.normal([0, 1, 0], 0.05, (20, 3))])
    z /= np.linalg.norm(z, axis=1, keepdims=True)
    labels, centres = spherical_kmeans(z, 2, seed=0)
    assert len(set(labels[:20])) == 1 and len(set(labels[20:])) == 1 and labels[0] != labels[20]
    assert np.linalg.norm(centres, axis=1) == pytest.approx([1, 1])
    assert silhouette(z, labels) > 0.9 > silhouette(z, rng.permutation(labels))
