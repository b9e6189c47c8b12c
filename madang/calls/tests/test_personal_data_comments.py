"""이서준 comments on 김민지's proposal and 김민지 adds a file after publishing: the exposure filter
screens both as it screens the proposal, holds a resident registration number for the innovation
team, and other readers see what was confirmed masked."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from madang.calls import services
from madang.calls.models import Attachment, Comment
from madang.core.errors import DomainError
from madang.inbox.models import Notification, NotificationKind
from madang.ledger.verify import verify_all
from madang.privacy import services as privacy
from madang.privacy.models import AccessRecord, Screening, ScreeningState

PHONE = "010-2345-6789"
OFFICE = "031-123-4567"
RRN = "900101-1234568"


def client(user=None):
    c = Client(HTTP_ACCEPT_LANGUAGE="ko")
    if user is not None:
        c.force_login(user)
    return c


def page_of(p, user=None):
    return client(user).get(f"/calls/p/{p.pk}/").content.decode()


def test_it_refuses_a_comment_with_a_phone_number_and_shows_it_masked(cast):
    p = cast.proposal()
    with pytest.raises(DomainError) as err:
        services.add_comment(actor=cast.seojun, proposal=p, body=f"제 번호 {PHONE}로 연락 주세요")
    assert err.value.code == "personal_data" and err.value.field == "body"
    assert "010-****-6789" in str(err.value.message) and PHONE not in str(err.value.message)
    assert not Comment.objects.exists() and not Screening.objects.exists()


def test_it_publishes_a_confirmed_comment_masked_for_other_readers(cast):
    p = cast.proposal()
    c = services.add_comment(actor=cast.seojun, proposal=p, body=f"제 번호 {PHONE}", personal_data_ok=True)
    row = Screening.objects.get(place="calls.comment", object_id=c.pk)
    assert row.state == ScreeningState.CONFIRMED and row.findings[0]["masked"] == "010-****-6789"
    assert PHONE not in str(row.findings)
    assert "010-****-6789" in page_of(p, cast.jihoon) and PHONE not in page_of(p, cast.jihoon)
    assert PHONE not in page_of(p)  # anonymous visitors, through the page cache too
    assert PHONE in page_of(p, cast.seojun)  # its author
    assert PHONE in page_of(p, cast.doyun)  # the innovation team moderates
    assert Notification.objects.filter(user=cast.minji, kind=NotificationKind.COMMENT).count() == 1


def test_it_shows_an_office_number_its_author_vouched_for(cast):
    p = cast.proposal()
    services.add_comment(actor=cast.seojun, proposal=p, body=f"민원실 대표 전화 {OFFICE}", personal_data_ok=True)
    assert OFFICE in page_of(p, cast.jihoon)


def test_it_holds_a_resident_number_until_a_moderator_releases_it(cast):
    p = cast.proposal()
    c = services.add_comment(actor=cast.seojun, proposal=p, body=f"제 주민번호는 {RRN} 입니다", personal_data_ok=True)
    c.refresh_from_db()
    assert c.hidden_at is not None and Screening.objects.get(object_id=c.pk).is_held
    assert RRN not in page_of(p, cast.jihoon) and "주민번호는" not in page_of(p, cast.jihoon)
    assert not Notification.objects.filter(kind=NotificationKind.COMMENT).exists()  # not while it is held
    assert RRN in page_of(p, cast.seojun)

    r = client(cast.doyun).post(f"/privacy/held/{Screening.objects.get().pk}/release/")
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.hidden_at is None
    shown = page_of(p, cast.jihoon)
    assert "900101-1******" in shown and RRN not in shown  # released, and still never shown to others
    assert Notification.objects.filter(user=cast.minji, kind=NotificationKind.COMMENT).count() == 1
    assert verify_all() == []


def test_the_page_returns_a_refused_comment_with_the_confirmation_box(cast):
    p = cast.proposal()
    c = client(cast.seojun)
    url = f"/calls/p/{p.pk}/"
    c.get(url)
    body = f"제 번호 {PHONE}"
    r = c.post(f"/calls/p/{p.pk}/comment/", {"body": body}, HTTP_REFERER=f"http://testserver{url}")
    assert r.status_code == 303 and r["Location"] == url
    page = c.get(url).content.decode()
    assert "휴대전화 번호 010-****-6789" in page
    form = page.split(f'action="/calls/p/{p.pk}/comment/"')[-1].split("</form>")[0]
    assert 'data-retry-reveal="personal_data"' in form and " hidden" not in form.split("data-retry-reveal")[0][-60:]
    assert body in form  # what was typed is back for the author to edit
    r = c.post(f"/calls/p/{p.pk}/comment/", {"body": body, "personal_data_ok": "1"})
    assert r.status_code == 302 and Comment.objects.filter(body=body).exists()


def test_the_api_refuses_and_takes_the_confirmation(cast):
    p = cast.proposal()
    c = client(cast.seojun)
    r = c.post(f"/api/proposals/{p.pk}/comments", {"body": f"연락처 {PHONE}"}, content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] == "personal_data" and PHONE not in r.content.decode()
    url = f"/api/proposals/{p.pk}/comments?personal_data_ok=true"
    r = c.post(url, {"body": f"연락처 {PHONE}"}, content_type="application/json")
    assert r.status_code == 201
    listed = client(cast.jihoon).get(f"/api/proposals/{p.pk}/comments").json()
    assert listed[0]["body"] == "연락처 010-****-6789"


def test_a_moderator_masks_a_comment_for_good_and_the_access_records_say_so(cast):
    p = cast.proposal()
    c = services.add_comment(actor=cast.seojun, proposal=p, body=f"주민번호 {RRN}", personal_data_ok=True)
    row = Screening.objects.get(object_id=c.pk)
    privacy.decide_exposure(actor=cast.doyun, screening=row, decision="mask")
    c.refresh_from_db()
    assert c.body == "주민번호 900101-1******" and c.hidden_at is None
    record = AccessRecord.objects.get(kind="privacy.exposures")
    assert (record.action, record.actor_id, record.subject_id) == ("edit", cast.doyun.pk, cast.seojun.pk)
    assert verify_all() == []


def test_a_moderator_deletes_a_held_comment(cast):
    p = cast.proposal()
    c = services.add_comment(actor=cast.seojun, proposal=p, body=f"주민번호 {RRN}", personal_data_ok=True)
    privacy.decide_exposure(actor=cast.admin, screening=Screening.objects.get(object_id=c.pk), decision="delete")
    assert not Comment.objects.filter(pk=c.pk).exists()
    p.refresh_from_db()
    assert p.comment_count == 0
    assert Screening.objects.get().state == ScreeningState.DELETED
    assert AccessRecord.objects.get(kind="privacy.exposures").action == "delete"


def _rrn_sheet():
    return SimpleUploadedFile("명단.txt", f"성명\t주민등록번호\n이서준\t{RRN}\n".encode())


def test_it_screens_a_file_added_after_publishing_and_holds_a_resident_number(cast):
    p = cast.proposal()
    with pytest.raises(DomainError) as err:
        services.add_attachment(actor=cast.minji, proposal=p, upload=_rrn_sheet())
    assert "900101-1******" in str(err.value.message) and not Attachment.objects.exists()
    a = services.add_attachment(actor=cast.minji, proposal=p, upload=_rrn_sheet(), personal_data_ok=True)
    assert Screening.objects.get(place="calls.attachment").is_held
    assert "명단.txt" not in page_of(p, cast.jihoon) and "명단.txt" in page_of(p, cast.minji)
    assert client(cast.jihoon).get(f"/calls/attachments/{a.pk}/").status_code == 404
    assert client(cast.minji).get(f"/calls/attachments/{a.pk}/").status_code == 200

    r = client(cast.doyun).post(f"/privacy/held/{Screening.objects.get().pk}/delete/")
    assert r.status_code == 302 and not Attachment.objects.exists()


def test_a_draft_attachment_waits_for_the_submission(cast):
    p = cast.proposal(submit=False)
    services.add_attachment(actor=cast.minji, proposal=p, upload=_rrn_sheet())  # the author's own until submitted
    with pytest.raises(DomainError):
        services.submit_proposal(actor=cast.minji, proposal=p)


def test_a_confirmed_proposal_is_shown_masked_to_other_readers(cast):
    p = cast.proposal(submit=False, problem=f"<p>담당자 휴대폰 {PHONE}로 문의</p>")
    services.submit_proposal(actor=cast.minji, proposal=p, personal_data_ok=True)
    assert Screening.objects.get(place="calls.proposal", object_id=p.pk).state == ScreeningState.CONFIRMED
    assert "010-****-6789" in page_of(p, cast.jihoon) and PHONE not in page_of(p, cast.jihoon)
    assert PHONE in page_of(p, cast.minji)
    r = client(cast.jihoon).get(f"/api/proposals/{p.pk}").json()
    assert PHONE not in r["problem"] and "010-****-6789" in r["problem"]


def test_the_calls_list_masks_a_confirmed_title_for_other_readers(cast):
    p = cast.proposal(submit=False, title=f"상담 전화 {PHONE} 개설")
    services.submit_proposal(actor=cast.minji, proposal=p, personal_data_ok=True)
    listing = client(cast.jihoon).get(f"/calls/c/{cast.call.slug}/").content.decode()
    assert "상담 전화 010-****-6789 개설" in listing and PHONE not in listing
    assert PHONE in client(cast.minji).get(f"/calls/c/{cast.call.slug}/").content.decode()


def test_the_comment_search_masks_a_confirmed_comment_on_the_page_and_in_the_api(cast):
    p = cast.proposal()
    services.add_comment(actor=cast.seojun, proposal=p, body=f"담당자 휴대폰 {PHONE}", personal_data_ok=True)
    page = client(cast.jihoon).get(f"/calls/c/{cast.call.slug}/?within=comments&q=담당자").content.decode()
    assert "010-****-6789" in page and PHONE not in page
    api = client(cast.jihoon).get(f"/api/calls/{cast.call.slug}/comments?q=담당자").json()
    assert [c["body"] for c in api["items"]] == ["담당자 휴대폰 010-****-6789"]
    own = client(cast.seojun).get(f"/api/calls/{cast.call.slug}/comments?q=담당자").json()
    assert [c["body"] for c in own["items"]] == [f"담당자 휴대폰 {PHONE}"]
