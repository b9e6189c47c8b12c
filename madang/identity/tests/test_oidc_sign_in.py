"""Officials sign in through their agency's OpenID Connect provider: a real one, on loopback
(oidc_provider.py), with Madang as the relying party. Each broken answer is refused with a
sentence, never a stack trace."""

from urllib.parse import urlsplit

import pytest
import requests
from django.test import Client
from joserfc.jwk import RSAKey

from madang.identity.models import ExternalIdentity, IdentityProvider
from madang.people.models import User

CALLBACK = "http://testserver/identity/p/hanbit/oidc/callback/"


@pytest.fixture
def provider(cast, fresh_idp, settings):
    settings.MADANG_IDENTITY_CLIENT_SECRETS = {"hanbit": "client-secret-1"}
    fresh_idp.add_client("madang-hanbit", "client-secret-1", CALLBACK)
    return IdentityProvider.objects.create(
        slug="hanbit",
        name="한빛도 통합인증",
        organisation=cast.province,
        issuer=fresh_idp.issuer,
        client_id="madang-hanbit",
        claims={
            "username": "preferred_username",
            "name": "name",
            "email": "email",
            "department": "dept_code",
            "grade": "grade",
            "title": "position",
            "active": "account_active",
        },
    )


def official(cast, **overrides):
    person = {
        "sub": "hb-000123",
        "preferred_username": "sso.nari",
        "name": "송나리",
        "email": "nari@hanbit.example",
        "dept_code": cast.transport.code,
        "grade": "7급",
        "position": "주무관",
    }
    person.update(overrides)
    return person


def sign_in(client, idp, person, *, start="/identity/p/hanbit/"):
    idp.person = person
    r = client.get(start)
    assert r.status_code == 302, r.content.decode()[:500]
    assert r["Location"].startswith(idp.issuer + "/authorize?")
    at_idp = requests.get(r["Location"], allow_redirects=False, timeout=10)
    assert at_idp.status_code == 302, at_idp.text
    back = urlsplit(at_idp.headers["Location"])
    assert f"http://{back.netloc}{back.path}" == CALLBACK
    return client.get(f"{back.path}?{back.query}"), f"{back.path}?{back.query}"


def text(response) -> str:
    return response.content.decode()


def test_it_makes_an_account_on_first_sign_in_with_the_mapped_claims(cast, client, provider, fresh_idp):
    r, _ = sign_in(client, fresh_idp, official(cast))
    assert r.status_code == 302 and r["Location"] == "/"
    user = User.objects.get(username="sso.nari")
    assert (user.display_name, user.email, user.department, user.grade, user.title) == (
        "송나리",
        "nari@hanbit.example",
        cast.transport,
        7,
        "주무관",
    )
    assert user.is_official and not user.has_usable_password()
    assert ExternalIdentity.objects.get(provider=provider, subject="hb-000123").user == user
    assert client.get("/people/settings/").status_code == 200  # signed in


def test_it_follows_a_move_to_another_department_on_the_next_sign_in(cast, client, provider, fresh_idp):
    sign_in(client, fresh_idp, official(cast))
    client.post("/people/logout/")
    r, _ = sign_in(client, fresh_idp, official(cast, dept_code=cast.welfare.code, grade="6", position="팀장"))
    assert r.status_code == 302
    user = User.objects.get(username="sso.nari")
    assert (user.department, user.grade, user.title) == (cast.welfare, 6, "팀장")
    assert User.objects.filter(display_name="송나리").count() == 1


def test_a_move_to_another_department_ends_the_roles_held_over_the_old_one(cast, client, provider, fresh_idp):
    """Found in review: a liaison of 교통과 who moved to 복지과 kept answering for 교통과."""
    from madang.people.models import Role, RoleGrant
    from madang.people.rules import has_any_role

    sign_in(client, fresh_idp, official(cast))
    user = User.objects.get(username="sso.nari")
    RoleGrant.objects.create(user=user, role=Role.LIAISON, organisation=cast.transport)
    RoleGrant.objects.create(user=user, role=Role.FACILITATOR, organisation=cast.province)  # the whole province
    RoleGrant.objects.create(user=user, role=Role.REVIEWER, call=cast.call)  # one call
    client.post("/people/logout/")
    sign_in(client, fresh_idp, official(cast, dept_code=cast.welfare.code))
    held = set(RoleGrant.objects.filter(user=user).values_list("role", flat=True))
    assert held == {Role.FACILITATOR, Role.REVIEWER}  # the province still holds 복지과; the call is the call's
    user = User.objects.get(pk=user.pk)
    assert not has_any_role(user, Role.LIAISON)


