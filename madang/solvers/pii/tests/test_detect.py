"""The detector on small cases checkable by hand: each kind, its masks, and its near misses."""

from datetime import date

import pytest

from madang.solvers.pii import Kind, checks, redact, scan, scan_each


def found(text: str, **kw) -> list[tuple[str, str, str]]:
    return [(f.kind.value, text[f.start : f.end], f.masked) for f in scan(text, **kw)]


def rrn(front: str, gender: str, middle: str) -> str:
    """A number issued before October 2020: front (6) + gender + middle (5) + its check digit."""
    first12 = front + gender + middle
    return f"{front}-{gender}{middle}{checks.rrn_check_digit(first12, foreigner=gender in '5678')}"


def test_it_computes_the_check_digits_by_hand():
    # 8 5 0 4 1 2 1 2 3 4 5 6 weighted 2 3 4 5 6 7 8 9 2 3 4 5:
    # 16+15+0+20+6+14+8+18+6+12+20+30 = 165; 165 mod 11 = 0; (11 − 0) mod 10 = 1.
    assert checks.rrn_check_digit("850412123456") == 1
    # Foreigners shift by two: (13 − 0) mod 10 = 3.
    assert checks.rrn_check_digit("850412523456", foreigner=True) == 3
    # The card networks' published test numbers pass Luhn; one changed digit fails.
    for number in ("4111111111111111", "378282246310005", "5555555555554444", "4012888888881881"):
        assert checks.luhn_ok(number)
    assert not checks.luhn_ok("4111111111111112")
    assert checks.luhn_check_digit("411111111111111") == 1


def test_it_reads_the_birth_date_and_century_from_the_seventh_digit():
    assert checks.birth_date("850412", "1") == date(1985, 4, 12)
    assert checks.birth_date("150721", "4") == date(2015, 7, 21)
    assert checks.birth_date("000229", "3") == date(2000, 2, 29)  # a leap day
    assert checks.birth_date("010229", "3") is None  # 2001 was not a leap year
    assert checks.birth_date("851301", "1") is None  # no 13th month
    assert checks.birth_date("850412", "9") is None  # the 1800s: nobody living
    assert checks.birth_date("300101", "3", latest=date(2026, 12, 6)) is None  # born in 2030: not yet


def test_it_finds_a_resident_number_and_masks_all_but_birth_date_and_sex():
    number = rrn("900101", "1", "23456")
    assert found(f"주민번호 {number} 입니다") == [("rrn", number, "900101-1******")]


def test_it_keeps_a_plausible_number_whose_check_digit_fails():
    # Numbers issued or changed since 2020-10-05 have a random tail: a wrong check digit is no
    # reason to drop them, only to be less sure.
    good = rrn("210318", "3", "59014")
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    [strong] = scan(f"아들 번호 {good}")
    [weak] = scan(f"아들 번호 {bad}")
    assert strong.kind == weak.kind == Kind.RRN
    assert weak.confidence < strong.confidence and weak.confidence >= 0.5
    assert "2020" in weak.why


def test_it_tells_foreigners_from_residents_by_the_seventh_digit():
    for gender, kind in (
        ("1", "rrn"),
        ("2", "rrn"),
        ("3", "rrn"),
        ("4", "rrn"),
        ("5", "foreigner"),
        ("6", "foreigner"),
        ("7", "foreigner"),
        ("8", "foreigner"),
    ):
        front = "880214" if gender in "1256" else "080214"
        number = rrn(front, gender, "84120")
        assert [k for k, _t, _m in found(f"등록번호 {number}")] == [kind], gender


def test_it_finds_numbers_written_without_a_hyphen_only_when_they_read_as_one():
    number = rrn("870415", "2", "14321").replace("-", "")
    assert found(f"제 번호는 {number} 입니다")[0][:2] == ("rrn", number)
    # The same digits after "order number" are an order number.
    assert found(f"주문번호 {number}") == []
    # A bad date is not a birth date.
    assert found("등록번호 8713452143210") == []


@pytest.mark.parametrize(
    ("text", "number", "masked"),
    [
        ("연락처 010-1234-5678로", "010-1234-5678", "010-****-5678"),
        ("번호 010 1234 5678", "010 1234 5678", "010 **** 5678"),
        ("번호 010.1234.5678", "010.1234.5678", "010.****.5678"),
        ("연락처 01012345678", "01012345678", "010****5678"),
        ("어머니 011-234-5678", "011-234-5678", "011-***-5678"),
        ("해외 +82 10-1234-5678", "+82 10-1234-5678", "+82 10-****-5678"),
        ("해외 +821012345678", "+821012345678", "+8210****5678"),
    ],
)
def test_it_finds_mobile_numbers_in_every_way_they_are_written(text, number, masked):
    assert found(text) == [("mobile", number, masked)]


@pytest.mark.parametrize(
    ("text", "number", "masked"),
    [
        ("집 02-345-6789", "02-345-6789", "02-***-6789"),
        ("가게 031-987-6543", "031-987-6543", "031-***-6543"),
        ("사무실 (02) 2345-6789", "(02) 2345-6789", "(02) ****-6789"),
        ("사무실 02)765-4321", "02)765-4321", "02)***-4321"),
        ("인터넷 전화 070-4567-8901", "070-4567-8901", "070-****-8901"),
        ("해외에서 +82-2-3456-7890", "+82-2-3456-7890", "+82-2-****-7890"),
    ],
)
def test_it_finds_landline_numbers(text, number, masked):
    assert found(text) == [("landline", number, masked)]


