"""The innovation team, administrators and whoever sees others' personal data give a second
factor: a TOTP code (or a recovery code) after their password or single sign-on. Time moves on a
fake clock."""

import time

import pyotp
import pytest
from django.test import Client

from madang.identity import services
from madang.identity.models import RecoveryCode, TotpDevice
from madang.identity.views import ENROLMENT_KEY
from madang.testing import PASSWORD


@pytest.fixture
def required(settings):
    settings.MADANG_SECOND_FACTOR_REQUIRED = True
    settings.MADANG_SECOND_FACTOR_ROLES = ["innovation_team", "administrator", "facilitator"]
    return settings


@pytest.fixture
def clock(monkeypatch):
    at = [time.time()]
    monkeypatch.setattr(services, "now", lambda: at[0])
    return at


def log_in(client: Client, username: str):
    return client.post("/people/login/", {"username": username, "password": PASSWORD})


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def enrol(client: Client, clock) -> tuple[str, list[str]]:
    r = client.get("/identity/second-factor/set-up/")
    assert r.status_code == 200
    assert 'src="data:image/svg+xml' in r.content.decode()  # the QR code, drawn here, no outside service
    secret = client.session[ENROLMENT_KEY]
    r = client.post("/identity/second-factor/set-up/", {"code": pyotp.TOTP(secret).at(clock[0])})
    assert r.status_code == 200
    return secret, list(r.context["codes"])


def test_it_asks_the_innovation_team_to_set_up_an_app_before_signing_in(cast, client, required, clock):
    r = log_in(client, "doyun")
    assert r.status_code == 302 and r["Location"] == "/identity/second-factor/set-up/"
    assert not signed_in(client)
    assert client.get("/people/settings/").status_code == 302  # not in yet
    r = client.post("/identity/second-factor/set-up/", {"code": "000000"})
    assert r.status_code == 400 and not signed_in(client)
    secret, codes = enrol(client, clock)
    assert signed_in(client) and len(codes) == 10 and len(set(codes)) == 10
    device = TotpDevice.objects.get(user=cast.doyun)
    assert secret.encode() not in bytes(device.secret)  # encrypted at rest
    assert not RecoveryCode.objects.filter(digest__in=codes).exists()  # only hashes are kept


def test_it_asks_for_a_code_at_each_sign_in_and_takes_each_code_once(cast, client, required, clock):
    log_in(client, "doyun")
    secret, _codes = enrol(client, clock)
    client.post("/people/logout/")
    clock[0] += 60
    r = log_in(client, "doyun")
    assert r.status_code == 302 and r["Location"] == "/identity/second-factor/"
    assert not signed_in(client)
    assert client.post("/identity/second-factor/", {"code": "123456"}).status_code == 400
    code = pyotp.TOTP(secret).at(clock[0])
    r = client.post("/identity/second-factor/", {"code": code})
    assert r.status_code == 302 and signed_in(client)
    client.post("/people/logout/")
    log_in(client, "doyun")
    r = client.post("/identity/second-factor/", {"code": code})  # the same code, replayed
    assert r.status_code == 400 and not signed_in(client)


def test_a_recovery_code_works_once(cast, client, required, clock):
    log_in(client, "doyun")
    _secret, codes = enrol(client, clock)
    client.post("/people/logout/")
    log_in(client, "doyun")
    assert client.post("/identity/second-factor/", {"code": codes[3].upper()}).status_code == 302
    client.post("/people/logout/")
    log_in(client, "doyun")
    assert client.post("/identity/second-factor/", {"code": codes[3]}).status_code == 400
    assert not signed_in(client)


def test_it_slows_down_guessing(cast, client, required, clock, settings):
    settings.MADANG_LOGIN_FREE_FAILURES = 3
    log_in(client, "doyun")
    enrol(client, clock)
    client.post("/people/logout/")
    log_in(client, "doyun")
    statuses = [client.post("/identity/second-factor/", {"code": f"{n:06d}"}).status_code for n in range(5)]
    assert statuses[:3] == [400, 400, 400] and 429 in statuses[3:]


