"""Why two proposals match, and when they are "almost the same".

An embedding says two texts are about the same thing; it does not say they ask for the same
thing. "노인 무료 스마트폰 교실" and "청년 무료 스마트폰 교실" sit close together in any sentence
embedding, and so do "…를 확대합니다" and "…를 폐지합니다". So the flag needs three kinds of
evidence at once:

1. the embeddings are close (cosine of E5 vectors);
2. the words overlap (character-bigram containment from madang.solvers.korean: the share of
   the shorter text's terms found in the longer one, which is robust to one text being longer);
3. nothing specific contradicts: no different numbers with the same unit, places, agencies,
   target groups, or opposite actions (폐지 vs 확대, 강화 vs 완화, 무료 vs 유료, …).

The lexicons below are small, explicit and in the project: target groups come in classes of
synonyms (노인 = 어르신 = 고령자), so a paraphrase that changes the word does not contradict.
The decision returns reason codes with details; the caller turns them into sentences in the
reader's language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from madang.solvers import korean

# ---------------------------------------------------------------- lexicons

# Target groups: each class lists words that name the same people (matched as substrings of
# the normalised text; order inside a class does not matter).
GROUPS: dict[str, tuple[str, ...]] = {
    "elderly": (
        "노인",
        "어르신",
        "고령자",
        "고령 ",
        "고령층",
        "노년",
        "시니어",
        "나이 많은",
        "나이 든",
        "노약자",
        "경로당",
        "은퇴",
    ),
    "youth": ("청년", "젊은이", "젊은 ", "2030"),
    "children": ("아동", "어린이", "아이", "유아", "영유아", "초등", "스쿨존", "아기"),
    "teen": ("청소년", "중고생", "고등학생", "고교생", "중학생"),
    "university": ("대학생", "대학 신입생"),
    "disabled": ("장애인", "장애가", "장애 ", "휠체어", "눈이 불편", "귀가 들리지", "수어", "수화", "점자"),
    "foreign": ("외국인", "이주민", "이주노동자", "외국 관광객", "다문화", "결혼이민자", "외국 "),
    "small_business": ("소상공인", "자영업자", "영세 상인", "상인"),
    "pregnant": ("임산부", "임신부", "산모", "임신"),
    "single_household": ("1인 가구", "혼자 사는", "홀로 사는"),
    "low_income": ("저소득", "취약계층", "기초생활", "차상위", "쪽방", "노숙인"),
    "farmers": ("농업인", "농민", "농가"),
    "newlyweds": ("신혼부부", "결혼한 부부"),
    "single_parent": ("한부모", "한 부모"),
    "dual_income": ("맞벌이",),
    "veterans": ("보훈", "국가유공자"),
    "women": ("여성",),
    "north_defectors": ("북한이탈주민", "탈북민"),
    "jobseekers": ("구직", "취업 준비생", "취준생"),
    "soldiers": ("군 복무", "군대", "전역", "제대"),
    "released": ("출소자", "교정시설"),
    "officials_new": ("신규 공무원", "새로 들어온 공무원"),
    "multi_child": ("다자녀", "아이 셋"),
    "delivery": ("택배",),
    "cleaners": ("환경미화원",),
    "dementia": ("치매",),
    "developmental": ("발달장애", "발달 장애"),
    "care_leavers": ("자립준비청년",),
    "animals": ("유기 동물", "유기동물", "길고양이", "반려견", "강아지"),
    "rural_students": ("농어촌 학생", "시골 학생"),
    "commuters": ("직장인",),
    "beginners": ("초보 운전",),
    "retirees": ("은퇴자",),
    "patients_veteran": ("군 병원",),
}

# Opposite actions: (one side, other side); a text "does" a side when it uses one of its stems.
OPPOSITES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    # "줄이다" is left out: it is mostly the goal ("대기 시간을 줄이자"), not the action.
    (
        "expand_abolish",
        ("확대", "신설", "도입", "설치", "증설", "확충", "개방", "늘리", "늘려", "더 많이", "새로 만들", "연장"),
        ("폐지", "폐쇄", "철거", "없애", "없앤", "중단", "중지", "축소", "감축"),
    ),
    ("strict_loose", ("강화", "엄격", "의무화"), ("완화", "풀어")),
    ("allow_forbid", ("허용", "할 수 있", "쓸 수 있"), ("금지", "못하게", "못 피우")),
    ("free_paid", ("무료", "면제", "공짜", "돈 내지 않", "돈을 받지 않", "안 내"), ("유료", "징수")),
    ("longer_shorter", ("연장", "더 오래", "더 열"), ("단축", "짧게")),
    ("raise_lower", ("상향", "인상", "높이", "올려", "증액"), ("하향", "인하", "낮추", "내리", "내립", "감액")),
)
# Stopping or abolishing something contradicts proposing it, even when the other text names no
# direction at all ("주차장 무료 개방" vs "주차장 무료 개방 폐지"): these words count on their own.
STOPPING = ("폐지", "폐쇄", "철거", "없애", "없앤", "중단", "중지", "금지", "못하게", "못 피우", "맙시다", "말자")

# Agencies: ministries and bodies by name (long names first so 국토교통부 wins over 교통부),
# plus anything ending in a body's suffix.
AGENCIES = (
    "행정안전부",
    "행안부",
    "국토교통부",
    "보건복지부",
    "교육부",
    "환경부",
    "고용노동부",
    "여성가족부",
    "국방부",
    "법무부",
    "중소벤처기업부",
    "문화체육관광부",
    "농림축산식품부",
    "해양수산부",
    "해수부",
    "과학기술정보통신부",
    "산업통상자원부",
    "국가보훈부",
    "보훈부",
    "경찰청",
    "소방청",
    "국세청",
    "관세청",
    "산림청",
    "기상청",
    "통계청",
    "조달청",
    "병무청",
    "질병관리청",
    "질병청",
    "식약처",
    "식품의약품안전처",
    "인사혁신처",
    "인사처",
    "법제처",
    "국민건강보험공단",
    "건강보험공단",
    "국민연금공단",
    "근로복지공단",
    "한국전력공사",
    "교육청",
    "경찰서",
    "소방서",
    "보건소",
    "해양경찰",
    "해경",
    "병원 응급실",
)
# Short forms that name the same body as a long one.
_AGENCY_ALIASES = {
    "행안부": "행정안전부",
    "해수부": "해양수산부",
    "보훈부": "국가보훈부",
    "질병청": "질병관리청",
    "식품의약품안전처": "식약처",
    "인사처": "인사혁신처",
    "건강보험공단": "국민건강보험공단",
    "해경": "해양경찰",
}
# Systems named after an agency stand for it (홈택스 is 국세청's, 위택스 the local taxes').
_SYSTEMS = {
    "홈택스": "국세청",
    "위택스": "지방세",
    "유니패스": "관세청",
    "나이스": "교육부",
    "워크넷": "고용노동부",
    "복지로": "보건복지부",
    "나라장터": "조달청",
    "국가법령정보센터": "법제처",
    "112": "경찰청",
    "119": "소방청",
}

# Places: a gazetteer of the names proposals use (cities, districts, landmarks).
PLACES = (
    "서울",
    "부산",
    "대구",
    "인천",
    "광주",
    "대전",
    "울산",
    "세종",
    "제주",
    "서귀포",
    "춘천",
    "원주",
    "강릉",
    "속초",
    "청주",
    "천안",
    "아산",
    "전주",
    "군산",
    "목포",
    "여수",
    "순천",
    "담양",
    "포항",
    "경주",
    "안동",
    "문경",
    "창원",
    "마산",
    "통영",
    "김해",
    "양산",
    "진주",
    "수원",
    "성남",
    "분당",
    "고양",
    "일산",
    "용인",
    "수지",
    "부천",
    "안산",
    "남양주",
    "다산",
    "화성",
    "동탄",
    "평택",
    "의정부",
    "구리",
    "파주",
    "운정",
    "김포",
    "과천",
    "광명",
    "부여",
    "해운대",
    "광안리",
    "수성구",
    "달서구",
    "유성",
    "장유",
    "물금",
    "한옥마을",
    "황리단길",
    "경포",
    "영랑호",
    "무심천",
    "천안천",
    "범어",
    "두류",
    "양동",
    "자갈치",
    "영일대",
    "일산해수욕장",
    "행궁동",
    "정자동",
    "하회",
    "문경 새재",
    "순천만",
    "죽녹원",
    "광교산",
    "관악산",
    "중랑천",
    "왕숙천",
    "보문",
    "백제문화단지",
    "상동",
    "온양",
    "인천공항",
    "김포공항",
    "평택항",
    "군산항",
    "낭만포차",
    "평화광장",
)

_NUMBER = re.compile(
    r"(\d+(?:[.,]\d+)?)\s*(%|퍼센트|세|살|명|인|개월|개|곳|대|분|시간|일|주|년|원|만 원|만원|억 원|억|천만 "
    r"원|km|킬로미터|m|층|배|회|번|권|면|도|단계|시)?"
)
_NATIVE = {
    "한": 1,
    "두": 2,
    "세": 3,
    "네": 4,
    "다섯": 5,
    "여섯": 6,
    "일곱": 7,
    "여덟": 8,
    "아홉": 9,
    "열": 10,
    "열다섯": 15,
    "스무": 20,
}
_NATIVE_NUMBER = re.compile(
    r"(?<![가-힣])(열다섯|다섯|여섯|일곱|여덟|아홉|스무|한|두|세|네|열)\s?(번|곳|명|개|시간|달|권|단계|살|시)"
)
_SINO = {
    "일주일": ("7", "일"),
    "2주": ("14", "일"),
    "석 달": ("3", "개월"),
    "여섯 달": ("6", "개월"),
    "사흘": ("3", "일"),
    "당일": ("0", "일"),
    "그날": ("0", "일"),
    "절반": ("50", "%"),
    "일 년에 한 번": ("1", "회"),
    "일 년에": ("1", "년"),
}
_UNIT_ALIASES = {"퍼센트": "%", "살": "세", "킬로미터": "km", "달": "개월", "만원": "만 원", "번": "회", "인": "명"}
# Durations in one unit, so "1시간" and "60분" agree and "2시간" and "20분" differ.
_MINUTES = {"분": 1, "시간": 60, "일": 1440, "주": 10080, "개월": 43200, "년": 525600}


_UNIT_GROUP = "(%|퍼센트|세|살|명|인|개월|개|곳|대|분|시간|일|주|년|원|만 원|억 원|km|층|회|번|권|면|도|단계|시)?"
# "5단계에서 3단계로" and "3단계에서 5단계로" have the same numbers and opposite meanings.
_TRANSITION = re.compile(
    r"(\d+(?:\.\d+)?)\s*" + _UNIT_GROUP + r"\s*에서\s*(\d+(?:\.\d+)?)\s*" + _UNIT_GROUP + r"\s*(?:으로|로|까지)"
)


@dataclass(frozen=True)
class Specifics:
    numbers: frozenset[tuple[str, str]] = field(default_factory=frozenset)
    places: frozenset[str] = field(default_factory=frozenset)
    agencies: frozenset[str] = field(default_factory=frozenset)
    groups: frozenset[str] = field(default_factory=frozenset)
    actions: frozenset[tuple[str, int]] = field(default_factory=frozenset)  # (axis, +1 or -1)
    stopping: bool = False
    transitions: frozenset[tuple[str, str]] = field(default_factory=frozenset)  # (from, to) with units


def _numbers(text: str) -> set[tuple[str, str]]:
    raw: set[tuple[str, str]] = set()
    for value, unit in _NUMBER.findall(text):
        raw.add((value.replace(",", ""), _UNIT_ALIASES.get(unit, unit)))
    for word, unit in _NATIVE_NUMBER.findall(text):
        raw.add((str(_NATIVE[word]), _UNIT_ALIASES.get(unit, unit)))
    for phrase, (value, unit) in _SINO.items():
        if phrase in text:
            raw.add((value, unit))
    found: set[tuple[str, str]] = set()
    for value, unit in raw:
        if unit in _MINUTES:
            try:
                found.add((f"{float(value) * _MINUTES[unit]:g}", "min"))
                continue
            except ValueError:
                pass
        found.add((value, unit))
    return found


@lru_cache(maxsize=4096)
def specifics(text: str) -> Specifics:
    t = " " + " ".join(korean.normalise(text).split()) + " "
    groups = {name for name, words in GROUPS.items() if any(w in t for w in words)}
    # A more specific class absorbs the general one it contains (발달장애 is a 장애; 자립준비청년 a 청년).
    if "developmental" in groups:
        groups.discard("disabled")
    if "care_leavers" in groups:
        groups.discard("youth")
    if "dementia" in groups:
        groups.discard("elderly")
    agencies: set[str] = set()
    for name in sorted(AGENCIES, key=len, reverse=True):
        if name in t and not any(name in a for a in agencies):
            agencies.add(name)
    agencies = {_AGENCY_ALIASES.get(a, a) for a in agencies}
    agencies |= {agency for system, agency in _SYSTEMS.items() if system in t}
    # Every gazetteer name inside a found one counts too: "인천공항" is in 인천, so a text that
    # says "인천 공항" agrees with it, while "김포공항" does not.
    places = {name for name in PLACES if name in t}
    actions: set[tuple[str, int]] = set()
    for axis, plus, minus in OPPOSITES:
        has_plus, has_minus = any(w in t for w in plus), any(w in t for w in minus)
        if has_plus != has_minus:  # both or neither: no clear direction on this axis
            actions.add((axis, 1 if has_plus else -1))
    return Specifics(
        frozenset(_numbers(t)),
        frozenset(places),
        frozenset(agencies),
        frozenset(groups),
        frozenset(actions),
        any(w in t for w in STOPPING),
        frozenset(_transitions(t)),
    )


def _transitions(text: str) -> set[tuple[str, str]]:
    out = set()
    for v1, u1, v2, u2 in _TRANSITION.findall(text):
        a = next(iter(_numbers(f"{v1}{u1 or u2}")), (v1, ""))
        b = next(iter(_numbers(f"{v2}{u2 or u1}")), (v2, ""))
        out.add((f"{a[0]}{a[1]}", f"{b[0]}{b[1]}"))
    return out


_AXIS_WORDS = {axis: (plus[0], minus[0]) for axis, plus, minus in OPPOSITES}


def _words(groups: frozenset[str]) -> str:
    return ", ".join(sorted(GROUPS[g][0].strip() for g in groups))


def conflicts(a: Specifics, b: Specifics) -> list[tuple[str, str]]:
    """Contradicting specifics as (code, detail); empty when nothing contradicts.

    A detail missing on one side is no contradiction (a paraphrase may leave the place out);
    different values on both sides are, unless one side's values contain the other's.
    """
    out: list[tuple[str, str]] = []

    def differ(x: frozenset, y: frozenset) -> bool:
        return bool(x) and bool(y) and not (x <= y or y <= x)

    units = {u for _v, u in a.numbers} & {u for _v, u in b.numbers}
    for unit in sorted(units):
        va = frozenset(v for v, u in a.numbers if u == unit)
        vb = frozenset(v for v, u in b.numbers if u == unit)
        if differ(va, vb) or (va != vb and (len(va) == 1 or len(vb) == 1) and not (va & vb)):
            out.append(("number", f"{'/'.join(sorted(va))}{unit} ≠ {'/'.join(sorted(vb))}{unit}"))
    # Unitless numbers, or units on one side only: values that share nothing contradict.
    if not units and a.numbers and b.numbers and not ({v for v, _u in a.numbers} & {v for v, _u in b.numbers}):
        out.append(
            ("number", f"{'/'.join(sorted(v for v, _u in a.numbers))} ≠ {'/'.join(sorted(v for v, _u in b.numbers))}")
        )
    if differ(a.places, b.places):
        out.append(("place", f"{', '.join(sorted(a.places))} ≠ {', '.join(sorted(b.places))}"))
    if differ(a.agencies, b.agencies):
        out.append(("agency", f"{', '.join(sorted(a.agencies))} ≠ {', '.join(sorted(b.agencies))}"))
    if differ(a.groups, b.groups):
        out.append(("group", f"{_words(a.groups)} ≠ {_words(b.groups)}"))
    axes_a = dict(a.actions)
    for axis, sign in sorted(b.actions):
        if axes_a.get(axis, sign) != sign:
            plus, minus = _AXIS_WORDS[axis]
            out.append(("action", f"{plus} ≠ {minus}" if axes_a[axis] > 0 else f"{minus} ≠ {plus}"))
    if a.transitions and b.transitions and not (a.transitions & b.transitions):
        out.append(
            (
                "number",
                f"{' '.join('→'.join(x) for x in sorted(a.transitions))} ≠ "
                f"{' '.join('→'.join(x) for x in sorted(b.transitions))}",
            )
        )
    if a.stopping != b.stopping and not any(code == "action" for code, _d in out):
        out.append(("action", "… ≠ 폐지·중단·금지" if b.stopping else "폐지·중단·금지 ≠ …"))
    return out


# ---------------------------------------------------------------- overlap and decision


@lru_cache(maxsize=4096)
def term_set(text: str) -> frozenset[str]:
    return frozenset(korean.query_terms(text))


def overlap(a: frozenset[str], b: frozenset[str]) -> tuple[float, float]:
    """(containment of the smaller set in the other, Jaccard)."""
    if not a or not b:
        return 0.0, 0.0
    shared = len(a & b)
    return shared / min(len(a), len(b)), shared / len(a | b)


@dataclass(frozen=True)
class Thresholds:
    # Calibrated on the labelled set (data/pairs_ko.jsonl; see bench/semantic.md): E5 puts almost
    # any two Korean sentences above 0.75, so the useful range is narrow.
    cosine: float = 0.935
    containment: float = 0.80
    jaccard: float = 0.45
    # The fused ranking score: a weighted sum of the rescaled cosine and the lexical score.
    cosine_floor: float = 0.78
    cosine_span: float = 0.17
    semantic_weight: float = 0.7


DEFAULT = Thresholds()


@dataclass(frozen=True)
class Verdict:
    almost_same: bool
    # Codes with details, e.g. ("embedding_close", "0.93"), ("words_shared", "0.62"), ("conflict_place", "춘천 ≠ 원주").
    reasons: tuple[tuple[str, str], ...]


def semantic_score(cosine: float, th: Thresholds = DEFAULT) -> float:
    return min(1.0, max(0.0, (cosine - th.cosine_floor) / th.cosine_span))


def fused_score(cosine: float | None, lexical: float, th: Thresholds = DEFAULT) -> float:
    """One ranking score in [0, 1]; without an embedding it is the lexical score alone."""
    if cosine is None:
        return lexical
    return th.semantic_weight * semantic_score(cosine, th) + (1 - th.semantic_weight) * min(1.0, lexical)


def decide(
    query: str,
    candidate: str,
    cosine: float | None,
    th: Thresholds = DEFAULT,
    *,
    query_specifics: Specifics | None = None,
    query_terms: frozenset[str] | None = None,
) -> Verdict:
    """Is `candidate` almost the same proposal as `query`? Every piece of evidence is a reason."""
    reasons: list[tuple[str, str]] = []
    ok = True
    if cosine is None:
        ok = False
        reasons.append(("no_embedding", ""))
    elif cosine >= th.cosine:
        reasons.append(("embedding_close", f"{cosine:.2f}"))
    else:
        ok = False
        reasons.append(("embedding_far", f"{cosine:.2f}"))
    qt = query_terms if query_terms is not None else term_set(query)
    contain, jac = overlap(qt, term_set(candidate))
    if contain >= th.containment and jac >= th.jaccard:
        reasons.append(("words_shared", f"{contain:.2f}"))
    else:
        ok = False
        reasons.append(("few_words_shared", f"{contain:.2f}"))
    qs = query_specifics if query_specifics is not None else specifics(query)
    found = conflicts(qs, specifics(candidate))
    for code, detail in found:
        reasons.append((f"conflict_{code}", detail))
    if found:
        ok = False
    else:
        reasons.append(("no_conflict", ""))
    return Verdict(ok, tuple(reasons))
