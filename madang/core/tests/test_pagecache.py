"""Anonymous visitors share a few seconds' copy of the busy public pages, never anyone else's."""

import re

import pytest
from django.test import Client

from madang.calls import services as calls

pytestmark = pytest.mark.django_db

NONCE = re.compile(r'<script[^>]*nonce="([^"]+)"')
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ANY_TOKEN = re.compile(r"[A-Za-z0-9]{64}")  # (CSRF tokens: in the forms and in htmx's headers)


@pytest.fixture(autouse=True)
def _shared_pages(settings):
    settings.MADANG_PAGE_CACHE_SECONDS = 5


def pages(cast):
    p = cast.proposal()
    return p, ["/", "/calls/", f"/calls/c/{cast.call.slug}/", f"/calls/c/{cast.call.slug}/?q=민원", f"/calls/p/{p.pk}/"]


def test_it_serves_the_second_anonymous_visitor_the_first_ones_copy(cast):
    _p, paths = pages(cast)
    for path in paths:
        first, second = Client().get(path), Client().get(path)
        assert first.status_code == second.status_code == 200, path
        assert "X-Madang-Shared" not in first and second["X-Madang-Shared"] == "1", path
        strip = lambda r: ANY_TOKEN.sub("", NONCE.sub("", r.content.decode()))  # noqa: E731
        assert strip(first) == strip(second), path


def test_each_copy_carries_its_own_visitors_csrf_token_and_a_fresh_nonce(cast):
    _p, paths = pages(cast)
    path = paths[2]
    Client().get(path)  # makes the copy
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(path)
    assert page["X-Madang-Shared"] == "1"
    html = page.content.decode()
    nonce = NONCE.search(html).group(1)
    assert f"'nonce-{nonce}'" in page["Content-Security-Policy"]
    assert NONCE.search(Client().get(path).content.decode()).group(1) != nonce
    # The token in the shared copy is this visitor's: the language form posts with it.
    token = TOKEN.search(html).group(1)
    assert "\x00" not in html and f'"X-CSRFToken": "{token}"' in html  # (htmx sends the same one)
    switched = visitor.post("/i18n/setlang/", {"language": "en", "next": path, "csrfmiddlewaretoken": token})
    assert switched.status_code == 302
    stranger = Client(enforce_csrf_checks=True)
    stranger.get("/calls/")
    assert (
        stranger.post("/i18n/setlang/", {"language": "en", "next": path, "csrfmiddlewaretoken": "x" * 64}).status_code
        == 403
    )


def test_it_keeps_a_copy_per_language(cast):
    _p, paths = pages(cast)
    ko = Client(HTTP_ACCEPT_LANGUAGE="ko").get(paths[1])
    en = Client(HTTP_ACCEPT_LANGUAGE="en").get(paths[1])
    assert "X-Madang-Shared" not in en
    assert 'lang="ko"' in ko.content.decode() and 'lang="en"' in en.content.decode()
    assert Client(HTTP_ACCEPT_LANGUAGE="en").get(paths[1])["X-Madang-Shared"] == "1"


def test_logged_in_people_always_get_a_fresh_page(cast):
    p, paths = pages(cast)
    anonymous = Client()
    before = anonymous.get(paths[4]).content.decode()
    calls.support_proposal(actor=cast.seojun, proposal=p)
    member = Client()
    member.force_login(cast.jihoon)
    fresh = member.get(paths[4])
    assert "X-Madang-Shared" not in fresh
    count = lambda html: re.search(r'id="support-count">\s*(\d+)', html).group(1)  # noqa: E731
    assert count(before) == "0" and count(fresh.content.decode()) == "1"
    # The anonymous copy is a few seconds behind, by design.
    assert count(anonymous.get(paths[4]).content.decode()) == "0"


def test_it_shares_nothing_with_a_session_htmx_or_a_message_waiting(cast):
    _p, paths = pages(cast)
    path = paths[2]
    Client().get(path)
    with_session = Client()
    with_session.cookies["sessionid"] = "whatever"
    assert "X-Madang-Shared" not in with_session.get(path)
    assert "X-Madang-Shared" not in Client().get(path, HTTP_HX_REQUEST="true")
    with_message = Client()
    with_message.cookies["messages"] = "anything"
    assert "X-Madang-Shared" not in with_message.get(path)


def test_it_never_keeps_an_error_page_or_a_hidden_proposal(cast):
    p, _paths = pages(cast)
    missing = f"/calls/p/{p.pk + 1000}/"
    assert Client().get(missing).status_code == 404
    assert Client().get(missing).status_code == 404
    assert "X-Madang-Shared" not in Client().get(missing)


def test_it_is_off_with_zero_seconds(cast, settings):
    settings.MADANG_PAGE_CACHE_SECONDS = 0
    _p, paths = pages(cast)
    Client().get(paths[2])
    assert "X-Madang-Shared" not in Client().get(paths[2])
