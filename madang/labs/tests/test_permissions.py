"""Who sees and does what in a lab, for every role in every phase, through the page and the API alike."""

import pytest

from madang.labs import services
from madang.labs.models import LabDecision, Milestone
from madang.people.models import Kind

from .conftest import PHASES, ROLES, client, lab_in, person

OFFICIALS = {"official", "applicant", "former", "member", "team", "admin"}
TEAM = {"team", "admin"}


def expected(role: str, phase: str) -> dict[str, bool]:
    open_ = phase != "closed"
    return {
        "apply": role in {"official", "former", "team", "admin"} and open_,
        "confirm": role in TEAM and open_,
        "start": role in TEAM and phase == "forming",
        "work": role == "member" and open_,
        "close": phase == "running" and role in TEAM | {"member"},
        "hand_over": phase == "running" and role in TEAM,
        "follow": role != "anonymous",
        "read_journal": role in OFFICIALS,
    }


def test_it_casts_the_roles_it_claims(cast):
    assert cast.garam.kind == Kind.CITIZEN
    assert all(person(cast, r).is_official for r in OFFICIALS)


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("role", ROLES)
def test_it_tells_each_role_what_it_may_do_in_each_phase(cast, role, phase):
    lab = lab_in(cast, phase)
    r = client(person(cast, role)).get(f"/api/labs/{lab.slug}")
    assert r.status_code == 200
    assert r.json()["can"] == expected(role, phase)


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("role", ROLES)
def test_it_shows_the_page_and_its_forms_by_the_same_rules(cast, role, phase):
    lab = lab_in(cast, phase)
    services.add_journal_entry(actor=cast.minji, lab=lab, body="현장 인터뷰 5건") if phase != "closed" else None
    r = client(person(cast, role)).get(f"/labs/{lab.slug}/")
    assert r.status_code == 200
    html = r.content.decode()
    can = expected(role, phase)
    assert ('id="h-journal"' in html) == can["read_journal"]
    assert ("현장 인터뷰 5건" in html) == (can["read_journal"] and phase != "closed")
    assert (f"/labs/{lab.slug}/decision/" in html) == can["work"]
    assert (f"/labs/{lab.slug}/apply/" in html) == can["apply"]
    assert (f"/labs/{lab.slug}/start/" in html) == can["start"]
    assert (f"/labs/{lab.slug}/close/" in html) == can["close"]
    assert ("정보화 경험을 보태고 싶습니다" in html) == (can["confirm"])  # applicants' motivations: the team's


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("role", ROLES)
def test_it_lets_only_officials_and_the_team_read_the_journal_over_the_api(cast, role, phase):
    lab = lab_in(cast, phase)
    r = client(person(cast, role)).get(f"/api/labs/{lab.slug}/journal")
    assert r.status_code == (200 if role in OFFICIALS else 401 if role == "anonymous" else 404)


def refused(role: str, api: bool) -> int:
    if role == "anonymous":
        return 401 if api else 302
    return 403


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("role", ROLES)
def test_it_lets_only_members_of_an_open_lab_propose_on_page_and_api(cast, role, phase):
    lab = lab_in(cast, phase)
    c = client(person(cast, role))
    may = expected(role, phase)["work"]
    r = c.post(f"/labs/{lab.slug}/decision/", {"title": "주간 회고", "body": "금요일 오후", "consent_days": 2})
    assert r.status_code == (302 if may else refused(role, api=False))
    r = c.post(
        f"/api/labs/{lab.slug}/decisions",
        {"title": "격주 현장 방문", "body": "목요일"},
        content_type="application/json",
    )
    assert r.status_code == (201 if may else refused(role, api=True))
    assert LabDecision.objects.filter(lab=lab).count() == (2 if may else 0)


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("role", ROLES)
def test_it_lets_only_members_of_an_open_lab_add_milestones_and_journal_entries(cast, role, phase):
    lab = lab_in(cast, phase)
    c = client(person(cast, role))
    may = expected(role, phase)["work"]
    r = c.post(f"/labs/{lab.slug}/milestone/", {"title": "현장 조사", "due_on": "2026-09-01"})
    assert r.status_code == (302 if may else refused(role, api=False))
    r = c.post(
        f"/api/labs/{lab.slug}/milestones",
        {"title": "시범 운영", "due_on": "2026-10-01"},
        content_type="application/json",
    )
    assert r.status_code == (201 if may else refused(role, api=True))
    assert Milestone.objects.filter(lab=lab).count() == (2 if may else 0)
    r = c.post(f"/api/labs/{lab.slug}/journal", {"body": "인터뷰 3건"}, content_type="application/json")
    assert r.status_code == (201 if may else refused(role, api=True))
    assert lab.journal.count() == (1 if may else 0)


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("role", ROLES)
def test_it_takes_volunteers_by_the_same_rule_on_page_and_api(cast, role, phase):
    lab = lab_in(cast, phase)
    user = person(cast, role)
    may = expected(role, phase)["apply"]
    r = client(user).post(f"/labs/{lab.slug}/apply/", {"motivation": "참여하고 싶습니다"})
    assert r.status_code == (302 if may or role == "anonymous" else 400)
    if may:  # a second application is refused, on the API as on the page
        services.leave_lab(actor=user, lab=lab)
    r = client(user).post(f"/api/labs/{lab.slug}/memberships", {"motivation": "참여"}, content_type="application/json")
    assert r.status_code == (201 if may else 401 if role == "anonymous" else 400)


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("role", ROLES)
def test_it_lets_only_the_team_confirm_volunteers(cast, role, phase):
    lab = lab_in(cast, phase)
    applied = lab.memberships.get(user=cast.haneul)
    may = expected(role, phase)["confirm"]
    r = client(person(cast, role)).post(f"/labs/{lab.slug}/confirm/", {"membership": applied.pk, "accept": "0"})
    assert r.status_code == (302 if may else refused(role, api=False))
    applied.refresh_from_db()
    assert applied.state == ("declined" if may else "applied")
    second = services.apply_to_lab(actor=cast.yuna, lab=lab, motivation="기획 경험") if phase != "closed" else applied
    r = client(person(cast, role)).post(
        f"/api/labs/{lab.slug}/memberships/{second.pk}/confirm", {"accept": True}, content_type="application/json"
    )
    assert r.status_code == (200 if may else refused(role, api=True))
    second.refresh_from_db()
    assert (second.state == "member") == may


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("role", ROLES)
def test_it_lets_only_the_team_start_a_forming_lab(cast, role, phase):
    lab = lab_in(cast, phase)
    may = expected(role, phase)["start"]
    team = role in TEAM
    page = client(person(cast, role)).post(f"/labs/{lab.slug}/start/")
    assert page.status_code == (302 if may else 400 if team else refused(role, api=False))
    lab_in_db = type(lab).objects.get(pk=lab.pk)
    assert lab_in_db.state == ("running" if phase == "forming" and may else phase)


@pytest.mark.parametrize("role", ROLES)
def test_it_lets_members_and_the_team_close_a_running_lab_over_the_api(cast, role):
    lab = lab_in(cast, "running")
    services.submit_report(actor=cast.minji, lab=lab, kind="final", body="성과 보고")
    may = expected(role, "running")["close"]
    r = client(person(cast, role)).post(
        f"/api/labs/{lab.slug}/close", {"outcome": "adopted", "note": "도입"}, content_type="application/json"
    )
    assert r.status_code == (200 if may else refused(role, api=True))
    lab.refresh_from_db()
    assert (lab.state == "closed") == may
    if may:
        assert r.json()["outcome"] == "adopted"
