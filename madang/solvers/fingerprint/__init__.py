"""Text fingerprints that agencies compare without sharing the text (no Django).

of_text(text, ExchangeKey(secret)) → Fingerprint: a keyed b-bit MinHash signature of the Korean terms
estimate(a, b) → the Jaccard similarity of the two texts' term sets, from the fingerprints alone
cross_pairs(left, right, ...) → the pairs at or above a threshold, through LSH banding
"""

from madang.solvers.fingerprint.lsh import Banding, Index, Pair, candidate_probability, cross_pairs
from madang.solvers.fingerprint.minhash import (
    SCHEME,
    TERMS,
    ExchangeKey,
    Fingerprint,
    FingerprintError,
    Params,
    agreement,
    estimate,
    jaccard,
    margin,
    minima,
    of_terms,
    of_text,
    parse,
    shingles,
)

__all__ = [
    "SCHEME",
    "TERMS",
    "Banding",
    "ExchangeKey",
    "Fingerprint",
    "FingerprintError",
    "Index",
    "Pair",
    "Params",
    "agreement",
    "candidate_probability",
    "cross_pairs",
    "estimate",
    "jaccard",
    "margin",
    "minima",
    "of_terms",
    "of_text",
    "parse",
    "shingles",
]
