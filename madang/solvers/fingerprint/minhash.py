"""Fingerprints of a text that agencies can compare without showing each other the text.

A fingerprint is a b-bit MinHash signature of the text's Korean terms (`korean.content_terms`:
Hangul bigrams, Latin words and numbers, with the bigrams across spaces and without those of
particles), under a secret *exchange key* that the agencies agree on:

* MinHash (A. Broder, "On the resemblance and containment of documents", SEQUENCES 1997): for k
  random hash functions h_1..h_k of terms, Pr[min h_j(A) = min h_j(B)] = J(A, B) = |A∩B| / |A∪B|,
  so the share of equal minima over the k functions estimates the Jaccard similarity of two term
  sets from their signatures alone.
* b-bit minwise hashing (P. Li and A. C. König, "b-Bit Minwise Hashing", WWW 2010): only the lowest
  b bits of each minimum are kept. Two unequal minima then agree by chance with probability
  C = 2^-b (Li and König's C_1 and C_2 tend to 2^-b when the sets are tiny against the hash
  space, here 2^64), so P_b = C + (1 - C)·J, and J is estimated as (P̂_b - C)/(1 - C). With b = 8
  the estimate's variance is within about 1% of full MinHash and a signature is k bytes.
* The keyed hash: each term is hashed once with keyed BLAKE2b (RFC 7693; a pseudo-random function
  under its key) to a 64-bit x, and h_j(x) = mix(x XOR s_j), with per-function seeds s_j derived
  from the key and mix the SplitMix64 finaliser (G. Steele, D. Lea and C. Flood, "Fast splittable
  pseudorandom number generators", OOPSLA 2014), a bijection of 64-bit words. Without the key the
  values bear no relation to the terms.

What a fingerprint gives away is discussed in docs/suggestions.md ("What a fingerprint shows"):
in short, nothing about the words to whoever lacks the key, and to a key holder a way to test
guesses (of the whole text, and with a vocabulary, of some of its words).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from madang.solvers import korean

SCHEME = "minhash/1"
# The terms a fingerprint is made of: changing `korean.content_terms` changes this name, so that
# fingerprints of two term schemes are never compared.
TERMS = "ko-bigram/1"
BITS = (8, 16, 32, 64)
_DTYPES: dict[int, np.dtype[Any]] = {8: np.dtype("<u1"), 16: np.dtype("<u2"), 32: np.dtype("<u4"), 64: np.dtype("<u8")}
_CHUNK = 2048  # terms hashed per block: bounds the k-wide working array for very long texts


class FingerprintError(ValueError):
    pass


@dataclass(frozen=True)
class Params:
    k: int = 128  # hash functions (signature length)
    bits: int = 8  # bits kept of each minimum

    def __post_init__(self) -> None:
        if not 1 <= self.k <= 4096:
            raise FingerprintError("k must be between 1 and 4096")
        if self.bits not in BITS:
            raise FingerprintError(f"bits must be one of {BITS}")

    @property
    def chance(self) -> float:
        """C: the probability that two different minima agree in their kept bits."""
        return 0.0 if self.bits == 64 else 2.0**-self.bits


class ExchangeKey:
    """The secret agencies share to make comparable fingerprints; `key_id` names it openly."""

    def __init__(self, secret: bytes | str) -> None:
        raw = secret.encode() if isinstance(secret, str) else bytes(secret)
        if len(raw) < 16:
            raise FingerprintError("an exchange key needs at least 16 bytes")
        self._key = hashlib.blake2b(raw, digest_size=32, person=b"madang-fp-key").digest()
        # 48 bits: enough to tell keys apart, a keyed hash so it says nothing of the key itself.
        self.key_id = hashlib.blake2b(b"key-id", key=self._key, digest_size=6, person=b"madang-fp-id").hexdigest()
        self._seeds: dict[int, np.ndarray] = {}

    def term_hashes(self, terms: Iterable[str]) -> np.ndarray:
        """x(t) for each term: keyed BLAKE2b to 64 bits."""
        key = self._key
        return np.fromiter(
            (
                int.from_bytes(
                    hashlib.blake2b(t.encode(), key=key, digest_size=8, person=b"madang-fp-term").digest(), "little"
                )
                for t in terms
            ),
            dtype=np.uint64,
        )

    def seeds(self, k: int) -> np.ndarray:
        if k not in self._seeds:
            key = self._key
            blocks = (
                hashlib.blake2b(i.to_bytes(4, "little"), key=key, digest_size=64, person=b"madang-fp-seed").digest()
                for i in range(math.ceil(k / 8))
            )
            stream = b"".join(blocks)
            self._seeds[k] = np.frombuffer(stream, dtype="<u8")[:k].astype(np.uint64)
        return self._seeds[k]


def mix(v: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser (Stafford's variant 13), element-wise on uint64: a bijection."""
    with np.errstate(over="ignore"):
        v = v ^ (v >> np.uint64(30))
        v = v * np.uint64(0xBF58476D1CE4E5B9)
        v = v ^ (v >> np.uint64(27))
        v = v * np.uint64(0x94D049BB133111EB)
        return v ^ (v >> np.uint64(31))


