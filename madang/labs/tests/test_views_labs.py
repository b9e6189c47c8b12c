import pytest
from django.test import Client

from madang.labs.models import LabDecision


def client(user=None):
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def test_it_shows_the_portfolio_and_lab_page_to_anyone(cast, running):
    assert running.title in client().get("/labs/").content.decode()
    html = client().get(f"/labs/{running.slug}/").content.decode()
    assert "김민지" in html and "박지훈" in html


def test_it_lets_a_member_propose_and_an_outsider_not(cast, running):
    r = client(cast.minji).post(
        f"/labs/{running.slug}/decision/", {"title": "주간 회고", "body": "금요일 오후", "consent_days": 2}
    )
    assert r.status_code == 302
    assert LabDecision.objects.filter(lab=running).count() == 1
    r = client(cast.seojun).post(f"/labs/{running.slug}/decision/", {"title": "외부", "body": "x", "consent_days": 2})
    assert r.status_code == 403
    assert LabDecision.objects.filter(lab=running).count() == 1


def test_it_refuses_bad_forms_with_400_and_unknown_actions_with_404(cast, running):
    assert (
        client(cast.minji).post(f"/labs/{running.slug}/decision/", {"title": "", "consent_days": 99}).status_code == 400
    )
    assert client(cast.minji).post(f"/labs/{running.slug}/explode/").status_code == 404
    assert client(cast.minji).post("/labs/no-such-lab/decision/").status_code == 404


def test_it_takes_volunteers_and_lets_the_team_confirm(cast, lab):
    r = client(cast.seojun).post(f"/labs/{lab.slug}/apply/", {"motivation": "해 보고 싶습니다"})
    assert r.status_code == 302
    m = lab.memberships.get(user=cast.seojun)
    assert (
        client(cast.jihoon).post(f"/labs/{lab.slug}/confirm/", {"membership": m.pk, "accept": "1"}).status_code == 403
    )
    assert client(cast.doyun).post(f"/labs/{lab.slug}/confirm/", {"membership": m.pk, "accept": "1"}).status_code == 302
    m.refresh_from_db()
    assert m.state == "member"


def test_it_refuses_to_start_with_one_member_on_the_page_too(cast, lab):
    client(cast.seojun).post(f"/labs/{lab.slug}/apply/", {"motivation": "참여"})
    m = lab.memberships.get()
    client(cast.doyun).post(f"/labs/{lab.slug}/confirm/", {"membership": m.pk, "accept": "1"})
    r = client(cast.doyun).post(f"/labs/{lab.slug}/start/", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400
    assert "fewer than two members" in r.content.decode()


@pytest.mark.parametrize("who", ["anonymous", "minji", "seojun", "doyun"])
def test_it_lets_only_members_write_the_journal(cast, running, who):
    c = client(None if who == "anonymous" else getattr(cast, who))
    r = c.post(f"/labs/{running.slug}/journal/", {"happened_on": "2026-01-05", "body": "현장 인터뷰 5건"})
    if who == "minji":
        assert r.status_code == 302 and running.journal.count() == 1
    else:
        assert r.status_code in (302, 403) and running.journal.count() == 0
