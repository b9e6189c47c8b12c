"""Every cookie Madang sets travels only over HTTPS in production, out of scripts' reach, and not
with requests from other sites; the language cookie (which says who reads Korean) included."""

import os
import subprocess
import sys
from http.cookies import Morsel

from django.test import Client

from madang.testing import PASSWORD

PRODUCTION = {"MADANG_DEBUG": "0", "MADANG_SECRET_KEY": "x" * 50, "MADANG_ALLOWED_HOSTS": "madang.example.kr"}


def production_settings(*names: str) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"MADANG_SECURE_COOKIES", "MADANG_DEBUG"}} | PRODUCTION
    code = f"import madang.settings as s; print(' '.join(str(getattr(s, n)) for n in {names!r}))"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return done.stdout.split()


def test_it_marks_every_cookie_secure_without_debug():
    names = [
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "LANGUAGE_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_HTTPONLY",
        "LANGUAGE_COOKIE_HTTPONLY",
    ]
    assert production_settings(*names) == ["True"] * len(names)
    assert (
        production_settings("SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_SAMESITE", "LANGUAGE_COOKIE_SAMESITE")
        == ["Lax"] * 3
    )


def check(cookie: Morsel) -> None:
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax", cookie.output()


def test_it_sets_the_language_cookie_like_the_session_on_log_in_and_in_settings(cast, settings):
    settings.LANGUAGE_COOKIE_SECURE = settings.SESSION_COOKIE_SECURE = True  # as in production
    c = Client()
    r = c.post("/people/login/", {"username": cast.minji.username, "password": PASSWORD})
    assert r.status_code == 302
    check(r.cookies[settings.LANGUAGE_COOKIE_NAME])
    check(r.cookies[settings.SESSION_COOKIE_NAME])
    r = c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    check(r.cookies[settings.LANGUAGE_COOKIE_NAME])
