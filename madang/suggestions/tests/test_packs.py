"""Rule packs: the shipped ones load and compute the clocks they cite; broken ones are refused with
every reason; a proposal keeps the version in force on its day of receipt."""

import tomllib
from datetime import date
from pathlib import Path

import pytest

from madang.solvers.legalclock import Calendar, Stop
from madang.suggestions.packs import RULEPACK_DIR, PackError, PackSet, load_dir, parse, shipped

KR = Calendar()

MINIMAL = """
[pack]
id = "test"
version = "1"
title = "시험 규정"
instrument = "시험 규정"
effective = 2024-01-01

[sources.s]
title = "a source"

[clocks.decision]
length = 1
unit = "months"
from = "receipt"
stopped_by = ["supplement"]
article = "제10조제1항"
basis = "primary"
source = "s"
"""


def pack_with(extra: str = "", **head):
    data = tomllib.loads(MINIMAL + extra)
    data["pack"].update(head)
    return parse(data, where="test.toml")


def test_it_loads_the_three_shipped_packs_and_every_rule_cites_an_article_and_a_source():
    packs = shipped()
    assert packs.ids() == ["kr-citizen", "kr-official", "kr-sejong"]
    for pid in packs.ids():
        for pack in packs.versions(pid):
            rules = [
                *pack.types.values(),
                *pack.clocks.values(),
                *pack.grounds.values(),
                *pack.provisions.values(),
                *pack.grades,
            ]
            assert rules
            for rule in rules:
                assert rule.cite.article.startswith("제")
                assert rule.cite.source in pack.sources


def test_it_computes_the_citizen_decision_due_date_with_a_supplement_stop():
    pack = shipped().in_force("kr-citizen", date(2025, 3, 4))
    assert pack.clock("decision").cite.article == "제10조제1항"
    assert pack.due("decision", date(2025, 3, 4), KR).due == date(2025, 4, 4)
    stopped = pack.due("decision", date(2025, 3, 4), KR, [Stop(date(2025, 3, 7), date(2025, 3, 17))])
    assert stopped.due == date(2025, 4, 14)
    # the supplement window itself is not stopped by a supplement
    assert pack.due("supplement_window", date(2025, 3, 4), KR, [Stop(date(2025, 3, 5), date(2025, 3, 20))]).due == date(
        2025, 3, 11
    )


def test_it_lets_the_city_pack_inherit_the_national_clocks_with_their_own_citations():
    sejong = shipped().in_force("kr-sejong", date(2025, 1, 2))
    assert sejong.clock("decision").cite.instrument == "국민 제안 규정"
    assert sejong.types["contest"].cite.instrument == "세종특별자치시 제안제도 운영 조례 시행규칙"
    assert set(sejong.types) == {"standing", "contest"}
    assert sejong.provisions["joint_requires_division_statement"].cite.article == "제3조제1항 단서"
    assert sejong.due("decision", date(2024, 12, 27), KR).due == date(2025, 1, 31)


def test_it_refuses_a_clock_the_official_pack_does_not_set():
    official = shipped().in_force("kr-official", date(2025, 1, 2))
    assert official.provisions["own_duty_allowed"].value is True
    with pytest.raises(PackError, match="sets no decision period"):
        official.due("decision", date(2025, 1, 2), KR)


def test_it_refuses_an_unknown_ground():
    with pytest.raises(PackError, match="ground 'rude' is unknown"):
        pack_with('\n[[grounds]]\ncode = "rude"\narticle = "제2조"\nbasis = "primary"\nsource = "s"\n')


def test_it_refuses_overlapping_award_grades():
    grades = """
[[grades]]
code = "gold"
rank = 1
min_score = 90
max_score = 101
amount_krw = 500
article = "제15조"
basis = "primary"
source = "s"

[[grades]]
code = "silver"
rank = 2
min_score = 80
max_score = 95
amount_krw = 300
article = "제15조"
basis = "primary"
source = "s"
"""
    with pytest.raises(PackError, match=r"grades 'silver' \[80, 95\) and 'gold' \[90, 101\) overlap"):
        pack_with(grades)
    assert [g.code for g in pack_with(grades.replace("max_score = 95", "max_score = 90")).grades] == ["gold", "silver"]


def test_it_refuses_a_rule_without_an_article_and_lists_every_problem():
    with pytest.raises(PackError) as e:
        pack_with('\n[[grounds]]\ncode = "impracticable"\nbasis = "rumour"\nsource = "nowhere"\n')
    message = str(e.value)
    assert "test.toml: ground 'impracticable' has no article citation" in message
    assert "basis 'rumour'" in message
    assert "source 'nowhere'" in message


def test_it_refuses_what_is_not_an_article_and_a_clock_counted_from_the_wrong_event():
    with pytest.raises(PackError, match="not an article"):
        pack_with('\n[[types]]\ncode = "standing"\narticle = "see the website"\nbasis = "primary"\nsource = "s"\n')
    bad = tomllib.loads(MINIMAL)
    bad["clocks"]["decision"]["from"] = "adoption"
    bad["clocks"]["decision"]["unit"] = "fortnights"
    with pytest.raises(PackError, match="'fortnights' is not a valid Unit"):
        parse(bad)


def test_it_keeps_the_version_in_force_at_receipt():
    old = pack_with()
    new = pack_with(version="2", effective=date(2025, 7, 1))
    packs = PackSet([old, new])
    assert packs.in_force("test", date(2025, 6, 30)).version == "1"
    assert packs.in_force("test", date(2025, 7, 1)).version == "2"
    assert packs.get("test", "1") is packs.in_force("test", date(2024, 1, 1))
    with pytest.raises(PackError, match="no version of pack 'test' is in force on 2023-12-31"):
        packs.in_force("test", date(2023, 12, 31))
    with pytest.raises(PackError, match="defined twice"):
        PackSet([old, old])


def test_it_refuses_an_extension_of_a_pack_that_is_not_loaded_or_a_circle():
    with pytest.raises(PackError, match="extends 'ghost', which is not loaded"):
        PackSet([pack_with(id="child", extends="ghost")])
    with pytest.raises(PackError, match="circle"):
        PackSet([pack_with(id="a", extends="b"), pack_with(id="b", extends="a")])


def test_it_names_the_file_of_a_broken_pack(tmp_path: Path):
    (tmp_path / "good.toml").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "broken.toml").write_text("[pack\n", encoding="utf-8")
    with pytest.raises(PackError, match=r"broken.toml: not valid TOML"):
        load_dir(tmp_path)
    assert RULEPACK_DIR.is_dir()