def reauth_through_provider(client, idp, person):
    """From the re-authentication page, the provider's link, the provider, and back."""
    page = client.get("/people/reauth/?next=/people/settings/")
    assert page.status_code == 200
    links = [url for _label, url in page.context["links"]]
    assert links == ["/identity/p/hanbit/?reauth=1&next=%2Fpeople%2Fsettings%2F"]
    assert "password" not in page.context["form"].data  # no password field shown to one who has none
    assert 'name="password"' not in text(page)
    return sign_in(client, idp, person, start=links[0])


def test_an_official_without_a_password_confirms_it_is_them_through_their_provider(cast, client, provider, fresh_idp):
    """Found in review: the re-authentication page asked everyone for a password, which officials
    signed in through their agency do not have: they could not reach any sensitive action."""
    from madang.people import sessions

    sign_in(client, fresh_idp, official(cast))
    session = client.session
    session[sessions.REAUTH_KEY] = 0  # long ago
    session.save()
    r, _ = reauth_through_provider(client, fresh_idp, official(cast))
    assert fresh_idp.last_authorize == {"prompt": "login", "max_age": "0"}  # a new sign-in there, asked for
    assert r.status_code == 302 and r["Location"] == "/people/settings/"
    assert client.session[sessions.REAUTH_KEY] > 0


def test_a_confirmation_by_someone_else_or_on_an_old_session_at_the_provider_is_refused(
    cast, client, provider, fresh_idp
):
    from madang.people import sessions

    sign_in(client, fresh_idp, official(cast))
    session = client.session
    session[sessions.REAUTH_KEY] = 0
    session.save()
    other = official(cast, sub="hb-000999", preferred_username="sso.other", name="남다른")
    r, _ = reauth_through_provider(client, fresh_idp, other)
    assert r.status_code == 403 and r.context["error"].code == "other_person"
    fresh_idp.tamper["auth_age"] = 3600  # the provider let them through on an hour-old session
    r, _ = reauth_through_provider(client, fresh_idp, official(cast))
    assert r.status_code == 403 and r.context["error"].code == "not_fresh"
    assert client.session[sessions.REAUTH_KEY] == 0  # not confirmed
    assert client.get("/people/settings/").status_code == 200  # still signed in as themselves


def test_it_links_the_account_the_staff_import_made(cast, client, provider, fresh_idp):
    r, _ = sign_in(client, fresh_idp, official(cast, sub="hb-minji", preferred_username="minji", name="김민지"))
    assert r.status_code == 302
    assert ExternalIdentity.objects.get(subject="hb-minji").user == cast.minji


def test_it_refuses_an_account_disabled_in_madang(cast, client, provider, fresh_idp):
    sign_in(client, fresh_idp, official(cast))
    client.post("/people/logout/")
    User.objects.filter(username="sso.nari").update(is_active=False)
    r, _ = sign_in(client, fresh_idp, official(cast))
    assert r.status_code == 403 and ("disabled" in text(r) or "사용 중지" in text(r))
    assert "_auth_user_id" not in client.session


def test_it_refuses_an_account_the_provider_marks_disabled(cast, client, provider, fresh_idp):
    r, _ = sign_in(client, fresh_idp, official(cast, account_active=False))
    assert r.status_code == 403
    assert "identity provider" in text(r) or "인증" in text(r)
    assert not User.objects.filter(username="sso.nari").exists()


def test_it_refuses_a_department_outside_the_providers_organisation(cast, client, provider, fresh_idp):
    r, _ = sign_in(client, fresh_idp, official(cast, dept_code=cast.other_province.code))
    assert r.status_code == 403 and not User.objects.filter(username="sso.nari").exists()


def test_it_refuses_an_expired_id_token(cast, client, provider, fresh_idp):
    fresh_idp.tamper = {"age": 3600}  # issued an hour ago, expired fifty minutes ago
    r, _ = sign_in(client, fresh_idp, official(cast))
    assert r.status_code == 403
    assert "expired" in text(r) or "만료" in text(r)
    assert "Traceback" not in text(r) and "_auth_user_id" not in client.session