def test_it_asks_nothing_more_of_people_who_do_not_see_personal_data(cast, client, required):
    r = log_in(client, "minji")
    assert r.status_code == 302 and r["Location"] == "/" and signed_in(client)


def test_it_holds_the_admin_login_to_the_same_rule(cast, client, required, clock):
    cast.admin.is_staff = cast.admin.is_superuser = True
    cast.admin.save()
    r = client.post("/admin/login/?next=/admin/", {"username": "admin", "password": PASSWORD, "next": "/admin/"})
    assert r.status_code == 302 and r["Location"] == "/identity/second-factor/set-up/"
    assert not signed_in(client)
    enrol(client, clock)
    assert client.get("/admin/").status_code == 200


def test_it_lets_a_signed_in_person_renew_recovery_codes(cast, client, required, clock):
    log_in(client, "doyun")
    _secret, first = enrol(client, clock)
    r = client.post("/identity/second-factor/recovery-codes/")
    assert r.status_code == 200
    second = list(r.context["codes"])
    assert set(first).isdisjoint(second)
    assert RecoveryCode.objects.filter(user=cast.doyun).count() == 10


def test_a_sign_in_left_half_way_expires(cast, client, required, clock, monkeypatch):
    from madang.identity import signin

    log_in(client, "doyun")
    enrol(client, clock)
    client.post("/people/logout/")
    log_in(client, "doyun")
    session = client.session
    session[signin.PENDING_KEY]["at"] -= signin.PENDING_SECONDS + 1
    session.save()
    r = client.get("/identity/second-factor/")
    assert r.status_code == 302 and r["Location"] == "/people/login/"


def test_a_session_signed_in_without_a_second_factor_is_asked_for_one_when_a_role_comes_to_need_it(
    cast, client, required, clock
):
    """Found in review: a colleague signed in without a second factor (no role of theirs needed one)
    and made a member of the innovation team went on with the new powers and no second factor."""
    from madang.people.models import Role, RoleGrant

    r = log_in(client, "seojun")
    assert r.status_code == 302 and signed_in(client)
    assert client.get("/people/settings/").status_code == 200
    RoleGrant.objects.create(user=cast.seojun, role=Role.INNOVATION_TEAM, granted_by=cast.doyun)
    r = client.get("/people/settings/?tab=privacy")
    assert r.status_code == 302 and r["Location"] == "/identity/second-factor/set-up/"
    assert not signed_in(client)  # out until the second factor is given
    assert client.get("/people/settings/").status_code == 302
    enrol(client, clock)
    assert signed_in(client)
    assert client.get("/people/settings/").status_code == 200  # given in this session: not asked again


def test_it_asks_an_htmx_request_and_the_api_for_the_second_factor_in_their_own_way(cast, client, required, clock):
    from madang.people.models import Role, RoleGrant

    log_in(client, "seojun")
    RoleGrant.objects.create(user=cast.seojun, role=Role.ADMINISTRATOR, granted_by=cast.doyun)
    r = client.get("/people/settings/", HTTP_HX_REQUEST="true")
    assert r.status_code == 204 and r["HX-Redirect"] == "/identity/second-factor/set-up/"
    log_in(client, "minji")
    RoleGrant.objects.create(user=cast.minji, role=Role.FACILITATOR, granted_by=cast.doyun)
    r = client.get("/api/people/me")
    assert r.status_code == 401 and r.json()["code"] == "second_factor_required"
    assert not signed_in(client)


def test_a_session_that_gave_the_second_factor_keeps_going(cast, client, required, clock):
    log_in(client, "doyun")
    enrol(client, clock)
    for _ in range(3):
        assert client.get("/people/settings/").status_code == 200
    assert signed_in(client)
