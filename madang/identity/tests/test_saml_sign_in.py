"""Officials sign in through their agency's SAML 2.0 identity provider: a real one, pysaml2's
`Server` on loopback (saml_idp.py), with Madang as the service provider. Each broken answer is
refused with a sentence, never a stack trace."""

import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import saml2.time_util
from django.conf import settings as django_settings
from django.test import Client

from madang.identity.models import ExternalIdentity, IdentityProvider, Protocol, SpentAssertion
from madang.identity.saml import REQUEST_KEY
from madang.identity.views import RELAYED
from madang.people.models import User

ACS = "/identity/p/hanbit-saml/saml/acs/"
SP_ENTITY_ID = "https://madang.example/saml/hanbit"


@pytest.fixture
def provider(cast, client, fresh_saml_idp):
    provider = IdentityProvider.objects.create(
        slug="hanbit-saml",
        name="한빛도 SAML 인증",
        protocol=Protocol.SAML,
        organisation=cast.province,
        issuer=fresh_saml_idp.entity_id,
        client_id=SP_ENTITY_ID,
        metadata_xml=fresh_saml_idp.metadata_xml,
        claims={
            "username": "uid",
            "name": "displayName",
            "email": "mail",
            "department": "deptCode",
            "grade": "grade",
            "title": "title",
            "active": "accountActive",
        },
    )
    # The IdP's administrator loads our metadata, as served by Madang.
    r = client.get("/identity/p/hanbit-saml/saml/metadata/")
    assert r.status_code == 200, r.content.decode()[:500]
    fresh_saml_idp.trust_sp(r.content.decode())
    return provider


def official(cast, **overrides):
    person = {
        "subject": "hb-000123",
        "uid": "sso.nari",
        "displayName": "송나리",
        "mail": "nari@hanbit.example",
        "deptCode": cast.transport.code,
        "grade": "7급",
        "title": "주무관",
    }
    person.update(overrides)
    return person


