"""Sessions end when idle and after an absolute lifetime; sensitive actions ask for the password
again. Time moves on a fake clock."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from madang.people import sessions, throttle
from madang.people.models import ApiToken
from madang.testing import PASSWORD


@pytest.fixture
def clock(monkeypatch):
    state = {"t": timezone.now().timestamp()}
    monkeypatch.setattr(sessions, "clock", lambda: state["t"])
    monkeypatch.setattr(throttle, "now", lambda: timezone.now() + timedelta(seconds=state["t"] - start))
    start = state["t"]

    class Clock:
        def advance(self, seconds: float) -> None:
            state["t"] += seconds

    return Clock()


def logged_in(username: str) -> Client:
    c = Client()
    assert c.post("/people/login/", {"username": username, "password": PASSWORD}).status_code == 302
    return c


def test_it_logs_out_after_the_idle_timeout(cast, clock, settings):
    settings.MADANG_SESSION_IDLE_MINUTES = 30
    c = logged_in("minji")
    clock.advance(29 * 60)
    assert c.get("/people/settings/").status_code == 200
    clock.advance(29 * 60)  # active 29 minutes ago: still in
    assert c.get("/people/settings/").status_code == 200
    clock.advance(31 * 60)
    r = c.get("/people/settings/")
    assert r.status_code == 302 and r["Location"].startswith("/people/login/")
    assert "_auth_user_id" not in c.session


def test_it_ends_a_busy_session_after_its_lifetime(cast, clock, settings):
    settings.MADANG_SESSION_MAX_HOURS = 12
    c = logged_in("minji")
    for _ in range(12 * 3):
        clock.advance(20 * 60)
        c.get("/people/settings/")
    clock.advance(20 * 60)
    assert c.get("/people/settings/").status_code == 302


def test_it_asks_for_the_password_before_creating_a_token_on_the_page(cast, clock, settings):
    settings.MADANG_REAUTH_MINUTES = 10
    c = logged_in("minji")
    clock.advance(11 * 60)
    r = c.post("/people/settings/tokens/", {"name": "통계"}, HTTP_REFERER="http://testserver/people/settings/")
    assert r.status_code == 302 and r["Location"].startswith("/people/reauth/")
    assert not ApiToken.objects.exists()
    r = c.post("/people/reauth/", {"password": "wrong password 123", "next": "/people/settings/"})
    assert r.status_code == 400
    r = c.post("/people/reauth/", {"password": PASSWORD, "next": "/people/settings/"})
    assert r.status_code == 302 and r["Location"] == "/people/settings/"
    r = c.post("/people/settings/tokens/", {"name": "통계", "days": "30"})
    assert r.status_code == 200 and ApiToken.objects.filter(user=cast.minji).count() == 1


def test_it_asks_for_the_password_before_creating_a_token_through_the_api(cast, clock, settings):
    settings.MADANG_REAUTH_MINUTES = 10
    c = logged_in("minji")
    clock.advance(11 * 60)
    r = c.post("/api/tokens", {"name": "통계"}, content_type="application/json")
    assert r.status_code == 403 and r.json()["code"] == "reauth_required"


def test_it_throttles_re_authentication_like_a_log_in(cast, clock, settings):
    settings.MADANG_LOGIN_FREE_FAILURES = 2
    c = logged_in("minji")
    for _ in range(2):
        assert c.post("/people/reauth/", {"password": "wrong password 123"}).status_code == 400
    assert c.post("/people/reauth/", {"password": PASSWORD}).status_code == 429


def test_a_signed_in_request_holds_its_user_not_a_lazy_stand_in(cast):
    """Once the session's person is loaded, the request and the templates get the User itself:
    every attribute read through Django's lazy stand-in cost three lookups and a caught
    AttributeError, some 300 times on a proposal's page. A visitor keeps the lazy anonymous user."""
    from madang.people.models import User

    seen = logged_in("minji").get("/people/settings/")
    assert type(seen.wsgi_request.user) is User and seen.wsgi_request.user.pk == cast.minji.pk
    assert type(seen.context["user"]) is User
    anonymous = Client().get("/calls/")
    assert not anonymous.wsgi_request.user.is_authenticated
