"""A seeded corpus of Korean proposals with planted near-duplicates and near-misses, for the tests
and bench/topics_bench.py.

Each proposal belongs to one of the themes below and is built from its words, a place, a group of
people and general words, so two proposals of one theme share a topic but rarely their wording.
A near-duplicate rewrites a base proposal the way people resubmit an idea: spacing changed, words
swapped for synonyms, sentences reordered, a courtesy line added, a number changed. A near-miss
keeps the theme and the sentence frames but changes what is proposed, where and for whom.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from madang.solvers import korean
from madang.solvers.topics.text import Doc

THEMES: dict[str, list[str]] = {
    "민원": [
        "민원",
        "증명서",
        "서류",
        "발급",
        "창구",
        "대기",
        "접수",
        "번호표",
        "무인발급기",
        "구비서류",
        "처리기간",
        "민원실",
    ],
    "교통": ["버스", "정류장", "노선", "배차", "환승", "혼잡도", "택시", "도로", "신호등", "교차로", "통학로", "주차"],
    "복지": [
        "복지",
        "위기가구",
        "돌봄",
        "어르신",
        "기초수급",
        "바우처",
        "급식",
        "방문상담",
        "장애인",
        "사회복지사",
        "생계비",
        "긴급지원",
    ],
    "환경": [
        "쓰레기",
        "재활용",
        "분리배출",
        "일회용품",
        "미세먼지",
        "녹지",
        "하천",
        "탄소",
        "다회용기",
        "폐기물",
        "수거",
        "매립지",
    ],
    "안전": [
        "재난",
        "폭염",
        "산불",
        "침수",
        "대피소",
        "안전점검",
        "소화기",
        "재난문자",
        "지진",
        "구조대",
        "순찰",
        "위험지역",
    ],
    "경제": [
        "소상공인",
        "창업",
        "지원금",
        "전통시장",
        "일자리",
        "청년창업",
        "골목상권",
        "대출",
        "판로",
        "공동구매",
        "상품권",
        "컨설팅",
    ],
    "보건": [
        "보건소",
        "예방접종",
        "건강검진",
        "약국",
        "응급실",
        "감염병",
        "치매",
        "정신건강",
        "진료",
        "금연",
        "방문간호",
        "의료비",
    ],
    "문화": [
        "도서관",
        "공연",
        "축제",
        "박물관",
        "문화재",
        "전시",
        "생활체육",
        "동아리",
        "관광객",
        "안내판",
        "체험",
        "공연장",
    ],
    "데이터": [
        "데이터",
        "개방",
        "포털",
        "공공데이터",
        "표준",
        "시스템",
        "전산",
        "클라우드",
        "인공지능",
        "챗봇",
        "통계",
        "분석",
    ],
    "행정": [
        "결재",
        "보고서",
        "회의",
        "인수인계",
        "업무분장",
        "전자문서",
        "출장",
        "예산",
        "집행",
        "감사",
        "교육",
        "성과평가",
    ],
    "주거": [
        "임대주택",
        "전세",
        "주거비",
        "빈집",
        "노후주택",
        "리모델링",
        "관리비",
        "층간소음",
        "경로당",
        "공동주택",
        "수리비",
        "청년주택",
    ],
    "교육": [
        "학교",
        "방과후",
        "학습지원",
        "교재",
        "장학금",
        "멘토링",
        "진로",
        "평생교육",
        "코딩교육",
        "교사",
        "학부모",
        "돌봄교실",
    ],
    "농업": [
        "농가",
        "농산물",
        "직거래",
        "스마트팜",
        "귀농",
        "농기계",
        "수확",
        "로컬푸드",
        "병해충",
        "농촌",
        "인력지원",
        "저온창고",
    ],
    "반려": [
        "반려동물",
        "유기견",
        "동물병원",
        "입양",
        "산책로",
        "등록제",
        "보호소",
        "중성화",
        "동물복지",
        "펫티켓",
        "놀이터",
        "구조",
    ],
    "에너지": [
        "태양광",
        "전기차",
        "충전기",
        "에너지",
        "절전",
        "난방비",
        "단열",
        "가로등",
        "발전소",
        "수소차",
        "전력",
        "효율",
    ],
    "청년": [
        "청년",
        "취업",
        "면접",
        "자격증",
        "인턴",
        "주거지원",
        "청년센터",
        "구직",
        "공유공간",
        "정책정보",
        "상담",
        "네트워크",
    ],
}
SYNONYMS = {
    "민원": "민원사무",
    "서류": "증빙서류",
    "대기": "기다림",
    "버스": "시내버스",
    "쓰레기": "생활쓰레기",
    "재난": "재해",
    "창업": "사업시작",
    "데이터": "자료",
    "회의": "회의체",
    "학교": "학교현장",
    "농가": "농업인",
    "에너지": "전기에너지",
    "청년": "젊은이",
    "도서관": "공공도서관",
    "보건소": "보건지소",
    "예산": "재정",
    "시스템": "전산망",
    "정류장": "버스정류장",
}
PLACES = [
    "한빛시",
    "새벽군",
    "푸른시",
    "누리군",
    "가람시",
    "바다군",
    "솔빛시",
    "은하군",
    "별내시",
    "달빛군",
    "하늘시",
    "모래군",
    "구름시",
    "강변구",
    "산들면",
    "들녘읍",
    "온누리동",
    "햇살동",
    "미리내시",
    "동백군",
]
PEOPLE = [
    "어르신",
    "청소년",
    "장애인",
    "외국인 주민",
    "1인 가구",
    "맞벌이 가정",
    "소상공인",
    "대학생",
    "농민",
    "택배 기사",
    "다문화 가정",
    "임산부",
    "초등학생",
    "민원인",
    "현장 공무원",
    "야간 근무자",
]
GENERAL = [
    "안내",
    "정보",
    "신청",
    "예약",
    "모바일",
    "온라인",
    "현장",
    "절차",
    "기준",
    "비용",
    "시간",
    "공간",
    "서비스",
    "참여",
    "홍보",
    "협력",
    "시범사업",
    "만족도",
    "접근성",
    "편의",
    "투명성",
    "효율성",
    "지역",
    "주민",
    "기관",
    "담당자",
    "알림",
    "지도",
]
# Sentence pieces combined independently, as in real writing: no piece pulls documents together.
OPENERS = [
    "요즘",
    "현장에서 보면",
    "해마다",
    "특히",
    "지난해부터",
    "주말마다",
    "출퇴근 시간에",
    "겨울철에는",
    "여름철에는",
    "읍면 지역에서는",
    "도심에서는",
    "처음 이용할 때",
]
LINKS = ["때문에", "탓에", "문제로", "부족으로", "관련해", "과정에서", "이후", "대신"]
CLOSERS = [
    "불편이 큽니다.",
    "어려움을 겪습니다.",
    "민원이 반복됩니다.",
    "비용이 늘어납니다.",
    "시간이 오래 걸립니다.",
    "정보를 찾기 힘듭니다.",
    "불만이 많습니다.",
    "이용을 포기합니다.",
    "안전이 걱정됩니다.",
    "혼란이 생깁니다.",
]
ACTIONS = [
    "도입합니다.",
    "확대합니다.",
    "개편합니다.",
    "연계합니다.",
    "시범 운영합니다.",
    "통합합니다.",
    "공개합니다.",
    "자동화합니다.",
    "표준화합니다.",
    "지원합니다.",
]
METHODS = [
    "모바일로",
    "온라인으로",
    "한곳에서",
    "찾아가는 방식으로",
    "예약제로",
    "민관 협력으로",
    "단계적으로",
    "데이터로",
]
EFFECT_FRAMES = ["{a} 처리 {n}% 개선", "{p} 만족도 {n}% 향상", "{c} 비용 {n}% 절감", "{g1} 시간 {n}% 단축"]
COURTESY = [
    "꼭 검토 부탁드립니다.",
    "현장의 목소리를 반영해 주세요.",
    "비슷한 제안이 있다면 함께 추진해 주세요.",
    "주민 모두에게 도움이 될 것입니다.",
]


@dataclass(frozen=True)
class Corpus:
    docs: list[Doc]
    theme_of: list[int]  # planted theme index of each document
    duplicate_groups: list[list[int]]  # indices of planted near-duplicates (base first)
    near_miss_pairs: list[tuple[int, int]]  # same theme and frames, different proposal: must not be flagged


def _fill(rng: np.random.Generator, theme: str) -> dict[str, str]:
    a, b, c, d, e = rng.choice(THEMES[theme], size=5, replace=False)
    g1, g2 = rng.choice(GENERAL, size=2, replace=False)
    return {
        "a": str(a),
        "b": str(b),
        "c": str(c),
        "d": str(d),
        "e": str(e),
        "g1": str(g1),
        "g2": str(g2),
        "p": str(rng.choice(PEOPLE)),
        "place": str(rng.choice(PLACES)),
        "n": str(int(rng.integers(10, 60))),
    }


def _compose(
    rng: np.random.Generator, theme: str, frames: tuple[int, ...], slots: dict[str, str]
) -> tuple[str, list[str]]:
    s = slots
    title = f"{s['place']} {s['p']} {s['a']} {s['c']} {s['d']} {s['g1']} 개선"
    o, link, close, act, method, eff = frames
    problem = f"{OPENERS[o]} {s['place']} {s['p']}은 {s['a']} {s['b']} {LINKS[link]} {s['d']} {CLOSERS[close]}"
    solution = f"{s['c']}와 {s['e']}을 {METHODS[method]} {s['g1']} {s['g2']} 체계로 {ACTIONS[act]}"
    return title, [problem, solution, EFFECT_FRAMES[eff].format(**s)]


def _paraphrase(rng: np.random.Generator, title: str, sentences: list[str]) -> tuple[str, list[str]]:
    out = list(sentences)
    ops = rng.choice(5, size=int(rng.integers(2, 4)), replace=False)
    for op in ops:
        if op == 0:  # spacing: join or split words at random
            out = [s.replace(" ", "", 1) if rng.random() < 0.5 else s.replace("을 ", "을  ") for s in out]
            title = title.replace(" ", "", 1)
        elif op == 1:  # a synonym
            for word, other in SYNONYMS.items():
                if word in title or any(word in s for s in out):
                    out = [s.replace(word, other, 1) for s in out]
                    break
        elif op == 2:  # problem and solution in the other order
            out[0], out[1] = out[1], out[0]
        elif op == 3:  # a courtesy line
            out.append(str(rng.choice(COURTESY)))
        else:  # another number
            out = [korean.normalise(s) for s in out]
            out[-1] = "".join(str(int(rng.integers(1, 9))) if ch.isdigit() else ch for ch in out[-1])
    return title, out


def corpus(n: int, *, seed: int = 0, duplicate_share: float = 0.05, near_miss_share: float = 0.02) -> Corpus:
    """n documents; about duplicate_share of them are planted near-duplicates (groups of 2–4)."""
    rng = np.random.default_rng(seed)
    names = list(THEMES)
    docs: list[Doc] = []
    theme_of: list[int] = []
    groups: list[list[int]] = []
    misses: list[tuple[int, int]] = []

    def add(title: str, sentences: list[str], theme: int) -> int:
        text = " ".join([title, *sentences])
        i = len(docs)
        docs.append(
            Doc(
                key=i + 1,
                terms=korean.index_terms(text).split(),
                text=text,
                title=title,
                support=int(rng.poisson(3)),
                order=float(i),
            )
        )
        theme_of.append(theme)
        return i

    n_dup = int(n * duplicate_share)
    n_miss = int(n * near_miss_share)
    while len(docs) < n:
        t = int(rng.integers(len(names)))
        frames = tuple(int(rng.integers(len(x))) for x in (OPENERS, LINKS, CLOSERS, ACTIONS, METHODS, EFFECT_FRAMES))
        slots = _fill(rng, names[t])
        title, sentences = _compose(rng, names[t], frames, slots)
        base = add(title, sentences, t)
        room = n - len(docs)
        planted = sum(len(g) - 1 for g in groups)
        if planted < n_dup and room >= 1 and rng.random() < 2 * duplicate_share:
            group = [base]
            for _ in range(min(room, int(rng.integers(1, 4)))):
                group.append(add(*_paraphrase(rng, title, sentences), t))
            groups.append(group)
        elif len(misses) < n_miss and room >= 1 and rng.random() < 2 * near_miss_share:
            other = dict(slots)
            fresh = _fill(rng, names[t])
            for key in ("a", "c", "d", "p", "place", "g1"):
                other[key] = fresh[key]
            misses.append((base, add(*_compose(rng, names[t], frames, other), t)))
    return Corpus(docs, theme_of, groups, misses)
