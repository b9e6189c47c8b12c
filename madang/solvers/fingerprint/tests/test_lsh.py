"""Banding: candidates found without all pairs, checked against all pairs of the same fingerprints,
and the candidate probability against how often pairs of known similarity become candidates."""

import numpy as np
import pytest

from madang.solvers import fingerprint as fp
from madang.solvers.fingerprint import Banding, ExchangeKey, FingerprintError, Index, Params

KEY = ExchangeKey("한빛도와 세종시가 합의한 교환 키 2025")
PARAMS = Params()


def test_it_finds_the_same_filing_among_others_and_nothing_for_an_unrelated_one():
    index = Index(PARAMS, KEY.key_id)
    texts = {
        "a-1": "버스 정류장 도착 안내가 자주 틀립니다. 실시간 위치 자료를 정류장 안내판에 연결합니다.",
        "a-2": "공공 주차장을 주말에 개방하고 빈자리를 지도에 실시간으로 보여 줍니다.",
        "a-3": "폭염 쉼터의 위치와 운영 시간을 한 지도에 모아 공개합니다.",
    }
    for key, text in texts.items():
        index.add(key, fp.of_text(text, KEY))
    again = fp.of_text("버스 정류장의 도착 안내가 자주 틀립니다. 실시간 위치 자료를 정류장 안내판에 연결합니다!", KEY)
    found = index.query(again, threshold=0.6)
    assert [k for k, _ in found] == ["a-1"] and found[0][1] > 0.8
    assert index.query(fp.of_text("산불 감시에 드론 순찰을 도입합니다.", KEY), threshold=0.6) == []


def test_it_refuses_a_fingerprint_of_another_key_or_shape():
    index = Index(PARAMS, KEY.key_id)
    with pytest.raises(FingerprintError):
        index.add("x", fp.of_text("버스 정류장 안내", ExchangeKey("다른 기관들이 쓰는 교환 키입니다 2025")))
    with pytest.raises(FingerprintError):
        index.add("y", fp.of_text("버스 정류장 안내", KEY, Params(k=64)))
    with pytest.raises(FingerprintError):
        Index(Params(k=64), KEY.key_id, Banding(32, 4))


def family(rng, n_groups, size, vocab=5000):
    """Groups of term sets around a base: each member keeps a random share of the base's terms."""
    sets = []
    for g in range(n_groups):
        base = {f"t{x}" for x in rng.choice(vocab, size=size, replace=False)}
        sets.append(base)
        for _ in range(2):
            keep = float(rng.uniform(0.5, 1.0))
            kept = {t for t in base if rng.random() < keep}
            fresh = {f"g{g}-{i}" for i in range(int(rng.integers(0, size // 3)))}
            sets.append(kept | fresh)
    return sets


def test_it_returns_exactly_the_all_pairs_answer_above_the_threshold_among_candidates():
    rng = np.random.default_rng(7)
    left_sets, right_sets = family(rng, 40, 120), family(rng, 40, 120)
    left = [(f"L{i}", fp.of_terms(s, KEY)) for i, s in enumerate(left_sets)]
    right = [(f"R{i}", fp.of_terms(s, KEY)) for i, s in enumerate(right_sets)]
    # Share some members across sides, as two agencies receiving one idea.
    right += [(f"S{i}", fp.of_terms(left_sets[i], KEY)) for i in range(0, len(left_sets), 3)]
    pairs, looked = fp.cross_pairs(left, right, params=PARAMS, key_id=KEY.key_id, threshold=0.6)
    brute = {(lk, rk) for lk, a in left for rk, b in right if fp.estimate(a, b) >= 0.6}
    found = {(p.left, p.right) for p in pairs}
    assert found <= brute  # nothing that all pairs would not report
    for p in pairs:
        assert p.estimate == fp.estimate(dict(left)[p.left], dict(right)[p.right])
    # What banding may miss is what its curve allows: none of the pairs estimated at 0.75 or more.
    sure = {(lk, rk) for lk, a in left for rk, b in right if fp.estimate(a, b) >= 0.75}
    assert sure <= found and len(sure) >= len(left_sets) // 3
    assert looked < len(left) * len(right) // 10


def test_it_makes_candidates_as_often_as_the_banding_curve_says():
    banding = Banding()
    trials = 400
    for only in (100, 233):  # 200 shared terms, `only` on each side: J = 0.5 and 0.3
        j = 200 / (200 + 2 * only)
        hits = 0
        for t in range(trials):
            words = [f"{only}-{t}-{i}" for i in range(200 + 2 * only)]
            a, b = set(words[: 200 + only]), set(words[:200]) | set(words[200 + only :])
            assert fp.jaccard(a, b) == pytest.approx(j)
            index = Index(PARAMS, KEY.key_id, banding)
            index.add("a", fp.of_terms(a, KEY))
            hits += bool(index.candidates(fp.of_terms(b, KEY)))
        expected = fp.candidate_probability(j, PARAMS, banding)
        # Binomial(400, p): within four standard deviations.
        assert abs(hits / trials - expected) <= 4 * (expected * (1 - expected) / trials) ** 0.5
