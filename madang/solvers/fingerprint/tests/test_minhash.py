"""Keyed b-bit MinHash fingerprints: tiny cases checked by hand or by an independent plain-Python
reimplementation of the docstring's definition, and properties on random term sets."""

import hashlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from madang.solvers import fingerprint as fp
from madang.solvers.fingerprint import ExchangeKey, FingerprintError, Params

KEY = ExchangeKey("한빛도와 세종시가 합의한 교환 키 2025")
OTHER = ExchangeKey("다른 기관들이 쓰는 교환 키입니다 2025")

BASE = "민원인이 같은 증빙 서류를 부서마다 다시 제출해야 합니다. 행정정보 공동이용으로 서류를 자동 조회합니다."
COPY = (
    "민원인이 같은 증빙서류를 부서마다 또 제출해야 합니다. 행정정보 공동 이용으로 서류를 자동으로 조회합니다. "
    "꼭 검토 부탁드립니다."
)
UNRELATED = "공공 주차장을 주말에 개방하고 빈자리를 지도에 실시간으로 보여 줍니다."

M64 = (1 << 64) - 1


def reference_minima(terms, secret, k):
    """The docstring's definition in plain Python integers, apart from the numpy code."""
    key = hashlib.blake2b(secret.encode(), digest_size=32, person=b"madang-fp-key").digest()
    stream = b"".join(
        hashlib.blake2b(i.to_bytes(4, "little"), key=key, digest_size=64, person=b"madang-fp-seed").digest()
        for i in range(-(-k // 8))
    )
    seeds = [int.from_bytes(stream[8 * j : 8 * j + 8], "little") for j in range(k)]

    def mix(v):
        v ^= v >> 30
        v = (v * 0xBF58476D1CE4E5B9) & M64
        v ^= v >> 27
        v = (v * 0x94D049BB133111EB) & M64
        return v ^ (v >> 31)

    xs = [
        int.from_bytes(hashlib.blake2b(t.encode(), key=key, digest_size=8, person=b"madang-fp-term").digest(), "little")
        for t in set(terms)
    ]
    return [min(mix(x ^ s) for x in xs) for s in seeds]


def test_it_computes_the_minima_the_docstring_defines():
    terms = ["민원", "원서", "서류", "gps", "2025"]
    secret = "한빛도와 세종시가 합의한 교환 키 2025"
    assert list(fp.minima(terms, KEY, 20)) == reference_minima(terms, secret, 20)
    eight = fp.of_terms(terms, KEY, Params(k=20, bits=8))
    assert list(eight.values) == [m & 0xFF for m in reference_minima(terms, secret, 20)]


def test_it_gives_one_text_one_fingerprint_and_reads_it_back():
    a, b = fp.of_text(BASE, KEY), fp.of_text(BASE, KEY)
    assert a == b and fp.estimate(a, b) == 1.0
    line = a.encode()
    assert line.startswith(f"minhash/1 ko-bigram/1 {KEY.key_id} 128x8 ")
    assert fp.parse(line) == a
    assert "민원" not in line and len(a.values) == 128


def test_it_sees_a_resubmission_with_other_spacing_and_particles_as_alike():
    a, b, c = (fp.of_text(t, KEY) for t in (BASE, COPY, UNRELATED))
    exact = fp.jaccard(fp.shingles(BASE), fp.shingles(COPY))
    assert exact > 0.6  # 증빙 서류 / 증빙서류, 공동이용 / 공동 이용: the bridges keep them alike
    assert abs(fp.estimate(a, b) - exact) <= fp.margin(Params(), 1e-6)
    assert fp.estimate(a, c) < 0.15


def test_it_reads_jaccard_from_a_hand_counted_pair():
    # {민원, 원서, 서류} and {민원, 원서}: two shared of three in all, J = 2/3.
    params = Params(k=4096, bits=64)
    a = fp.of_terms(["민원", "원서", "서류"], KEY, params)
    b = fp.of_terms(["민원", "원서"], KEY, params)
    assert fp.jaccard(["민원", "원서", "서류"], ["민원", "원서"]) == pytest.approx(2 / 3)
    assert abs(fp.estimate(a, b) - 2 / 3) <= fp.margin(params, 1e-6)


def test_it_corrects_for_chance_agreement_of_kept_bits():
    # Disjoint sets: 8-bit values still agree at about 1/256 of the positions by chance.
    params = Params(k=4096, bits=8)
    a = fp.of_terms([f"a{i}" for i in range(50)], KEY, params)
    b = fp.of_terms([f"b{i}" for i in range(50)], KEY, params)
    assert 0.0 < fp.agreement(a, b) < 0.012
    assert fp.estimate(a, b) <= fp.margin(params, 1e-6)


def test_it_makes_fingerprints_of_another_key_incomparable_and_unrelated():
    mine, theirs = fp.of_text(BASE, KEY), fp.of_text(BASE, OTHER)
    assert mine.key_id != theirs.key_id
    with pytest.raises(FingerprintError):
        fp.estimate(mine, theirs)
    # Forced side by side, the same text under two keys agrees only by chance.
    forced = fp.Fingerprint(mine.key_id, theirs.params, theirs.values)
    assert fp.estimate(mine, forced) < 0.1


def test_it_names_a_key_without_showing_it():
    assert len(KEY.key_id) == 12 and KEY.key_id == ExchangeKey("한빛도와 세종시가 합의한 교환 키 2025").key_id
    assert KEY.key_id not in "한빛도와 세종시가 합의한 교환 키 2025".encode().hex()
    with pytest.raises(FingerprintError):
        ExchangeKey("짧은 키")


def test_it_refuses_malformed_fingerprints():
    good = fp.of_text(BASE, KEY).encode()
    scheme, terms, key_id, shape, values = good.split(" ")
    for bad in (
        good.replace("minhash/1", "minhash/2"),
        good.replace("ko-bigram/1", "ko-word/1"),
        " ".join([scheme, terms, "XYZ", shape, values]),
        " ".join([scheme, terms, key_id, "128x7", values]),
        " ".join([scheme, terms, key_id, "64x8", values]),
        " ".join([scheme, terms, key_id, shape, values[:-4]]),
        " ".join([scheme, terms, key_id, shape, "!!" + values[2:]]),
    ):
        with pytest.raises(FingerprintError):
            fp.parse(bad)


def test_it_has_no_fingerprint_for_a_text_without_terms():
    assert fp.of_text("   ... !!", KEY) is None


def planted(seed: int, shared: int, only_a: int, only_b: int) -> tuple[set[str], set[str]]:
    words = [f"w{seed}-{i}" for i in range(shared + only_a + only_b)]
    common = set(words[:shared])
    return common | set(words[shared : shared + only_a]), common | set(words[shared + only_a :])


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 10**6),
    shared=st.integers(0, 300),
    only_a=st.integers(1, 300),
    only_b=st.integers(1, 300),
    bits=st.sampled_from([8, 16, 64]),
)
def test_it_estimates_within_the_hoeffding_margin_of_the_true_jaccard(seed, shared, only_a, only_b, bits):
    a, b = planted(seed, shared, only_a, only_b)
    params = Params(k=256, bits=bits)
    est = fp.estimate(fp.of_terms(a, KEY, params), fp.of_terms(b, KEY, params))
    assert abs(est - fp.jaccard(a, b)) <= fp.margin(params, 1e-6)


def test_it_is_unbiased_over_many_random_pairs():
    rng = np.random.default_rng(2025)
    errors = []
    for seed in range(300):
        shared, only_a, only_b = (int(x) for x in rng.integers(1, 200, size=3))
        a, b = planted(seed, shared, only_a, only_b)
        est = fp.estimate(fp.of_terms(a, KEY), fp.of_terms(b, KEY))
        errors.append(est - fp.jaccard(a, b))
    # Each estimate's standard deviation is at most 0.5/sqrt(128) = 0.044; a mean of 300 has at
    # most 0.0026. A biased hash family or a wrong chance correction shows up well beyond 0.012.
    assert abs(float(np.mean(errors))) < 0.012
    assert float(np.std(errors)) < 0.05