def ask_idp(client, idp, person, start="/identity/p/hanbit-saml/"):
    """Start a sign-in at Madang and let the IdP answer; the SAMLResponse the browser would post."""
    idp.person = person
    r = client.get(start)
    assert r.status_code == 302, r.content.decode()[:500]
    location = urlsplit(r["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == idp.base + "/sso"
    assert "SAMLRequest" in parse_qs(location.query)
    at_idp = requests.get(r["Location"], timeout=10)
    assert at_idp.status_code == 200, at_idp.text
    answer = at_idp.json()
    assert answer["acs"] == "http://testserver" + ACS
    return answer["SAMLResponse"]


def post_answer(client, saml_response):
    """The browser's POST to the ACS (cross-site: relayed by Madang's page), then the relayed one."""
    first = client.post(ACS, {"SAMLResponse": saml_response})
    assert first.status_code == 200 and 'id="saml-relay"' in first.content.decode()
    # The relay page leaves the session alone: a cross-site POST carries no session cookie, and
    # a new one set here would sign the browser out of the session that made the request (an
    # empty session's cookie may be deleted, as on any page).
    set_cookie = first.cookies.get(django_settings.SESSION_COOKIE_NAME)
    assert set_cookie is None or set_cookie.value == ""
    return client.post(ACS, {"SAMLResponse": saml_response, RELAYED: "1"})


def sign_in(client, idp, person, start="/identity/p/hanbit-saml/"):
    saml_response = ask_idp(client, idp, person, start)
    return post_answer(client, saml_response), saml_response


def text(response) -> str:
    return response.content.decode()


def refused(response) -> bool:
    return response.status_code == 403 and "Traceback" not in text(response)


def test_the_metadata_names_our_entity_id_and_acs(cast, client, provider):
    r = client.get("/identity/p/hanbit-saml/saml/metadata/")
    assert r["Content-Type"].startswith("application/samlmetadata+xml")
    assert SP_ENTITY_ID in text(r) and "http://testserver" + ACS in text(r)
    assert 'WantAssertionsSigned="true"' in text(r)


def test_the_metadata_is_served_before_the_idps_is_known(cast, client, provider):
    provider.metadata_xml = ""
    provider.save()
    r = client.get("/identity/p/hanbit-saml/saml/metadata/")
    assert r.status_code == 200 and SP_ENTITY_ID in text(r)


def test_it_makes_an_account_on_first_sign_in_with_the_mapped_attributes(cast, client, provider, fresh_saml_idp):
    r, _ = sign_in(client, fresh_saml_idp, official(cast))
    assert r.status_code == 302 and r["Location"] == "/", text(r)[:800]
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
    assert REQUEST_KEY not in client.session  # the request was spent


def test_it_follows_a_move_to_another_department_on_the_next_sign_in(cast, client, provider, fresh_saml_idp):
    sign_in(client, fresh_saml_idp, official(cast))
    client.post("/people/logout/")
    r, _ = sign_in(client, fresh_saml_idp, official(cast, deptCode=cast.welfare.code, grade="6", title="팀장"))
    assert r.status_code == 302
    user = User.objects.get(username="sso.nari")
    assert (user.department, user.grade, user.title) == (cast.welfare, 6, "팀장")
    assert User.objects.filter(display_name="송나리").count() == 1


def test_it_refuses_an_account_disabled_in_madang(cast, client, provider, fresh_saml_idp):
    sign_in(client, fresh_saml_idp, official(cast))
    client.post("/people/logout/")
    User.objects.filter(username="sso.nari").update(is_active=False)
    r, _ = sign_in(client, fresh_saml_idp, official(cast))
    assert refused(r) and ("disabled" in text(r) or "사용 중지" in text(r))
    assert "_auth_user_id" not in client.session


def test_it_refuses_an_account_the_provider_marks_disabled(cast, client, provider, fresh_saml_idp):
    r, _ = sign_in(client, fresh_saml_idp, official(cast, accountActive="퇴직"))
    assert refused(r) and not User.objects.filter(username="sso.nari").exists()


def test_it_refuses_a_replayed_answer(cast, client, provider, fresh_saml_idp):
    r, saml_response = sign_in(client, fresh_saml_idp, official(cast))
    assert r.status_code == 302
    client.post("/people/logout/")
    again = post_answer(client, saml_response)  # the request it answers was spent
    assert refused(again) and "_auth_user_id" not in client.session
    assert "already used" in text(again) or "이미 사용" in text(again)


def test_it_refuses_a_replayed_assertion_even_with_its_request_still_waiting(cast, client, provider, fresh_saml_idp):
    # Someone who also holds the request id (the session) posts the same assertion again: the
    # assertion's id was spent at the first sign-in.
    saml_response = ask_idp(client, fresh_saml_idp, official(cast))
    waiting = client.session[REQUEST_KEY]
    assert post_answer(client, saml_response).status_code == 302
    client.post("/people/logout/")
    session = client.session
    session[REQUEST_KEY] = waiting
    session.save()
    again = post_answer(client, saml_response)
    assert refused(again) and "_auth_user_id" not in client.session
    assert "already used" in text(again) or "이미 사용" in text(again)
    assert SpentAssertion.objects.filter(provider=provider).count() == 1


def test_it_refuses_an_expired_assertion(cast, client, provider, fresh_saml_idp, monkeypatch):
    saml_response = ask_idp(client, fresh_saml_idp, official(cast))
    # The answer arrives an hour late: it was valid for five minutes (and a minute of skew).
    monkeypatch.setattr(saml2.time_util, "utc_now", lambda: int(time.time()) + 3600)
    r = post_answer(client, saml_response)
    assert refused(r) and ("expired" in text(r) or "만료" in text(r))
    assert "_auth_user_id" not in client.session


def test_it_accepts_an_answer_within_the_clock_skew(cast, client, provider, fresh_saml_idp, monkeypatch):
    saml_response = ask_idp(client, fresh_saml_idp, official(cast))
    monkeypatch.setattr(saml2.time_util, "utc_now", lambda: int(time.time()) + 5 * 60 + 30)
    assert post_answer(client, saml_response).status_code == 302


def test_it_refuses_an_assertion_meant_for_another_site(cast, client, provider, fresh_saml_idp):
    fresh_saml_idp.tamper = {"audience": "https://elsewhere.example/sp"}
    r, _ = sign_in(client, fresh_saml_idp, official(cast))
    assert refused(r) and ("another site" in text(r) or "다른 사이트" in text(r))
    assert "_auth_user_id" not in client.session


def test_it_refuses_an_assertion_signed_by_another_key(cast, client, provider, fresh_saml_idp):
    fresh_saml_idp.tamper = {"rogue": True}
    r, _ = sign_in(client, fresh_saml_idp, official(cast))
    assert refused(r) and ("not signed with its key" in text(r) or "서명" in text(r))
    assert "_auth_user_id" not in client.session and not User.objects.filter(username="sso.nari").exists()


def test_it_refuses_an_unsigned_assertion_in_a_signed_response(cast, client, provider, fresh_saml_idp):
    fresh_saml_idp.tamper = {"unsigned_assertion": True}
    r, _ = sign_in(client, fresh_saml_idp, official(cast))
    assert refused(r) and ("not signed with its key" in text(r) or "서명" in text(r))
    assert "_auth_user_id" not in client.session


def test_it_refuses_an_unsolicited_answer(cast, client, provider, fresh_saml_idp):
    fresh_saml_idp.tamper = {"unsolicited": True}
    r, _ = sign_in(client, fresh_saml_idp, official(cast))
    assert refused(r) and ("started in this browser" in text(r) or "이 브라우저" in text(r))
    assert "_auth_user_id" not in client.session


def test_it_refuses_an_answer_started_in_another_browser(cast, client, provider, fresh_saml_idp):
    saml_response = ask_idp(client, fresh_saml_idp, official(cast))
    other = Client()
    r = post_answer(other, saml_response)
    assert refused(r) and "_auth_user_id" not in other.session
    assert not User.objects.filter(username="sso.nari").exists()


def test_it_refuses_a_post_without_an_answer(cast, client, provider):
    r = client.post(ACS, {RELAYED: "1"})
    assert refused(r)


def test_it_says_so_when_the_metadata_is_missing(cast, client, provider):
    provider.metadata_xml = ""
    provider.save()
    r = client.get("/identity/p/hanbit-saml/")
    assert r.status_code == 503 and ("metadata" in text(r) or "메타데이터" in text(r))


def test_the_second_factor_gate_applies(cast, client, provider, fresh_saml_idp, settings):
    settings.MADANG_SECOND_FACTOR_REQUIRED = True
    sign_in(client, fresh_saml_idp, official(cast))  # makes the account
    client.post("/people/logout/")
    User.objects.filter(username="sso.nari").update(is_staff=True)
    r, _ = sign_in(client, fresh_saml_idp, official(cast))
    assert r.status_code == 302 and r["Location"] == "/identity/second-factor/set-up/"
    assert "_auth_user_id" not in client.session


def test_an_official_confirms_it_is_them_by_signing_in_at_the_idp_afresh(cast, client, provider, fresh_saml_idp):
    from madang.people import sessions

    sign_in(client, fresh_saml_idp, official(cast))
    assert not fresh_saml_idp.last_force_authn
    session = client.session
    session[sessions.REAUTH_KEY] = 0
    session.save()
    links = [url for _label, url in client.get("/people/reauth/?next=/people/settings/").context["links"]]
    assert links == ["/identity/p/hanbit-saml/?reauth=1&next=%2Fpeople%2Fsettings%2F"]
    fresh_saml_idp.tamper["auth_age"] = 3600  # the IdP ignored ForceAuthn: an hour-old sign-in there
    r, _ = sign_in(client, fresh_saml_idp, official(cast), start=links[0])
    assert fresh_saml_idp.last_force_authn
    assert r.status_code == 403 and client.session[sessions.REAUTH_KEY] == 0
    fresh_saml_idp.tamper = {}
    r, _ = sign_in(client, fresh_saml_idp, official(cast), start=links[0])
    assert r.status_code == 302 and r["Location"] == "/people/settings/"
    assert client.session[sessions.REAUTH_KEY] > 0
