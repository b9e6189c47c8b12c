"""Citizens verified through an identity broker over OpenID Connect (a real provider on
loopback): only a keyed hash of the broker's stable person identifier is kept, so one person
holds one account; verified-only calls and pools refuse the unverified."""

from urllib.parse import urlsplit

import pytest
import requests
from django.db import connection
from django.test import Client
from django.utils import timezone

from madang.calls import services as calls
from madang.calls.models import Audience
from madang.core.errors import Forbidden
from madang.identity import keys
from madang.identity.models import IdentityProvider, VerifiedPerson
from madang.people import services as people
from madang.people.models import Kind, User
from madang.testing import phases_around

CALLBACK = "http://testserver/identity/p/broker/oidc/callback/"
CI = "Xk3vQ9+personal-connecting-information/AbCdEf0123456789=="


@pytest.fixture
def broker(cast, fresh_idp, settings):
    settings.MADANG_IDENTITY_CLIENT_SECRETS = {"broker": "broker-secret"}
    settings.MADANG_IDENTITY_PERSON_KEY = "a-dedicated-person-key"
    fresh_idp.add_client("madang-citizens", "broker-secret", CALLBACK)
    return IdentityProvider.objects.create(
        slug="broker",
        name="간편인증 중계",
        citizen_verification=True,
        issuer=fresh_idp.issuer,
        client_id="madang-citizens",
        claims={"person": "ci"},
    )


def through_broker(client: Client, idp, ci: str, sub: str = "broker-sub-1"):
    idp.person = {"sub": sub, "ci": ci, "name": "한가람", "birthdate": "1990-01-01", "phone_number": "01012345678"}
    r = client.get("/identity/p/broker/?next=/people/settings/")
    at_idp = requests.get(r["Location"], allow_redirects=False, timeout=10)
    back = urlsplit(at_idp.headers["Location"])
    return client.get(f"{back.path}?{back.query}")


def everything_stored() -> str:
    """Every text column of the identity and people tables, to look for what must not be there."""
    with connection.cursor() as cursor:
        rows = []
        for table in ("identity_verifiedperson", "identity_externalidentity", "people_user"):
            cursor.execute(f"SELECT * FROM {table}")
            rows.extend(str(row) for row in cursor.fetchall())
    return "\n".join(rows)


def test_it_verifies_a_citizen_and_keeps_only_a_keyed_hash(cast, client, broker, fresh_idp):
    client.force_login(cast.garam)
    r = through_broker(client, fresh_idp, CI)
    assert r.status_code == 302 and r["Location"] == "/people/settings/"
    verified = VerifiedPerson.objects.get(user=cast.garam)
    assert verified.digest == keys.person_digest(CI) and CI not in verified.digest
    stored = everything_stored()
    assert CI not in stored and "1990-01-01" not in stored and "01012345678" not in stored


def test_one_person_holds_one_account(cast, client, broker, fresh_idp):
    client.force_login(cast.garam)
    through_broker(client, fresh_idp, CI)
    second = people.create_user(actor=None, username="garam2", display_name="한가람", kind=Kind.CITIZEN)
    other = Client()
    other.force_login(second)
    r = through_broker(other, fresh_idp, CI, sub="broker-sub-2")
    assert r.status_code == 409
    assert "another Madang account" in r.content.decode() or "다른 마당 계정" in r.content.decode()
    assert not VerifiedPerson.objects.filter(user=second).exists()


def test_the_hash_depends_on_the_dedicated_key(settings):
    settings.MADANG_IDENTITY_PERSON_KEY = "key-one"
    one = keys.person_digest(CI)
    settings.MADANG_IDENTITY_PERSON_KEY = "key-two"
    assert keys.person_digest(CI) != one and len(one) == 64


def test_a_verified_citizen_can_sign_in_through_the_broker(cast, client, broker, fresh_idp):
    client.force_login(cast.garam)
    through_broker(client, fresh_idp, CI)
    client.post("/people/logout/")
    r = through_broker(client, fresh_idp, CI)
    assert r.status_code == 302 and client.session["_auth_user_id"] == str(cast.garam.pk)


def test_an_unknown_person_is_asked_to_join_first(cast, client, broker, fresh_idp):
    r = through_broker(client, fresh_idp, "someone-else")
    assert r.status_code == 403 and "_auth_user_id" not in client.session


def test_an_official_is_not_verified_as_a_citizen(cast, client, broker, fresh_idp):
    client.force_login(cast.minji)
    r = through_broker(client, fresh_idp, CI)
    assert r.status_code == 403 and not VerifiedPerson.objects.exists()


def test_a_verified_only_call_takes_proposals_from_verified_citizens_only(cast, client, broker, fresh_idp):
    call = calls.create_call(
        actor=cast.doyun,
        slug="verified-2026",
        title="주민 제안",
        organisation=cast.province,
        audience=Audience.BOTH,
        phases=phases_around(timezone.now()),
        verified_citizens_only=True,
    )
    fields = calls.ProposalFields(
        title="버스 정류장 그늘막", problem="여름에 덥습니다.", solution="그늘막을 설치합니다."
    )
    with pytest.raises(Forbidden) as refused:
        calls.create_proposal(actor=cast.garam, call=call, fields=fields)
    assert refused.value.code == "not_verified"
    assert calls.create_proposal(actor=cast.minji, call=call, fields=fields).pk  # officials were vouched for
    client.force_login(cast.garam)
    through_broker(client, fresh_idp, CI)
    garam = User.objects.get(pk=cast.garam.pk)  # as the next request would load them
    assert calls.create_proposal(actor=garam, call=call, fields=fields).pk


def test_an_ordinary_call_asks_nothing_more(cast):
    cast.call.audience = Audience.BOTH
    cast.call.save()
    fields = calls.ProposalFields(title="민원 창구 안내", problem="안내가 부족합니다.", solution="안내판을 둡니다.")
    assert calls.create_proposal(actor=cast.garam, call=cast.call, fields=fields).pk
