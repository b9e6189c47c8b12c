"""Milestones, reports and closing over JSON: the members track their work, submit the final
outcome report, and close the lab; handing the task to a department is the team's."""

from madang.labs.models import LabState

from .conftest import client


def post(c, url, data=None):
    return c.post(url, data or {}, content_type="application/json")


def test_it_tracks_milestones(cast, running):
    minji = client(cast.minji)
    r = post(minji, f"/api/labs/{running.slug}/milestones", {"title": "현장 조사 완료", "due_on": "2026-09-01"})
    assert r.status_code == 201 and r.json()["done_on"] is None
    pk = r.json()["id"]
    r = post(client(cast.jihoon), f"/api/labs/{running.slug}/milestones/{pk}/done")
    assert r.status_code == 200 and r.json()["done_on"]
    assert post(client(cast.seojun), f"/api/labs/{running.slug}/milestones/{pk}/done").status_code == 403
    assert [m["title"] for m in client().get(f"/api/labs/{running.slug}/milestones").json()] == ["현장 조사 완료"]


def test_it_refuses_a_bad_date_at_the_edge(cast, running):
    r = post(client(cast.minji, "en"), f"/api/labs/{running.slug}/milestones", {"title": "x", "due_on": "2026-02-30"})
    assert r.status_code == 422 and r.json()["field"] == "due_on"


def test_it_takes_each_report_once_and_shows_it_to_anyone(cast, running):
    r = post(
        client(cast.minji), f"/api/labs/{running.slug}/reports", {"kind": "midterm", "body": "현장 조사를 마쳤습니다"}
    )
    assert r.status_code == 201 and r.json()["submitted_by"] == "김민지"
    r = post(client(cast.jihoon), f"/api/labs/{running.slug}/reports", {"kind": "midterm", "body": "다시"})
    assert r.status_code == 400 and r.json()["code"] == "duplicate"
    r = post(client(cast.jihoon), f"/api/labs/{running.slug}/reports", {"kind": "weekly", "body": "x"})
    assert r.status_code == 422
    assert [x["kind"] for x in client().get(f"/api/labs/{running.slug}/reports").json()] == ["midterm"]


def test_it_closes_after_the_final_report(cast, running):
    minji = client(cast.minji)
    r = post(minji, f"/api/labs/{running.slug}/close", {"outcome": "adopted", "note": "도입"})
    assert r.status_code == 400 and r.json()["code"] == "no_final_report"
    post(minji, f"/api/labs/{running.slug}/reports", {"kind": "final", "body": "서류 40% 감축"})
    r = post(minji, f"/api/labs/{running.slug}/close", {"outcome": "ended", "note": "교훈을 남기고 종료"})
    assert r.status_code == 200
    assert r.json()["state"] == LabState.CLOSED and r.json()["outcome_note"] == "교훈을 남기고 종료"
    assert r.json()["can"]["work"] is False
    assert (
        post(minji, f"/api/labs/{running.slug}/milestones", {"title": "x", "due_on": "2026-09-01"}).status_code == 403
    )


def test_it_lets_only_the_team_hand_the_task_to_a_department(cast, running):
    post(client(cast.minji), f"/api/labs/{running.slug}/reports", {"kind": "final", "body": "성과 보고"})
    handover = {"outcome": "handed_over", "note": "교통과가 운영", "department_id": cast.transport.pk}
    assert post(client(cast.minji), f"/api/labs/{running.slug}/close", handover).status_code == 403
    r = post(client(cast.doyun), f"/api/labs/{running.slug}/close", {**handover, "department_id": cast.province.pk})
    assert r.status_code == 404 and r.json()["field"] == "department_id"  # a province is not a department
    r = post(client(cast.doyun), f"/api/labs/{running.slug}/close", handover)
    assert r.status_code == 200 and r.json()["handed_to"] == "한빛도 교통과"
    assert running.proposal.routings.get().department == cast.transport
