"""The last step of every sign-in, whatever proved who the person is (a password, an OIDC or
SAML identity provider): the gates other apps registered (madang/people/gates.py), then the
session, the language cookie and the known-device cookie."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import translation

from madang.people import gates, sessions, throttle
from madang.people.models import User

# The backend that reloads the session's user on each request, however they signed in.
BACKEND = "madang.people.backends.ThrottledModelBackend"


def finish(request: HttpRequest, user: User, *, next_url: str = "", backend: str = BACKEND) -> HttpResponse:
    """Sign `user` in and send them on, unless a gate wants something of them first."""
    for gate in gates.gates():
        response = gate(request, user, next_url, backend)
        if response is not None:
            return response
    return complete(request, user, redirect(next_url or "site:home"), backend=backend)


def complete(request: HttpRequest, user: User, response: HttpResponse, *, backend: str = BACKEND) -> HttpResponse:
    """Make the session (every gate is passed) and dress `response` with this person's cookies."""
    login(request, user, backend=backend)  # rotates the session key: no fixation
    sessions.mark_authenticated(request)
    translation.activate(user.language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        user.language,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    throttle.remember_device(response, user.get_username())
    return response
