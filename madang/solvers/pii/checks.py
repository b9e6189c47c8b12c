"""Check digits and dates behind the identifiers: plain functions on strings of digits."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

_SEOUL = ZoneInfo("Asia/Seoul")

# 주민등록번호 and 외국인등록번호: the first twelve digits weighted 2–9 then 2–5.
_RRN_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)

# The seventh digit: sex and century of birth. 1–4 are residents (1/2 born in the 1900s, 3/4 in
# the 2000s), 5–8 are foreigners (외국인등록번호: 5/6 the 1900s, 7/8 the 2000s). 9 and 0 are
# people born in the 1800s; nobody living has one, so they are not taken (fewer false alarms).
CENTURY = {"1": 1900, "2": 1900, "3": 2000, "4": 2000, "5": 1900, "6": 1900, "7": 2000, "8": 2000}


def birth_date(six: str, gender: str, *, latest: date | None = None) -> date | None:
    """The birth date that the first six digits and the seventh give, or None if there is none
    (no such day, or a day after `latest`, today by default: nobody is born in the future)."""
    century = CENTURY.get(gender)
    if century is None or len(six) != 6 or not six.isdigit():
        return None
    try:
        born = date(century + int(six[:2]), int(six[2:4]), int(six[4:6]))
    except ValueError:
        return None
    return born if born <= (latest or datetime.now(_SEOUL).date()) else None


def rrn_check_digit(first12: str, *, foreigner: bool = False) -> int:
    """The thirteenth digit of a number issued before October 2020.

    Residents: (11 − Σ mod 11) mod 10. Foreigners: the same sum, shifted by two, (13 − Σ mod 11)
    mod 10. Since 5 October 2020 the six digits after the sex digit of new and changed numbers
    are random (주민등록법 시행규칙 제2조, as amended), so a number may fail this check and still
    be real; callers lower their confidence, they do not drop it.
    """
    total = sum(int(d) * w for d, w in zip(first12, _RRN_WEIGHTS, strict=True))
    return ((13 if foreigner else 11) - total % 11) % 10


def rrn_checksum_ok(digits13: str) -> bool:
    foreigner = digits13[6] in "5678"
    return rrn_check_digit(digits13[:12], foreigner=foreigner) == int(digits13[12])


def luhn_ok(digits: str) -> bool:
    """Luhn (ISO/IEC 7812-1 annex B): every second digit from the right doubled, sum ≡ 0 mod 10."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def luhn_check_digit(body: str) -> int:
    """The digit to append to `body` so that the whole passes Luhn."""
    for d in range(10):
        if luhn_ok(body + str(d)):
            return d
    raise AssertionError("unreachable: one of ten digits always completes a Luhn sum")
