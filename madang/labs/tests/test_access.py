"""`access_lab` asks who is looking: a lab is hidden with its call, and each part of it is shown
to those the rules name. Before, the page found a lab by its address whoever asked."""

import pytest

from madang.calls.models import Call, Proposal
from madang.core.errors import NotFound
from madang.labs import selectors, services

from .conftest import ROLES, client, lab_in, person

TEAM = {"team", "admin"}


@pytest.mark.parametrize("role", ROLES)
def test_it_hides_a_lab_whose_call_was_taken_off_publication(cast, role):
    lab = lab_in(cast, "running")
    Call.objects.filter(pk=cast.call.pk).update(is_published=False)
    c = client(person(cast, role))
    seen = 200 if role in TEAM | {"member"} else 404
    assert c.get(f"/labs/{lab.slug}/").status_code == seen
    assert c.get(f"/api/labs/{lab.slug}").status_code == seen
    assert c.get(f"/api/labs/{lab.slug}/decisions").status_code == seen
    assert (lab.title in c.get("/labs/").content.decode()) == (role in TEAM | {"member"})
    assert [x["slug"] for x in c.get("/api/labs").json()] == ([lab.slug] if role in TEAM | {"member"} else [])


@pytest.mark.parametrize("role", ROLES)
def test_it_refuses_actions_on_a_hidden_lab_with_not_found(cast, role):
    lab = lab_in(cast, "running")
    Call.objects.filter(pk=cast.call.pk).update(is_published=False)
    if role == "anonymous":
        return
    r = client(person(cast, role)).post(f"/labs/{lab.slug}/decision/", {"title": "t", "body": "b", "consent_days": 2})
    # Its members go on working; the team sees it but does not work in it; everyone else finds nothing.
    assert r.status_code == {"member": 302, "team": 403, "admin": 403}.get(role, 404)


@pytest.mark.parametrize("role", ROLES)
def test_it_shows_released_duties_only_to_members_and_the_team(cast, role):
    lab = lab_in(cast, "running")
    services.set_released_duties(actor=cast.jihoon, lab=lab, duties=["budget"])
    members = client(person(cast, role)).get(f"/api/labs/{lab.slug}").json()["members"]
    jihoon = next(m for m in members if m["name"] == "박지훈")
    assert jihoon["released_duties"] == (["budget"] if role in TEAM | {"member"} else None)


@pytest.mark.parametrize("role", ROLES)
def test_it_names_an_internal_task_only_to_those_who_may_see_the_proposal(cast, role):
    lab = lab_in(cast, "running")
    Proposal.objects.filter(pk=lab.proposal_id).update(is_internal=True)
    task = client(person(cast, role)).get(f"/api/labs/{lab.slug}").json()["task"]
    # 김민지 wrote the proposal; the team sees everything in its call.
    assert (task is not None) == (role in TEAM | {"member"})


def test_it_answers_perms_through_the_rules(cast):
    lab = lab_in(cast, "running")
    assert selectors.access_lab(cast.minji, lab.slug, perm="work") == lab
    assert selectors.access_lab(cast.doyun, lab.pk, perm="manage") == lab
    for user, perm in ((cast.minji, "manage"), (cast.doyun, "work"), (cast.garam, "journal"), (None, "journal")):
        with pytest.raises(NotFound):
            selectors.access_lab(user, lab.slug, perm=perm)
    for missing in ("no-such-lab", 0, 2**63, -1):
        with pytest.raises(NotFound):
            selectors.access_lab(cast.doyun, missing)


def test_it_lets_no_member_work_in_a_closed_lab(cast):
    lab = lab_in(cast, "closed")
    with pytest.raises(NotFound):
        selectors.access_lab(cast.minji, lab.slug, perm="work")
    assert selectors.access_lab(cast.minji, lab.slug) == lab
