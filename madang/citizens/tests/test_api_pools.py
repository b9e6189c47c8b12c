"""The pools API: public reads, volunteering and answers with the same rules as the pages."""

import json

import pytest
from django.test import Client

from madang.citizens.models import Invitation, InvitationState, Volunteering


def api(user=None):
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        c.force_login(user)
    return c


def post(c, url, body=None):
    return c.post(url, json.dumps(body) if body is not None else "", content_type="application/json")


def test_it_reads_pools_and_transparency_without_logging_in(drawn):
    c = api()
    assert [p["id"] for p in c.get("/api/citizens/pools").json()] == [drawn.pk]
    pool = c.get(f"/api/citizens/pools/{drawn.pk}").json()
    assert pool["state"] == "drawn" and pool["me"] is None and pool["k"] == 5
    data = c.get(f"/api/citizens/pools/{drawn.pk}/transparency").json()
    made = drawn.lotteries.get()
    (lot,) = data["lotteries"]
    assert lot["verified"] and lot["quotas_met_in_every_panel"] and lot["commitment"] == made.commitment
    assert lot["probabilities_sorted"] == sorted(made.probabilities)
    assert lot["panel_pseudonyms"] == made.panel_pseudonyms
    assert "송누리" not in json.dumps(data, ensure_ascii=False)


def test_it_lets_a_citizen_volunteer_and_withdraw(pool, garam):
    c = api(garam)
    r = post(c, f"/api/citizens/pools/{pool.pk}/volunteer", {"email_me": True})
    assert r.status_code == 200 and r.json()["me"]["volunteered"]
    assert post(c, f"/api/citizens/pools/{pool.pk}/volunteer").status_code == 200  # body optional, idempotent
    assert c.delete(f"/api/citizens/pools/{pool.pk}/volunteer").json()["me"]["volunteered"] is False
    assert not Volunteering.objects.filter(pool=pool, user=garam).exists()


@pytest.mark.parametrize("who", ["minji", "doyun", "bada"])
def test_it_refuses_volunteering_by_officials(cast, pool, who):
    r = post(api(getattr(cast, who)), f"/api/citizens/pools/{pool.pk}/volunteer")
    assert r.status_code == 403 and r.json()["code"] == "forbidden"


def test_it_asks_anonymous_clients_to_log_in(pool):
    assert post(api(), f"/api/citizens/pools/{pool.pk}/volunteer").status_code == 401
    assert api().get("/api/citizens/invitations").status_code == 401


def test_it_explains_missing_consent(cast, pool):
    r = post(api(cast.garam), f"/api/citizens/pools/{pool.pk}/volunteer")
    assert r.status_code == 400 and r.json()["code"] == "no_consent"


@pytest.mark.parametrize("body", [{"email_me": "yes please"}, {"unknown": 1}, [1, 2]])
def test_it_answers_bad_bodies_with_422(pool, garam, body):
    r = post(api(garam), f"/api/citizens/pools/{pool.pk}/volunteer", body)
    assert r.status_code == 422


@pytest.mark.parametrize("pk", ["0", "abc", str(2**70)])
def test_it_answers_bad_ids_with_4xx(pk):
    assert 400 <= api().get(f"/api/citizens/pools/{pk}").status_code < 500


def test_it_answers_unknown_pools_with_404(db):
    assert api().get("/api/citizens/pools/12345").status_code == 404


def test_it_lets_the_invited_answer_through_the_api(cast, drawn):
    inv = Invitation.objects.filter(pool=drawn, state=InvitationState.INVITED).select_related("user").first()
    c = api(inv.user)
    assert [i["id"] for i in c.get("/api/citizens/invitations").json()] == [inv.pk]
    assert c.get(f"/api/citizens/pools/{drawn.pk}").json()["me"]["invitation"]["state"] == "invited"
    assert post(c, f"/api/citizens/invitations/{inv.pk}/answer", {"accept": "perhaps"}).status_code == 422
    assert post(c, f"/api/citizens/invitations/{inv.pk}/answer", {}).status_code == 422
    r = post(c, f"/api/citizens/invitations/{inv.pk}/answer", {"accept": False})
    assert r.status_code == 200 and r.json()["state"] == "declined"
    assert post(c, f"/api/citizens/invitations/{inv.pk}/answer", {"accept": True}).status_code == 409
    other = Volunteering.objects.filter(pool=drawn).exclude(user=inv.user).first().user
    assert post(api(other), f"/api/citizens/invitations/{inv.pk}/answer", {"accept": True}).status_code == 404
    assert post(api(cast.doyun), f"/api/citizens/invitations/{inv.pk}/answer", {"accept": True}).status_code == 404
