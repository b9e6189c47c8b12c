from madang.solvers.semantic import evidence as ev


def codes(a: str, b: str) -> set[str]:
    return {code for code, _detail in ev.conflicts(ev.specifics(a), ev.specifics(b))}


def test_it_sees_no_conflict_between_synonyms_of_a_group():
    assert codes("어르신 스마트폰 교실", "노인 대상 휴대폰 교육") == set()
    assert codes("65세 이상 고령자 교육", "어르신 교육") == set()


def test_it_finds_another_target_group():
    assert codes("어르신 무료 스마트폰 교실", "청년 무료 스마트폰 교실") == {"group"}


def test_it_finds_opposite_actions_and_a_stopped_proposal():
    assert codes("도심 가로수 식재 확대", "도심 가로수 식재 축소") == {"action"}
    assert codes("공공기관 주차장 주말 무료 개방", "공공기관 주차장 주말 무료 개방을 폐지") == {"action"}
    assert codes("학교 앞 불량식품 단속 강화", "학교 앞 식품 판매 규제 완화") == {"action"}


def test_it_finds_different_numbers_but_not_the_same_duration_in_other_units():
    assert codes("대기 30분 초과 시 콜백", "대기 5분 초과 시 콜백") == {"number"}
    assert codes("이용 시간을 1시간에서 2시간으로", "이용 시간을 60분에서 두 시간으로") == set()
    assert codes("결재 5단계에서 3단계로", "결재 3단계에서 5단계로") == {"number"}


def test_it_finds_other_places_and_agencies_but_not_a_place_said_two_ways():
    assert codes("춘천시 버스 도착 안내", "원주시 버스 도착 안내") == {"place"}
    assert codes("인천공항 교통카드 자판기", "인천 공항 교통카드 자판기") == set()
    assert codes("국세청 홈택스 로그인 통합", "관세청 유니패스 로그인 통합") == {"agency"}
    assert codes("홈택스와 위택스 로그인 통합", "국세청 로그인 통합") == set()


def test_a_detail_missing_on_one_side_is_no_contradiction():
    assert codes("춘천시 시내버스 도착 정보", "시내버스 도착 정보를 실시간으로") == set()


def test_it_measures_overlap_of_term_sets():
    a, b = frozenset({"민원", "서류", "간소"}), frozenset({"민원", "서류", "간소", "제출", "한번"})
    assert ev.overlap(a, b) == (1.0, 3 / 5)
    assert ev.overlap(frozenset(), b) == (0.0, 0.0)


def test_it_flags_almost_the_same_only_with_all_three_kinds_of_evidence():
    a = "민원 서류 한 번만 제출: 행정정보 공동이용으로 주민등록등본을 다시 떼지 않게 합니다"
    b = "민원서류 한번만 제출 - 행정정보 공동이용으로 주민등록 등본을 다시 떼지 않게 합니다"
    same = ev.decide(a, b, 0.97)
    assert same.almost_same
    assert {code for code, _d in same.reasons} == {"embedding_close", "words_shared", "no_conflict"}
    # The same words and a close embedding, but another group: not the same proposal.
    other = ev.decide("어르신 무료 스마트폰 교실 운영", "청년 무료 스마트폰 교실 운영", 0.97)
    assert not other.almost_same and ("conflict_group", "노인 ≠ 청년") in other.reasons
    # An embedding alone is never enough.
    assert not ev.decide(a, "주차장 공유 주말 개방", 0.99).almost_same
    assert not ev.decide(a, b, None).almost_same
    assert not ev.decide(a, b, 0.80).almost_same


def test_the_fused_score_is_lexical_without_an_embedding_and_grows_with_both():
    assert ev.fused_score(None, 0.4) == 0.4
    assert ev.fused_score(0.95, 0.4) > ev.fused_score(0.85, 0.4) > ev.fused_score(0.85, 0.1)
    assert 0.0 <= ev.fused_score(0.5, 0.0) <= ev.fused_score(1.0, 1.0) <= 1.0
