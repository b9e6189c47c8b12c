"""Every notice a suggestion's proposer is sent, as HWPX and PDF from the real records: receipt,
supplement request, decision (not adopted, returned, adopted), re-examination result, plan and
delay; valid HWPX read back by an independent reader. Downloads for the proposer and the office
only; the public status page says a notice went out and when, never what it says."""

from datetime import date

import pytest
from django.test import Client

from madang.documents import sources
from madang.documents.tests.reading import made_and_read, read_hwpx, read_pdf, squash
from madang.suggestions import services
from madang.suggestions.services import Adoption
from madang.suggestions.tests.conftest import file, open_office

pytestmark = pytest.mark.django_db


def client(user=None):
    c = Client(HTTP_ACCEPT_LANGUAGE="ko")
    if user is not None:
        c.force_login(user)
    return c


@pytest.fixture
def lived(cast):
    """한가람's suggestion: a supplement, not adopted, re-examined and adopted, planned, then delayed."""
    s = file(cast, open_office(cast))  # received 2025-03-10
    services.request_supplement(
        actor=cast.doyun,
        suggestion=s,
        question="정류장 위치를 알려 주십시오.",
        answer_by=date(2025, 3, 21),
        today=date(2025, 3, 14),
    )
    services.answer_supplement(
        actor=cast.garam, supplement=s.supplements.get(), answer="시청 앞입니다.", today=date(2025, 3, 17)
    )
    services.decide(
        actor=cast.doyun,
        suggestion=s,
        outcome="not_adopt",
        ground="impracticable",
        explanation="예산과 인력 사정상 당장 적용하기 어렵습니다.",
        panel=[cast.yuna],
        today=date(2025, 3, 20),
    )
    services.request_reexamination(
        actor=cast.garam, suggestion=s, reason="비용 자료를 더했습니다", today=date(2025, 3, 24)
    )
    services.decide_reexamination(
        actor=cast.doyun,
        suggestion=s,
        outcome="adopt",
        explanation="보완된 비용 자료로 채택합니다.",
        panel=[cast.haneul, cast.jihoon],
        adoption=Adoption(department=cast.transport),
        today=date(2025, 4, 10),
    )
    services.plan_implementation(
        actor=cast.sohee,
        suggestion=s,
        text="1단계: 시범 정류장 10곳",
        implement_by=date(2025, 9, 30),
        today=date(2025, 4, 15),
    )
    services.notify_delay(
        actor=cast.sohee,
        suggestion=s,
        reason="장비 조달이 늦어졌습니다",
        new_date=date(2025, 12, 15),
        today=date(2025, 8, 1),
    )
    s.refresh_from_db()
    return s


def test_it_makes_each_notice_from_the_records_in_both_formats(cast, lived):
    items = sources.suggestion_notices(lived, actor=cast.doyun)
    supplement = lived.supplements.get()
    assert list(items) == ["receipt", f"supplement-{supplement.pk}", "decision", "reexamination", "plan"] + [
        f"delay-{n.pk}" for n in lived.delays.all()
    ]
    expected = {
        # receipt: the number and the decision date as told on receipt (one month from the 11th)
        "receipt": ["제안 접수 통지", lived.receipt_number, "2025. 3. 10.", "2025. 4. 10.", "한가람", "한빛도"],
        f"supplement-{supplement.pk}": [
            "제안 보완 요청",
            "정류장 위치를 알려 주십시오.",
            "2025. 3. 14.",
            "2025. 3. 21.",
        ],
        "decision": [
            "제안 심사 결과 통지",
            "불채택",
            "일반 통념상 적용하기 어려운 것",
            "제2조제1호라목",
            "예산과 인력 사정상 당장 적용하기 어렵습니다.",
            "2025. 3. 20.",
            "재심사를 요청하실 수 있습니다",
        ],
        "reexamination": ["재심사 결과 통지", "채택", "보완된 비용 자료로 채택합니다.", "2025. 3. 24.", "교통과"],
        "plan": ["채택 제안 실시 계획 통지", "1단계: 시범 정류장 10곳", "2025. 9. 30.", "교통과"],
        f"delay-{lived.delays.get().pk}": [
            "채택 제안 실시 지연 통지",
            "장비 조달이 늦어졌습니다",
            "2025. 9. 30.",
            "2025. 12. 15.",
            "2025. 8. 1.",
        ],
    }
    for key, wanted in expected.items():
        hwpx_text, pdf_text = made_and_read(items[key])
        for text in [lived.receipt_number, lived.proposal.title, *wanted]:
            assert squash(text) in hwpx_text, (key, text)
            assert squash(text) in pdf_text, (key, text)
    decision_ctx = items["decision"][2]
    until = lived.decisions.get(round="first").reexamination_until
    assert until is not None and decision_ctx["reexamination_until"] == sources.kdate(until)
    assert squash(sources.kdate(until)) in made_and_read(items["decision"])[0]
    assert items["reexamination"][2]["ground"] == ""  # adopted: no ground, and its rows are left out
    request_text = made_and_read(items[f"supplement-{supplement.pk}"])[0]
    assert "시청 앞입니다" not in request_text  # the answer is not the request


