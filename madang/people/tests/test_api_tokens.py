"""API tokens expire (401 with its own code) and can be rotated; the list shows the expiry."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from madang.people import services as people
from madang.people.models import ApiToken
from madang.testing import fresh_login


def bearer(secret: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}", HTTP_ACCEPT_LANGUAGE="en")


def test_it_gives_every_token_an_expiry(cast, settings):
    settings.MADANG_API_TOKEN_DAYS = 90
    token, _secret = people.issue_api_token(actor=cast.minji, name="기본")
    assert abs((token.expires_at - timezone.now()) - timedelta(days=90)) < timedelta(minutes=1)
    token, _secret = people.issue_api_token(actor=cast.minji, name="짧게", days=7)
    assert abs((token.expires_at - timezone.now()) - timedelta(days=7)) < timedelta(minutes=1)


def test_it_refuses_a_lifetime_past_the_maximum(cast, settings):
    settings.MADANG_API_TOKEN_MAX_DAYS = 365
    c = fresh_login(Client(), cast.minji)
    r = c.post("/api/tokens", {"name": "영원히", "days": 1000}, content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "days"
    assert not ApiToken.objects.exists()


def test_it_answers_an_expired_token_with_a_clear_401(cast):
    token, secret = people.issue_api_token(actor=cast.minji, name="스크립트", days=1)
    assert bearer(secret).get("/api/me").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    r = bearer(secret).get("/api/me")
    assert r.status_code == 401 and r.json()["code"] == "token_expired"
    assert "expired" in r.json()["message"] and "invalid_token" in r["WWW-Authenticate"]


def test_it_rotates_a_token_with_no_overlap(cast):
    token, old_secret = people.issue_api_token(actor=cast.minji, name="스크립트")
    c = fresh_login(Client(), cast.minji)
    r = c.post(f"/api/tokens/{token.pk}/rotate", {"days": 30}, content_type="application/json")
    assert r.status_code == 201
    new_secret = r.json()["token"]
    assert r.json()["name"] == "스크립트"
    assert bearer(new_secret).get("/api/me").status_code == 200
    assert bearer(old_secret).get("/api/me").status_code == 401
    assert ApiToken.objects.get(pk=r.json()["id"]).rotated_from_id == token.pk
    # A token cannot rotate itself (or anything): a thief would keep the account forever.
    assert (
        bearer(new_secret).post(f"/api/tokens/{r.json()['id']}/rotate", {}, content_type="application/json").status_code
        == 403
    )


def test_it_rotates_only_ones_own_live_tokens(cast):
    token, _secret = people.issue_api_token(actor=cast.seojun, name="서준")
    c = fresh_login(Client(), cast.minji)
    assert c.post(f"/api/tokens/{token.pk}/rotate", {}, content_type="application/json").status_code == 404
    assert c.post(f"/people/settings/tokens/{token.pk}/rotate/").status_code == 404


def test_it_rotates_and_lists_tokens_on_the_settings_page(cast):
    token, old_secret = people.issue_api_token(actor=cast.minji, name="스크립트")
    c = fresh_login(Client(), cast.minji)
    r = c.post(f"/people/settings/tokens/{token.pk}/rotate/")
    assert r.status_code == 200 and "mdg_" in r.content.decode()
    assert bearer(old_secret).get("/api/me").status_code == 401
    page = c.get("/people/settings/").content.decode()
    new = ApiToken.objects.get(rotated_from=token)
    assert timezone.localtime(new.expires_at).strftime("%Y-%m-%d") in page


def test_it_lists_tokens_with_their_expiry_in_the_api(cast):
    people.issue_api_token(actor=cast.minji, name="하나", days=10)
    c = fresh_login(Client(), cast.minji)
    [row] = c.get("/api/tokens").json()
    assert row["name"] == "하나" and row["expires_at"] and row["expired"] is False
