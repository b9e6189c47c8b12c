"""Measured effect, awards (시상), personnel credit and upward recommendation: who may record each,
what is refused (one award per idea, merged proposals included), the ledger entries and notices,
and the HR export."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from madang.calls.models import Proposal
from madang.core.errors import DomainError
from madang.ledger.models import Entry
from madang.ledger.verify import verify_all
from madang.people import personal_data
from madang.suggestions import exports, services
from madang.suggestions.models import Award, Effect, PersonnelCredit, Stage
from madang.suggestions.services import EffectFigures
from madang.suggestions.tests.conftest import file
from madang.suggestions.tests.test_lifecycle import adopted, refused, told

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def implemented(cast, s):
    services.rule_on_implementation(
        actor=cast.doyun, suggestion=s, kind="implemented", note="완료", today=date(2025, 6, 30)
    )
    s.refresh_from_db()
    return s


@pytest.fixture
def adopted_one(cast, award_office):
    s = file(cast, award_office)
    adopted(cast, s)
    s.refresh_from_db()
    return s


def test_the_office_records_projected_then_actual_effect_with_evidence_and_a_ledger_entry(cast, adopted_one):
    s = adopted_one
    refused(
        cast,
        {"team", "admin"},
        lambda u: services.record_effect(
            actor=u, suggestion=s, measure="projected", figures=EffectFigures(citizen_hours=10), evidence="추정"
        ),
    )
    with pytest.raises(DomainError) as e:
        services.record_effect(
            actor=cast.doyun, suggestion=s, measure="actual", figures=EffectFigures(budget_saved_krw=1), evidence="실측"
        )
    assert e.value.code == "not_implemented"
    upload = SimpleUploadedFile("추정 근거.pdf", PDF, content_type="application/pdf")
    projected = services.record_effect(
        actor=cast.doyun,
        suggestion=s,
        measure="projected",
        figures=EffectFigures(budget_saved_krw=12_000_000, citizen_hours=5_000, other="안내 정확도 향상"),
        evidence="정류장 200곳 × 하루 대기 시간 단축 추정",
        upload=upload,
        today=date(2025, 4, 1),
    )
    assert projected.evidence_name == "추정 근거.pdf" and projected.evidence_file.read() == PDF
    with pytest.raises(DomainError) as e:
        services.record_effect(
            actor=cast.doyun, suggestion=s, measure="projected", figures=EffectFigures(staff_hours=1), evidence="다시"
        )
    assert e.value.code == "duplicate"
    implemented(cast, s)
    actual = services.record_effect(
        actor=cast.doyun,
        suggestion=s,
        measure="actual",
        figures=EffectFigures(budget_saved_krw=9_500_000, revenue_krw=0, citizen_hours=4_200, staff_hours=300),
        evidence="운영 6개월 실적",
        today=date(2025, 12, 31),
    )
    assert Entry.objects.filter(kind="suggestion.effect_recorded").count() == 2
    assert [e.measure for e in s.effects.all()] == ["actual", "projected"]
    assert actual.staff_hours == 300
    assert [str(f) for f in verify_all()] == []
    Effect.objects.filter(pk=actual.pk).update(budget_saved_krw=95_000_000)
    assert any(f.field == "budget_saved_krw" for f in verify_all())


@pytest.mark.parametrize(
    ("figures", "field"),
    [
        (EffectFigures(budget_saved_krw=-5), "budget_saved_krw"),
        (EffectFigures(citizen_hours="many"), "citizen_hours"),
        (EffectFigures(staff_hours=1.5), "staff_hours"),
        (EffectFigures(), "other"),
    ],
)
def test_it_refuses_bad_figures_with_a_clear_message(cast, adopted_one, figures, field):
    with pytest.raises(DomainError) as e:
        services.record_effect(
            actor=cast.doyun, suggestion=adopted_one, measure="projected", figures=figures, evidence="x"
        )
    assert e.value.field == field
    assert not Effect.objects.exists()


def test_it_refuses_a_disguised_evidence_file(cast, adopted_one):
    with pytest.raises(DomainError):
        services.record_effect(
            actor=cast.doyun,
            suggestion=adopted_one,
            measure="projected",
            figures=EffectFigures(staff_hours=3),
            evidence="x",
            upload=SimpleUploadedFile("근거.pdf", b"MZ not a pdf", content_type="application/pdf"),
        )
    assert not Effect.objects.exists()


def test_the_office_awards_a_grade_from_the_pack_and_tells_the_proposer_and_implementer(cast, adopted_one):
    s = adopted_one
    refused(cast, {"team", "admin"}, lambda u: services.award(actor=u, suggestion=s, grade="gold", note="우수"))
    with pytest.raises(DomainError) as e:
        services.award(actor=cast.doyun, suggestion=s, grade="platinum", note="우수")
    assert e.value.code == "bad_grade"
    with pytest.raises(DomainError) as e:
        services.award(
            actor=cast.doyun, suggestion=s, grade="gold", note="우수", implementer=cast.seojun, implementer_note="x"
        )
    assert e.value.code == "bad_implementer"
    a = services.award(
        actor=cast.doyun,
        suggestion=s,
        grade="silver",
        note="이용자 체감 효과가 큼",
        implementer=cast.sohee,
        implementer_note="시범 설치를 앞당김",
        today=date(2025, 5, 2),
    )
    assert (a.grade, a.grade_label, a.rank, a.amount_krw, a.pack_key) == (
        "silver",
        "은상",
        2,
        2_000_000,
        "test-awards-citizen@2024-01-01",
    )
    assert told(cast.garam, "awarded") and told(cast.sohee, "awarded_implementer")
    assert Entry.objects.filter(kind="suggestion.awarded").count() == 1
    with pytest.raises(DomainError) as e:
        services.award(actor=cast.doyun, suggestion=s, grade="gold", note="다시")
    assert e.value.code == "duplicate"


def test_it_refuses_to_award_without_a_grade_table_or_before_adoption(cast, office, award_packs):
    # The shipped 세종 pack has no grades: the amounts could not be confirmed in its text.
    s = file(cast, office)
    adopted(cast, s)
    with pytest.raises(DomainError) as e:
        services.award(actor=cast.doyun, suggestion=s, grade="gold", note="우수")
    assert e.value.code == "no_grades"
    assert not Award.objects.exists()


def test_it_refuses_an_unadopted_suggestion(cast, award_office):
    s = file(cast, award_office)
    assert s.stage == Stage.REVIEWING
    with pytest.raises(DomainError) as e:
        services.award(actor=cast.doyun, suggestion=s, grade="gold", note="우수")
    assert e.value.code == "not_adopted"


def test_it_refuses_a_second_award_for_the_same_idea_merged_into_another(cast, award_office):
    first = file(cast, award_office, title="정류장 안내 A")
    second = file(cast, award_office, title="정류장 안내 B")
    adopted(cast, first)
    adopted(cast, second)
    Proposal.objects.filter(pk=second.proposal_id).update(outcome="merged", merged_into=first.proposal_id)
    services.award(actor=cast.doyun, suggestion=first, grade="bronze", note="채택")
    second.refresh_from_db()
    with pytest.raises(DomainError, match=first.receipt_number) as e:
        services.award(actor=cast.doyun, suggestion=second, grade="gold", note="더 좋음")
    assert e.value.code == "duplicate"
    assert Award.objects.count() == 1


def test_personnel_credit_goes_to_officials_only_and_exports_for_hr(cast, award_office):
    s = file(cast, award_office, cast.minji)
    adopted(cast, s)
    a = services.award(
        actor=cast.doyun, suggestion=s, grade="gold", note="예산 절감", implementer=cast.sohee, implementer_note="시행"
    )
    refused(
        cast,
        {"team", "admin"},
        lambda u: services.add_personnel_credit(
            actor=u, award=a, person=cast.minji, kind="special_step", note="특별승급 추천"
        ),
    )
    for person in (cast.garam, cast.seojun):  # a citizen; an official with no part in it
        with pytest.raises(DomainError) as e:
            services.add_personnel_credit(actor=cast.doyun, award=a, person=person, kind="special_step", note="x")
        assert e.value.field == "person"
    with pytest.raises(DomainError) as e:
        services.add_personnel_credit(actor=cast.doyun, award=a, person=cast.minji, kind="merit_points", note="x")
    assert e.value.field == "points"
    services.add_personnel_credit(
        actor=cast.doyun,
        award=a,
        person=cast.minji,
        kind="special_promotion",
        note="특별승진 심사 대상",
        today=date(2025, 5, 10),
    )
    credit = services.add_personnel_credit(
        actor=cast.doyun,
        award=a,
        person=cast.sohee,
        kind="merit_points",
        points="0.5",
        note="실시 공로",
        today=date(2025, 5, 10),
    )
    assert str(credit.points) == "0.50"
    assert told(cast.minji, "credited")
    with pytest.raises(DomainError) as e:
        services.add_personnel_credit(actor=cast.doyun, award=a, person=cast.minji, kind="special_promotion", note="x")
    assert e.value.code == "duplicate"
    credits = PersonnelCredit.objects.filter(award__suggestion__office=award_office)
    header, rows = exports.credit_rows(credits)
    assert len(rows) == 2 and {r[header.index(str(exports.PERSON))] for r in rows} >= {cast.minji.display_name}
    wb = load_workbook(io.BytesIO(exports.credits_xlsx(award_office, 2025, credits).content))
    assert wb.active.max_row == 3
    csv_text = exports.credits_csv(award_office, 2025, credits).content.decode("utf-8-sig")
    assert "0.50" in csv_text and s.receipt_number in csv_text


def test_the_office_recommends_an_award_upward_once(cast, award_office):
    s = file(cast, award_office, cast.minji)
    adopted(cast, s)
    a = services.award(actor=cast.doyun, suggestion=s, grade="gold", note="우수")
    refused(cast, {"team", "admin"}, lambda u: services.recommend(actor=u, award=a, note="자체우수제안 추천"))
    a = services.recommend(actor=cast.doyun, award=a, note="효과 분석 자료 첨부", today=date(2025, 6, 1))
    assert a.recommended and a.recommended_on == date(2025, 6, 1)
    with pytest.raises(DomainError):
        services.recommend(actor=cast.doyun, award=a, note="다시")
    assert told(cast.minji, "recommended")


def test_verify_catches_a_changed_award_grade_or_credit(cast, award_office):
    s = file(cast, award_office, cast.minji)
    adopted(cast, s)
    a = services.award(actor=cast.doyun, suggestion=s, grade="bronze", note="우수")
    services.add_personnel_credit(actor=cast.doyun, award=a, person=cast.minji, kind="special_step", note="x")
    services.recommend(actor=cast.doyun, award=a, note="추천")
    assert [str(f) for f in verify_all()] == []
    Award.objects.filter(pk=a.pk).update(grade="gold", rank=1, amount_krw=3_000_000)
    PersonnelCredit.objects.update(kind="special_promotion")
    fields = {(f.field) for f in verify_all()}
    assert {"grade", "rank", "amount_krw", "credit_kind"} <= fields


def test_the_page_shows_the_effect_and_award_and_takes_them_through_its_forms(client, cast, adopted_one):
    s = adopted_one
    client.force_login(cast.doyun)
    url = f"/suggestions/{s.pk}/"
    assert f'action="/suggestions/{s.pk}/award/"' in client.get(url).content.decode()
    bad = client.post(url + "effect/", {"measure": "projected", "budget_saved_krw": "-1", "evidence": "x"})
    assert bad.status_code == 400 and not Effect.objects.exists()
    upload = SimpleUploadedFile("근거.pdf", PDF, content_type="application/pdf")
    ok = client.post(
        url + "effect/",
        {
            "measure": "projected",
            "budget_saved_krw": "5000000",
            "revenue_krw": "0",
            "citizen_hours": "120",
            "staff_hours": "0",
            "evidence": "추정 자료",
            "file": upload,
        },
    )
    assert ok.status_code == 302
    assert Effect.objects.get().evidence_name == "근거.pdf"
    r = client.post(url + "award/", {"grade": "bronze", "note": "채택 효과", "implementer_note": ""})
    assert r.status_code == 302 and Award.objects.get().grade == "bronze"
    html = client.get(url).content.decode()
    assert "동상" in html and "5000000" in html and "근거.pdf" in html
    client.force_login(cast.garam)
    assert client.post(url + "recommend/", {"note": "x"}).status_code in (400, 403, 404)
    assert Award.objects.get().recommended_on is None


def test_the_public_entries_name_the_implementer_and_the_credited_person_by_pseudonym_only(cast, award_office):
    """An award's implementer and a credit's person were logged as user ids, which tie entries
    together across contexts and name people to anyone holding a user list."""
    import json
    import re

    from madang.ledger.models import Entry

    s = file(cast, award_office, cast.minji)
    adopted(cast, s)
    a = services.award(actor=cast.doyun, suggestion=s, grade="bronze", note="우수")
    services.add_personnel_credit(actor=cast.doyun, award=a, person=cast.minji, kind="special_step", note="x")
    bodies = [
        json.loads(bytes(b))
        for b in Entry.objects.filter(kind__startswith="suggestion.").values_list("body", flat=True)
    ]
    credit = next(b for b in bodies if b["kind"] == "suggestion.personnel_credit")
    assert isinstance(credit["person"], str) and re.fullmatch(r"[0-9a-f]{32}", credit["person"])
    assert credit["credit_kind"] == "special_step"
    assert all(b["kind"].startswith("suggestion.") for b in bodies)  # no field overwrote the entry's kind


def test_awards_credits_and_the_offices_work_are_in_each_persons_export(cast, award_office):
    """Each person's data export (madang/suggestions/personal_data.py) holds what names them."""
    s = file(cast, award_office, cast.minji)
    adopted(cast, s)
    a = services.award(
        actor=cast.doyun, suggestion=s, grade="gold", note="예산 절감", implementer=cast.sohee, implementer_note="시행"
    )
    services.add_personnel_credit(
        actor=cast.doyun, award=a, person=cast.minji, kind="special_promotion", note="특별승진 심사 대상"
    )
    sohee = personal_data.export(cast.sohee)["suggestion_awards"]
    assert [(x["as"], x["suggestion"], x["note"]) for x in sohee] == [("implementer", s.receipt_number, "시행")]
    minji = personal_data.export(cast.minji)["suggestion_awards"]
    assert [(x["as"], x["credit"], x["note"]) for x in minji] == [
        ("personnel credit", "special_promotion", "특별승진 심사 대상")
    ]
    work = {(x["what"], x.get("suggestion")) for x in personal_data.export(cast.doyun)["suggestions_work"]}
    assert ("awarded", s.receipt_number) in work
    assert ("personnel credit recorded", None) in work
