"""The suggestion system as the cast lives it: 한빛도 opens its suggestion office (강도윤, innovation
team) under the 세종 pack for citizens (the national 국민 제안 규정 and the city's contest type) and the
공무원 제안 규정 for officials. 한가람 (citizen) and 김민지 (official) file suggestions; 최유나 and
정하늘 sit on review panels; 윤소희 is the liaison of 교통과, which implements; 이서준 is a colleague
with no part in it, 임바다 an official of another province, 관리자 the site administrator."""

import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from madang.calls import services as calls
from madang.suggestions import packs, services
from madang.suggestions.models import Suggestion, SuggestionOffice
from madang.suggestions.packs import RULEPACK_DIR, PackSet, parse
from madang.suggestions.tests.awards_packs import open_award_office, with_award_packs

# A Monday with no holiday near it: one month from it, counting from the 11th, ends Thu 2025-04-10.
RECEIVED = date(2025, 3, 10)

# A later version of the national pack, for the tests of pinning: two months to decide, 30 days to ask again.
LATER_CITIZEN = """
[pack]
id = "kr-citizen"
version = "2026-01-01"
title = "국민 제안 규정 (시험용 개정)"
instrument = "국민 제안 규정"
effective = 2026-01-01
proposers = ["citizen"]

[sources.test]
title = "a test amendment"

[[types]]
code = "standing"
label = "상시제안"
article = "제2조제1호"
basis = "primary"
source = "test"

[[types]]
code = "implemented"
label = "실시제안"
article = "제2조제2호"
basis = "primary"
source = "test"

[clocks.decision]
length = 2
unit = "months"
from = "receipt"
stopped_by = ["supplement"]
article = "제10조제1항"
basis = "primary"
source = "test"

# A test provision (no shipped pack has one: docs/suggestions.md): the decision period may be
# extended once, by 15 days from the due date it replaces.
[clocks.decision_extension]
length = 15
unit = "days"
from = "decision_due"
times = 1
article = "제10조제2항"
basis = "primary"
source = "test"

[clocks.reexamination_request]
length = 30
unit = "days"
from = "decision_notice"
article = "제12조"
basis = "primary"
source = "test"

[clocks.reexamination_decision]
length = 1
unit = "months"
from = "reexamination_request"
article = "제12조제2항"
basis = "primary"
source = "test"

[clocks.implementation_plan]
length = 1
unit = "months"
from = "adoption"
article = "제13조"
basis = "primary"
source = "test"

[[grounds]]
code = "impracticable"
label = "일반 통념상 적용하기 어려운 것"
article = "제2조제1호라목"
basis = "primary"
source = "test"

[[grounds]]
code = "mere_complaint"
label = "단순한 불만의 표시"
article = "제2조제1호마목"
basis = "primary"
source = "test"

[[grounds]]
code = "civil_complaint"
label = "민원"
article = "제6조제5항"
basis = "primary"
source = "test"
"""


def shipped_with_later() -> PackSet:
    loaded = [packs.load_file(p) for p in sorted(RULEPACK_DIR.glob("*.toml"))]
    return PackSet([*loaded, parse(tomllib.loads(LATER_CITIZEN), where="later.toml")])


@pytest.fixture
def later_packs(monkeypatch):
    ps = shipped_with_later()
    monkeypatch.setattr(packs, "active", lambda: ps)
    return ps


def open_office(cast: Any, **kw: Any) -> SuggestionOffice:
    return services.open_office(
        actor=cast.doyun,
        organisation=cast.province,
        citizen_pack=kw.get("citizen", "kr-sejong"),
        official_pack=kw.get("official", "kr-official"),
    )


@pytest.fixture
def office(cast):
    return open_office(cast)


def fields(title: str = "버스 정류장 도착 안내 개선") -> calls.ProposalFields:
    return calls.ProposalFields(
        title=title,
        problem="<p>도착 안내가 자주 틀립니다.</p>",
        solution="<p>실시간 위치 자료를 정류장 안내판에 연결합니다.</p>",
    )


def file(cast: Any, office: SuggestionOffice, who: Any = None, *, on: date = RECEIVED, **kw: Any) -> Suggestion:
    return services.file_suggestion(
        actor=who or cast.garam,
        office=office,
        fields=fields(kw.pop("title", "버스 정류장 도착 안내 개선")),
        today=on,
        **kw,
    )


@pytest.fixture
def citizen_suggestion(cast, office):
    return file(cast, office)


def here() -> Path:
    return Path(__file__).resolve().parent


@pytest.fixture
def award_packs(monkeypatch):
    """The shipped packs and two test packs with an award table (see `awards_packs`)."""
    ps = with_award_packs()
    monkeypatch.setattr(packs, "active", lambda: ps)
    return ps


@pytest.fixture
def award_office(cast, award_packs):
    return open_award_office(cast)
