"""Signing in asks nobody to remember or retype: each field says its purpose, so a password manager or
the browser can fill it in (KWCAG 7.3.3 접근 가능한 인증; WCAG 1.3.5, 3.3.8)."""

import re

from django.test import Client

from madang.testing import fresh_login


def purposes(html: str) -> dict[str, str]:
    found = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name, purpose = re.search(r'name="([^"]+)"', tag), re.search(r'autocomplete="([^"]+)"', tag)
        if name and purpose:
            found[name.group(1)] = purpose.group(1)
    return found


def test_the_login_page_names_the_user_name_and_the_current_password(db):
    html = Client().get("/people/login/").content.decode()
    assert {"username": "username", "password": "current-password"}.items() <= purposes(html).items()


def test_changing_the_password_tells_the_current_from_the_new(cast):
    client = Client()
    fresh_login(client, cast.minji)
    html = client.get("/people/password/").content.decode()
    found = purposes(html)
    assert found.get("old_password") == "current-password"
    assert found.get("new_password1") == found.get("new_password2") == "new-password"


def test_a_password_reset_asks_for_the_e_mail_address_by_its_purpose(db):
    assert purposes(Client().get("/people/password/reset/").content.decode()).get("email") == "email"