def test_it_makes_the_returned_notice_with_its_ground_and_article_and_no_reexamination(cast):
    s = file(cast, open_office(cast), title="회사 홍보 게시판")
    services.decide(
        actor=cast.doyun,
        suggestion=s,
        outcome="return",
        ground="for_profit",
        explanation="특정 기업의 홍보에 해당합니다.",
        panel=[cast.yuna],
        today=date(2025, 3, 18),
    )
    item = sources.suggestion_notices(s, actor=cast.doyun)["decision"]
    hwpx_text, pdf_text = made_and_read(item)
    for text in [
        "반려",
        "특정 개인·단체·기업 등의 수익사업과 그 홍보",
        "제2조제1호바목",
        "특정 기업의 홍보에 해당합니다.",
    ]:
        assert squash(text) in hwpx_text and squash(text) in pdf_text, text
    assert "재심사" not in hwpx_text


def test_it_names_where_a_transferred_suggestion_went(cast):
    s = file(cast, open_office(cast), title="국도 포장 보수")
    services.decide(
        actor=cast.doyun,
        suggestion=s,
        outcome="transfer",
        ground="other_agency",
        explanation="국도는 국토교통부 소관입니다.",
        panel=[cast.yuna],
        transfer_to="국토교통부",
        transfer_reference="국토-2025-17",
        today=date(2025, 3, 18),
    )
    hwpx_text, pdf_text = made_and_read(sources.suggestion_notices(s, actor=cast.doyun)["decision"])
    for text in ["이송", "국토교통부 (국토-2025-17)", "다른 행정기관 소관", "국도는 국토교통부 소관입니다."]:
        assert squash(text) in hwpx_text and squash(text) in pdf_text, text


def test_the_adoption_notice_keeps_the_date_the_decision_set_after_a_plan_moved_it(cast):
    s = file(cast, open_office(cast), title="정류장 그늘막")
    services.decide(
        actor=cast.doyun,
        suggestion=s,
        outcome="adopt",
        explanation="여름 전에 설치합니다.",
        panel=[cast.yuna],
        adoption=Adoption(department=cast.transport, implement_by=date(2025, 8, 29)),
        today=date(2025, 3, 20),
    )
    s.refresh_from_db()
    before = sources.suggestion_notices(s, actor=cast.doyun)["decision"][2]
    assert before["implement_by"] == "2025. 8. 29." and before["ground"] == "" and before["reexamination_until"] == ""
    services.plan_implementation(
        actor=cast.sohee, suggestion=s, text="시범 정류장 5곳", implement_by=date(2025, 9, 30), today=date(2025, 4, 1)
    )
    s.refresh_from_db()
    items = sources.suggestion_notices(s, actor=cast.doyun)
    hwpx_text, pdf_text = made_and_read(items["decision"])
    for text in ["채택", "실시 예정일", "2025. 8. 29.", "교통과", "여름 전에 설치합니다."]:
        assert squash(text) in hwpx_text and squash(text) in pdf_text, text
    assert squash("2025. 9. 30.") not in hwpx_text and "재심사" not in hwpx_text
    assert squash("2025. 9. 30.") in made_and_read(items["plan"])[0]


def test_the_proposer_and_the_office_download_the_notices_and_nobody_else(cast, lived):
    base = f"/documents/suggestions/{lived.pk}"
    for who in (cast.garam, cast.doyun):  # the proposer, the office
        page = client(who).get(f"/suggestions/{lived.pk}/").content.decode()
        assert f"{base}/receipt.hwpx" in page and f"{base}/decision.pdf" in page, who.username
        r = client(who).get(f"{base}/receipt.hwpx")
        assert r.status_code == 200 and r["Content-Type"] == "application/hwp+zip"
        assert lived.receipt_number in read_hwpx(r.content)[0]
        r = client(who).get(f"{base}/decision.pdf")
        assert r.status_code == 200 and squash("일반 통념상 적용하기 어려운 것") in squash(read_pdf(r.content))
    for who in (cast.sohee, cast.yuna):  # the implementing liaison and a panel member see the page, not the notices
        response = client(who).get(f"/suggestions/{lived.pk}/")
        assert response.status_code == 200 and f"{base}/receipt.hwpx" not in response.content.decode(), who.username
        assert client(who).get(f"{base}/receipt.hwpx").status_code == 404
    for who in (cast.seojun, None):  # no part in it, or not signed in
        assert client(who).get(f"{base}/receipt.pdf").status_code in (302, 404)
    assert client(cast.garam).get(f"{base}/nothing.pdf").status_code == 404
    assert client(cast.garam).get(f"{base}/receipt.docx").status_code == 404


def test_the_status_page_says_each_notice_was_sent_and_when_but_not_what_it_says(cast, lived):
    page = client().get(f"/followup/p/{lived.proposal_id}/").content.decode()
    assert page.count('data-kind="suggestion.notice.') == 6
    assert 'data-kind="suggestion.notice.delay"' in page and "2025-08-01" in page
    assert "제안자에게 통지" in page
    assert "/documents/suggestions/" not in page
    assert "정류장 위치를 알려 주십시오" not in page and "예산과 인력 사정상" not in page
