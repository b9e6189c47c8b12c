"""Property tests: generated numbers in random Korean text are found, masks leak nothing beyond
what each kind may show, and the one-pass scan agrees with the per-pattern reference."""

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from madang.solvers.pii import ALLOWED_VISIBLE, Kind, checks, redact, scan, scan_each

# Words of civic proposals that end neither in a road or place suffix nor in a word for a
# numbered thing, so the words around a number say nothing about it either way.
WORDS = [
    "민원",
    "제안합니다",
    "주민센터에서",
    "어르신들이",
    "불편을",
    "겪고",
    "있습니다",
    "신청서를",
    "냈는데",
    "답이",
    "없어요",
    "확인",
    "부탁드립니다",
    "담당자님",
    "감사합니다",
    "그리고",
    "오늘",
    "아침에",
    "다시",
    "알려",
    "주세요",
    "청년",
    "복지",
    "예산을",
    "늘려",
    "주시면",
    "좋겠습니다",
    "마을",
    "공동체",
    "회의",
]
SEPARATORS = [" ", ", ", ". ", " (", ") ", "\n", ": "]

text_words = st.lists(st.sampled_from(WORDS), min_size=0, max_size=12).map(" ".join)


@st.composite
def resident(draw) -> tuple[str, Kind]:
    gender = draw(st.sampled_from("12345678"))
    born = draw(
        st.dates(
            min_value=date(1920, 1, 1) if gender in "1256" else date(2000, 1, 1),
            max_value=date(1999, 12, 31) if gender in "1256" else date(2026, 1, 1),
        )
    )
    middle = draw(st.text("0123456789", min_size=5, max_size=5))
    first12 = born.strftime("%y%m%d") + gender + middle
    if draw(st.booleans()):  # before October 2020: the check digit holds
        last = checks.rrn_check_digit(first12, foreigner=gender in "5678")
    else:  # since then: any digit
        last = draw(st.integers(0, 9))
    sep = draw(st.sampled_from(["-", "-", " - ", "–"]))
    return f"{first12[:6]}{sep}{first12[6:]}{last}", Kind.FOREIGNER if gender in "5678" else Kind.RRN


@st.composite
def mobile(draw) -> tuple[str, Kind]:
    prefix = draw(st.sampled_from(["010", "010", "011", "016", "017", "018", "019"]))
    middle = draw(
        st.text("0123456789", min_size=4, max_size=4)
        if prefix == "010"
        else st.text("0123456789", min_size=3, max_size=4)
    )
    last = draw(st.text("0123456789", min_size=4, max_size=4))
    sep = draw(st.sampled_from(["-", " ", ".", ""]))
    number = f"{prefix}{sep}{middle}{sep}{last}"
    if len(set(middle + last)) == 1:  # 010-0000-0000 is a form's example, deliberately not found
        number = f"{prefix}{sep}{middle}{sep}{last[:-1]}{(int(last[-1]) + 1) % 10}"
    if draw(st.booleans()):
        number = draw(st.sampled_from(["+82 ", "+82-", "+82"])) + number[1:]
    return number, Kind.MOBILE


@st.composite
def landline(draw) -> tuple[str, Kind]:
    area = draw(
        st.sampled_from(
            [
                "02",
                "031",
                "032",
                "033",
                "041",
                "042",
                "043",
                "044",
                "051",
                "052",
                "053",
                "054",
                "055",
                "061",
                "062",
                "063",
                "064",
                "070",
            ]
        )
    )
    exchange = draw(st.integers(200, 9999).map(str))
    last = draw(st.text("0123456789", min_size=4, max_size=4))
    if len(set(exchange[-3:] + last)) == 1:
        last = last[:-1] + str((int(last[-1]) + 1) % 10)
    form = draw(st.sampled_from(["{a}-{x}-{l}", "{a} {x} {l}", "({a}) {x}-{l}", "{a}){x}-{l}", "{a}.{x}.{l}"]))
    return form.format(a=area, x=exchange, l=last), Kind.LANDLINE


@st.composite
def card(draw) -> tuple[str, Kind]:
    body = draw(st.sampled_from("4594")) + draw(st.text("0123456789", min_size=14, max_size=14))
    digits = body + str(checks.luhn_check_digit(body))
    sep = draw(st.sampled_from(["-", " "]))
    return sep.join(digits[i : i + 4] for i in range(0, 16, 4)), Kind.CARD


@st.composite
def email(draw) -> tuple[str, Kind]:
    local = draw(st.from_regex(r"[a-z][a-z0-9._]{1,15}[a-z0-9]", fullmatch=True))
    domain = draw(st.sampled_from(["naver.com", "gmail.com", "daum.net", "korea.kr", "sejong.go.kr"]))
    return f"{local}@{domain}", Kind.EMAIL


exposures = st.one_of(resident(), mobile(), landline(), card(), email())


@settings(max_examples=400, deadline=None)
@given(text_words, st.sampled_from(SEPARATORS), exposures, st.sampled_from(SEPARATORS), text_words)
def test_a_generated_number_in_random_korean_text_is_found_whole(before, sep1, exposure, sep2, after):
    number, kind = exposure
    text = before + sep1 + number + sep2 + after
    start = len(before) + len(sep1)
    findings = scan(text)
    assert [(f.kind, f.end) for f in findings] == [(kind, start + len(number))], (text, findings)
    # "(" + "02)345-6789" reads as "(02)345-6789": the parenthesis may join the number.
    assert findings[0].start == start or text[findings[0].start : start] == "(", (text, findings)


def visible(kind: Kind, original: str, masked: str) -> int:
    if kind is Kind.EMAIL:
        local = masked.partition("@")[0]
        return sum(ch != "*" for ch in local)
    shown = [o for o, m in zip(original, masked, strict=True) if o.isdigit() and o == m]
    if original.lstrip("(").startswith("+82"):
        shown = shown[2:]  # the country code is not the person's
    return len(shown)


@settings(max_examples=400, deadline=None)
@given(text_words, exposures, text_words)
def test_a_mask_never_shows_more_than_its_kind_allows(before, exposure, after):
    number, _kind = exposure
    text = f"{before} {number} {after}"
    for f in scan(text):
        original = text[f.start : f.end]
        assert len(f.masked) == len(original)
        assert all(m in (o, "*") for o, m in zip(original, f.masked, strict=True))
        assert visible(f.kind, original, f.masked) <= ALLOWED_VISIBLE[f.kind], (original, f.masked)
    cleaned = redact(text, scan(text))
    assert scan(cleaned) == []


# Pieces that put every recogniser and its checks to work: road and place words glued to numbers,
# words for numbered things, bare digit runs with and without separators.
PIECES = [
    "중앙로",
    "한누리대로",
    "보람로12번길",
    "신흥리",
    "행복아파트",
    "서울",
    "경기",
    "여권",
    "계좌",
    "주문번호",
    "카드",
    "면허",
    "동",
    "호",
    "번지",
    "산",
    "+82",
    "(02)",
    "M",
    "A",
    "@",
    "gmail.com",
    "-",
    ".",
    ",",
    " ",
    " ",
    "010",
    "02",
    "031",
    "1588",
    "2024",
    "12",
    "345",
    "6789",
    "900101",
    "1234567",
    "4111",
    "1111",
    "년",
    "명",
    "원",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(PIECES), st.text("0123456789", min_size=1, max_size=14), exposures.map(lambda e: e[0])
        ),
        max_size=40,
    ).map("".join)
)
def test_the_one_pass_scan_agrees_with_the_per_pattern_reference(text):
    assert scan(text, min_confidence=0) == scan_each(text, min_confidence=0)
