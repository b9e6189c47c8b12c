"""The notices of an adopted suggestion's last steps, as HWPX and PDF from the real records: the award
(포상 통지, with the grade, prize money and article of the pack the suggestion keeps), the declaration
that it cannot be implemented (실시 불가 통보) and the office's ruling on it or on its implementation.
Downloads for the proposer and the office only; the public status page says when each went out.

No shipped pack has award grades, so these use the test pack of the award tests
(`suggestions/tests/awards_packs.py`), which also cites a made-up article on suggestions that cannot
be implemented."""

import re
from datetime import date

import pytest
from django.test import Client

from madang.calls import services as calls
from madang.documents import sources
from madang.documents.tests.reading import made_and_read, read_hwpx, read_pdf, squash
from madang.suggestions import notices, packs, services
from madang.suggestions.tests.awards_packs import open_award_office, with_award_packs
from madang.suggestions.tests.conftest import file, open_office
from madang.suggestions.tests.test_lifecycle import adopted

pytestmark = pytest.mark.django_db

PACK_ARTICLE = "「시험용 시상 규정」 제15조제2항"


def client(user=None):
    c = Client(HTTP_ACCEPT_LANGUAGE="ko")
    if user is not None:
        c.force_login(user)
    return c


@pytest.fixture
def award_office(cast, monkeypatch):
    ps = with_award_packs()
    monkeypatch.setattr(packs, "active", lambda: ps)
    return open_award_office(cast)


@pytest.fixture
def awarded(cast, award_office):
    """한가람 and 김민지's joint suggestion: adopted, declared impossible by 교통과 and not accepted,
    awarded silver, then declared impossible again and accepted."""
    s = file(cast, award_office, title="정류장 실시간 안내")
    invitation = calls.invite_coauthor(actor=cast.garam, proposal=s.proposal, invitee=cast.minji)
    calls.answer_invitation(actor=cast.minji, invitation=invitation, accept=True)
    adopted(cast, s, implement_by=date(2025, 6, 30))
    services.declare_cannot_implement(
        actor=cast.sohee, suggestion=s, reason="안내판 제조사가 폐업했습니다.", today=date(2025, 5, 2)
    )
    services.rule_on_implementation(
        actor=cast.doyun,
        suggestion=s,
        kind="cannot_rejected",
        note="다른 제조사의 안내판으로 바꿀 수 있습니다.",
        new_date=date(2025, 9, 30),
        today=date(2025, 5, 9),
    )
    services.award(
        actor=cast.doyun,
        suggestion=s,
        grade="silver",
        note="실시간 위치 자료를 활용하는 길을 처음 제안했습니다.",
        today=date(2025, 5, 20),
    )
    services.declare_cannot_implement(
        actor=cast.sohee, suggestion=s, reason="도로 공사로 정류장이 옮겨집니다.", today=date(2025, 8, 4)
    )
    services.rule_on_implementation(
        actor=cast.doyun,
        suggestion=s,
        kind="cannot_accepted",
        note="정류장 이전이 끝나는 2027년까지 실시할 수 없습니다.",
        today=date(2025, 8, 11),
    )
    s.refresh_from_db()
    return s


def _both(item, texts, absent=()):
    hwpx_text, pdf_text = made_and_read(item)
    for text in texts:
        assert squash(text) in hwpx_text, text
        assert squash(text) in pdf_text, text
    for text in absent:
        assert squash(text) not in hwpx_text and squash(text) not in pdf_text, text


def test_it_lists_the_award_the_declarations_and_the_rulings_among_the_suggestions_notices(cast, awarded):
    first, second = awarded.cannot_implement.order_by("declared_on")
    rulings = list(awarded.rulings.order_by("ruled_on"))
    sent = notices.notices(awarded)
    assert [(n.key, n.sent_on) for n in sent][-5:] == [
        (f"cannot-{first.pk}", date(2025, 5, 2)),
        (f"ruling-{rulings[0].pk}", date(2025, 5, 9)),
        ("award", date(2025, 5, 20)),
        (f"cannot-{second.pk}", date(2025, 8, 4)),
        (f"ruling-{rulings[1].pk}", date(2025, 8, 11)),
    ]
    items = sources.suggestion_notices(awarded, actor=cast.doyun)
    assert [items[n.key][1] for n in sent][-5:] == [
        "notice_cannot_implement",
        "notice_ruling",
        "notice_award",
        "notice_cannot_implement",
        "notice_ruling",
    ]


def test_it_makes_the_award_notice_with_the_grade_the_prize_money_and_the_packs_article(cast, awarded):
    item = sources.suggestion_notices(awarded, actor=cast.doyun)["award"]
    assert item[2]["proposer"] == "한가람, 김민지"  # to every proposer, the filer first
    _both(
        item,
        [
            "제안 시상 통지",
            awarded.receipt_number,
            "정류장 실시간 안내",
            "한가람, 김민지",
            "은상",
            "2,000,000원",
            "「시험용 시상 규정」 제20조제1항",
            "실시간 위치 자료를 활용하는 길을 처음 제안했습니다.",
            "2025. 5. 20.",
            "한빛도",
        ],
    )


