from datetime import timedelta

from django.utils import timezone

from madang.people import services
from madang.people.models import LoginFailure


def fail(username, address, times):
    for _ in range(times):
        services.record_login_failure(username, address)


def test_it_locks_an_account_after_too_many_failures(db, settings):
    settings.MADANG_LOGIN_MAX_FAILURES = 5
    fail("minji", "10.0.0.1", 4)
    assert not services.login_locked("minji", "10.0.0.1")
    fail("MinJi", "10.0.0.2", 1)  # usernames are compared without case
    assert services.login_locked("minji", "10.0.0.9")
    assert not services.login_locked("seojun", "10.0.0.9")


def test_it_unlocks_after_the_window(db, settings):
    settings.MADANG_LOGIN_MAX_FAILURES = 3
    settings.MADANG_LOGIN_LOCK_MINUTES = 15
    fail("minji", "10.0.0.1", 3)
    LoginFailure.objects.update(at=timezone.now() - timedelta(minutes=16))
    assert not services.login_locked("minji", "10.0.0.1")


def test_it_gives_a_shared_office_address_a_wider_allowance(db, settings):
    settings.MADANG_LOGIN_MAX_FAILURES = 2
    for i in range(19):
        services.record_login_failure(f"user{i}", "203.0.113.7")
    assert not services.login_locked("someone", "203.0.113.7")
    services.record_login_failure("user19", "203.0.113.7")
    assert services.login_locked("someone", "203.0.113.7")


def test_it_clears_failures_after_a_good_login(db, settings):
    settings.MADANG_LOGIN_MAX_FAILURES = 2
    fail("minji", "10.0.0.1", 2)
    services.clear_login_failures("MINJI")
    assert not services.login_locked("minji", "10.0.0.1")
