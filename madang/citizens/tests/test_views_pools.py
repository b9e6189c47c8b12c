"""The pool pages for every role: the public, citizens, officials, organisers."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from madang.citizens.models import Invitation, InvitationState, PoolState, Volunteering
from madang.people import services as people
from madang.people.models import Role


def _future() -> str:
    """When the seed is to be published, as the form takes it: after now."""
    return (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")


def client_for(user=None):
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        c.force_login(user)
    return c


def test_it_shows_pools_and_their_transparency_to_everyone(drawn):
    c = client_for()
    assert drawn.title in c.get("/citizens/pools/").content.decode()
    assert c.get(f"/citizens/pools/{drawn.pk}/").status_code == 200
    page = c.get(f"/citizens/pools/{drawn.pk}/transparency/").content.decode()
    made = drawn.lotteries.get()
    assert made.commitment in page and made.seed in page and "<svg" in page
    assert all(p in page for p in made.panel_pseudonyms)
    assert "Verified on the server just now" in page
    for secret in ("송누리", "한가람", "nuri@", 'Female</td><td class="num">1'):
        assert secret not in page
    r = c.get(f"/citizens/pools/{drawn.pk}/lottery-{made.pk}.json")
    assert r.status_code == 200 and r.json()["commitment"] == made.commitment


def test_it_hides_uncommitted_lotteries_from_the_public(computed):
    c = client_for()
    made = computed.lotteries.get()
    assert made.commitment not in c.get(f"/citizens/pools/{computed.pk}/transparency/").content.decode()
    assert c.get(f"/citizens/pools/{computed.pk}/lottery-{made.pk}.json").status_code == 404


@pytest.mark.parametrize("who", [None, "garam", "minji", "bada", "sohee", "yuna"])
def test_it_keeps_the_organiser_pages_from_everyone_else(cast, computed, who):
    c = client_for(getattr(cast, who) if who else None)
    for url in (f"/citizens/pools/{computed.pk}/organise/", f"/citizens/pools/{computed.pk}/progress/"):
        assert c.get(url).status_code in (302, 404)
    for action in ("quotas", "close", "compute", "commit", "draw", "replacement", "replacement_draw"):
        r = c.post(f"/citizens/pools/{computed.pk}/{action}/", {"seed": "1", "seed_source": "x"})
        assert r.status_code in (302, 404), action
        if who:
            assert r.status_code == 404
    computed.refresh_from_db()
    assert computed.state == PoolState.COMPUTED


@pytest.mark.parametrize("role", [Role.INNOVATION_TEAM, Role.FACILITATOR, Role.ADMINISTRATOR])
def test_it_lets_each_organiser_role_of_the_organisation_run_the_pool(cast, pool, volunteers, role):
    people.grant_role(actor=None, user=cast.haneul, role=role, organisation=cast.province)
    c = client_for(cast.haneul)
    assert c.get(f"/citizens/pools/{pool.pk}/organise/").status_code == 200
    assert c.post(f"/citizens/pools/{pool.pk}/close/").status_code == 302
    assert c.post(f"/citizens/pools/{pool.pk}/compute/").status_code == 302
    page = c.get(f"/citizens/pools/{pool.pk}/organise/").content.decode()
    assert "Finished" in page or "완료" in page
    assert (
        c.post(
            f"/citizens/pools/{pool.pk}/commit/", {"seed_source": "2026-12-05 lotto", "seed_due_at": _future()}
        ).status_code
        == 302
    )
    assert c.post(f"/citizens/pools/{pool.pk}/draw/", {"seed": "5 6 7"}).status_code == 302
    pool.refresh_from_db()
    assert pool.state == PoolState.DRAWN
    assert "Invitations" in c.get(f"/citizens/pools/{pool.pk}/organise/").content.decode()


def test_it_lets_an_organiser_create_a_pool(cast):
    c = client_for(cast.doyun)
    assert c.get("/citizens/pools/new/").status_code == 200
    r = c.post(
        "/citizens/pools/new/",
        {
            "title": "청년 해커톤",
            "purpose": "hackathon",
            "organisation": cast.province.pk,
            "k": 4,
            "attributes": ["gender", "region"],
            "opens_at": "2026-01-01T09:00",
            "closes_at": "2030-01-01T09:00",
            "answer_days": 5,
        },
    )
    assert r.status_code == 302
    assert client_for(cast.minji).get("/citizens/pools/new/").status_code == 404
    bad = c.post(
        "/citizens/pools/new/", {"title": "", "organisation": cast.other_province.pk, "k": 0, "attributes": ["x"]}
    )
    assert bad.status_code == 400


def test_it_walks_a_citizen_through_volunteering_and_answering(cast, pool, volunteers, garam):
    c = client_for(garam)
    page = c.get(f"/citizens/pools/{pool.pk}/").content.decode()
    assert "You have volunteered." in page
    assert c.post(f"/citizens/pools/{pool.pk}/withdraw/").status_code == 302
    assert not Volunteering.objects.filter(pool=pool, user=garam).exists()
    assert c.post(f"/citizens/pools/{pool.pk}/volunteer/", {"email_me": "on"}).status_code == 302
    assert Volunteering.objects.filter(pool=pool, user=garam).exists()


def test_it_tells_a_citizen_without_consent_what_is_missing(cast, pool):
    c = client_for(cast.garam)
    assert "consent" in c.get(f"/citizens/pools/{pool.pk}/").content.decode()
    r = c.post(f"/citizens/pools/{pool.pk}/volunteer/")
    assert r.status_code == 400 and "consent" in r.content.decode()


def test_it_lets_the_invited_answer_and_no_one_else(cast, drawn):
    inv = Invitation.objects.filter(pool=drawn, state=InvitationState.INVITED).select_related("user").first()
    stranger = Volunteering.objects.filter(pool=drawn).exclude(user=inv.user).first().user
    assert (
        client_for(stranger).post(f"/citizens/invitations/{inv.pk}/answer/", {"answer": "confirm"}).status_code == 404
    )
    assert (
        client_for(cast.doyun).post(f"/citizens/invitations/{inv.pk}/answer/", {"answer": "confirm"}).status_code == 404
    )
    c = client_for(inv.user)
    assert "You were drawn." in c.get(f"/citizens/pools/{drawn.pk}/").content.decode()
    assert c.post(f"/citizens/invitations/{inv.pk}/answer/", {"answer": "maybe"}).status_code == 400
    assert c.post(f"/citizens/invitations/{inv.pk}/answer/", {"answer": "confirm"}).status_code == 302
    assert c.post(f"/citizens/invitations/{inv.pk}/answer/", {"answer": "decline"}).status_code == 409
    inv.refresh_from_db()
    assert inv.state == InvitationState.CONFIRMED


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("quotas", {"gender__female__min": "3", "gender__female__max": "1"}),
        ("quotas", {"gender__female__min": "-1"}),
        ("quotas", {"gender__female__min": "abc"}),
        ("commit", {"seed_source": ""}),
        ("commit", {"seed_source": "x" * 400}),
        ("draw", {"seed": "1"}),
        ("nonsense", {}),
    ],
)
def test_it_answers_bad_organiser_input_with_a_4xx(cast, computed, url, data):
    r = client_for(cast.doyun).post(f"/citizens/pools/{computed.pk}/{url}/", data)
    assert 400 <= r.status_code < 500


def test_it_answers_unknown_pools_with_404(cast):
    c = client_for(cast.doyun)
    for url in (
        "/citizens/pools/999/",
        "/citizens/pools/999/transparency/",
        "/citizens/pools/999/organise/",
        "/citizens/pools/999/lottery-1.json",
    ):
        assert c.get(url).status_code == 404
    assert c.post("/citizens/invitations/999/answer/", {"answer": "confirm"}).status_code == 404


def test_it_serves_the_replacement_steps(cast, drawn):
    for inv in Invitation.objects.filter(pool=drawn).select_related("user"):
        from madang.citizens import services

        services.answer_invitation(actor=inv.user, invitation=inv, accept=inv.index % 2 == 0)
    c = client_for(cast.doyun)
    r = c.post(
        f"/citizens/pools/{drawn.pk}/replacement/", {"seed_source": "2026-12-12 lotto", "seed_due_at": _future()}
    )
    if not Invitation.objects.filter(pool=drawn, state="declined").exists():
        assert r.status_code == 409
        return
    assert r.status_code in (302, 400)
    if r.status_code == 302:
        assert c.post(f"/citizens/pools/{drawn.pk}/replacement_draw/", {"seed": "9 9 9"}).status_code == 302
        page = client_for().get(f"/citizens/pools/{drawn.pk}/transparency/").content.decode()
        assert page.count("Verified on the server just now") == 2
