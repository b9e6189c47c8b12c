"""김민지 chooses, on inbox's preferences page, to get a daily e-mail about decisions only; the
settings page in people leads there. Bad input gets a clear answer, never a 500."""

import re

import pytest
from django.test import Client

from madang.core.errors import DomainError
from madang.inbox import services
from madang.inbox.models import NotificationKind


def signed_in(user) -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE="ko")
    c.force_login(user)
    return c


def test_it_saves_how_and_about_what_she_is_notified(cast):
    c = signed_in(cast.minji)
    assert "/inbox/preferences/" in c.get("/people/settings/").content.decode()
    r = c.post("/inbox/preferences/", {"email_mode": "daily", "receive": ["decision"]})
    assert r.status_code == 302 and r.url == "/inbox/preferences/"
    cast.minji.refresh_from_db()
    assert cast.minji.email_mode == "daily"
    assert set(cast.minji.muted_kinds) == set(NotificationKind.values) - {"decision"}
    checked = re.findall(
        r'<input type="checkbox" name="receive" value="(\w+)"[^>]*checked',
        c.get("/inbox/preferences/").content.decode(),
    )
    assert checked == ["decision"]


def test_it_keeps_the_language_on_the_settings_page(cast):
    c = signed_in(cast.minji)
    assert c.post("/people/settings/", {"language": "en"}).status_code == 302
    cast.minji.refresh_from_db()
    assert cast.minji.language == "en"


def test_it_answers_bad_choices_with_the_form_again(cast):
    c = signed_in(cast.minji)
    r = c.post("/inbox/preferences/", {"email_mode": "sometimes", "receive": ["nothing"]})
    assert r.status_code == 400
    assert "올바르게 선택해 주세요" in r.content.decode()  # Django's own message for a choice, in Korean
    cast.minji.refresh_from_db()
    assert cast.minji.email_mode != "sometimes"


def test_the_service_refuses_kinds_it_does_not_know(cast):
    with pytest.raises(DomainError):
        services.set_preferences(actor=cast.minji, email_mode="daily", muted_kinds=["gossip"])
    with pytest.raises(DomainError):
        services.set_preferences(actor=cast.minji, email_mode="hourly", muted_kinds=[])


def test_it_sends_a_stranger_to_log_in(db):
    r = Client().get("/inbox/preferences/")
    assert r.status_code == 302 and "/people/login/" in r.url
