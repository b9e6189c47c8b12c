"""Forming a lab over JSON: officials volunteer, 강도윤 of the innovation team confirms them and
starts the lab once two are in."""

from madang.labs.models import LabState

from .conftest import client


def post(c, url, data=None):
    return c.post(url, data or {}, content_type="application/json")


def test_it_forms_a_lab_from_volunteers_to_start(cast, lab):
    ids = {}
    for who in (cast.minji, cast.jihoon):
        r = post(client(who), f"/api/labs/{lab.slug}/memberships", {"motivation": "현장 경험을 살리고 싶습니다"})
        assert r.status_code == 201 and r.json()["state"] == "applied"
        ids[who.username] = r.json()["id"]
    team = client(cast.doyun)
    r = post(team, f"/api/labs/{lab.slug}/start")
    assert r.status_code == 400 and r.json()["code"] == "too_few_members"
    for pk in ids.values():
        r = post(team, f"/api/labs/{lab.slug}/memberships/{pk}/confirm", {"accept": True})
        assert r.status_code == 200 and r.json()["state"] == "member" and r.json()["joined_at"]
    r = post(team, f"/api/labs/{lab.slug}/start")
    assert r.status_code == 200 and r.json()["state"] == LabState.RUNNING
    assert {m["name"] for m in r.json()["members"]} == {"김민지", "박지훈"}
    assert post(team, f"/api/labs/{lab.slug}/start").json()["code"] == "started"


def test_it_declines_a_volunteer_and_refuses_a_second_answer(cast, lab):
    pk = post(client(cast.seojun), f"/api/labs/{lab.slug}/memberships", {"motivation": "참여"}).json()["id"]
    team = client(cast.doyun)
    assert post(team, f"/api/labs/{lab.slug}/memberships/{pk}/confirm", {"accept": False}).json()["state"] == "declined"
    r = post(team, f"/api/labs/{lab.slug}/memberships/{pk}/confirm", {"accept": True})
    assert r.status_code == 400 and r.json()["code"] == "handled"


def test_it_refuses_citizens_and_second_applications(cast, lab):
    r = post(client(cast.garam, "en"), f"/api/labs/{lab.slug}/memberships", {"motivation": "참여"})
    assert r.status_code == 400 and r.json()["code"] == "cannot_apply"
    post(client(cast.minji), f"/api/labs/{lab.slug}/memberships", {"motivation": "참여"})
    r = post(client(cast.minji), f"/api/labs/{lab.slug}/memberships", {"motivation": "또 참여"})
    assert r.status_code == 400
    assert lab.memberships.filter(user=cast.minji).count() == 1


def test_it_refuses_an_empty_motivation_at_the_edge(cast, lab):
    r = post(client(cast.minji), f"/api/labs/{lab.slug}/memberships", {"motivation": ""})
    assert r.status_code == 422 and r.json()["field"] == "motivation"


def test_it_confirms_only_this_labs_volunteers(cast, lab):
    pk = post(client(cast.minji), f"/api/labs/{lab.slug}/memberships", {"motivation": "참여"}).json()["id"]
    r = post(client(cast.doyun), f"/api/labs/{lab.slug}/memberships/{pk + 1}/confirm", {"accept": True})
    assert r.status_code == 404
