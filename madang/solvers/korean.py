"""Korean-aware text indexing and similarity, with no dictionary.

Korean words carry particles (을/를/이/가/은/는/에서…) and are spaced irregularly
("민원처리" and "민원 처리" are the same phrase), so whole-word matching fails. Overlapping
character bigrams of Hangul runs match across both quirks: a particle changes at most one
or two bigrams at the end of a word, and joining or splitting words keeps the inner ones.
Latin words and numbers are kept whole (lower-cased), since bigrams of English are noise.
This is the index term scheme of the search module; a morphological analyser can be added on
the query side later without changing the stored terms.
"""

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

_HANGUL_RUN = re.compile(r"[\uac00-\ud7a3]+")
_WORD = re.compile(r"[\uac00-\ud7a3]+|[a-z0-9]+")
# Two Hangul syllables with only spaces between them: "민원 서류" → "원서".
_BRIDGE = re.compile(r"([\uac00-\ud7a3])\s+(?=([\uac00-\ud7a3]))")

# Bigrams that are almost always particles or endings and carry no topic.
_STOP_BIGRAMS = frozenset(
    {"합니", "니다", "습니", "에서", "으로", "하는", "하여", "있는", "없는", "하고", "에게", "부터", "까지"}
)


def normalise(text: str) -> str:
    # NFKC folds full-width Latin and compatibility jamo; NFC keeps Hangul syllables composed.
    return unicodedata.normalize("NFC", unicodedata.normalize("NFKC", text)).lower()


def terms(text: str) -> list[str]:
    """Index terms in order of appearance (with repeats)."""
    out: list[str] = []
    for match in _WORD.finditer(normalise(text)):
        word = match.group()
        if _HANGUL_RUN.fullmatch(word):
            if len(word) == 1:
                out.append(word)
            else:
                out.extend(word[i : i + 2] for i in range(len(word) - 1))
        elif len(word) > 1 or word.isdigit():
            out.append(word)
    return out


def index_terms(text: str) -> str:
    """The distinct terms as one space-separated string, for a database text column.

    Also stores the bigram across each space between Hangul words, so that a query typed
    without the space ("민원서류" → 민원 원서 서류) finds text written with it ("민원 서류를").
    The reverse needs nothing: a spaced query's terms are a subset of the joined text's.
    """
    bridges = [a + b for a, b in _BRIDGE.findall(normalise(text))]
    return " ".join(dict.fromkeys([*terms(text), *bridges]))


def content_terms(text: str) -> frozenset[str]:
    """The distinct terms two texts must share to say the same thing: the index terms with the
    bigrams across spaces (so "민원서류" and "민원 서류" agree), less the bigrams of particles and
    endings, which every sentence has (unless nothing else is left)."""
    found = set(index_terms(text).split())
    kept = found - _STOP_BIGRAMS
    return frozenset(kept or found)


def query_terms(text: str) -> list[str]:
    """Terms a query must match: distinct, stop bigrams dropped unless nothing else is left."""
    found = list(dict.fromkeys(terms(text)))
    kept = [t for t in found if t not in _STOP_BIGRAMS]
    return kept or found


# Particles that follow a noun, longest first. A search query's words lose one at their end
# (keeping at least two syllables), since every query term must match: "민원서류를" must find
# "민원 서류 간소화", whose terms hold no "류를". Stripping never adds a term, so at worst a noun
# that merely ends like a particle ("어린이" → "어린") matches a little more widely.
_PARTICLES = tuple(
    sorted(
        {
            "에서는",
            "으로는",
            "에게서",
            "에서도",
            "이라는",
            "에서",
            "에게",
            "한테",
            "으로",
            "까지",
            "부터",
            "처럼",
            "보다",
            "마다",
            "이나",
            "이랑",
            "에는",
            "에도",
            "와는",
            "과는",
            "은",
            "는",
            "이",
            "가",
            "을",
            "를",
            "에",
            "로",
            "와",
            "과",
            "의",
            "도",
            "만",
            "나",
            "랑",
        },
        key=len,
        reverse=True,
    )
)


_PARTICLE_SET = frozenset(_PARTICLES)


def strip_particle(word: str) -> str:
    """The word without one particle at its end, if at least two syllables remain."""
    for particle in _PARTICLES:
        if word.endswith(particle) and len(word) - len(particle) >= 2:
            return word[: -len(particle)]
    return word