@dataclass(frozen=True)
class Fingerprint:
    key_id: str
    params: Params
    values: bytes  # k values of `bits` bits, little-endian

    def array(self) -> np.ndarray:
        return np.frombuffer(self.values, dtype=_DTYPES[self.params.bits])

    def encode(self) -> str:
        """One line: scheme, terms, key id, k x bits, then the values in base64."""
        p = self.params
        return f"{SCHEME} {TERMS} {self.key_id} {p.k}x{p.bits} {base64.b64encode(self.values).decode()}"

    def comparable(self, other: Fingerprint) -> bool:
        return self.key_id == other.key_id and self.params == other.params


def parse(text: str) -> Fingerprint:
    parts = text.split(" ")
    if len(parts) != 5 or parts[0] != SCHEME:
        raise FingerprintError(f"not a {SCHEME} fingerprint")
    if parts[1] != TERMS:
        raise FingerprintError(f"fingerprint of other terms ({parts[1]}), not {TERMS}")
    key_id, shape, b64 = parts[2], parts[3], parts[4]
    if len(key_id) != 12 or any(c not in "0123456789abcdef" for c in key_id):
        raise FingerprintError("bad key id")
    k_text, sep, bits_text = shape.partition("x")
    if not sep or not k_text.isdigit() or not bits_text.isdigit():
        raise FingerprintError("bad shape (k x bits)")
    params = Params(int(k_text), int(bits_text))
    try:
        values = base64.b64decode(b64, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise FingerprintError("bad base64 values") from exc
    if len(values) != params.k * params.bits // 8:
        raise FingerprintError("the values do not have the stated length")
    return Fingerprint(key_id, params, values)


def shingles(text: str) -> frozenset[str]:
    """The terms a text's fingerprint is made of."""
    return korean.content_terms(text)


def minima(terms: Iterable[str], key: ExchangeKey, k: int) -> np.ndarray | None:
    """The k full 64-bit minima, min over terms t of mix(x(t) XOR s_j); None for no terms."""
    distinct = sorted(set(terms))
    if not distinct:
        return None
    seeds = key.seeds(k)
    out = np.full(k, np.iinfo(np.uint64).max, dtype=np.uint64)
    for start in range(0, len(distinct), _CHUNK):
        x = key.term_hashes(distinct[start : start + _CHUNK])
        np.minimum(out, mix(x[:, None] ^ seeds[None, :]).min(axis=0), out=out)
    return out


def of_terms(terms: Iterable[str], key: ExchangeKey, params: Params = Params()) -> Fingerprint | None:
    full = minima(terms, key, params.k)
    if full is None:
        return None
    mask = np.uint64((1 << params.bits) - 1) if params.bits < 64 else np.uint64(0xFFFFFFFFFFFFFFFF)
    return Fingerprint(key.key_id, params, (full & mask).astype(_DTYPES[params.bits]).tobytes())


def of_text(text: str, key: ExchangeKey, params: Params = Params()) -> Fingerprint | None:
    """The fingerprint of a text, or None when it has no terms at all."""
    return of_terms(shingles(text), key, params)


def agreement(a: Fingerprint, b: Fingerprint) -> float:
    """P̂_b: the share of the k positions whose kept bits agree."""
    if not a.comparable(b):
        raise FingerprintError("fingerprints made with different keys or parameters cannot be compared")
    return float(np.count_nonzero(a.array() == b.array())) / a.params.k


def estimate(a: Fingerprint, b: Fingerprint) -> float:
    """The Jaccard similarity of the two term sets, estimated as (P̂_b − C)/(1 − C), within [0, 1]."""
    c = a.params.chance
    return min(1.0, max(0.0, (agreement(a, b) - c) / (1.0 - c)))


def margin(params: Params, delta: float) -> float:
    """ε such that |estimate − J| ≤ ε with probability at least 1 − δ, for ideal random hash
    functions (Hoeffding's inequality on the k agreements, scaled by 1/(1 − C))."""
    return math.sqrt(math.log(2 / delta) / (2 * params.k)) / (1.0 - params.chance)


def jaccard(a: Iterable[str], b: Iterable[str]) -> float:
    """The exact Jaccard similarity of two term sets (the reference the estimate is held to)."""
    sa, sb = set(a), set(b)
    union = len(sa | sb)
    return len(sa & sb) / union if union else 1.0
