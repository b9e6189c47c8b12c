"""The pages, as the office and the proposer use them (today's dates: the pages act on today)."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from madang.core.tests.markup import problems
from madang.suggestions import services
from madang.suggestions.models import Decision, Stage, Suggestion
from madang.suggestions.tests.conftest import fields

pytestmark = pytest.mark.django_db


def client(user=None):
    c = Client(HTTP_ACCEPT_LANGUAGE="ko")
    if user is not None:
        c.force_login(user)
    return c


@pytest.fixture
def filed(cast, office):
    return services.file_suggestion(actor=cast.garam, office=office, fields=fields())


def test_it_files_a_suggestion_from_the_page_and_shows_its_number(cast, office):
    r = client(cast.garam).post(
        f"/suggestions/file/{office.pk}/",
        {
            "title": "공원 화장실 안내",
            "problem": "위치를 찾기 어렵습니다",
            "solution": "지도에 표시합니다",
            "kind": "standing",
        },
    )
    s = Suggestion.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/suggestions/{s.pk}/"
    page = client(cast.garam).get(r["Location"]).content.decode()
    assert s.receipt_number in page and "공원 화장실 안내" in page


def test_my_suggestions_offers_the_offices_each_person_may_file_with(cast, office):
    """The filing page was reached by its address only: "my suggestions" now leads to it, for the
    offices whose standing call is open to the person (an official's is their own organisation's)."""
    link = f'href="/suggestions/file/{office.pk}/"'
    for who in (cast.garam, cast.minji):
        page = client(who).get("/suggestions/mine/").content.decode()
        assert link in page and "한빛도에 제안하기" in page
    assert link not in client(cast.bada).get("/suggestions/mine/").content.decode()  # 새벽도's official


def test_the_filing_form_offers_only_the_types_the_proposers_rules_have(cast, award_packs):
    """No shipped pack has the already-implemented type (실시제안): the citizen filing under the 세종
    pack is not offered it, the official filing under a pack that has it is, with its evidence."""
    office = services.open_office(
        actor=cast.doyun, organisation=cast.province, citizen_pack="kr-sejong", official_pack="test-awards-official"
    )
    citizen = client(cast.garam).get(f"/suggestions/file/{office.pk}/").content.decode()
    assert 'value="implemented"' not in citizen and 'name="evidence"' not in citizen
    official = client(cast.minji).get(f"/suggestions/file/{office.pk}/").content.decode()
    assert 'value="implemented"' in official and 'name="evidence"' in official
    r = client(cast.garam).post(
        f"/suggestions/file/{office.pk}/",
        {"title": "공원 화장실 안내", "problem": "찾기 어렵습니다", "solution": "지도에 표시", "kind": "implemented"},
    )
    assert r.status_code == 302  # filed as the one type offered
    assert Suggestion.objects.get(proposal__author=cast.garam).kind == "standing"
    r = client(cast.minji).post(
        f"/suggestions/file/{office.pk}/",
        {"title": "민원 서식 간소화", "problem": "서식이 깁니다", "solution": "한 장으로", "kind": "implemented"},
    )
    assert r.status_code == 400 and 'name="evidence"' in r.content.decode()  # the evidence is asked for on the form
    assert not Suggestion.objects.filter(proposal__author=cast.minji).exists()


def test_it_shows_the_desk_to_the_office_only_with_due_dates(cast, filed):
    page = client(cast.doyun).get("/suggestions/").content.decode()
    assert filed.receipt_number in page and filed.decision_due.strftime("%Y-%m-%d") in page
    for who in (cast.garam, cast.minji, cast.sohee, cast.bada):
        assert client(who).get("/suggestions/").status_code == 404
    assert client().get("/suggestions/").status_code == 302  # to the log-in


def test_it_hides_a_suggestion_from_everyone_who_has_no_part_in_it(cast, filed):
    for who in (cast.minji, cast.sohee, cast.yuna, cast.bada):
        assert client(who).get(f"/suggestions/{filed.pk}/").status_code == 404
        assert client(who).post(f"/suggestions/{filed.pk}/decide/", {"outcome": "adopt"}).status_code == 404
    assert client(cast.garam).get(f"/suggestions/{filed.pk}/").status_code == 200


def test_it_offers_the_packs_grounds_with_their_articles_on_the_decision_form(cast, filed):
    page = client(cast.doyun).get(f"/suggestions/{filed.pk}/").content.decode()
    assert "일반 통념상 적용하기 어려운 것" in page and "제2조제1호라목" in page
    assert 'value="impracticable"' in page and 'value="civil_complaint"' in page


def test_it_asks_for_a_supplement_and_the_proposer_answers_on_the_page(cast, filed):
    answer_by = (timezone.localdate() + timedelta(days=5)).isoformat()
    r = client(cast.doyun).post(
        f"/suggestions/{filed.pk}/supplement/", {"question": "정류장 위치를 알려 주십시오", "answer_by": answer_by}
    )
    assert r.status_code == 302
    page = client(cast.garam).get(f"/suggestions/{filed.pk}/").content.decode()
    assert "정류장 위치를 알려 주십시오" in page and f'action="/suggestions/{filed.pk}/answer/"' in page
    x = filed.supplements.get()
    r = client(cast.garam).post(f"/suggestions/{filed.pk}/answer/", {"supplement": x.pk, "answer": "시청 앞입니다"})
    assert r.status_code == 302
    x.refresh_from_db()
    assert x.answered_on == timezone.localdate()


def test_it_answers_a_bad_decision_with_the_form_and_a_message_not_an_error_page(cast, filed):
    r = client(cast.doyun).post(
        f"/suggestions/{filed.pk}/decide/",
        {"outcome": "not_adopt", "ground": "mere_complaint", "explanation": "사유", "panel": [cast.yuna.pk]},
    )
    assert r.status_code == 400
    assert "이 결정에 대해 규정이 정한 사유 가운데 하나를 고르십시오." in r.content.decode()
    assert not Decision.objects.exists()


def test_it_records_a_decision_and_offers_the_proposer_reexamination_while_the_window_is_open(cast, filed):
    r = client(cast.doyun).post(
        f"/suggestions/{filed.pk}/decide/",
        {
            "outcome": "not_adopt",
            "ground": "impracticable",
            "explanation": "예산 사정상 어렵습니다",
            "panel": [cast.yuna.pk],
        },
    )
    assert r.status_code == 302
    page = client(cast.garam).get(f"/suggestions/{filed.pk}/").content.decode()
    assert f'action="/suggestions/{filed.pk}/reexamine/"' in page
    assert "최유나" not in page  # the panel's names stay with the office
    r = client(cast.garam).post(f"/suggestions/{filed.pk}/reexamine/", {"reason": "비용 자료를 더했습니다"})
    assert r.status_code == 302
    filed.refresh_from_db()
    assert filed.stage == Stage.REEXAMINING
    page = client(cast.doyun).get(f"/suggestions/{filed.pk}/").content.decode()
    assert f'action="/suggestions/{filed.pk}/decide_again/"' in page


def test_it_shows_the_steps_on_the_public_status_page_and_the_receipt_on_the_proposal_page(cast, filed):
    services.decide(
        actor=cast.doyun,
        suggestion=filed,
        outcome="not_adopt",
        ground="impracticable",
        explanation="예산 사정상 어렵습니다",
        panel=[cast.yuna],
    )
    status = client().get(f"/followup/p/{filed.proposal_id}/").content.decode()
    assert filed.receipt_number in status and "일반 통념상 적용하기 어려운 것" in status
    assert "예산 사정상" not in status  # the explanation is for the proposer
    proposal = client().get(f"/calls/p/{filed.proposal_id}/").content.decode()
    assert filed.receipt_number in proposal
    assert "김민지" not in proposal and "한가람" not in proposal


def test_the_status_page_shows_the_due_dates_and_the_stop_in_words(cast, filed):
    """The steps' due dates were in a data attribute only: the reader of the status page now sees the
    decision's due date, the supplement's date while the period is stopped (and no due date then),
    and until when re-examination may be asked for."""

    def steps() -> dict[str, str]:
        html = client().get(f"/followup/p/{filed.proposal_id}/").content.decode()
        found = re.findall(r'<li data-kind="([^"]+)"[^>]*>(.*?)</li>', html, re.S)
        return {kind: re.sub(r"<[^>]+>", " ", body) for kind, body in found}

    due = filed.decision_due.isoformat()
    assert f"처리 기한 {due}" in steps()["suggestion.received"]
    answer_by = timezone.localdate() + timedelta(days=5)
    x = services.request_supplement(actor=cast.doyun, suggestion=filed, question="위치", answer_by=answer_by)
    seen = steps()
    assert "처리 기한" not in seen["suggestion.received"]  # stopped: no due date until the answer
    assert f"보완 기한 {answer_by.isoformat()}" in seen["suggestion.supplement_requested"]
    services.answer_supplement(actor=cast.garam, supplement=x, answer="시청 앞")
    filed.refresh_from_db()
    assert f"처리 기한 {filed.decision_due.isoformat()}" in steps()["suggestion.received"]
    d = services.decide(
        actor=cast.doyun,
        suggestion=filed,
        outcome="not_adopt",
        ground="impracticable",
        explanation="예산 사정상 어렵습니다",
        panel=[cast.yuna],
    )
    seen = steps()["suggestion.first.not_adopt"]
    assert "일반 통념상 적용하기 어려운 것" in seen
    assert f"{d.reexamination_until.isoformat()}까지 재심사를 요청할 수 있습니다" in seen


def test_it_lists_adopted_suggestions_for_implementation_tracking(cast, filed):
    services.decide(
        actor=cast.doyun,
        suggestion=filed,
        outcome="adopt",
        explanation="채택합니다",
        panel=[cast.yuna],
        adoption=services.Adoption(department=cast.transport, implement_by=timezone.localdate() + timedelta(days=90)),
    )
    page = client(cast.doyun).get("/suggestions/implementation/").content.decode()
    assert filed.receipt_number in page and "교통과" in page
    assert client(cast.sohee).get(f"/suggestions/{filed.pk}/").status_code == 200  # the implementing liaison
    r = client(cast.sohee).post(
        f"/suggestions/{filed.pk}/delay/",
        {"reason": "장비 조달 지연", "new_date": (timezone.localdate() + timedelta(days=120)).isoformat()},
    )
    assert r.status_code == 302 and filed.delays.count() == 1


def test_the_implementing_liaison_tracks_what_their_department_implements(cast, filed):
    """Implementation tracking is the liaison's list too: 윤소희 (교통과) plans and reports on what
    교통과 implements; 오세훈 (복지과) sees none of it; a citizen has no such page."""
    services.decide(
        actor=cast.doyun,
        suggestion=filed,
        outcome="adopt",
        explanation="채택합니다",
        panel=[cast.yuna],
        adoption=services.Adoption(department=cast.transport),
    )
    page = client(cast.sohee).get("/suggestions/implementation/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'href="/suggestions/{filed.pk}/"' in html and filed.receipt_number in html
    assert 'href="/suggestions/"' not in html  # the desk is the office's
    other = client(cast.sehun).get("/suggestions/implementation/")
    assert other.status_code == 200 and filed.receipt_number not in other.content.decode()
    assert client(cast.garam).get("/suggestions/implementation/").status_code == 404
    assert client(cast.minji).get("/suggestions/implementation/").status_code == 404


def test_the_liaisons_plan_form_offers_no_department_only_the_office_chooses_it(cast, filed):
    """The plan form offered the liaison a department, which the service refuses from anyone but the
    office; the liaison's form now has the plan and the date only."""
    services.decide(
        actor=cast.doyun,
        suggestion=filed,
        outcome="adopt",
        explanation="채택합니다",
        panel=[cast.yuna],
        adoption=services.Adoption(department=cast.transport),
    )
    liaison = client(cast.sohee).get(f"/suggestions/{filed.pk}/").content.decode()
    assert 'id="id_plan_implement_by"' in liaison and 'id="id_plan_department"' not in liaison
    assert 'id="id_plan_department"' in client(cast.doyun).get(f"/suggestions/{filed.pk}/").content.decode()
    r = client(cast.sohee).post(
        f"/suggestions/{filed.pk}/plan/",
        {"text": "정류장 안내판 교체", "implement_by": (timezone.localdate() + timedelta(days=30)).isoformat()},
    )
    assert r.status_code == 302 and Suggestion.objects.get(pk=filed.pk).plan.text == "정류장 안내판 교체"


