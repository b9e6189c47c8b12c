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


def test_it_names_an_internal_task_on_its_lab_page_only_to_those_who_may_read_the_proposal(cast, running):
    # Finding: a lab's public page showed the title and problem of a proposal marked internal.
    calls.set_internal(actor=cast.doyun, proposal=running.proposal, internal=True, reason="보안 과제")
    for who in ROLES:
        page = client(cast, who).get(f"/labs/{running.slug}/")
        assert page.status_code == 200, who
        seers = {"minji", "doyun", "admin"}  # the author (also a member) and the team
        assert ("민원 서류 간소화" in page.content.decode()) == (who in seers), who
        assert "민원 서류 간소화" not in client(cast, who).get("/labs/").content.decode()


def test_it_hides_a_lab_in_a_confidential_call_from_those_who_may_not_read_the_call(cast, running):
    from madang.calls.models import Call, Confidentiality

    Call.objects.filter(pk=running.proposal.call_id).update(confidentiality=Confidentiality.OFFICIALS)
    for who in ROLES:
        status = client(cast, who).get(f"/labs/{running.slug}/").status_code
        assert status == (404 if who in {"anonymous", "garam"} else 200), who


def test_it_shows_the_task_link_only_to_those_who_may_read_the_task(cast, running):
    calls.set_internal(actor=cast.doyun, proposal=running.proposal, internal=True, reason="보안 과제")
    page = client(cast, "jihoon").get(f"/labs/{running.slug}/").content.decode()  # a member, but not an author
    assert "민원 서류 간소화" not in page
    assert "민원 서류 간소화" in client(cast, "minji").get(f"/labs/{running.slug}/").content.decode()


def test_it_shows_released_duties_to_the_lab_and_the_team_only(cast, running):
    # Finding: members' released duties were shown to anonymous visitors.
    services.set_released_duties(actor=cast.jihoon, lab=running, duties=["budget"])
    label = "면제 업무: 예산·지출 업무"  # "Released from: Budget and spending work" as the member list shows it
    seers = {"minji", "jihoon", "doyun", "admin"}  # the members and the innovation team
    for who in ROLES:
        page = client(cast, who).get(f"/labs/{running.slug}/").content.decode()
        assert (label in page) == (who in seers), who
