"""What a lab tells people says what the lab did (it used to read as the innovation team's
review decision), in each reader's language, and tells the home department which duties it covers."""

from django.utils import translation

from madang.inbox.models import NotificationKind
from madang.inbox.services import describe
from madang.labs import services
from madang.labs.models import LabOutcome


def _said(notification, lang="ko"):
    with translation.override(lang):
        return describe(notification)


def test_it_tells_the_home_department_which_duties_were_released(cast, running):
    services.set_released_duties(actor=cast.jihoon, lab=running, duties=["weekly_reports", "budget"])
    note = cast.sohee.notifications.get()  # 윤소희 is the liaison of 교통과, 박지훈's department
    assert note.kind == NotificationKind.LAB
    korean = _said(note)
    assert "박지훈" in korean and running.title in korean
    assert "주간 업무 보고" in korean and "예산·지출 업무" in korean
    assert "혁신팀" not in korean and "결정했습니다" not in korean
    assert "weekly_reports" not in korean and "budget" not in korean
    english = _said(note, "en")
    assert "Weekly reports" in english and "Budget and spending work" in english


def test_it_says_when_no_duty_is_released_any_more(cast, running):
    services.set_released_duties(actor=cast.jihoon, lab=running, duties=["budget"])
    services.set_released_duties(actor=cast.jihoon, lab=running, duties=[])
    latest = cast.sohee.notifications.order_by("-pk").first()
    assert "더 이상" in _said(latest)


def test_it_tells_the_members_a_decision_was_proposed(cast, running):
    services.propose_decision(actor=cast.minji, lab=running, title="주 1회 현장 방문", body="매주 목요일 민원실 방문")
    note = cast.jihoon.notifications.get()
    assert note.kind == NotificationKind.LAB
    korean = _said(note)
    assert "김민지" in korean and "주 1회 현장 방문" in korean and "이의" in korean
    assert "혁신팀" not in korean


def test_it_tells_followers_of_reports_and_closure(cast, running):
    services.follow_lab(actor=cast.seojun, lab=running)
    services.submit_report(actor=cast.minji, lab=running, kind="final", body="성과 보고")
    services.close_lab(actor=cast.minji, lab=running, outcome=LabOutcome.ADOPTED, note="전 시군 도입")
    report, closed = cast.seojun.notifications.order_by("pk")
    assert {report.kind, closed.kind} == {NotificationKind.LAB}
    assert "최종 성과 보고서" in _said(report) and "혁신팀" not in _said(report)
    assert "정식 업무로 채택" in _said(closed) and "혁신팀" not in _said(closed)
