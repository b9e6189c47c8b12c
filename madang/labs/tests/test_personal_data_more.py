"""The exposure filter in the rest of a lab (issue 17, "not screened yet" before): 박지훈 objects to a
decision and resolves his objection, 김민지 submits a report, records an experiment and adds a
milestone. Each is refused with what was found, masked; confirmed, a phone number is masked for
other readers, and a resident registration number holds the item for the innovation team."""

from datetime import timedelta

import pytest
from django.utils import timezone

from madang.core.errors import DomainError
from madang.inbox.models import Notification, NotificationKind
from madang.labs import selectors, services
from madang.labs.ledger_entries import LabEntry
from madang.labs.models import DecisionState, ExperimentState, LabOutcome, LabReport, ReportKind
from madang.ledger.models import Entry
from madang.ledger.verify import verify_all
from madang.privacy.models import Screening, ScreeningState

from .conftest import client, join, make_lab

PHONE = "010-2345-6789"
RRN = "900101-1234568"


@pytest.fixture
def lab(cast):
    lab = make_lab(cast)
    join(cast, lab, cast.minji, cast.jihoon, cast.seojun)
    services.start_lab(actor=cast.doyun, lab=lab)
    return lab


def row(place):
    return Screening.objects.filter(place=place).order_by("pk").last()


def page(lab, user=None):
    return client(user).get(f"/labs/{lab.slug}/").content.decode()


def test_an_objection_is_screened_and_a_held_one_still_stands(cast, lab):
    d = services.propose_decision(
        actor=cast.minji, lab=lab, title="회의 시간 변경", body="매주 화요일 10시로", consent_days=1
    )
    with pytest.raises(DomainError) as err:
        services.object_to(actor=cast.jihoon, decision=d, reason=f"제 주민번호 {RRN} 기준으로 휴가입니다")
    assert err.value.code == "personal_data" and "900101-1******" in str(err.value.message)
    assert RRN not in str(err.value.message)
    o = services.object_to(actor=cast.jihoon, decision=d, reason=f"제 주민번호 {RRN} 기준", personal_data_ok=True)
    assert row("labs.objection").is_held
    shown = page(lab, cast.seojun)
    assert RRN not in shown and "주민번호" not in shown and "보류" in shown  # withheld, with a note
    assert RRN in page(lab, cast.jihoon)  # its author
    api = client(cast.seojun).get(f"/api/labs/{lab.slug}/decisions").json()
    assert api[0]["objections"][0]["held"] is True and api[0]["objections"][0]["reason"] == ""
    assert services.settle_due_decisions(now=timezone.now() + timedelta(days=3)) == 0  # it still stands
    d.refresh_from_db()
    assert d.state == DecisionState.OPEN

    assert client(cast.doyun).post(f"/privacy/held/{row('labs.objection').pk}/release/").status_code == 302
    shown = page(lab, cast.seojun)
    assert "900101-1******" in shown and RRN not in shown

    with pytest.raises(DomainError):
        services.resolve_objection(actor=cast.jihoon, objection=o, resolution=f"연락처 {PHONE}로 조율함")
    services.resolve_objection(
        actor=cast.jihoon, objection=o, resolution=f"연락처 {PHONE}로 조율함", personal_data_ok=True
    )
    assert row("labs.objection").state == ScreeningState.CONFIRMED  # a new record: the release stays decided
    shown = page(lab, cast.seojun)
    assert "010-****-6789" in shown and PHONE not in shown and RRN not in shown
    assert verify_all() == []


def test_a_held_objection_resolved_stays_held(cast, lab):
    d = services.propose_decision(actor=cast.minji, lab=lab, title="회의 시간 변경", body="화요일 10시")
    o = services.object_to(actor=cast.jihoon, decision=d, reason=f"주민번호 {RRN}", personal_data_ok=True)
    services.resolve_objection(actor=cast.jihoon, objection=o, resolution=f"연락처 {PHONE}", personal_data_ok=True)
    held = row("labs.objection")
    assert held.is_held and {f["kind"] for f in held.findings} == {"rrn", "mobile"}


