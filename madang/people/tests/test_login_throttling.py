"""One throttle for every way in: a growing delay per account and address, a ceiling per address
and one per account that the owner's known browser passes. Time moves on a fake clock."""

from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from madang.people import sessions, throttle
from madang.people.models import LoginFailure
from madang.testing import PASSWORD


class Clock:
    def __init__(self) -> None:
        self.at: datetime = timezone.now()

    def __call__(self) -> datetime:
        return self.at

    def advance(self, seconds: float) -> None:
        self.at += timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(throttle, "now", fake)
    monkeypatch.setattr(sessions, "clock", lambda: fake.at.timestamp())
    return fake


@pytest.fixture
def policy(settings):
    settings.MADANG_LOGIN_FREE_FAILURES = 3
    settings.MADANG_LOGIN_DELAY_SECONDS = 2
    settings.MADANG_LOGIN_MAX_DELAY_SECONDS = 300
    settings.MADANG_LOGIN_WINDOW_MINUTES = 60
    settings.MADANG_LOGIN_ADDRESS_MAX_FAILURES = 100
    settings.MADANG_LOGIN_ACCOUNT_MAX_FAILURES = 100
    return settings


def from_address(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def attempt(client: Client, username: str, password: str = "wrong password 123"):  # noqa: S107
    return client.post("/people/login/", {"username": username, "password": password})


def test_it_doubles_the_delay_up_to_a_cap():
    delays = [throttle.pair_delay(n, free=3, base=2, cap=300) for n in range(12)]
    assert delays == [0, 0, 0, 2, 4, 8, 16, 32, 64, 128, 256, 300]
    assert throttle.pair_delay(10_000, free=3, base=2, cap=300) == 300


def test_it_makes_guesses_from_one_address_wait_longer_and_longer(cast, clock, policy):
    guesser = from_address("203.0.113.9")
    for _ in range(3):
        assert attempt(guesser, "minji").status_code == 400
    r = attempt(guesser, "minji", PASSWORD)  # even the right password waits: it is not looked at
    assert r.status_code == 429 and r["Retry-After"] == "2"
    assert LoginFailure.objects.count() == 3  # a refused attempt is not a failure
    clock.advance(2)
    assert attempt(guesser, "minji").status_code == 400
    clock.advance(3)
    assert attempt(guesser, "minji").status_code == 429  # four failures: four seconds
    clock.advance(1)
    assert attempt(guesser, "minji", PASSWORD).status_code == 302


def test_it_does_not_let_a_guesser_elsewhere_lock_the_owner_out(cast, clock, policy):
    guesser = from_address("203.0.113.9")
    for _ in range(40):
        clock.advance(301)
        attempt(guesser, "minji")
    assert LoginFailure.objects.filter(username="minji").count() >= 11
    assert attempt(guesser, "minji", PASSWORD).status_code == 429
    r = attempt(from_address("10.1.2.3"), "minji", PASSWORD)
    assert r.status_code == 302 and r.wsgi_request.user.username == "minji"


def test_it_stops_one_address_spraying_many_accounts(cast, clock, policy):
    policy.MADANG_LOGIN_ADDRESS_MAX_FAILURES = 20
    sprayer = from_address("198.51.100.7")
    for i in range(20):
        assert attempt(sprayer, f"guess{i}").status_code == 400
    r = attempt(sprayer, "seojun", PASSWORD)
    assert r.status_code == 429 and 3590 <= int(r["Retry-After"]) <= 3600
    assert attempt(from_address("10.1.2.3"), "seojun", PASSWORD).status_code == 302
    clock.advance(3601)
    assert attempt(sprayer, "seojun", PASSWORD).status_code == 302


def test_it_slows_an_account_guessed_from_everywhere_but_not_on_the_owners_browser(cast, clock, policy):
    policy.MADANG_LOGIN_ACCOUNT_MAX_FAILURES = 10
    owner = from_address("10.1.2.3")
    assert attempt(owner, "minji", PASSWORD).status_code == 302  # this browser is now known
    owner.post("/people/logout/")
    for i in range(10):
        attempt(from_address(f"203.0.113.{i}"), "minji")
    assert attempt(from_address("192.0.2.50"), "minji", PASSWORD).status_code == 429  # a new browser waits
    assert attempt(owner, "minji", PASSWORD).status_code == 302  # the owner's does not
    clock.advance(300)
    assert attempt(from_address("192.0.2.50"), "minji", PASSWORD).status_code == 302


def test_it_forgets_failures_after_the_window(cast, clock, policy):
    guesser = from_address("203.0.113.9")
    for _ in range(3):
        attempt(guesser, "minji")
    clock.advance(3601)
    assert attempt(guesser, "minji", PASSWORD).status_code == 302
    assert not LoginFailure.objects.exists()


def test_it_compares_usernames_without_case(cast, clock, policy):
    guesser = from_address("203.0.113.9")
    for name in ["minji", "MinJi", "MINJI"]:
        attempt(guesser, name)
    assert attempt(guesser, "minji", PASSWORD).status_code == 429


# ---------------------------------------------------------------- the admin's log-in page


def admin_login(client: Client, password: str):
    return client.post("/admin/login/?next=/admin/", {"username": "admin", "password": password, "next": "/admin/"})


@pytest.fixture
def staff_admin(cast):
    cast.admin.is_staff = cast.admin.is_superuser = True
    cast.admin.save()
    return cast.admin


def test_it_throttles_the_admin_login_like_every_other_way_in(staff_admin, clock, policy):
    c = from_address("203.0.113.9")
    for _ in range(12):
        assert admin_login(c, "wrong password 123").status_code == 200
    assert LoginFailure.objects.filter(username="admin").count() >= 3  # its failures are recorded
    r = admin_login(c, PASSWORD)
    assert r.status_code == 200 and "_auth_user_id" not in c.session
    assert "Too many failed attempts" in r.content.decode() or "실패한 시도가 너무 많습니다" in r.content.decode()


def test_it_keeps_a_delay_earned_on_the_login_page_on_the_admin_page(staff_admin, clock, policy):
    c = from_address("203.0.113.9")
    for _ in range(12):
        attempt(c, "admin")
    assert admin_login(c, PASSWORD).status_code == 200 and "_auth_user_id" not in c.session


def test_it_lets_the_administrator_in_and_asks_for_the_password_again_later(staff_admin, clock, policy):
    policy.MADANG_REAUTH_MINUTES = 10
    c = from_address("10.1.2.3")
    r = admin_login(c, PASSWORD)
    assert r.status_code == 302 and c.get("/admin/").status_code == 200
    clock.advance(11 * 60)
    c.get("/people/settings/")  # not idle: the session goes on
    clock.advance(5 * 60)
    r = c.get("/admin/people/user/")
    assert r.status_code == 302 and r["Location"].startswith("/admin/login/")
    assert admin_login(c, PASSWORD).status_code == 302
    assert c.get("/admin/people/user/").status_code == 200
