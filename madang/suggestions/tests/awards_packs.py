"""Test packs with an award table. No shipped pack has grades (the amounts could not be confirmed in
any primary text, see docs/suggestions.md), so the award tests add these, each extending a shipped
pack with four grades and made-up amounts (and the 실시제안 type, for the report's
per-type figures, and a made-up article on adopted suggestions that cannot be implemented, which
the notices of such a declaration and of its ruling cite)."""

import tomllib
from typing import Any

from madang.suggestions import packs, services
from madang.suggestions.models import SuggestionOffice
from madang.suggestions.packs import RULEPACK_DIR, PackSet, parse

GRADES = """
[sources.test]
title = "a test award table (not a real regulation)"

[[types]]
code = "implemented"
label = "실시제안"
article = "제2조제2호"
basis = "primary"
source = "test"

[[provisions]]
code = "cannot_implement"
text = "채택제안을 실시할 수 없는 사유가 있으면 제안 담당 부서가 이를 검토하여 실시 불가 여부를 결정한다"
value = true
article = "제15조제2항"
basis = "primary"
source = "test"

[[grades]]
code = "gold"
label = "금상"
rank = 1
amount_krw = 3000000
article = "제20조제1항"
basis = "primary"
source = "test"

[[grades]]
code = "silver"
label = "은상"
rank = 2
amount_krw = 2000000
article = "제20조제1항"
basis = "primary"
source = "test"

[[grades]]
code = "bronze"
label = "동상"
rank = 3
amount_krw = 1000000
article = "제20조제1항"
basis = "primary"
source = "test"

[[grades]]
code = "encouragement"
label = "장려상"
rank = 4
amount_krw = 300000
article = "제20조제1항"
basis = "primary"
source = "test"
"""


def _pack(pid: str, base: str, proposers: str) -> str:
    return f"""
[pack]
id = "{pid}"
version = "2024-01-01"
title = "시험용 시상 규정 ({proposers})"
instrument = "시험용 시상 규정"
effective = 2024-01-01
extends = "{base}"
proposers = ["{proposers}"]
{GRADES}"""


def with_award_packs() -> PackSet:
    loaded = [packs.load_file(p) for p in sorted(RULEPACK_DIR.glob("*.toml"))]
    extra = [
        parse(tomllib.loads(_pack("test-awards-citizen", "kr-citizen", "citizen")), where="awards-citizen.toml"),
        parse(tomllib.loads(_pack("test-awards-official", "kr-official", "official")), where="awards-official.toml"),
    ]
    return PackSet([*loaded, *extra])


def open_award_office(cast: Any) -> SuggestionOffice:
    return services.open_office(
        actor=cast.doyun,
        organisation=cast.province,
        citizen_pack="test-awards-citizen",
        official_pack="test-awards-official",
    )