def test_every_form_on_the_offices_page_has_ids_of_its_own_whatever_the_stage(cast, award_office):
    """The page holds one form per step; fields of one name in two forms (a delay's and a
    declaration's reason, the effect's and its correction's figures) once shared an id, so a label
    named the other form's field (KWCAG 8.1.1). The posted names stay the same."""
    s = services.file_suggestion(
        actor=cast.minji, office=award_office, fields=fields(), kind="implemented", evidence="민원과에서 시행 중"
    )
    office = client(cast.doyun)

    def wrong() -> list[str]:
        return problems(office.get(f"/suggestions/{s.pk}/").content.decode())

    assert wrong() == []
    services.decide(
        actor=cast.doyun,
        suggestion=s,
        outcome="adopt",
        explanation="채택합니다",
        panel=[cast.yuna],
        adoption=services.Adoption(department=cast.transport, implement_by=timezone.localdate() + timedelta(days=30)),
    )
    assert wrong() == []  # plan, delay, declaration, ruling and effect together
    services.rule_on_implementation(actor=cast.doyun, suggestion=s, kind="implemented", note="완료")
    services.record_effect(
        actor=cast.doyun,
        suggestion=s,
        measure="projected",
        figures=services.EffectFigures(budget_saved_krw=1000),
        evidence="예산서",
    )
    services.award(
        actor=cast.doyun, suggestion=s, grade="gold", note="우수", implementer=cast.sohee, implementer_note="실시"
    )
    assert wrong() == []  # the effect, its correction, personnel credit and the recommendation together
    page = office.get(f"/suggestions/{s.pk}/").content.decode()
    assert 'id="id_credit_note"' in page and 'id="id_recommend_note"' in page and 'name="note"' in page


def test_the_office_is_told_why_a_suggestion_under_the_shipped_rules_has_no_award_form(cast, filed):
    """No shipped pack has a grade table: the office's page said nothing where the award form would
    be; it now says that the rules set no grade (the refusal's own words)."""
    services.decide(
        actor=cast.doyun,
        suggestion=filed,
        outcome="adopt",
        explanation="채택합니다",
        panel=[cast.yuna],
        adoption=services.Adoption(department=cast.transport),
    )
    page = client(cast.doyun).get(f"/suggestions/{filed.pk}/").content.decode()
    assert f'action="/suggestions/{filed.pk}/award/"' not in page
    assert "에는 시상 등급이 없습니다" in page and "data-no-grades" in page
    assert "data-no-grades" not in client(cast.garam).get(f"/suggestions/{filed.pk}/").content.decode()
