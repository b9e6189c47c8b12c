"""Anyone may ask which proposals resemble a draft: the ask costs a bounded amount of work, and a
single visitor cannot repeat it without end (the outside probe spent 2.2 s of CPU per request)."""

import pytest
from django.test import Client

from madang.calls import selectors


@pytest.fixture
def seen(monkeypatch):
    texts: list[str] = []
    real = selectors.korean.query_terms

    def spy(text: str):
        texts.append(text)
        return real(text)

    monkeypatch.setattr(selectors.korean, "query_terms", spy)
    return texts


def test_it_compares_only_the_opening_of_a_long_text(cast, seen):
    cast.proposal()
    r = Client().get(f"/api/calls/{cast.call.slug}/similar", {"text": "민원 서류 간소화 " * 500})
    assert r.status_code == 200
    assert seen and max(len(t) for t in seen) <= selectors.SIMILAR_TEXT_CHARS


def test_it_limits_each_anonymous_visitor_on_the_page_and_the_api_together(cast, settings):
    settings.MADANG_RATE_LIMITS = "similar=3/60"
    visitor, other = Client(REMOTE_ADDR="203.0.113.7"), Client(REMOTE_ADDR="203.0.113.8")
    api, page = f"/api/calls/{cast.call.slug}/similar", f"/calls/c/{cast.call.slug}/propose/similar/"
    assert visitor.get(api, {"text": "민원 서류"}).status_code == 200
    assert visitor.get(page, {"title": "민원 서류"}).status_code == 200
    assert visitor.get(api, {"text": "민원 서류"}).status_code == 200
    refused = visitor.get(api, {"text": "민원 서류"})
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert visitor.get(page, {"title": "민원 서류"}).status_code == 429
    assert other.get(api, {"text": "민원 서류"}).status_code == 200


def test_it_counts_a_logged_in_official_by_account(cast, settings):
    settings.MADANG_RATE_LIMITS = "similar=1/60"
    minji = Client(REMOTE_ADDR="203.0.113.7")
    minji.force_login(cast.minji)
    assert minji.get(f"/api/calls/{cast.call.slug}/similar", {"text": "민원 서류"}).status_code == 200
    assert minji.get(f"/api/calls/{cast.call.slug}/similar", {"text": "민원 서류"}).status_code == 429
    assert (
        Client(REMOTE_ADDR="203.0.113.7").get(f"/api/calls/{cast.call.slug}/similar", {"text": "민원 서류"}).status_code
        == 200
    )
