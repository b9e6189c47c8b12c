"""Correcting a recorded effect: a new record replaces it and names it, the earlier figures stay
(marked superseded), both are in the ledger and verify, and only the correction counts in the
yearly report."""

import json
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from madang.core.errors import DomainError
from madang.ledger.models import Entry
from madang.ledger.verify import verify_all
from madang.suggestions import report, services
from madang.suggestions.models import Effect
from madang.suggestions.services import EffectFigures
from madang.suggestions.tests.conftest import file
from madang.suggestions.tests.test_awards import PDF, implemented
from madang.suggestions.tests.test_lifecycle import adopted, refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(cast, office):
    s = file(cast, office)
    adopted(cast, s)
    s.refresh_from_db()
    return services.record_effect(
        actor=cast.doyun,
        suggestion=s,
        measure="projected",
        figures=EffectFigures(budget_saved_krw=12_000_000, citizen_hours=5_000),
        evidence="정류장 200곳 추정",
        upload=SimpleUploadedFile("추정.pdf", PDF, content_type="application/pdf"),
        today=date(2025, 4, 1),
    )


def correct(cast, effect, who=None, **kw):
    return services.correct_effect(
        actor=who or cast.doyun,
        effect=effect,
        figures=kw.pop("figures", EffectFigures(budget_saved_krw=1_200_000, citizen_hours=5_000)),
        evidence=kw.pop("evidence", "정류장 20곳 추정 (200곳은 오기)"),
        reason=kw.pop("reason", "정류장 수를 잘못 적었습니다."),
        today=kw.pop("today", date(2025, 4, 3)),
        **kw,
    )


def test_a_correction_replaces_the_record_and_keeps_the_earlier_figures(cast, recorded):
    refused(cast, {"team", "admin"}, lambda u: correct(cast, recorded, who=u))
    fixed = correct(cast, recorded)
    recorded.refresh_from_db()
    assert recorded.superseded_on == date(2025, 4, 3) and recorded.budget_saved_krw == 12_000_000
    assert fixed.corrects == recorded and fixed.is_current and fixed.budget_saved_krw == 1_200_000
    assert fixed.correction_reason == "정류장 수를 잘못 적었습니다."
    # No new file: the correction keeps the earlier evidence file, the same hash.
    assert fixed.evidence_sha256 == recorded.evidence_sha256 and fixed.evidence_name == "추정.pdf"
    assert fixed.evidence_file.name == recorded.evidence_file.name
    kinds = list(Entry.objects.filter(kind__startswith="suggestion.effect").values_list("kind", flat=True))
    assert sorted(kinds) == ["suggestion.effect_corrected", "suggestion.effect_recorded"]
    body = json.loads(bytes(Entry.objects.get(kind="suggestion.effect_corrected").body))
    assert body["corrects"] == recorded.pk and body["effect"] == fixed.pk and body["budget_saved_krw"] == 1_200_000
    assert body["kind"] == "suggestion.effect_corrected" and isinstance(body["reason"], str)
    assert [str(f) for f in verify_all()] == []
    Effect.objects.filter(pk=fixed.pk).update(budget_saved_krw=9)
    assert any(f.field == "budget_saved_krw" for f in verify_all())


def test_only_the_latest_record_is_corrected_and_a_correction_must_change_something(cast, recorded):
    fixed = correct(cast, recorded)
    with pytest.raises(DomainError) as e:
        correct(cast, recorded, today=date(2025, 4, 4))
    assert e.value.code == "superseded"
    with pytest.raises(DomainError) as e:
        correct(
            cast,
            fixed,
            figures=EffectFigures(budget_saved_krw=1_200_000, citizen_hours=5_000),
            evidence=fixed.evidence,
            today=date(2025, 4, 4),
        )
    assert e.value.code == "unchanged"
    with pytest.raises(DomainError) as e:
        correct(cast, fixed, figures=EffectFigures(budget_saved_krw=-1), today=date(2025, 4, 4))
    assert e.value.field == "budget_saved_krw"
    with pytest.raises(DomainError) as e:
        correct(cast, fixed, reason=" ", figures=EffectFigures(staff_hours=3), today=date(2025, 4, 4))
    assert e.value.field == "reason"
    again = correct(cast, fixed, figures=EffectFigures(budget_saved_krw=1_300_000), today=date(2025, 4, 5))
    assert again.corrects == fixed and Effect.objects.filter(superseded_on__isnull=True).get() == again


def test_the_report_counts_the_correction_not_the_figures_it_replaced(cast, recorded):
    s = recorded.suggestion
    correct(cast, recorded)
    implemented(cast, s)
    services.record_effect(
        actor=cast.doyun,
        suggestion=s,
        measure="actual",
        figures=EffectFigures(budget_saved_krw=1_000_000),
        evidence="실측",
        today=date(2025, 7, 1),
    )
    total = report.yearly(s.office, 2025).total
    assert total.projected["budget_saved_krw"] == 1_200_000 and total.actual["budget_saved_krw"] == 1_000_000
    # A second record of a measure is still refused: the office corrects the one there is.
    with pytest.raises(DomainError) as e:
        services.record_effect(
            actor=cast.doyun, suggestion=s, measure="projected", figures=EffectFigures(staff_hours=1), evidence="x"
        )
    assert e.value.code == "duplicate"


def test_the_page_shows_both_records_and_takes_a_correction_through_its_form(cast, recorded):
    s = recorded.suggestion
    c = Client(HTTP_ACCEPT_LANGUAGE="ko")
    c.force_login(cast.doyun)
    url = f"/suggestions/{s.pk}/"
    page = c.get(url).content.decode()
    assert f'action="/suggestions/{s.pk}/correct_effect/"' in page and 'value="12000000"' in page
    bad = c.post(url + "correct_effect/", {"effect": recorded.pk, "budget_saved_krw": "1", "evidence": "x"})
    assert bad.status_code == 400 and Effect.objects.count() == 1
    ok = c.post(
        url + "correct_effect/",
        {
            "effect": recorded.pk,
            "budget_saved_krw": "1200000",
            "revenue_krw": "0",
            "citizen_hours": "5000",
            "staff_hours": "0",
            "evidence": "정류장 20곳 추정",
            "reason": "정류장 수 오기",
        },
    )
    assert ok.status_code == 302 and Effect.objects.count() == 2
    page = c.get(url).content.decode()
    assert f'data-superseded="{recorded.pk}"' in page and "정정됨" in page and "정류장 수 오기" in page
    c.force_login(cast.garam)  # the proposer sees the records, and may not correct them
    page = c.get(url).content.decode()
    assert "정류장 수 오기" in page and "correct_effect" not in page
    r = c.post(
        url + "correct_effect/",
        {
            "effect": Effect.objects.get(superseded_on__isnull=True).pk,
            "budget_saved_krw": "1",
            "revenue_krw": "0",
            "citizen_hours": "0",
            "staff_hours": "0",
            "evidence": "x",
            "reason": "x",
        },
    )
    assert r.status_code == 403 and Effect.objects.count() == 2
