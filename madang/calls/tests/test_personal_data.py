"""김민지 puts her own phone number in a proposal; the filter stops it before it is published,
shows it to her masked, and keeps her word when she says it is not personal data."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from madang.calls import services
from madang.calls.models import PersonalDataConfirmation, Status
from madang.core.errors import DomainError

PHONE = "010-2345-6789"


def test_it_refuses_to_submit_a_phone_number_and_shows_it_masked(cast):
    p = cast.proposal(submit=False, problem=f"<p>자세한 내용은 제 휴대폰 {PHONE}로 연락 주세요.</p>")
    with pytest.raises(DomainError) as err:
        services.submit_proposal(actor=cast.minji, proposal=p)
    assert err.value.code == "personal_data" and err.value.field == "problem"
    message = str(err.value.message)
    assert "010-****-6789" in message and PHONE not in message
    p.refresh_from_db()
    assert p.status == Status.DRAFT and p.number is None
    assert not PersonalDataConfirmation.objects.exists()


def test_it_reads_the_text_a_reader_sees_in_rich_text(cast):
    p = cast.proposal(submit=False, solution="<p>문의: 010-<strong>2345</strong>-6789</p>")
    with pytest.raises(DomainError) as err:
        services.submit_proposal(actor=cast.minji, proposal=p)
    assert err.value.field == "solution"


def test_it_publishes_when_the_author_confirms_and_keeps_only_the_masked_findings(cast):
    p = cast.proposal(submit=False, problem="민원실 대표 전화 031-123-4567 이 늘 통화 중입니다.")
    p = services.submit_proposal(actor=cast.minji, proposal=p, personal_data_ok=True)
    assert p.status == Status.SUBMITTED
    confirmation = PersonalDataConfirmation.objects.get(proposal=p)
    assert confirmation.actor == cast.minji
    assert confirmation.findings == [{"field": "problem", "kind": "landline", "masked": "031-***-4567", "source": ""}]
    assert "123-4567" not in str(confirmation.findings)


def test_it_submits_a_clean_proposal_as_before_and_records_nothing(cast):
    p = cast.proposal()
    assert p.status == Status.SUBMITTED
    assert not PersonalDataConfirmation.objects.exists()


def test_it_finds_a_registration_number_in_an_attachment(cast):
    p = cast.proposal(submit=False)
    sheet = "성명\t주민등록번호\n김민지\t900101-1234568\n".encode()
    services.add_attachment(actor=cast.minji, proposal=p, upload=SimpleUploadedFile("명단.txt", sheet))
    with pytest.raises(DomainError) as err:
        services.submit_proposal(actor=cast.minji, proposal=p)
    message = str(err.value.message)
    assert "명단.txt" in message and "900101-1******" in message and "1234568" not in message


def test_it_screens_an_edit_of_a_published_proposal(cast):
    p = cast.proposal()
    fields = services.ProposalFields(
        title=p.title, problem=f"연락처 {PHONE}", solution=p.solution, expected_effect=p.expected_effect
    )
    with pytest.raises(DomainError) as err:
        services.update_proposal(actor=cast.minji, proposal=p, fields=fields)
    assert err.value.code == "personal_data"
    p.refresh_from_db()
    assert PHONE not in p.problem
    services.update_proposal(actor=cast.minji, proposal=p, fields=fields, personal_data_ok=True)
    p.refresh_from_db()
    assert PHONE in p.problem and PersonalDataConfirmation.objects.filter(proposal=p).count() == 1


def test_a_draft_may_hold_it_until_it_is_submitted(cast):
    p = cast.proposal(submit=False)
    services.update_proposal(
        actor=cast.minji,
        proposal=p,
        fields=services.ProposalFields(title=p.title, problem=f"메모: {PHONE}", solution=p.solution),
    )
    p.refresh_from_db()
    assert PHONE in p.problem  # a draft is the author's own: nothing is published yet


def test_the_form_shows_the_finding_in_korean_and_asks_for_the_confirmation(cast):
    c = Client(HTTP_ACCEPT_LANGUAGE="ko")
    c.force_login(cast.minji)
    p = cast.proposal(submit=False, problem=f"제 휴대폰 {PHONE}로 연락 주세요.")
    url = f"/calls/p/{p.pk}/edit/"
    data = {"title": p.title, "problem": p.problem, "solution": p.solution, "submit": "1"}
    r = c.post(url, data)
    assert r.status_code == 302 and r["Location"].endswith("?confirm=personal_data")
    page = c.get(r["Location"]).content.decode()
    assert "휴대전화 번호 010-****-6789" in page and PHONE not in page.split("<textarea", 1)[0]
    assert 'name="personal_data_ok"' in page
    r = c.post(url, {**data, "personal_data_ok": "1"})
    assert r.status_code == 302
    p.refresh_from_db()
    assert p.status == Status.SUBMITTED


def test_the_api_answers_with_the_code_and_takes_the_confirmation(cast):
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    c.force_login(cast.minji)
    p = cast.proposal(submit=False, problem=f"Call me on {PHONE}")
    r = c.post(f"/api/proposals/{p.pk}/submit")
    assert r.status_code == 400
    assert (
        r.json()["code"] == "personal_data"
        and "010-****-6789" in r.json()["message"]
        and PHONE not in r.content.decode()
    )
    r = c.post(f"/api/proposals/{p.pk}/submit?personal_data_ok=true")
    assert r.status_code == 200 and r.json()["status"] == "submitted"
