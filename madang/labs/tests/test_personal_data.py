"""김민지 writes in the lab's journal and proposes decisions; the exposure filter screens both (and
the journal's files), a confirmed resident registration number holds the item for the innovation
team, a held decision does not pass unseen, and other readers see confirmed text masked."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from madang.core.errors import DomainError
from madang.inbox.models import Notification, NotificationKind
from madang.labs import selectors, services
from madang.labs.models import DecisionState, JournalEntry, LabDecision
from madang.ledger.verify import verify_all
from madang.privacy import services as privacy
from madang.privacy.models import Screening

from .conftest import client, join, make_lab

PHONE = "010-2345-6789"
RRN = "900101-1234568"


@pytest.fixture
def lab(cast):
    lab = make_lab(cast)
    join(cast, lab, cast.minji, cast.jihoon)
    services.start_lab(actor=cast.doyun, lab=lab)
    return lab


def test_it_refuses_a_journal_entry_with_a_phone_number_and_shows_it_masked(cast, lab):
    with pytest.raises(DomainError) as err:
        services.add_journal_entry(actor=cast.minji, lab=lab, body=f"민원인 연락처 {PHONE} 확인함")
    assert err.value.code == "personal_data" and "010-****-6789" in str(err.value.message)
    assert not JournalEntry.objects.exists()


def test_it_reads_the_text_of_a_journal_file(cast, lab):
    sheet = SimpleUploadedFile("면담.txt", f"면담자 주민번호 {RRN}\n".encode())
    with pytest.raises(DomainError) as err:
        services.add_journal_entry(actor=cast.minji, lab=lab, body="면담 기록 첨부", files=[sheet])
    assert "면담.txt" in str(err.value.message) and "900101-1******" in str(err.value.message)


def test_other_readers_see_a_confirmed_entry_masked(cast, lab):
    services.add_journal_entry(actor=cast.minji, lab=lab, body=f"담당자 휴대폰 {PHONE}", personal_data_ok=True)
    assert [e.body for e in selectors.shown_journal(cast.seojun, lab)] == ["담당자 휴대폰 010-****-6789"]
    assert [e.body for e in selectors.shown_journal(cast.minji, lab)] == [f"담당자 휴대폰 {PHONE}"]
    page = client(cast.jihoon).get(f"/labs/{lab.slug}/").content.decode()
    assert "010-****-6789" in page and PHONE not in page
    api = client(cast.seojun).get(f"/api/labs/{lab.slug}/journal").json()
    assert api[0]["body"] == "담당자 휴대폰 010-****-6789"


def test_a_held_entry_waits_for_the_innovation_team(cast, lab):
    entry = services.add_journal_entry(actor=cast.minji, lab=lab, body=f"민원인 주민번호 {RRN}", personal_data_ok=True)
    assert selectors.shown_journal(cast.jihoon, lab) == [] and selectors.shown_journal(cast.minji, lab) == [entry]
    row = Screening.objects.get(place="labs.journal")
    assert client(cast.doyun).post(f"/privacy/held/{row.pk}/mask/").status_code == 302
    assert [e.body for e in selectors.shown_journal(cast.jihoon, lab)] == ["민원인 주민번호 900101-1******"]


def test_a_held_decision_does_not_pass_and_gets_its_full_window_on_release(cast, lab):
    d = services.propose_decision(
        actor=cast.minji,
        lab=lab,
        title="민원인 명단 공유",
        body=f"대표 민원인 {RRN}",
        consent_days=3,
        personal_data_ok=True,
    )
    assert not Notification.objects.filter(kind=NotificationKind.LAB, params__event="decision_proposed").exists()
    assert selectors.shown_decisions(cast.jihoon, lab) == [] and client().get(f"/labs/{lab.slug}/").status_code == 200
    assert RRN not in client().get(f"/api/labs/{lab.slug}/decisions").content.decode()
    assert services.settle_due_decisions(now=timezone.now() + timedelta(days=5)) == 0
    d.refresh_from_db()
    assert d.state == DecisionState.OPEN

    privacy.decide_exposure(actor=cast.doyun, screening=Screening.objects.get(object_id=d.pk), decision="release")
    d.refresh_from_db()
    assert d.consent_until - timezone.now() > timedelta(days=2, hours=23)  # three days from the release
    told = Notification.objects.filter(kind=NotificationKind.LAB, user=cast.jihoon)
    assert told.count() == 1
    [shown] = selectors.shown_decisions(cast.jihoon, lab)
    assert shown.body == "대표 민원인 900101-1******"
    assert services.settle_due_decisions(now=timezone.now() + timedelta(days=4)) == 1
    assert verify_all() == []


def test_a_passed_decision_cannot_be_masked_behind_the_ledgers_back(cast, lab):
    d = services.propose_decision(
        actor=cast.minji, lab=lab, title="대표 번호 안내", body=f"문의 {PHONE}", consent_days=1, personal_data_ok=True
    )
    services.settle_due_decisions(now=timezone.now() + timedelta(days=2))
    d.refresh_from_db()
    assert d.state == DecisionState.PASSED
    row = Screening.objects.get(object_id=d.pk)
    with pytest.raises(DomainError) as err:
        privacy.decide_exposure(actor=cast.doyun, screening=row, decision="mask")
    assert err.value.code == "passed"
    d.refresh_from_db()
    assert PHONE in d.body and Screening.objects.get().state == "confirmed"
    assert verify_all() == []


def test_a_moderator_deletes_a_held_decision(cast, lab):
    d = services.propose_decision(
        actor=cast.minji, lab=lab, title="명단", body=f"주민번호 {RRN}", consent_days=3, personal_data_ok=True
    )
    privacy.decide_exposure(actor=cast.admin, screening=Screening.objects.get(object_id=d.pk), decision="delete")
    assert not LabDecision.objects.exists()


def test_the_page_returns_a_refused_entry_with_the_confirmation_box(cast, lab):
    c = client(cast.minji)
    url = f"/labs/{lab.slug}/"
    data = {"body": f"연락처 {PHONE}", "happened_on": timezone.localdate().isoformat()}
    r = c.post(f"/labs/{lab.slug}/journal/", data, HTTP_REFERER=f"http://testserver{url}")
    assert r.status_code == 303
    form = c.get(url).content.decode().split(f'action="/labs/{lab.slug}/journal/"')[1].split("</form>")[0]
    assert 'data-retry-reveal="personal_data"' in form and "hidden data-retry" not in form
    r = c.post(f"/labs/{lab.slug}/journal/", {**data, "personal_data_ok": "1"})
    assert r.status_code == 302 and JournalEntry.objects.exists()
