"""김민지 confirms a proposal that shows a resident registration number: like a comment or a board
note, it is held from everyone but its authors and the moderators (numbered, its submission in the
ledger as a digest), until a moderator releases or masks it on /privacy/held/, or she edits what was
found out (issue 17, a proposal "is never held" before)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from madang.calls import services
from madang.calls.ledger_entries import CallEntry
from madang.calls.models import Status
from madang.core.errors import DomainError
from madang.ledger.models import Entry
from madang.ledger.verify import verify_all
from madang.people import services as people
from madang.people.models import Role
from madang.privacy.models import Screening, ScreeningState

RRN = "900101-1234568"
PHONE = "010-2345-6789"


def client(user=None):
    c = Client(HTTP_ACCEPT_LANGUAGE="ko")
    if user is not None:
        c.force_login(user)
    return c


def page(p, user=None):
    return client(user).get(f"/calls/p/{p.pk}/")


def held_proposal(cast, **fields):
    p = cast.proposal(
        submit=False, problem=f"<p>신청인 주민등록번호 {RRN} 를 확인하는 절차가 중복됩니다.</p>", **fields
    )
    with translation.override("en"), pytest.raises(DomainError) as err:
        services.submit_proposal(actor=cast.minji, proposal=p)
    message = str(err.value.message)
    assert err.value.code == "personal_data" and "900101-1******" in message and RRN not in message
    assert "wait for a moderator" in message  # she is told before she confirms
    services.submit_proposal(actor=cast.minji, proposal=p, personal_data_ok=True)
    p.refresh_from_db()
    return p


def screening(p):
    return Screening.objects.filter(place="calls.proposal", object_id=p.pk).order_by("pk").last()


def test_a_confirmed_registration_number_holds_the_proposal_from_other_readers(cast):
    p = held_proposal(cast)
    assert p.status == Status.SUBMITTED and p.number == 1  # numbered: its submission is in the ledger
    assert p.hidden_at is not None and p.hidden_by is None and screening(p).is_held
    assert Entry.objects.filter(kind=CallEntry.SUBMITTED, subject=f"proposal:{p.pk}").exists()
    for reader in (None, cast.jihoon, cast.yuna, cast.garam):
        assert page(p, reader).status_code == 404
    listing = client(cast.jihoon).get(f"/calls/c/{cast.call.slug}/").content.decode()
    assert p.title not in listing
    assert client(cast.jihoon).get(f"/api/proposals/{p.pk}").status_code == 404
    own = page(p, cast.minji).content.decode()
    assert RRN in own and "보류" in own  # the author sees it as written, and that it waits
    moderator = page(p, cast.doyun).content.decode()
    assert RRN in moderator
    held_page = client(cast.doyun).get("/privacy/held/").content.decode()
    assert RRN in held_page and f"/calls/p/{p.pk}/" in held_page
    assert verify_all() == []


def test_a_moderator_releases_it_and_others_read_it_masked(cast):
    p = held_proposal(cast)
    r = client(cast.doyun).post(f"/privacy/held/{screening(p).pk}/release/")
    assert r.status_code == 302
    p.refresh_from_db()
    assert p.hidden_at is None and screening(p).state == ScreeningState.RELEASED
    shown = page(p, cast.jihoon).content.decode()
    assert "900101-1******" in shown and RRN not in shown
    assert RRN not in page(p).content.decode()
    assert verify_all() == []


def test_an_administrator_of_the_province_moderates_it_too(cast):
    people.grant_role(actor=None, user=cast.haneul, role=Role.ADMINISTRATOR, organisation=cast.province)
    p = held_proposal(cast)
    assert page(p, cast.haneul).status_code == 200  # the held page's link leads somewhere
    assert f"/calls/p/{p.pk}/" in client(cast.haneul).get("/privacy/held/").content.decode()


def test_the_author_edits_what_was_found_out_and_it_is_published_at_once(cast):
    p = held_proposal(cast)
    fields = services.ProposalFields(title=p.title, problem="<p>본인 확인 절차가 중복됩니다.</p>", solution=p.solution)
    services.update_proposal(actor=cast.minji, proposal=p, fields=fields)
    p.refresh_from_db()
    assert p.hidden_at is None and screening(p) is None
    assert page(p, cast.jihoon).status_code == 200
    assert client(cast.doyun).get("/privacy/held/").content.decode().count(f"/calls/p/{p.pk}/") == 0
    assert verify_all() == []


def test_a_file_that_held_it_is_removed_and_it_is_published(cast):
    p = cast.proposal(submit=False)
    sheet = SimpleUploadedFile("명단.txt", f"성명\t주민등록번호\n김민지\t{RRN}\n".encode())
    a = services.add_attachment(actor=cast.minji, proposal=p, upload=sheet)
    services.submit_proposal(actor=cast.minji, proposal=p, personal_data_ok=True)
    p.refresh_from_db()
    assert p.hidden_at is not None
    services.remove_attachment(actor=cast.minji, attachment=a)
    p.refresh_from_db()
    assert p.hidden_at is None and page(p, cast.jihoon).status_code == 200


def test_a_moderator_masks_it_as_a_revision_of_its_own_in_the_ledger(cast):
    p = held_proposal(cast, title=f"민원 창구 {PHONE} 문의 정리")
    r = client(cast.doyun).post(f"/privacy/held/{screening(p).pk}/mask/")
    assert r.status_code == 302
    p.refresh_from_db()
    assert RRN not in p.problem and "900101-1******" in p.problem
    assert PHONE not in p.title and "010-****-6789" in p.title
    assert p.hidden_at is None and screening(p).state == ScreeningState.MASKED
    last = p.revisions.order_by("-number").first()
    assert last.editor == cast.doyun and RRN not in str(last.fields)
    assert Entry.objects.filter(kind=CallEntry.EDITED, subject=f"proposal:{p.pk}").count() == 1
    assert "900101-1******" in page(p, cast.jihoon).content.decode()
    assert verify_all() == []


def test_an_edit_after_a_release_is_screened_afresh_and_the_decision_is_kept(cast):
    p = held_proposal(cast)
    client(cast.doyun).post(f"/privacy/held/{screening(p).pk}/release/")
    released = screening(p)
    fields = services.ProposalFields(
        title=p.title, problem=f"<p>다른 신청인 주민번호 {RRN[:-1]}8 도 있습니다.</p>", solution=p.solution
    )
    services.update_proposal(actor=cast.minji, proposal=p, fields=fields, personal_data_ok=True)
    p.refresh_from_db()
    assert p.hidden_at is not None and screening(p).is_held and screening(p).pk != released.pk
    released.refresh_from_db()
    assert released.state == ScreeningState.RELEASED  # its ledger entry still says so
    assert page(p, cast.jihoon).status_code == 404
    assert verify_all() == []


def test_a_hold_released_leaves_a_proposal_the_moderators_hid_hidden(cast):
    p = held_proposal(cast)
    services.hide_proposal(actor=cast.doyun, proposal=p, reason="중복 제안")
    p.refresh_from_db()
    client(cast.doyun).post(f"/privacy/held/{screening(p).pk}/release/")
    p.refresh_from_db()
    assert p.hidden_at is not None and p.hidden_by == cast.doyun and p.hidden_reason == "중복 제안"


def test_a_phone_number_is_published_masked_not_held(cast):
    p = cast.proposal(submit=False, problem=f"<p>담당자 휴대폰 {PHONE}</p>")
    services.submit_proposal(actor=cast.minji, proposal=p, personal_data_ok=True)
    p.refresh_from_db()
    assert p.hidden_at is None and screening(p).state == ScreeningState.CONFIRMED
    assert page(p, cast.jihoon).status_code == 200
