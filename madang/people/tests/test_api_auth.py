"""Who the API thinks you are: personal tokens, the browser session with CSRF, and nobody."""

from datetime import timedelta

import pytest
from django.test import Client
from pydantic import ValidationError

from madang.calls.models import Support
from madang.people import services as people
from madang.people.api_auth import Input
from madang.people.models import ApiToken, User
from madang.testing import fresh_login

CSRF = "a" * 32  # an unmasked CSRF secret: Django accepts it as cookie and header alike


def bearer(secret: str, lang: str = "ko") -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}", HTTP_ACCEPT_LANGUAGE=lang, enforce_csrf_checks=True)


@pytest.fixture
def minji_token(cast):
    token, secret = people.issue_api_token(actor=cast.minji, name="내 스크립트")
    return token, secret


# ---------------------------------------------------------------- tokens


def test_it_knows_minji_by_her_token(cast, minji_token):
    token, secret = minji_token
    r = bearer(secret).get("/api/me")
    assert r.status_code == 200
    assert (r.json()["username"], r.json()["department"]) == ("minji", "한빛도 민원과")
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_token_still_works_after_a_migration_adds_a_column_under_the_running_server(cast, minji_token):
    """On PostgreSQL the token's and the user's reads are prepared on the server's connection after
    five uses (settings.py, `postgres_binding`). Written as `SELECT *`, a prepared read failed
    ("cached plan must not change result type") once a migration, on a connection of its own, added
    a column, until the servers restarted."""
    import psycopg
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("statements are prepared on PostgreSQL only")
    _, secret = minji_token
    client = bearer(secret)
    for _ in range(7):
        assert client.get("/api/me").status_code == 200
    db = connection.settings_dict
    tables = [model._meta.db_table for model in (ApiToken, User)]
    with psycopg.connect(
        dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"], host=db["HOST"], port=db["PORT"], autocommit=True
    ) as migration:
        for table in tables:
            migration.execute(f"ALTER TABLE {table} ADD COLUMN added_by_an_upgrade integer")
        try:
            r = client.get("/api/me")
            assert (r.status_code, r.json()["username"]) == (200, "minji")
        finally:
            for table in tables:
                migration.execute(f"ALTER TABLE {table} DROP COLUMN added_by_an_upgrade")


def test_it_notes_token_use_at_most_once_a_minute(cast, minji_token):
    token, secret = minji_token
    bearer(secret).get("/api/me")
    token.refresh_from_db()
    first = token.last_used_at
    bearer(secret).get("/api/me")
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    bearer(secret).get("/api/me")
    token.refresh_from_db()
    assert token.last_used_at > first - timedelta(minutes=2)


def test_it_refuses_a_revoked_token_in_both_languages(cast, minji_token):
    token, secret = minji_token
    people.revoke_api_token(actor=cast.minji, token=token)
    r = bearer(secret, "en").get("/api/me")
    assert r.status_code == 401
    assert r.json()["code"] == "not_authenticated"
    assert r.json()["message"] == "Please log in, or send a valid API token as “Authorization: Bearer …”."
    assert r["WWW-Authenticate"].startswith("Bearer")
    assert bearer(secret).get("/api/me").status_code == 401


def test_it_refuses_a_revoked_token_even_beside_a_live_session(cast, minji_token):
    token, secret = minji_token
    people.revoke_api_token(actor=cast.minji, token=token)
    c = bearer(secret)
    c.force_login(cast.minji)
    assert c.get("/api/me").status_code == 401


@pytest.mark.parametrize(
    "header", ["Bearer", "Bearer ", "bearer mdg_not_a_real_token", "Bearer a b", "Bearer " + "x" * 5000]
)
def test_it_refuses_malformed_or_unknown_tokens(cast, minji_token, header):
    c = Client(HTTP_AUTHORIZATION=header)
    assert c.get("/api/me").status_code == 401
    # A bad token is refused even where anonymous reading is allowed: the script must notice.
    assert c.get("/api/calls").status_code == 401


@pytest.mark.parametrize("header", ["Basic bWluamk6cGFzcw==", "Token mdg_abc"])
def test_it_leaves_other_schemes_to_the_session(cast, header):
    c = Client(HTTP_AUTHORIZATION=header)
    assert c.get("/api/me").status_code == 401
    assert c.get("/api/calls").status_code == 200
    c.force_login(cast.seojun)
    assert c.get("/api/me").json()["username"] == "seojun"


def test_it_refuses_the_token_of_a_deactivated_account(cast, minji_token):
    _token, secret = minji_token
    cast.minji.is_active = False
    cast.minji.save()
    assert bearer(secret).get("/api/me").status_code == 401