def search_terms(text: str) -> list[str]:
    """Terms every match of a search query must hold: `query_terms` of its words without particles."""
    words: list[str] = []
    end = -1
    for m in _WORD.finditer(normalise(text)):
        word = m.group()
        if _HANGUL_RUN.fullmatch(word):
            if word in _PARTICLE_SET and m.start() == end and words and not _HANGUL_RUN.fullmatch(words[-1]):
                end = m.end()
                continue  # a particle on a Latin word or a number: "GPS를", "3번에"
            word = strip_particle(word)
        words.append(word)
        end = m.end()
    return query_terms(" ".join(words))


@dataclass(frozen=True)
class Match:
    key: int
    score: float
    shared: tuple[str, ...]


def idf_weights(documents: Iterable[Iterable[str]]) -> dict[str, float]:
    df: Counter[str] = Counter()
    n = 0
    for doc in documents:
        n += 1
        df.update(set(doc))
    return {t: math.log((n + 1) / (c + 0.5)) for t, c in df.items()}


def similar(
    query: str,
    candidates: Sequence[tuple[int, str]],
    *,
    limit: int = 5,
    min_score: float = 0.12,
) -> list[Match]:
    """Rank candidates (key, text) by idf-weighted cosine similarity of term sets.

    Returns at most `limit` matches above `min_score`, each with the shared terms that
    weigh most, so the page can say why they match.
    """
    q = set(query_terms(query))
    if not q:
        return []
    scored = score_term_sets(q, [(key, set(terms(text))) for key, text in candidates], min_score=min_score)
    scored.sort(key=lambda m: (-m.score, m.key))
    return scored[:limit]


def score_term_sets(q: set[str], docs: Sequence[tuple[int, Iterable[str]]], *, min_score: float) -> list[Match]:
    """The idf-weighted cosine of the query's term set with each document's, above `min_score`
    (idf over the documents and the query), each with the six shared terms that weigh most."""
    sets: list[tuple[int, AbstractSet[str]]] = [
        (key, doc if isinstance(doc, set | frozenset) else set(doc)) for key, doc in docs
    ]
    idf = idf_weights([d for _, d in sets] + [q])
    q_norm = math.sqrt(sum(idf.get(t, 0.0) ** 2 for t in q)) or 1.0
    scored: list[Match] = []
    for key, doc in sets:
        shared = q & doc
        if not shared:
            continue
        dot = sum(idf[t] ** 2 for t in shared)
        d_norm = math.sqrt(sum(idf[t] ** 2 for t in doc)) or 1.0
        score = dot / (q_norm * d_norm)
        if score >= min_score:
            scored.append(Match(key, round(score, 4), tuple(sorted(shared, key=lambda t: -idf[t])[:6])))
    return scored


def highlight_spans(text: str, query: str) -> list[tuple[str, bool]]:
    """Split text into (piece, is_match) runs where any query bigram/word occurs."""
    wanted = set(query_terms(query))
    if not wanted or not text:
        return [(text, False)]
    norm = normalise(text)
    if len(norm) != len(text):  # NFKC changed lengths: highlight nothing rather than misplace
        return [(text, False)]
    mark = [False] * len(text)
    for t in wanted:
        start = norm.find(t)
        while start != -1:
            for i in range(start, start + len(t)):
                mark[i] = True
            start = norm.find(t, start + 1)
    runs: list[tuple[str, bool]] = []
    for ch, m in zip(text, mark, strict=True):
        if runs and runs[-1][1] == m:
            runs[-1] = (runs[-1][0] + ch, m)
        else:
            runs.append((ch, m))
    return runs


def snippet_spans(text: str, query: str, width: int = 160) -> list[tuple[str, bool]]:
    """`highlight_spans` of at most `width` characters of `text` around its first match.

    A long comment or board note is shown as the passage that matched: the window starts a
    third of its width before the first match (at the text's start when there is none), moves
    forward to a space when one is near so that no word is cut at the front, and is marked
    with "…" where text was left out on either side.
    """
    text = " ".join(text.split())  # (line breaks and runs of spaces would waste the window)
    if len(text) <= width:
        return highlight_spans(text, query)
    spans = highlight_spans(text, query)
    first, at = 0, 0
    for piece, hit in spans:
        if hit:
            first = at
            break
        at += len(piece)
    start = max(0, min(first - width // 3, len(text) - width))
    if start:
        space = text.find(" ", start, first)
        if space != -1 and space - start < width // 6:
            start = space + 1
    end = min(len(text), start + width)
    out: list[tuple[str, bool]] = [("…", False)] if start else []
    at = 0
    for piece, hit in spans:
        lo, hi = max(at, start), min(at + len(piece), end)
        if lo < hi:
            out.append((piece[lo - at : hi - at], hit))
        at += len(piece)
    if end < len(text):
        out.append(("…", False))
    return out
