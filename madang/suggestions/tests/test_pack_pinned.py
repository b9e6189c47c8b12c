"""A suggestion keeps the pack version in force on its day of receipt: a later version changes only
suggestions received after it takes effect, and a pack edited in place is refused, not applied."""

import tomllib
from dataclasses import replace
from datetime import date

import pytest

from madang.core.errors import DomainError
from madang.suggestions import packs, selectors, services
from madang.suggestions.packs import PackSet, parse
from madang.suggestions.tests.conftest import LATER_CITIZEN, file, open_office

pytestmark = pytest.mark.django_db


def test_it_keeps_the_version_in_force_at_receipt_after_a_later_one_takes_effect(cast, later_packs):
    office = open_office(cast, citizen="kr-citizen")
    before = file(cast, office, on=date(2025, 12, 30))
    after = file(cast, office, title="개정 뒤의 제안", on=date(2026, 1, 2))
    assert (before.pack_version, after.pack_version) == ("2023-08-01", "2026-01-01")
    # One month from Tue 2025-12-30, counting from the 31st, ends Fri 2026-01-30; two from Fri 01-02 end Mon 03-02,
    # and Mon 2026-03-02 is the substitute holiday for 삼일절 (a Sunday): Tue 03-03.
    assert (before.decision_due, after.decision_due) == (date(2026, 1, 30), date(2026, 3, 3))
    # A supplement answered under the later version still counts the earlier suggestion's month.
    x = services.request_supplement(
        actor=cast.doyun, suggestion=before, question="사진", answer_by=date(2026, 1, 9), today=date(2026, 1, 5)
    )
    services.answer_supplement(actor=cast.garam, supplement=x, answer="첨부합니다", today=date(2026, 1, 7))
    before.refresh_from_db()
    assert before.decision_due == date(2026, 2, 2)  # two days more: Sat 01-31 → the next working day, Mon 02-02
    # Not adopted: the earlier version's 15 days to ask again; the later version's 30.
    d1 = services.decide(
        actor=cast.doyun,
        suggestion=before,
        outcome="not_adopt",
        ground="impracticable",
        explanation="어려움",
        panel=[cast.yuna],
        today=date(2026, 1, 20),
    )
    d2 = services.decide(
        actor=cast.doyun,
        suggestion=after,
        outcome="not_adopt",
        ground="impracticable",
        explanation="어려움",
        panel=[cast.yuna],
        today=date(2026, 1, 20),
    )
    assert (d1.reexamination_until, d2.reexamination_until) == (date(2026, 2, 4), date(2026, 2, 19))


def test_it_refuses_to_go_on_under_a_pack_changed_in_place_and_the_desk_says_why(
    cast, office, citizen_suggestion, monkeypatch
):
    shipped = packs.shipped()
    changed = []
    for pid in shipped.ids():
        for p in shipped.versions(pid):
            if p.id == "kr-citizen":
                clock = p.clocks["decision"]
                p = replace(p, clocks={**p.clocks, "decision": replace(clock, period=replace(clock.period, length=2))})
            if not p.extends:
                changed.append(p)
    sejong = [p for p in shipped.versions("kr-sejong")]
    # kr-sejong extends kr-citizen: rebuild it over the edited base from its own file
    raw = tomllib.loads((packs.RULEPACK_DIR / "kr-sejong-2023-07-20.toml").read_text("utf-8"))
    edited = PackSet([*changed, parse(raw, where="kr-sejong")])
    assert sejong and edited.get("kr-sejong", "2023-07-20").clocks["decision"].period.length == 2
    monkeypatch.setattr(packs, "active", lambda: edited)
    with pytest.raises(DomainError) as e:
        services.request_supplement(
            actor=cast.doyun,
            suggestion=citizen_suggestion,
            question="위치",
            answer_by=date(2025, 3, 20),
            today=date(2025, 3, 12),
        )
    assert e.value.code == "pack_changed"
    [row] = selectors.desk(cast.doyun, today=date(2025, 3, 12))
    assert row.clock is None and "kr-sejong@2023-07-20" in row.problem


def test_the_later_pack_in_the_tests_is_a_valid_pack():
    later = parse(tomllib.loads(LATER_CITIZEN), where="later.toml")
    assert packs.digest(later) != packs.digest(packs.shipped().get("kr-citizen", "2023-08-01"))
