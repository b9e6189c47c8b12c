"""Text plumbing shared by the duplicate finder and the topic map.

Two vocabularies on purpose. The index terms (character bigrams, `madang.solvers.korean`) are what
documents are compared on: robust to particles and spacing. People read whole words, so labels and
"why they match" come from `words()`: Hangul runs with a trailing particle or verb ending cut off
(a dictionary-free approximation: "서류를" → "서류", "제출합니다" → "제출").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

import numpy as np

from madang.solvers import korean

_TOKEN = re.compile(r"[\uac00-\ud7a3]+|[a-z][a-z0-9]+")
# Longest first, so "에서는" goes before "는". Only cut when at least two syllables remain: "회의",
# "종이" and "제도" end in a particle-like syllable but are words.
_ENDINGS = tuple(
    sorted(
        {
            "합니다",
            "입니다",
            "됩니다",
            "습니다",
            "했습니다",
            "에서는",
            "으로는",
            "에게는",
            "하겠습니다",
            "에서",
            "으로",
            "에게",
            "까지",
            "부터",
            "마다",
            "처럼",
            "보다",
            "하고",
            "하여",
            "해서",
            "하는",
            "하게",
            "하기",
            "한다",
            "된다",
            "되는",
            "되어",
            "있는",
            "없는",
            "하면",
            "이나",
            "이며",
            "하며",
            "이다",
            "니다",
            "해야",
            "하도록",
            "을",
            "를",
            "이",
            "가",
            "은",
            "는",
            "에",
            "의",
            "와",
            "과",
            "도",
            "로",
            "만",
            "한",
            "할",
            "된",
            "들",
            "해",
            "하",
        },
        key=len,
        reverse=True,
    )
)
STOPWORDS = frozenset(
    {
        "그리고",
        "하지만",
        "또한",
        "위해",
        "위한",
        "통해",
        "대한",
        "대해",
        "때문",
        "경우",
        "있도록",
        "합니다",
        "있습니다",
        "없습니다",
        "것이",
        "등을",
        "모든",
        "우리",
        "현재",
        "매우",
        "많이",
        "자주",
        "가장",
        "바로",
        "함께",
        "여러",
        "모두",
        "이런",
        "그런",
        "이를",
        "the",
        "and",
        "for",
        "with",
    }
)


# Particles that follow a syllable with a final consonant, and their twins after a vowel.
_AFTER_CONSONANT = frozenset({"이", "을", "은", "과", "으로"})
_AFTER_VOWEL = frozenset({"가", "를", "는", "와", "로"})


def _has_final(syllable: str) -> bool:
    return (ord(syllable) - 0xAC00) % 28 != 0


@lru_cache(maxsize=1 << 18)
def stem(word: str) -> str:
    for ending in _ENDINGS:
        if len(word) - len(ending) >= 2 and word.endswith(ending):
            before = word[-len(ending) - 1]
            # 이/가, 을/를… agree with the syllable before them: "어르신이" is 어르신 + 이 (신 ends
            # in a consonant), but in "도우미" the 미 is no particle-looking 이 after a consonant… and
            # "서류가" cuts (류 ends in a vowel) while "가격이" would not lose a 가 it never had.
            if ending in _AFTER_CONSONANT and not _has_final(before):
                continue
            if (
                ending in _AFTER_VOWEL
                and _has_final(before)
                and not (ending == "로" and (ord(before) - 0xAC00) % 28 == 8)
            ):
                continue
            return word[: -len(ending)]
    return word


def is_predicate(word: str) -> bool:
    """A verb or adjective in its polite or plain sentence ending: not a topic word."""
    return word.endswith(("니다", "습니다", "한다", "된다", "해요", "세요"))


@lru_cache(maxsize=1 << 18)
def _word(token: str) -> str:
    if "\uac00" <= token[0] <= "\ud7a3":
        if is_predicate(token):
            return ""
        token = stem(token)
    return token if len(token) >= 2 and token not in STOPWORDS else ""


def words(text: str) -> list[str]:
    """Whole words for people to read, in order of appearance (with repeats)."""
    return [w for w in map(_word, _TOKEN.findall(korean.normalise(text))) if w]


@dataclass(frozen=True)
class Doc:
    """One proposal as the solvers see it: plain data, no ORM object.

    `terms` are its index terms (Proposal.search_terms split on spaces); `text` is what the labels
    and the "why" are read from (`title`, part of it, names the proposal best); `support`, `order`
    (smaller = earlier) and `fixed` (already
    decided: it can be merged into, not merged away) choose which member of a cluster to keep.
    """

    key: int
    terms: Sequence[str]
    text: str = ""
    title: str = ""  # part of `text`; its words are preferred as labels
    support: int = 0
    order: float = 0.0
    fixed: bool = False


@dataclass
class TermMatrix:
    """Distinct terms of each document as CSR arrays over a shared vocabulary, with idf weights."""

    indptr: np.ndarray
    indices: np.ndarray
    vocabulary: list[str]
    df: np.ndarray
    idf: np.ndarray
    _lookup: dict[str, int] | None = None

    def lookup(self) -> dict[str, int]:
        if self._lookup is None:
            self._lookup = {t: k for k, t in enumerate(self.vocabulary)}
        return self._lookup

    @property
    def n_docs(self) -> int:
        return len(self.indptr) - 1

    def row(self, i: int) -> np.ndarray:
        return self.indices[self.indptr[i] : self.indptr[i + 1]]


def term_matrix(documents: Iterable[Iterable[str]]) -> TermMatrix:
    docs = [list(d) for d in documents]
    # Vocabulary in order of first appearance, then every (document, term) code at C speed;
    # one sort both removes repeats inside a document and orders each row's term ids.
    vocabulary = list(dict.fromkeys(chain.from_iterable(docs)))
    ids = {t: k for k, t in enumerate(vocabulary)}
    lengths = np.fromiter((len(d) for d in docs), dtype=np.int64, count=len(docs))
    flat = np.fromiter(map(ids.__getitem__, chain.from_iterable(docs)), dtype=np.int64, count=int(lengths.sum()))
    rows = np.repeat(np.arange(len(docs), dtype=np.int64), lengths)
    v = max(1, len(vocabulary))
    codes = sorted_unique(rows * v + flat)
    indices = codes % v
    indptr = np.concatenate([[0], np.cumsum(np.bincount(codes // v, minlength=len(docs)))]).astype(np.int64)
    n = len(docs)
    df = np.bincount(indices, minlength=len(vocabulary)).astype(np.int64)
    # The same idf as korean.idf_weights, so the pages' "similar ideas" and these agree.
    idf = np.log((n + 1) / (df + 0.5))
    return TermMatrix(indptr, indices, vocabulary, df, idf)


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """np.unique for large int arrays by one sort (numpy's hash-based unique is slower here)."""
    values = np.sort(values)
    if len(values) == 0:
        return values
    return values[np.concatenate([[True], values[1:] != values[:-1]])]
