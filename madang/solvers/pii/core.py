"""Find exposed personal data in Korean text, in one pass of one compiled pattern.

Each kind is a *recogniser*: a regular expression for its shape and a check of what the shape
cannot say (a date, a check digit, the words just before it). `scan` joins every recogniser's
expression into one alternation, so the text is read once; where a shape matches but its check
refuses it (an order number that looks like a card number but fails Luhn), the recognisers after
it are tried at the same place before the search moves on. `scan_each` does the same work one
recogniser at a time over the whole text and resolves overlaps afterwards: it is the reference
the tests and the benchmark compare `scan` with, and the two must always agree.

Confidence is a number in [0, 1]; `scan` returns findings at or above `min_confidence` (0.5 by
default). The values are ranks, not calibrated probabilities: what matters is which side of the
threshold a shape falls on, and the labelled set (data/labelled.jsonl) measures that.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from madang.solvers.pii import checks


class Kind(StrEnum):
    RRN = "rrn"  # 주민등록번호
    FOREIGNER = "foreigner"  # 외국인등록번호
    PASSPORT = "passport"  # 여권번호
    DRIVER = "driver"  # 운전면허번호
    MOBILE = "mobile"  # 휴대전화번호
    LANDLINE = "landline"  # 유선·인터넷 전화번호
    ACCOUNT = "account"  # 계좌번호
    CARD = "card"  # 카드번호
    EMAIL = "email"
    ADDRESS = "address"  # 상세 주소


@dataclass(frozen=True, slots=True)
class Finding:
    kind: Kind
    start: int
    end: int  # exclusive: text[start:end] is what was found
    confidence: float
    masked: str  # the found text with what identifies the person replaced by "*"
    why: str  # a short reason in plain words (English, for logs and tests; not shown as is)


# --- shared fragments ----------------------------------------------------------------------

_SP = r"[ \u00a0]"
_HY = r"[-‐‑–—−－]"
# A digit token starts where no letter or digit (nor a digit and a separator: "1,234", "12-")
# comes before it, and ends where none follows: a number inside a longer number is not a number.
_B = r"(?<![0-9A-Za-z])(?<![0-9][-.,‐‑–−])"
_E = r"(?![0-9A-Za-z])(?![-.,‐‑–−][0-9])"
_SEP = rf"(?:{_SP}?(?:{_HY}|\.){_SP}?|{_SP})?"
_CC = rf"\(?\+{_SP}?82\)?{_SP}?{_HY}?{_SP}?"  # +82, the country code, with the trunk 0 dropped or in "(0)"
_AREA = r"2|3[1-3]|4[1-4]|5[1-5]|6[1-4]|70"  # 02 Seoul, 031–064 provinces, 070 internet telephony

_PATTERNS: dict[Kind | str, str] = {
    "email": (
        r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.)+[A-Za-z]{2,"
        r"12}(?![A-Za-z0-9-])"
    ),
    "rrn": rf"{_B}(?P<rrn_b>\d{{6}})(?P<rrn_s>{_SP}?{_HY}{_SP}?|{_SP}|)(?P<rrn_g>[1-8])(?P<rrn_t>\d{{6}}){_E}",
    "card": rf"{_B}(?:(?:[2-6]\d{{3}}|9\d{{3}})(?P<card_s>{_SP}?{_HY}{_SP}?|{_SP}|)\d{{4}}(?P=card_s)\d{{4}}"
    rf"(?P=card_s)\d{{4}}"
    rf"|3[47]\d{{2}}(?P<amex_s>{_HY}|{_SP}|)\d{{6}}(?P=amex_s)\d{{5}}){_E}",
    "driver": rf"{_B}(?:1[1-9]|2[0-68])(?P<dl_s>{_HY}|{_SP}|)\d{{2}}(?P=dl_s)\d{{6}}(?P=dl_s)\d{{2}}{_E}",
    "driver_old": rf"(?<![가-힣])(?:서울|부산|경기|강원|충북|충남|전북|전남|경북|경남|제주|대구|인천|광주|대전|울산)"
    rf"{_SP}?\d{{2}}(?P<dlo_s>{_HY}|{_SP}|)\d{{6}}(?P=dlo_s)\d{{2}}{_E}",
    "mobile": (
        rf"(?:(?P<mob_cc>{_CC})(?:\(0\){_SP}?|0)?|{_B}0)"
        rf"1(?:0{_SEP}\d{{4}}|[16789]{_SEP}\d{{3,4}}){_SEP}\d{{4}}{_E}"
    ),
    "landline": rf"(?:(?P<land_cc>{_CC})(?:\(0\){_SP}?)?(?:{_AREA})"
    rf"|{_B}(?:(?P<land_p>\()0(?:{_AREA})\)|0(?:{_AREA})\)?))"
    rf"(?P<land_s>{_SEP})[1-9]\d{{2,3}}{_SEP}\d{{4}}{_E}",
    "passport": r"(?<![0-9A-Za-z])[MSRGDO](?:\d{8}|\d{3}[A-Z]\d{4})(?![0-9A-Za-z])",
    "account": rf"{_B}(?:\d{{2,6}}(?:{_HY}\d{{1,7}}){{1,4}}|\d{{10,14}}|\d{{2,6}}(?:{_SP}\d{{2,7}}){{1,3}}){_E}",
    "address": (
        # a road name (…로, …대로, …길, with a numbered side road: 보람로12번길) and a building number,
        # then perhaps the unit: "한누리대로 2130, 101동 1203호", "중앙로 45 (행복아파트) 302호"
        rf"(?<![가-힣])(?P<addr_road>[가-힣][가-힣0-9]{{0,11}}?(?:대로|로|길)(?:{_SP}?\d{{1,3}}번?[가-힣]{{0,2}}길)?)"
        rf"{_SP}?(?P<addr_no>\d{{1,4}}(?:{_HY}\d{{1,4}})?)(?![0-9])"
        rf"(?P<addr_unit>{_SP}?,?{_SP}?(?:\(?[가-힣A-Za-z0-9]{{1,15}}(?:아파트|빌라|맨션|하이츠|타운|오피스텔|빌딩|단지|동)\)?{_SP}?)?"
        rf"(?:\d{{1,4}}{_SP}?동{_SP}?)?(?:\d{{1,2}}{_SP}?층{_SP}?)?\d{{1,5}}{_SP}?호(?![선실수]))?"
    ),
    "address_lot": (
        rf"(?<![가-힣])[가-힣][가-힣0-9]{{0,7}}(?:동|리|가){_SP}?"
        rf"(?:산{_SP}?)?\d{{1,5}}(?:{_HY}\d{{1,4}})?{_SP}?번지"
    ),
    "address_unit": (
        rf"(?<![가-힣0-9])(?P<unit_name>[가-힣A-Za-z0-9]{{1,15}}(?:아파트|빌라|맨션|하이츠|타운|오피스텔|빌|단지){_SP}?)?"
        rf"(?<![0-9])\d{{1,4}}{_SP}?동{_SP}?\d{{1,5}}{_SP}?호(?![선실수])"
    ),
}

# --- context: the words just before a number -----------------------------------------------

_WINDOW = 20  # characters looked at before a match

_POSITIVE: dict[str, re.Pattern[str]] = {
    "rrn": re.compile(r"주민|등록번호|생년월일|외국인|뒷자리|신분증"),
    "card": re.compile(r"카드|[Cc]ard|CARD|결제"),
    "driver": re.compile(r"면허"),
    "passport": re.compile(r"여권|[Pp]assport|PASSPORT"),
    "account": re.compile(
        r"계좌|통장|입금|송금|이체|예금주|은행|뱅크|국민|농협|신협|새마을금고|우체국|수협|신한|KB|IBK|NH|SC제일|씨티|토스|카카오|저축|금고"
    ),
    "phone": re.compile(r"전화|연락|휴대|핸드폰|폰|문자|카톡|번호|[Tt]el|TEL|☎|H\.?P|[Mm]obile|문의|콜"),
    "address": re.compile(r"주소|거주|살고|살아|사는|자택|집|이사|주거|우리\s?동네|건물"),
}
# Numbers that belong to things, not people. The nearer of a positive and a negative word wins;
# on a tie ("티켓 번호" ends where "번호" does) the thing does.
# The whole phrase is matched: "티켓 번호", "법인등록번호".
_NEGATIVE = re.compile(
    r"(?:주문|접수번호|송장|운송장|등기|사건|문서번호|공고|관리번호|일련번호|고유번호|사업자|법인|학번|사번|제품|모델|품번|"
    r"시리얼|ISBN|ISSN|청구기호|차량|계약번호|과제번호|번호표|승인번호|인증번호|바코드|의안|특허|출원|고시|조례|법률|"
    r"규칙|훈령|예규|S/N|예약번호|회원번호|티켓|좌석|거래번호|영수증|민원번호|신청번호)"
    r"(?:\s?(?:등록)?번호)?"
)
# 법인등록번호 and 사업자 numbers share the 6-7 shape (and can have a valid date and check digit).
_SAME_SHAPE = re.compile(r"법인|사업자")
_ADMIN = re.compile(r"[가-힣]+(?:시|군|구|읍|면|동|리)(?![가-힣])")


def _context(text: str, start: int, positive: re.Pattern[str] | None, *, end: int = -1, after: int = 0) -> int:
    """+1 if a word for this kind is nearer before `start` than a word for things, −1 if the
    reverse, 0 if neither is within the window. With `after`, a word for this kind within that
    many characters after `end` counts too ("123-456-789012 계좌로")."""
    lo = max(0, start - _WINDOW)
    best_pos = best_neg = -1
    if positive is not None:
        for m in positive.finditer(text, lo, start):
            best_pos = m.end()
    for m in _NEGATIVE.finditer(text, lo, start):
        best_neg = m.end()
    if best_pos < 0 and best_neg < 0:
        if after and positive is not None and positive.search(text, end, end + after):
            return 1
        return 0
    return 1 if best_pos > best_neg else -1


_NOT_DIGIT = re.compile(r"[^0-9]")


def _digits(s: str) -> str:
    return _NOT_DIGIT.sub("", s)


# --- masking ------------------------------------------------------------------------------


def mask_digits(s: str, keep_first: int = 0, keep_last: int = 0) -> str:
    """Replace every digit of `s` by "*" except the first `keep_first` and the last `keep_last`;
    separators and letters stay where they are, so the shape still reads."""
    places = [i for i, ch in enumerate(s) if "0" <= ch <= "9"]
    hide = places[keep_first : len(places) - keep_last]
    if not hide:
        return s
    chars = list(s)
    for i in hide:
        chars[i] = "*"
    return "".join(chars)


def _mask_phone(s: str, area_digits: int, cc: bool) -> str:
    """Keep the country code, the area or mobile prefix and the last four digits."""
    if cc:
        m = re.match(rf"{_CC}(?:\(0\){_SP}?|0)?", s)
        head = m.group() if m else ""
        rest = s[len(head) :]
        digits_in_head = sum(ch.isdigit() for ch in head)
        return mask_digits(head, digits_in_head) + mask_digits(rest, area_digits, 4)
    return mask_digits(s, area_digits, 4)


def _mask_email(s: str) -> str:
    local, _, domain = s.partition("@")
    keep = 1 if len(local) <= 3 else 2
    return local[:keep] + "*" * (len(local) - keep) + "@" + domain


def _mask_passport(s: str) -> str:
    # The type letter and the last three digits; the letter in the fifth place of the newer
    # numbers (M123A4567) identifies as much as a digit does, so it is masked too.
    return s[0] + "*" * (len(s) - 4) + s[-3:]


def _mask_all_digits(s: str) -> str:
    return mask_digits(s)


# How many characters of each kind a masked rendering may show (the hypothesis tests hold the
# masks to this): digits of the number for numbers, characters of the local part for e-mail.
ALLOWED_VISIBLE = {
    Kind.RRN: 7,
    Kind.FOREIGNER: 7,  # birth date and the sex digit: 900101-1******
    Kind.MOBILE: 4 + 3,
    Kind.LANDLINE: 4 + 3,  # prefix (010, 02, 031, 070) and the last four
    Kind.CARD: 4,
    Kind.ACCOUNT: 4,
    Kind.DRIVER: 4,  # region and year: 11-12-******-**
    Kind.PASSPORT: 3,  # digits; the type letter shows as well
    Kind.EMAIL: 2,
    Kind.ADDRESS: 0,
}


# --- the recognisers ------------------------------------------------------------------------

Check = Callable[[str, re.Match[str]], Finding | None]


def _rrn(text: str, m: re.Match[str]) -> Finding | None:
    six, sep, gender, tail = m.group("rrn_b", "rrn_s", "rrn_g", "rrn_t")
    if checks.birth_date(six, gender) is None:
        return None
    kind = Kind.FOREIGNER if gender in "5678" else Kind.RRN
    ok = checks.rrn_checksum_ok(six + gender + tail)
    ctx = _context(text, m.start(), _POSITIVE["rrn"])
    if sep.strip():
        # A valid birth date, a sex digit and six more after a hyphen is what people write when
        # they write this number; a failed check digit only says "issued since October 2020".
        conf, why = (
            (0.99, "birth date and check digit") if ok else (0.9, "birth date; no check digit (new since 2020-10)")
        )
    else:
        conf, why = (
            (0.9, "13 digits: birth date and check digit") if ok else (0.6, "13 digits: birth date, no check digit")
        )
        if sep:
            conf -= 0.05
    if ctx > 0:
        conf, why = max(conf, 0.95), why + "; named nearby"
    elif ctx < 0 and (not ok or not sep.strip() or _SAME_SHAPE.search(text, max(0, m.start() - _WINDOW), m.start())):
        # A hyphenated number with a valid check digit stays, whatever thing is mentioned nearby
        # ("차량 소유자 …"), unless it is one of the two other numbers of this very shape.
        conf, why = min(conf, 0.3), why + "; a number of a thing nearby"
    s = m.group()
    return Finding(kind, m.start(), m.end(), conf, mask_digits(s, 7), why)


def _card(text: str, m: re.Match[str]) -> Finding | None:
    s = m.group()
    if not checks.luhn_ok(_digits(s)):
        return None
    sep = m.group("card_s") if m.group("card_s") is not None else m.group("amex_s")
    conf = 0.9 if sep else 0.75
    why = "Luhn check" + ("" if sep else ", ungrouped")
    ctx = _context(text, m.start(), _POSITIVE["card"])
    if ctx > 0:
        conf, why = 0.97, why + "; card named nearby"
    elif ctx < 0:
        conf, why = 0.3, why + "; a number of a thing nearby"
    return Finding(Kind.CARD, m.start(), m.end(), conf, mask_digits(s, 0, 4), why)


def _driver(text: str, m: re.Match[str]) -> Finding | None:
    sep = m.group("dl_s")
    ctx = _context(text, m.start(), _POSITIVE["driver"])
    if not sep and ctx <= 0:
        return None  # twelve bare digits are anything; leave them to the account check
    conf = 0.9 if sep.strip() else 0.8
    if ctx > 0:
        conf = 0.97
    elif ctx < 0:
        conf = 0.3
    s = m.group()
    # There is a check digit (the eleventh), but its formula is not published: not checked.
    return Finding(Kind.DRIVER, m.start(), m.end(), conf, mask_digits(s, 4), "region code, year, serial")


def _driver_old(text: str, m: re.Match[str]) -> Finding | None:
    ctx = _context(text, m.start(), _POSITIVE["driver"])
    conf = 0.97 if ctx > 0 else (0.3 if ctx < 0 else 0.85)
    s = m.group()
    return Finding(Kind.DRIVER, m.start(), m.end(), conf, mask_digits(s, 2), "region name (before 2014), year, serial")


def _placeholder(digits: str) -> bool:
    """010-0000-0000, 02-000-0000: the subscriber part is one digit repeated (a form's example)."""
    return len(set(digits[-7:])) == 1


def _mobile(text: str, m: re.Match[str]) -> Finding | None:
    s = m.group()
    if _placeholder(_digits(s)):
        return None
    cc = m.group("mob_cc") is not None
    separated = cc or len(_digits(s)) != len(s)
    ctx = _context(text, m.start(), _POSITIVE["phone"])
    conf = 0.97 if separated else (0.9 if ctx > 0 else 0.8)
    if ctx < 0:
        conf = 0.3
    return Finding(Kind.MOBILE, m.start(), m.end(), conf, _mask_phone(s, 2 if cc else 3, cc), "mobile prefix 01x")


def _landline(text: str, m: re.Match[str]) -> Finding | None:
    s = m.group()
    if _placeholder(_digits(s)):
        return None
    cc = m.group("land_cc") is not None
    separated = cc or bool(m.group("land_s")) or m.group("land_p") is not None or ")" in s
    ctx = _context(text, m.start(), _POSITIVE["phone"])
    if not separated and ctx <= 0:
        return None
    conf = 0.9 if separated else 0.8
    if ctx < 0:
        conf = 0.3
    digits = _digits(s)
    # Digits to keep before the masked part: the area code (2 of +82 2-…, 31 of +82 31-…; 02, 031).
    area = (1 if digits[2] == "2" else 2) if cc else (2 if digits.startswith("02") else 3)
    return Finding(Kind.LANDLINE, m.start(), m.end(), conf, _mask_phone(s, area, cc), "area code and exchange")


def _passport(text: str, m: re.Match[str]) -> Finding | None:
    s = m.group()
    newer = s[4].isalpha()
    ctx = _context(text, m.start(), _POSITIVE["passport"])
    if ctx > 0:
        conf = 0.95
    elif ctx < 0:
        conf = 0.2
    else:
        # An M and eight digits could be a product code; the newer shape (M123A4567) less so.
        conf = 0.75 if newer else 0.6
    return Finding(
        Kind.PASSPORT,
        m.start(),
        m.end(),
        conf,
        _mask_passport(s),
        "type letter and number" + (" (since 2021)" if newer else ""),
    )


# Layouts banks print (digits per group), for numbers written with hyphens and no bank named.
_BANK_LAYOUTS = frozenset(
    {
        (6, 2, 6),
        (3, 3, 6),
        (4, 3, 6),
        (3, 6, 5),
        (3, 4, 4, 2),
        (3, 6, 2, 3),
        (4, 2, 7),
        (4, 4, 4),
        (3, 2, 6),
        (3, 6, 2),
        (3, 2, 5),
        (4, 4, 4, 1),
        (6, 2, 7),
        (3, 3, 5),
        (3, 4, 6),
    }
)


def _account(text: str, m: re.Match[str]) -> Finding | None:
    s = m.group()
    groups = tuple(len(g) for g in re.split(rf"{_HY}|{_SP}", s))
    total = sum(groups)
    if not 10 <= total <= 14:
        return None
    ctx = _context(text, m.start(), _POSITIVE["account"], end=m.end(), after=8)
    if ctx < 0:
        return None
    hyphens = len(groups) > 1 and not re.search(_SP, s)
    if ctx > 0:
        conf, why = (0.9 if hyphens else 0.85), "a bank or account named nearby"
    elif hyphens and groups in _BANK_LAYOUTS:
        # A bank's layout with nothing said about it: kept below the threshold (an order or case
        # number can have the same groups); scan(min_confidence=0.4) shows these too.
        conf, why = 0.45, "a bank's layout, nothing named nearby"
    else:
        return None
    return Finding(Kind.ACCOUNT, m.start(), m.end(), conf, mask_digits(s, 0, 4), why)


def _email(text: str, m: re.Match[str]) -> Finding | None:
    s = m.group()
    return Finding(Kind.EMAIL, m.start(), m.end(), 0.95, _mask_email(s), "address@domain")


# Words that end in 로 or 길 and are not road names; with a number after them they are counts,
# periods or directions ("주로 2030 세대", "출근길 30분").
_NOT_ROADS = frozenset(
    {
        "주로",
        "새로",
        "실제로",
        "별도로",
        "따로",
        "서로",
        "제대로",
        "스스로",
        "대체로",
        "최초로",
        "바로",
        "도로",
        "경로",
        "통로",
        "진로",
        "항로",
        "수로",
        "선로",
        "차로",
        "회로",
        "미로",
        "공로",
        "전화로",
        "문자로",
        "우편로",
        "출근길",
        "퇴근길",
        "등굣길",
        "하굣길",
        "귀갓길",
        "산책길",
        "오솔길",
        "골목길",
        "빗길",
        "눈길",
        "밤길",
        "뱃길",
        "물길",
        "지름길",
        "갈림길",
        "첫길",
        "뒷길",
        "옆길",
        "앞길",
        "큰길",
        "이길",
        "그길",
        "저길",
        "한길",
        "가는길",
        "오는길",
        "찻길",
        "하룻길",
        "먼길",
        "꽃길",
        "흙길",
        "비탈길",
        "고갯길",
        "인도로",
        "국도로",
        "고속도로",
        "자전거도로",
        "순환도로",
        "일로",
        "이로",
        "그로",
        "저로",
        "절반으로",
        "비율로",
        "단위로",
    }
)
# What may follow a building number directly: a particle, punctuation, space or the end.
_AFTER_NUMBER_OK = re.compile(
    r"(?:에서|에|의|으로|로|은|는|을|를|이|가|까지|부터|와|과|입니다|이며|이고|번지|[,\s).\]」』\"'!?~·/]|$)"
)
_UNITS = (
    r"(?:개|명|원|년|월|일|분|시|초|차로|차선|km|㎞|m|미터|킬로|곳|대|회|번|배|층|가구|세대|건|호선|여|%|퍼센트|만|천|억|위|등|"
    r"단계|주|가지|군데|살|세|시간|인|석|종|권|mm|cm|평|㎡|코스|구간|노선|이상|이하|이내|미만|정도|쪽|페이지|조|항|호)"
)
# A unit is a whole word, or carries a particle ("20분이", "3곳에"); "주변", "건물", "주택" are
# words that start with a unit's syllable and are not counts.
_AFTER_NUMBER_UNIT = re.compile(rf"\s?{_UNITS}(?:(?![가-힣])|[이가은는을를의에도만씩째간쯤로으와과당])")


def _address(text: str, m: re.Match[str]) -> Finding | None:
    road = m.group("addr_road")
    if road in _NOT_ROADS or road.endswith("으로") or len(road) < 2:
        return None
    unit = m.group("addr_unit")
    after = m.end("addr_no")
    if not unit:
        rest = text[after : after + 6]
        if _AFTER_NUMBER_UNIT.match(rest) or not _AFTER_NUMBER_OK.match(rest):
            return None
    s = m.group()
    if unit:
        conf, why = 0.95, "road name, building number and unit"
    else:
        lo = max(0, m.start() - 25)
        admin = _ADMIN.search(text, lo, m.start()) is not None
        # No words for things here: "차량 때문에 보람로 45 앞" is still an address.
        named = _POSITIVE["address"].search(text, lo, m.start()) is not None
        if admin or named:
            conf, why = 0.85, "road name and building number, in a place or said to be one's address"
        else:
            conf, why = 0.55, "road name and building number"
    return Finding(Kind.ADDRESS, m.start(), m.end(), conf, _mask_all_digits(s), why)


def _address_lot(text: str, m: re.Match[str]) -> Finding | None:
    s = m.group()
    return Finding(Kind.ADDRESS, m.start(), m.end(), 0.85, _mask_all_digits(s), "lot number (번지)")


def _address_unit(text: str, m: re.Match[str]) -> Finding | None:
    s = m.group()
    named = m.group("unit_name") is not None or _POSITIVE["address"].search(
        text, max(0, m.start() - _WINDOW), m.start()
    )
    conf = 0.85 if named else 0.7
    return Finding(Kind.ADDRESS, m.start(), m.end(), conf, _mask_all_digits(s), "building and unit (동·호)")


@dataclass(frozen=True)
class Recogniser:
    name: str
    regex: re.Pattern[str]
    check: Check


# The order is the priority at one position: an identifier with its own check digits or shape
# before the looser account and address shapes that could also cover it.
_CHECKS: dict[str, Check] = {
    "email": _email,
    "rrn": _rrn,
    "card": _card,
    "driver": _driver,
    "driver_old": _driver_old,
    "mobile": _mobile,
    "landline": _landline,
    "passport": _passport,
    "account": _account,
    "address_lot": _address_lot,
    "address": _address,
    "address_unit": _address_unit,
}
RECOGNISERS: tuple[Recogniser, ...] = tuple(
    Recogniser(name, re.compile(f"(?P<{name}>{_PATTERNS[name]})"), check) for name, check in _CHECKS.items()
)
# A match starts either on a Korean syllable (an old licence's region name, a road, a lot, a
# complex's name) or elsewhere (numbers, "+82", "(02)", passports, e-mail, a unit number); each
# class has its own alternation, in the same priority order, so a position tries only the
# patterns that can start there.
_HANGUL_FIRST = ("driver_old", "address_lot", "address", "address_unit")
_OTHER_FIRST = tuple(r.name for r in RECOGNISERS if r.name not in _HANGUL_FIRST[:3])


@dataclass(frozen=True)
class _Class:
    combined: re.Pattern[str]
    members: tuple[Recogniser, ...]
    index: dict[str, int]


def _class(names: tuple[str, ...]) -> _Class:
    members = tuple(r for r in RECOGNISERS if r.name in names)
    combined = re.compile("|".join(f"(?P<{r.name}>{_PATTERNS[r.name]})" for r in members))
    return _Class(combined, members, {r.name: i for i, r in enumerate(members)})


_HANGUL, _OTHER = _class(_HANGUL_FIRST), _class(_OTHER_FIRST)

# Where a match can start: a letter or digit that follows no letter or digit (numbers, passports,
# e-mail, unit numbers), "+" and "(" (+82, (02)), and the first syllable of a Korean word that
# runs straight into a number, perhaps across one space (and "산" for a mountain lot): road and
# building number, lot and 번지, complex and unit, region name and licence number are written so.
# `iter_findings` tries the patterns only there: the words between numbers cost one C-level pass
# of this pattern instead of every alternative at every character.
_STARTS = re.compile(
    r"(?<![0-9A-Za-z])[0-9A-Za-z]|[+(]|(?<![가-힣])[가-힣](?=[가-힣A-Za-z0-9]{0,24}[ \u00a0]?(?:산[ \u00a0]?)?[0-9])"
)


def _first(cls: _Class, text: str, m: re.Match[str]) -> Finding | None:
    """The finding at m's start: m's recogniser if its check passes, else the next ones in
    priority order whose shape matches there and whose check passes."""
    name = m.lastgroup
    assert name is not None
    i = cls.index[name]
    found = cls.members[i].check(text, m)
    if found is not None:
        return found
    start = m.start()
    for rec in cls.members[i + 1 :]:
        m2 = rec.regex.match(text, start)
        if m2 is not None:
            found = rec.check(text, m2)
            if found is not None:
                return found
    return None


def iter_findings(text: str) -> Iterator[Finding]:
    """Every finding, whatever its confidence, left to right and not overlapping."""
    pos = 0
    hangul, other = _HANGUL.combined.match, _OTHER.combined.match
    for c in _STARTS.finditer(text):
        start = c.start()
        if start < pos:
            continue
        if "\uac00" <= text[start] <= "\ud7a3":
            m, cls = hangul(text, start), _HANGUL
        else:
            m, cls = other(text, start), _OTHER
        if m is None:
            continue
        found = _first(cls, text, m)
        if found is not None:
            yield found
            pos = found.end


def scan(text: str, *, min_confidence: float = 0.5) -> list[Finding]:
    """Personal data found in `text`, left to right; see the module docstring."""
    return [f for f in iter_findings(text) if f.confidence >= min_confidence]


def scan_each(text: str, *, min_confidence: float = 0.5) -> list[Finding]:
    """The same answer as `scan`, found the slow and obvious way: each recogniser searches the
    whole text on its own (at every start, overlapping), then the earliest, highest-priority
    candidates win. The reference for tests and for bench/pii_bench.py."""
    candidates: list[tuple[int, int, Finding]] = []
    for priority, rec in enumerate(RECOGNISERS):
        pos = 0
        while True:
            m = rec.regex.search(text, pos)
            if m is None:
                break
            found = rec.check(text, m)
            if found is not None:
                candidates.append((m.start(), priority, found))
            pos = m.start() + 1
    candidates.sort(key=lambda c: (c[0], c[1]))
    chosen: list[Finding] = []
    end = 0
    for start, _priority, found in candidates:
        if start >= end:
            chosen.append(found)
            end = found.end
    return [f for f in chosen if f.confidence >= min_confidence]


def redact(text: str, findings: list[Finding]) -> str:
    """`text` with each finding replaced by its masked rendering (same length, same places)."""
    parts, pos = [], 0
    for f in sorted(findings, key=lambda f: f.start):
        if f.start < pos:
            continue
        parts.append(text[pos : f.start])
        parts.append(f.masked)
        pos = f.end
    parts.append(text[pos:])
    return "".join(parts)
