"""The yearly report on a known history: each figure by type, counted in a fixed number of
queries; the page with its chart for the innovation team only, and the XLSX."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from madang.suggestions import report, services
from madang.suggestions.services import EffectFigures
from madang.suggestions.tests.conftest import file
from madang.suggestions.tests.test_lifecycle import adopted, not_adopted

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(cast, award_office):
    """2025: one adopted, implemented on its date, awarded gold, with its actual effect; one returned as a
    mere complaint; one not adopted; one 실시제안 implemented after a delay; one official's still under
    review. And one from 2024, which the 2025 report leaves out."""
    office = award_office
    on_time = file(cast, office, title="정시 실시")
    adopted(cast, on_time, implement_by=date(2025, 6, 30))
    services.rule_on_implementation(
        actor=cast.doyun, suggestion=on_time, kind="implemented", note="완료", today=date(2025, 6, 30)
    )
    services.award(actor=cast.doyun, suggestion=on_time, grade="gold", note="우수", today=date(2025, 7, 1))
    services.record_effect(
        actor=cast.doyun,
        suggestion=on_time,
        measure="actual",
        figures=EffectFigures(budget_saved_krw=1_000_000, citizen_hours=40),
        evidence="실적",
        today=date(2025, 7, 2),
    )
    returned = file(cast, office, title="불만")
    services.decide(
        actor=cast.doyun,
        suggestion=returned,
        outcome="return",
        ground="mere_complaint",
        explanation="단순 불만",
        panel=[cast.yuna],
        today=date(2025, 3, 12),
    )
    not_adopted(cast, file(cast, office, title="어려움"))
    late = file(cast, office, title="늦은 실시", kind="implemented", evidence="이미 시행 중")
    adopted(cast, late)
    services.plan_implementation(
        actor=cast.sohee, suggestion=late, text="확대", implement_by=date(2025, 5, 1), today=date(2025, 3, 25)
    )
    services.notify_delay(
        actor=cast.sohee, suggestion=late, reason="예산", new_date=date(2025, 8, 1), today=date(2025, 4, 20)
    )
    services.rule_on_implementation(
        actor=cast.doyun, suggestion=late, kind="implemented", note="완료", today=date(2025, 7, 15)
    )
    file(cast, office, cast.minji, title="검토 중")
    file(cast, office, title="작년", on=date(2024, 11, 4))
    return office


def test_it_counts_a_known_history_by_type_in_a_fixed_number_of_queries(history, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        r = report.yearly(history, 2025)
    standing = next(t for t in r.types if t.kind == "standing")
    implemented = next(t for t in r.types if t.kind == "implemented")
    assert (standing.received, standing.returned, standing.not_adopted, standing.reviewing) == (4, 1, 1, 1)
    assert standing.returned_by_ground == {"mere_complaint": 1}
    assert (standing.adopted, standing.implemented, standing.implemented_on_time) == (1, 1, 1)
    assert standing.awarded_by_grade == {"gold": 1} and standing.award_amount_krw == 3_000_000
    assert standing.actual == {"budget_saved_krw": 1_000_000, "revenue_krw": 0, "citizen_hours": 40, "staff_hours": 0}
    assert (implemented.received, implemented.adopted, implemented.implemented) == (1, 1, 1)
    assert implemented.implemented_on_time == 0  # planned for 1 May, done 15 July after a delay
    assert r.total.received == 5 and r.total.implemented == 2 and r.total.implemented_on_time == 1
    assert r.grades == [("gold", "금상")]
    assert report.yearly(history, 2024).total.received == 1


def test_the_report_page_and_its_xlsx_are_for_the_innovation_team(client, cast, history):
    url = f"/suggestions/report/{cast.province.code}/2025/"
    for who in (cast.garam, cast.sohee, cast.bada):
        client.force_login(who)
        assert client.get(url).status_code == 404
    client.force_login(cast.doyun)
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "3000000" in html
    assert client.get(f"/suggestions/report/{cast.province.code}/1800/").status_code == 404
    assert client.get("/suggestions/report/nowhere/2025/").status_code == 404
    xlsx = client.get(url + "?format=xlsx")
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    table = {row[0]: row[1:] for row in ws.iter_rows(min_row=2, values_only=True)}
    received = next(v for k, v in table.items() if k in ("접수", "Received"))
    assert received[-1] == 5
    credits = client.get(f"/suggestions/report/{cast.province.code}/2025/credits.xlsx")
    assert credits.status_code == 200 and load_workbook(io.BytesIO(credits.content)).active.max_row == 1
    assert client.get(f"/suggestions/report/{cast.province.code}/2025/credits.pdf").status_code == 404


def test_adoption_dated_at_decision_counts_when_there_is_no_plan(cast, award_office):
    s = file(cast, award_office)
    adopted(cast, s, implement_by=date(2025, 4, 30))
    services.rule_on_implementation(
        actor=cast.doyun, suggestion=s, kind="implemented", note="완료", today=date(2025, 5, 2)
    )
    assert report.yearly(award_office, 2025).total.implemented_on_time == 0


def test_a_delay_without_a_plan_makes_it_late_even_if_the_new_date_is_kept(cast, award_office):
    # found while building the report's document: with no plan, a delay notice moved the date "on time"
    # was measured against, so a suggestion finished by its delayed date counted as on time
    s = file(cast, award_office)
    adopted(cast, s, implement_by=date(2025, 4, 30))
    services.notify_delay(
        actor=cast.sohee, suggestion=s, reason="예산", new_date=date(2025, 6, 30), today=date(2025, 4, 20)
    )
    services.rule_on_implementation(
        actor=cast.doyun, suggestion=s, kind="implemented", note="완료", today=date(2025, 6, 1)
    )
    s.refresh_from_db()
    assert s.implement_by == date(2025, 6, 30) and s.adopted_implement_by == date(2025, 4, 30)
    figures = report.yearly(award_office, 2025).total
    assert figures.implemented == 1 and figures.implemented_on_time == 0


def test_a_suggestion_finished_by_its_adoption_date_counts_on_time(cast, award_office):
    s = file(cast, award_office)
    adopted(cast, s, implement_by=date(2025, 4, 30))
    services.rule_on_implementation(
        actor=cast.doyun, suggestion=s, kind="implemented", note="완료", today=date(2025, 4, 29)
    )
    assert report.yearly(award_office, 2025).total.implemented_on_time == 1
