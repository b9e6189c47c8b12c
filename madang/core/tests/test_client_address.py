"""The client's address comes from a configured trusted proxy only (madang/core/addresses.py)."""

import random

import pytest
from django.test import Client, RequestFactory

from madang.core.addresses import client_address
from madang.testing import PASSWORD


def request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_it_believes_no_header_without_trusted_proxies(settings):
    settings.MADANG_TRUSTED_PROXIES = []
    assert client_address(request("198.51.100.4", "1.2.3.4")) == "198.51.100.4"


def test_it_takes_the_rightmost_hop_that_is_not_a_trusted_proxy(settings):
    settings.MADANG_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    assert client_address(request("127.0.0.1", "6.6.6.6, 203.0.113.5, 10.2.3.4")) == "203.0.113.5"
    assert client_address(request("10.9.9.9", "203.0.113.5")) == "203.0.113.5"


def test_it_ignores_the_header_from_a_peer_that_is_not_trusted(settings):
    settings.MADANG_TRUSTED_PROXIES = ["127.0.0.1"]
    assert client_address(request("198.51.100.4", "203.0.113.5")) == "198.51.100.4"


def test_it_reads_the_header_on_a_unix_socket_once_proxies_are_configured(settings):
    settings.MADANG_TRUSTED_PROXIES = ["unix"]
    assert client_address(request("", "203.0.113.5")) == "203.0.113.5"
    assert client_address(request("unix:/run/madang/gunicorn.sock", "203.0.113.5")) == "203.0.113.5"
    settings.MADANG_TRUSTED_PROXIES = []
    assert client_address(request("", "203.0.113.5")) == ""


def test_it_reads_another_header_when_told(settings):
    settings.MADANG_TRUSTED_PROXIES = ["127.0.0.1"]
    settings.MADANG_CLIENT_ADDRESS_HEADER = "X-Real-IP"
    r = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="203.0.113.8", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert client_address(r) == "203.0.113.8"


@pytest.mark.parametrize(
    "forwarded", ["garbage", "", ", ,", "203.0.113.5:8443", "[2001:db8::1]:443", "::ffff:203.0.113.5"]
)
def test_it_survives_odd_headers(settings, forwarded):
    settings.MADANG_TRUSTED_PROXIES = ["127.0.0.1"]
    assert client_address(request("127.0.0.1", forwarded)) in {"127.0.0.1", "203.0.113.5", "2001:db8::1"}


def test_it_refuses_a_bad_proxy_setting(settings):
    settings.MADANG_TRUSTED_PROXIES = ["not-a-network"]
    with pytest.raises(ValueError, match="MADANG_TRUSTED_PROXIES"):
        client_address(request("127.0.0.1", "203.0.113.5"))


def test_it_keeps_failures_behind_the_proxy_from_blocking_everyone(cast, settings):
    """nginx -> gunicorn on a unix socket: every request arrives with the same (empty) peer."""
    settings.MADANG_TRUSTED_PROXIES = ["unix", "127.0.0.1"]
    rng = random.Random(12)
    for i in range(50):
        client = Client(REMOTE_ADDR="", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}")
        r = client.post(
            "/people/login/", {"username": f"nobody{rng.randrange(10**6)}", "password": "wrong password 123"}
        )
        assert r.status_code == 400
    official = Client(REMOTE_ADDR="", HTTP_X_FORWARDED_FOR="10.20.30.40")
    r = official.post("/people/login/", {"username": "minji", "password": PASSWORD})
    assert r.status_code == 302
