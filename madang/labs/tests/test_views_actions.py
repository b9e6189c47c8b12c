"""Every action on a lab's page, as the members and the team use it: each is one POST that
redirects back with "Saved.", or answers 400 with the form's message."""

from datetime import timedelta

from madang.labs.models import LabState, Membership

from .conftest import client


def post(c, lab, action, data=None, lang="ko"):
    return c.post(f"/labs/{lab.slug}/{action}/", data or {}, HTTP_ACCEPT_LANGUAGE=lang)


def test_it_records_experiments_and_states_failures_as_lessons(cast, running):
    minji = client(cast.minji)
    r = post(minji, running, "experiment", {"hypothesis": "음성 안내", "state": "failed"}, lang="en")
    assert r.status_code == 400 and "what did you learn" in r.content.decode()
    r = post(minji, running, "experiment", {"hypothesis": "음성 안내", "state": "failed", "lesson": "큰 글씨가 낫다"})
    assert r.status_code == 302
    assert running.experiments.get().lesson == "큰 글씨가 낫다"
    assert "큰 글씨가 낫다" in client().get(f"/labs/{running.slug}/").content.decode()


def test_it_extends_the_term_once(cast, running):
    new_end = (running.ends_on + timedelta(days=60)).isoformat()
    assert (
        post(client(cast.jihoon), running, "extend", {"new_end": new_end, "reason": "시범 운영 연장"}).status_code
        == 302
    )
    running.refresh_from_db()
    assert running.extended_at is not None and running.extension_reason == "시범 운영 연장"
    again = (running.ends_on + timedelta(days=10)).isoformat()
    assert post(client(cast.jihoon), running, "extend", {"new_end": again, "reason": "또"}).status_code == 400


def test_it_submits_reports_and_closes(cast, running):
    minji = client(cast.minji)
    assert (
        post(minji, running, "close", {"outcome": "adopted", "note": "도입"}).status_code == 400
    )  # no final report yet
    assert post(minji, running, "report", {"kind": "final", "body": "서류 40% 감축"}).status_code == 302
    assert post(minji, running, "close", {"outcome": "adopted", "note": "전 시군 도입"}).status_code == 302
    running.refresh_from_db()
    assert running.state == LabState.CLOSED
    html = client().get(f"/labs/{running.slug}/").content.decode()
    assert "전 시군 도입" in html and "서류 40% 감축" in html


def test_it_records_released_duties_and_tells_the_home_department(cast, running):
    assert post(client(cast.jihoon), running, "duties", {"duties": ["weekly_reports", "budget"]}).status_code == 302
    assert Membership.objects.get(lab=running, user=cast.jihoon).released_duties == ["budget", "weekly_reports"]
    assert cast.sohee.notifications.count() == 1  # 교통과's liaison
    assert post(client(cast.jihoon), running, "duties", {"duties": ["napping"]}).status_code == 400
    assert post(client(cast.seojun), running, "duties", {"duties": ["budget"]}).status_code == 403


def test_it_lets_people_follow_and_leave(cast, running):
    seojun = client(cast.seojun)
    assert post(seojun, running, "follow", {"follow": "1"}).status_code == 302
    assert running.followers.filter(pk=cast.seojun.pk).exists()
    post(seojun, running, "follow", {"follow": "0"})
    assert not running.followers.filter(pk=cast.seojun.pk).exists()
    assert post(client(cast.jihoon), running, "leave", {"reason": "인사 이동"}).status_code == 302
    left = Membership.objects.get(lab=running, user=cast.jihoon)
    assert left.state == "left" and left.left_reason == "인사 이동"
    assert post(seojun, running, "leave").status_code == 400  # not in the lab


def test_it_completes_milestones_and_resolves_objections_by_id(cast, running):
    minji, jihoon = client(cast.minji), client(cast.jihoon)
    post(minji, running, "milestone", {"title": "현장 조사", "due_on": running.ends_on.isoformat()})
    m = running.milestones.get()
    assert post(client(cast.seojun), running, "milestone_done", {"milestone": m.pk}).status_code == 403
    assert post(minji, running, "milestone_done", {"milestone": m.pk}).status_code == 302
    m.refresh_from_db()
    assert m.done_on is not None
    post(minji, running, "decision", {"title": "주간 회고", "body": "금요일", "consent_days": 2})
    d = running.decisions.get()
    assert post(jihoon, running, "object", {"decision": d.pk, "text": "시간 조정"}).status_code == 302
    o = d.objections.get()
    assert post(minji, running, "resolve", {"objection": o.pk, "text": "대신 해결"}).status_code == 403
    assert post(jihoon, running, "resolve", {"objection": o.pk, "text": "목요일로 합의"}).status_code == 302
    o.refresh_from_db()
    assert o.resolution == "목요일로 합의"


def test_it_lets_the_team_create_a_lab_only_from_a_selected_proposal(cast, lab):
    assert client(cast.minji).get(f"/labs/new/{lab.proposal_id}/").status_code == 404
    r = client(cast.doyun).get(f"/labs/new/{lab.proposal_id}/")
    assert r.status_code == 200
    r = client(cast.doyun).post(
        f"/labs/new/{lab.proposal_id}/",
        {
            "slug": "again",
            "title": "두 번째",
            "home": cast.province.pk,
            "starts_on": "2026-01-01",
            "ends_on": "2026-05-01",
        },
    )
    assert r.status_code == 400  # this proposal already has a lab