@pytest.mark.parametrize(
    "text",
    [
        "1588-1234 번으로 전화하세요",
        "고객센터 1577-0000",
        "080-123-4567 수신거부",
        "긴급 신고는 112",
        "형식 010-0000-0000 을 지켜 주세요",
        "010-****-5678 처럼 가려 주세요",
        "010으로 시작하는 번호",
    ],
)
def test_it_leaves_representative_and_example_numbers_alone(text):
    assert found(text) == []


def test_it_finds_passports_old_and_new_and_masks_the_fifth_letter():
    assert found("여권번호 M12345678") == [("passport", "M12345678", "M*****678")]
    assert found("여권 M123A4567") == [("passport", "M123A4567", "M*****567")]
    assert found("모델명 M20240315 제품") == []


def test_it_finds_driving_licences_with_a_region_code_or_an_old_region_name():
    assert found("면허 11-12-345678-90") == [("driver", "11-12-345678-90", "11-12-******-**")]
    assert found("면허 서울 89-123456-12") == [("driver", "서울 89-123456-12", "서울 89-******-**")]
    assert found("면허번호 111234567890")[0][0] == "driver"
    assert found("그냥 111234567890") == []  # twelve bare digits say nothing


def test_it_finds_accounts_by_a_bank_named_nearby_and_not_order_numbers_of_the_same_shape():
    assert found("국민은행 123456-78-901234 로 입금") == [("account", "123456-78-901234", "******-**-**1234")]
    assert found("월세를 123-456-789012 계좌로 보냈어요")[0][0] == "account"
    assert found("택배 송장 5512-3456-7890") == []
    assert found("사업자등록번호 123-45-67890") == []
    # A bank's layout with nothing said: below the threshold, visible when asked for.
    assert found("123-456-789012") == []
    assert [f.kind for f in scan("123-456-789012", min_confidence=0.4)] == [Kind.ACCOUNT]


def test_it_finds_card_numbers_only_when_luhn_holds():
    assert found("카드 4111-1111-1111-1111") == [("card", "4111-1111-1111-1111", "****-****-****-1111")]
    assert found("카드 3782-822463-10005") == [("card", "3782-822463-10005", "****-******-*0005")]
    assert found("카드 4111-1111-1111-1112") == []


def test_it_finds_email_and_masks_the_local_part():
    assert found("메일 hong.gildong@example.com 으로") == [
        ("email", "hong.gildong@example.com", "ho**********@example.com")
    ]
    assert found("계정 @madang_official 팔로우") == []


def test_it_finds_detailed_addresses_but_not_districts_or_roads_alone():
    assert found("세종특별자치시 한누리대로 2130, 101동 1203호") == [
        ("address", "한누리대로 2130, 101동 1203호", "한누리대로 ****, ***동 ****호")
    ]
    assert found("우리 집 중앙로 123번길 45 에") == [("address", "중앙로 123번길 45", "중앙로 ***번길 **")]
    assert found("행복아파트 105동 302호에 삽니다") == [("address", "행복아파트 105동 302호", "행복아파트 ***동 ***호")]
    assert found("신흥리 123-4번지") == [("address", "신흥리 123-4번지", "신흥리 ***-*번지")]
    for text in (
        "세종시 조치원읍에 도서관이 부족합니다",
        "한누리대로 일대 교통 체증",
        "지하철 3호선",
        "101동 앞 놀이터",
        "버스로 20분 걸립니다",
        "중앙로 2개 차선",
        "주로 2030 세대가 이용합니다",
        "올림픽대로 5km 구간",
    ):
        assert found(text) == [], text


@pytest.mark.parametrize(
    "text",
    [
        "올해 이용자는 1,234,567명입니다",
        "예산 12,345,678원",
        "2024-03-15 에 제안했습니다",
        "20240315 기준",
        "법률 제17893호",
        "대법원 2019다123456 판결",
        "ISBN 978-89-12345-67-8",
        "청구기호 325.2-ㄱ123ㄷ",
        "우편번호 30151",
        "버스 1002번",
        "2030년까지 40% 감축",
        "법인등록번호 110111-1234567",
    ],
)
def test_it_leaves_counts_amounts_dates_statutes_and_call_numbers_alone(text):
    assert found(text) == []


def test_the_single_pass_and_the_per_pattern_reference_agree_and_redact_masks_every_finding():
    text = (
        f"신청인 {rrn('850412', '1', '23456')}, 010-2345-6789, hong@example.com, "
        "국민은행 123456-78-901234, 카드 4111 1111 1111 1111, 세종시 한누리대로 2130, 101동 1203호. "
        "주문번호 2024031512345678, 1,234,567명, 1588-1234."
    )
    assert scan(text, min_confidence=0) == scan_each(text, min_confidence=0)
    findings = scan(text)
    assert [f.kind.value for f in findings] == ["rrn", "mobile", "email", "account", "card", "address"]
    clean = redact(text, findings)
    assert len(clean) == len(text)
    assert scan(clean) == [] and "6789" in clean and "2345-6789" not in clean