def test_it_refuses_a_token_meant_for_another_site(cast, client, provider, fresh_idp):
    fresh_idp.tamper = {"aud": ["another-site"]}
    r, _ = sign_in(client, fresh_idp, official(cast))
    assert r.status_code == 403
    assert "another site" in text(r) or "다른 사이트" in text(r)
    assert "_auth_user_id" not in client.session


def test_it_refuses_a_token_naming_us_only_as_authorised_party(cast, client, provider, fresh_idp):
    # Authlib by itself would accept this one: `aud` another client, `azp` us.
    fresh_idp.tamper = {"aud": ["another-site"]}
    person = official(cast, azp="madang-hanbit")
    r, _ = sign_in(client, fresh_idp, person)
    assert r.status_code == 403 and "_auth_user_id" not in client.session


def test_it_refuses_a_bad_signature(cast, client, provider, fresh_idp):
    # Signed by a key that is not the provider's, under the provider's key id.
    fresh_idp.tamper = {"key": RSAKey.generate_key(2048, parameters={"kid": "madang-test-1"}, private=True)}
    r, _ = sign_in(client, fresh_idp, official(cast))
    assert r.status_code == 403
    assert "not signed with its key" in text(r) or "서명" in text(r)
    assert "_auth_user_id" not in client.session


def test_it_refuses_a_replayed_nonce(cast, client, provider, fresh_idp):
    sign_in(client, fresh_idp, official(cast))
    client.post("/people/logout/")
    fresh_idp.tamper = {"replay_nonce": True}  # the next token carries the first sign-in's nonce
    r, _ = sign_in(client, fresh_idp, official(cast))
    assert r.status_code == 403
    assert "already used" in text(r) or "이미 사용" in text(r)
    assert "_auth_user_id" not in client.session


def test_it_refuses_a_replayed_answer(cast, client, provider, fresh_idp):
    r, callback = sign_in(client, fresh_idp, official(cast))
    assert r.status_code == 302
    client.post("/people/logout/")
    again = client.get(callback)  # the same code and state, sent a second time
    assert again.status_code == 403
    assert "already used" in text(again) or "이미 사용" in text(again)
    assert "_auth_user_id" not in client.session


def test_it_refuses_an_answer_started_in_another_browser(cast, client, provider, fresh_idp):
    fresh_idp.person = official(cast)
    r = client.get("/identity/p/hanbit/")
    at_idp = requests.get(r["Location"], allow_redirects=False, timeout=10)
    back = urlsplit(at_idp.headers["Location"])
    other = Client()
    r = other.get(f"{back.path}?{back.query}")
    assert r.status_code == 403 and "_auth_user_id" not in other.session


def test_it_refuses_a_provider_whose_discovery_names_another_issuer(cast, client, provider, fresh_idp):
    fresh_idp.tamper = {"metadata_issuer": "https://evil.example"}
    r = client.get("/identity/p/hanbit/")
    assert r.status_code == 403 and ("another issuer" in text(r) or "다른 발급자" in text(r))


def test_it_says_so_when_the_secret_is_not_configured(cast, client, provider, settings):
    settings.MADANG_IDENTITY_CLIENT_SECRETS = {}
    r = client.get("/identity/p/hanbit/")
    assert r.status_code == 503 and ("client secret" in text(r) or "비밀" in text(r))


def test_it_can_switch_passwords_off_for_the_organisation(cast, client, provider):
    from madang.testing import PASSWORD

    r = client.post("/people/login/", {"username": "minji", "password": PASSWORD})
    assert r.status_code == 302
    client.post("/people/logout/")
    provider.password_sign_in = False
    provider.save()
    r = client.post("/people/login/", {"username": "minji", "password": PASSWORD})
    assert r.status_code == 403 and "_auth_user_id" not in client.session
    assert "한빛도 통합인증" in text(r)  # the message names the way in, and the page links it
    assert "/identity/p/hanbit/" in text(r)
    # An official of another organisation keeps their password.
    assert client.post("/people/login/", {"username": "bada", "password": PASSWORD}).status_code == 302


def test_an_unknown_provider_is_not_found(cast, client):
    assert client.get("/identity/p/nowhere/").status_code == 404