def test_it_shows_a_token_user_what_the_same_user_sees_in_pages(cast, minji_token):
    _token, secret = minji_token
    draft = cast.proposal(submit=False)
    page = Client()
    page.force_login(cast.minji)
    assert (
        page.get(f"/calls/p/{draft.pk}/").status_code
        == bearer(secret).get(f"/api/proposals/{draft.pk}").status_code
        == 200
    )
    _t, seojun_secret = people.issue_api_token(actor=cast.seojun, name="서준")
    page.force_login(cast.seojun)
    assert (
        page.get(f"/calls/p/{draft.pk}/").status_code
        == bearer(seojun_secret).get(f"/api/proposals/{draft.pk}").status_code
        == 404
    )
    listed = bearer(secret).get(f"/api/calls/{cast.call.slug}/proposals").json()
    assert [p["id"] for p in listed["items"]] == [draft.pk]


def test_it_needs_no_csrf_token_with_a_bearer_token(cast):
    p = cast.proposal()
    _t, secret = people.issue_api_token(actor=cast.seojun, name="서준")
    r = bearer(secret).post(f"/api/proposals/{p.pk}/support")
    assert r.status_code == 200
    assert Support.objects.filter(proposal=p, user=cast.seojun).exists()


# ---------------------------------------------------------------- the session


def test_it_enforces_csrf_for_session_writes(cast):
    p = cast.proposal()
    c = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    c.force_login(cast.seojun)
    assert c.get(f"/api/proposals/{p.pk}").status_code == 200  # reading needs no token
    r = c.post(f"/api/proposals/{p.pk}/support")
    assert r.status_code == 403
    assert r.json()["code"] == "csrf_failed"
    assert not Support.objects.exists()
    c.cookies["csrftoken"] = CSRF
    r = c.post(f"/api/proposals/{p.pk}/support", HTTP_X_CSRFTOKEN=CSRF)
    assert r.status_code == 200
    assert Support.objects.filter(user=cast.seojun).count() == 1


def test_it_answers_anonymous_writes_with_401_not_a_csrf_error(cast):
    p = cast.proposal()
    r = Client(enforce_csrf_checks=True).post(f"/api/proposals/{p.pk}/support")
    assert r.status_code == 401
    assert not Support.objects.exists()


def test_it_describes_me_with_my_roles(cast):
    c = Client()
    c.force_login(cast.doyun)
    me = c.get("/api/me").json()
    assert me["display_name"] == "강도윤"
    assert [(g["role"], g["organisation"]) for g in me["roles"]] == [("innovation_team", "한빛도")]
    assert Client().get("/api/me").status_code == 401


# ---------------------------------------------------------------- creating tokens


def test_it_creates_a_token_from_the_session_only(cast):
    c = fresh_login(Client(enforce_csrf_checks=True), cast.minji)
    c.cookies["csrftoken"] = CSRF
    r = c.post("/api/tokens", {"name": "통계 스크립트"}, content_type="application/json", HTTP_X_CSRFTOKEN=CSRF)
    assert r.status_code == 201
    secret = r.json()["token"]
    stored = ApiToken.objects.get(pk=r.json()["id"])
    assert stored.digest == ApiToken.digest_of(secret)
    assert secret not in (stored.digest, stored.prefix)
    assert bearer(secret).get("/api/me").json()["username"] == "minji"
    r = bearer(secret, "en").post("/api/tokens", {"name": "또 하나"}, content_type="application/json")
    assert r.status_code == 403
    assert r.json()["message"] == "API tokens can only be created from a logged-in browser session."
    assert Client().post("/api/tokens", {"name": "익명"}, content_type="application/json").status_code == 401
    assert ApiToken.objects.count() == 1


def test_it_refuses_a_bad_token_name(cast):
    c = Client()
    c.force_login(cast.minji)
    assert c.post("/api/tokens", {"name": "가" * 101}, content_type="application/json").status_code == 422
    assert c.post("/api/tokens", {"name": ""}, content_type="application/json").status_code == 422
    assert not ApiToken.objects.exists()


class _Flag(Input):
    flag: bool
    count: int = 0


@pytest.mark.parametrize("value", [0, 1, "true", "off", None, []])
def test_it_reads_a_boolean_only_from_json_true_or_false(value):
    # The API fuzz found {"internal": 0} accepted as "not internal" on /api/proposals/{pk}/internal.
    with pytest.raises(ValidationError):
        _Flag.model_validate({"flag": value})


def test_it_still_takes_true_false_and_other_fields():
    assert _Flag.model_validate({"flag": True}).flag is True
    assert _Flag.model_validate({"flag": False, "count": 3}).count == 3