def test_it_makes_the_declaration_and_ruling_notices_with_the_reason_and_the_packs_article(cast, awarded):
    items = sources.suggestion_notices(awarded, actor=cast.doyun)
    first = awarded.cannot_implement.order_by("declared_on").first()
    rejected, accepted = awarded.rulings.order_by("ruled_on")
    _both(
        items[f"cannot-{first.pk}"],
        ["채택 제안 실시 불가 통보", "안내판 제조사가 폐업했습니다.", "2025. 5. 2.", "교통과", PACK_ARTICLE],
        absent=["도로 공사로"],
    )
    _both(
        items[f"ruling-{rejected.pk}"],
        [
            "채택 제안 실시 판정 통지",
            "실시 불가 불인정",
            "2025. 5. 9.",
            "안내판 제조사가 폐업했습니다.",  # the declaration it rules on
            "2025. 5. 2.",
            PACK_ARTICLE,
            "다른 제조사의 안내판으로 바꿀 수 있습니다.",
            "이 제안은 2025. 9. 30.까지 실시합니다",
        ],
    )
    _both(
        items[f"ruling-{accepted.pk}"],
        ["실시 불가 인정", "2025. 8. 11.", "도로 공사로 정류장이 옮겨집니다.", "2027년까지 실시할 수 없습니다."],
        absent=["실시 불가 불인정", "까지 실시합니다", "안내판 제조사가"],
    )


def test_under_a_shipped_pack_the_notices_leave_out_the_article_it_does_not_have(cast):
    s = file(cast, open_office(cast), title="정류장 그늘막")
    adopted(cast, s, implement_by=date(2025, 6, 30))
    services.declare_cannot_implement(
        actor=cast.sohee, suggestion=s, reason="부지를 구하지 못했습니다.", today=date(2025, 5, 2)
    )
    services.rule_on_implementation(
        actor=cast.doyun, suggestion=s, kind="cannot_accepted", note="부지가 없습니다.", today=date(2025, 5, 9)
    )
    s.refresh_from_db()
    items = sources.suggestion_notices(s, actor=cast.doyun)
    declaration, ruling = s.cannot_implement.get(), s.rulings.get()
    assert "award" not in items  # not awarded, and the shipped packs could not award it
    _both(
        items[f"cannot-{declaration.pk}"],
        ["부지를 구하지 못했습니다.", "적용 규정", "세종특별자치시 제안제도"],
        absent=["근거"],
    )
    _both(items[f"ruling-{ruling.pk}"], ["실시 불가 인정", "부지가 없습니다."], absent=["근거"])


def test_it_makes_the_ruling_that_a_suggestion_was_implemented_without_a_declaration(cast, award_office):
    s = file(cast, award_office)
    adopted(cast, s, implement_by=date(2025, 6, 30))
    services.rule_on_implementation(
        actor=cast.doyun, suggestion=s, kind="implemented", note="시범 정류장 10곳 설치 완료", today=date(2025, 6, 27)
    )
    s.refresh_from_db()
    ruling = s.rulings.get()
    _both(
        sources.suggestion_notices(s, actor=cast.doyun)[f"ruling-{ruling.pk}"],
        ["실시 완료 인정", "2025. 6. 27.", "시범 정류장 10곳 설치 완료", "교통과"],
        absent=["실시 불가", "근거"],
    )


def test_the_proposers_and_the_office_download_these_notices_and_nobody_else(cast, awarded):
    base = f"/documents/suggestions/{awarded.pk}"
    declaration = awarded.cannot_implement.order_by("declared_on").first()
    ruling = awarded.rulings.order_by("ruled_on").first()
    keys = ["award", f"cannot-{declaration.pk}", f"ruling-{ruling.pk}"]
    for who in (cast.garam, cast.minji, cast.doyun):  # the proposers, the office
        page = client(who).get(f"/suggestions/{awarded.pk}/").content.decode()
        for key in keys:
            assert f"{base}/{key}.hwpx" in page and f"{base}/{key}.pdf" in page, (who.username, key)
        r = client(who).get(f"{base}/award.hwpx")
        assert r.status_code == 200 and r["Content-Type"] == "application/hwp+zip"
        assert squash("2,000,000원") in squash(read_hwpx(r.content)[0])
        r = client(who).get(f"{base}/{keys[1]}.pdf")
        assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
        assert squash("안내판 제조사가 폐업했습니다.") in squash(read_pdf(r.content))
        r = client(who).get(f"{base}/{keys[2]}.pdf")
        assert r.status_code == 200 and squash("실시 불가 불인정") in squash(read_pdf(r.content))
    # The liaison who declared it and a panel member see the suggestion's page, not the proposer's notices.
    for who in (cast.sohee, cast.yuna):
        response = client(who).get(f"/suggestions/{awarded.pk}/")
        assert response.status_code == 200 and f"{base}/award.hwpx" not in response.content.decode(), who.username
        for key in keys:
            assert client(who).get(f"{base}/{key}.hwpx").status_code == 404, (who.username, key)
    for who in (cast.seojun, cast.bada):  # an official with no part in it, an official of another province
        for key in keys:
            assert client(who).get(f"{base}/{key}.pdf").status_code == 404, (who.username, key)
    assert client().get(f"{base}/award.pdf").status_code == 302  # not signed in: to the login page
    assert client(cast.garam).get(f"{base}/cannot-999999.pdf").status_code == 404


def test_the_status_page_says_when_these_notices_went_out_but_not_what_they_say(cast, awarded):
    page = client().get(f"/followup/p/{awarded.proposal_id}/").content.decode()
    assert page.count('data-kind="suggestion.notice.cannot"') == 2
    assert page.count('data-kind="suggestion.notice.ruling"') == 2
    sent = re.findall(r'<li data-kind="suggestion\.notice\.award"><time datetime="(\d{4}-\d\d-\d\d)', page)
    assert sent == ["2025-05-20"]
    assert "/documents/suggestions/" not in page
    assert "2,000,000" not in page and "실시간 위치 자료를 활용하는 길" not in page