def test_a_held_report_waits_for_the_ledger_and_its_followers(cast, lab):
    services.follow_lab(actor=cast.sohee, lab=lab)
    with pytest.raises(DomainError):
        services.submit_report(actor=cast.minji, lab=lab, kind=ReportKind.FINAL, body=f"면담자 주민번호 {RRN}")
    report = services.submit_report(
        actor=cast.minji, lab=lab, kind=ReportKind.FINAL, body=f"면담자 주민번호 {RRN}", personal_data_ok=True
    )
    assert not Entry.objects.filter(kind=LabEntry.REPORT_FINAL).exists()
    assert not Notification.objects.filter(user=cast.sohee, kind=NotificationKind.LAB).exists()
    assert RRN not in page(lab, cast.seojun) and RRN not in page(lab)
    assert client().get(f"/api/labs/{lab.slug}/reports").json() == []
    assert verify_all() == []  # a held report is not missing from the ledger
    with pytest.raises(DomainError) as err:
        services.close_lab(actor=cast.minji, lab=lab, outcome=LabOutcome.ENDED, note="종료")
    assert err.value.code == "held_report"

    assert client(cast.doyun).post(f"/privacy/held/{row('labs.report').pk}/mask/").status_code == 302
    report.refresh_from_db()
    assert RRN not in report.body and "900101-1******" in report.body
    assert Entry.objects.filter(kind=LabEntry.REPORT_FINAL).count() == 1
    assert Notification.objects.filter(user=cast.sohee, kind=NotificationKind.LAB).count() == 1
    assert "900101-1******" in page(lab)
    assert verify_all() == []


def test_a_held_report_may_be_deleted_and_submitted_again(cast, lab):
    services.submit_report(
        actor=cast.minji, lab=lab, kind=ReportKind.MIDTERM, body=f"주민번호 {RRN}", personal_data_ok=True
    )
    assert client(cast.doyun).post(f"/privacy/held/{row('labs.report').pk}/delete/").status_code == 302
    assert not LabReport.objects.exists()
    services.submit_report(actor=cast.minji, lab=lab, kind=ReportKind.MIDTERM, body="중간 보고")
    assert verify_all() == []


def test_a_confirmed_report_is_in_the_ledger_at_once_and_masked_for_others(cast, lab):
    services.submit_report(
        actor=cast.minji, lab=lab, kind=ReportKind.MIDTERM, body=f"문의 {PHONE}", personal_data_ok=True
    )
    assert Entry.objects.filter(kind=LabEntry.REPORT_MIDTERM).count() == 1
    api = client().get(f"/api/labs/{lab.slug}/reports").json()
    assert api[0]["body"] == "문의 010-****-6789"
    # In the ledger: a moderator may keep it as published, not change it.
    r = client(cast.doyun, lang="en").post(f"/privacy/held/{row('labs.report').pk}/mask/")
    assert r.status_code == 400 and "public ledger cannot be changed" in r.content.decode()
    assert row("labs.report").state == ScreeningState.CONFIRMED
    assert verify_all() == []


def test_an_experiment_is_screened_on_every_save(cast, lab):
    with pytest.raises(DomainError) as err:
        services.record_experiment(actor=cast.minji, lab=lab, hypothesis="전화 안내", result=f"응답자 {PHONE}")
    assert err.value.field == "result"
    x = services.record_experiment(
        actor=cast.minji, lab=lab, hypothesis="전화 안내", result=f"응답자 주민번호 {RRN}", personal_data_ok=True
    )
    assert selectors.shown_experiments(cast.jihoon, lab) == [] and RRN not in page(lab)
    assert selectors.shown_experiments(cast.minji, lab) == [x]
    services.record_experiment(
        actor=cast.minji,
        lab=lab,
        hypothesis="전화 안내",
        state=ExperimentState.SUCCEEDED,
        result="응답률이 올랐다",
        experiment=x,
    )
    assert row("labs.experiment") is None  # edited out: no longer held
    assert [e.result for e in selectors.shown_experiments(cast.jihoon, lab)] == ["응답률이 올랐다"]


def test_a_milestone_title_is_screened_and_masked_for_others(cast, lab):
    with pytest.raises(DomainError):
        services.add_milestone(actor=cast.minji, lab=lab, title=f"{PHONE} 회신", due_on=timezone.localdate())
    services.add_milestone(
        actor=cast.minji, lab=lab, title=f"{PHONE} 회신", due_on=timezone.localdate(), personal_data_ok=True
    )
    assert [m.title for m in selectors.shown_milestones(cast.jihoon, lab)] == ["010-****-6789 회신"]
    assert PHONE not in client().get(f"/api/labs/{lab.slug}/milestones").content.decode()
    assert PHONE not in client().get(f"/api/labs/{lab.slug}").content.decode()
    assert PHONE in page(lab, cast.minji)


def test_the_page_forms_carry_the_confirmation_box(cast, lab):
    services.propose_decision(actor=cast.minji, lab=lab, title="회의", body="화요일")
    html = page(lab, cast.jihoon)
    for action in ("object", "milestone", "experiment", "report"):
        form = html.split(f"/labs/{lab.slug}/{action}/", 1)[1].split("</form>", 1)[0]
        assert 'name="personal_data_ok"' in form, action
