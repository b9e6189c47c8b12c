"""A lab is as visible as its task, and released duties are no one else's business (issue 12 §4)."""

from django.test import Client

from madang.calls import services as calls
from madang.labs import services

ROLES = ["anonymous", "minji", "seojun", "jihoon", "garam", "bada", "yuna", "doyun", "sohee", "admin"]


def client(cast, who: str) -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE="ko")
    if who != "anonymous":
        c.force_login(getattr(cast, who))
    return c


def test_it_hides_a_lab_on_an_internal_proposal_from_those_who_may_not_read_the_proposal(cast, running):
    # Finding: a lab's public page showed the title and problem of a proposal marked internal.
    calls.set_internal(actor=cast.doyun, proposal=running.proposal, internal=True, reason="보안 과제")
    for who in ROLES:
        c = client(cast, who)
        seers = {"minji", "jihoon", "doyun", "admin"}  # the author (also a member), the other member, the team
        assert c.get(f"/labs/{running.slug}/").status_code == (200 if who in seers else 404), who
        assert (running.title in c.get("/labs/").content.decode()) == (who in seers), who
        assert "민원 서류 간소화" not in c.get("/labs/").content.decode()


def test_it_shows_the_task_link_only_to_those_who_may_read_the_task(cast, running):
    calls.set_internal(actor=cast.doyun, proposal=running.proposal, internal=True, reason="보안 과제")
    page = client(cast, "jihoon").get(f"/labs/{running.slug}/").content.decode()  # a member, but not an author
    assert "민원 서류 간소화" not in page
    assert "민원 서류 간소화" in client(cast, "minji").get(f"/labs/{running.slug}/").content.decode()


def test_it_shows_released_duties_to_the_lab_the_team_and_the_home_department_only(cast, running):
    # Finding: members' released duties were shown to anonymous visitors.
    services.set_released_duties(actor=cast.jihoon, lab=running, duties=["budget"])
    label = "면제 업무: budget"  # "Released from: budget" as the member list shows it
    seers = {"minji", "jihoon", "doyun", "admin", "sohee"}  # members, the team, 교통과 (박지훈's department) and its liaison
    for who in ROLES:
        page = client(cast, who).get(f"/labs/{running.slug}/").content.decode()
        assert (label in page) == (who in seers), who
