"""identity's part in every sign-in (registered with madang/people/gates.py at start-up).

- `password_policy`: officials of an organisation whose provider has passwords switched off are
  sent to that provider instead. Site administrators (superusers) keep their password: the way
  in when the provider itself is down.
- `second_factor_gate`: someone who must give a second factor is not signed in yet. Their id
  waits in the session (`PENDING_KEY`, for `PENDING_SECONDS`) while they type a code or, the
  first time, set up an authenticator app; `views.second_factor` and `views.enrol` finish the
  sign-in.
- `provider_links`: the log-in page's "sign in through …" links.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from madang.identity import rules
from madang.identity.models import IdentityProvider
from madang.people import gates
from madang.people.models import User

PENDING_KEY = "madang_pending_sign_in"
PENDING_SECONDS = 300
GIVEN_KEY = "madang_second_factor_given"  # this session's person gave a second factor (middleware.py)


def register() -> None:
    gates.register_password_policy(password_policy)
    gates.register_gate(second_factor_gate)
    gates.register_sign_in_links(provider_links)


def password_policy(user: User) -> str | None:
    if user.is_superuser or not user.is_official or user.department is None:
        return None
    path = user.department.path
    for provider in IdentityProvider.objects.filter(
        is_active=True, citizen_verification=False, password_sign_in=False
    ).select_related("organisation"):
        if provider.organisation is not None and path.startswith(provider.organisation.path):
            return _("%(organisation)s signs its officials in through %(provider)s: please use it below.") % {
                "organisation": provider.organisation.name,
                "provider": provider.name,
            }
    return None


def second_factor_gate(request: HttpRequest, user: User, next_url: str, backend: str) -> HttpResponse | None:
    if not rules.requires_second_factor(user):
        return None
    request.session[PENDING_KEY] = {"user": user.pk, "next": next_url, "backend": backend, "at": int(time.time())}
    return redirect("identity:second_factor" if rules.has_second_factor(user) else "identity:enrol")


def pending(request: HttpRequest) -> tuple[User, str, str] | None:
    """Who is half-way through signing in here (first factor given), where to, and how."""
    data: Any = request.session.get(PENDING_KEY)
    if not isinstance(data, dict) or not isinstance(data.get("at"), int):
        return None
    if time.time() - data["at"] > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None
    user_id = data.get("user")
    if not isinstance(user_id, int):
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return None
    return user, str(data.get("next") or ""), str(data.get("backend") or "")


def forget_pending(request: HttpRequest) -> None:
    request.session.pop(PENDING_KEY, None)


def mark_given(request: HttpRequest) -> None:
    """The second factor was given in this session (after the sign-in made it: a new session key)."""
    request.session[GIVEN_KEY] = int(time.time())


def provider_links(request: HttpRequest, next_url: str) -> list[tuple[str, str]]:
    links = []
    query = "?" + urlencode({"next": next_url}) if next_url else ""
    for provider in IdentityProvider.objects.filter(is_active=True).order_by("citizen_verification", "name"):
        label = (
            _("Citizens verified through %(name)s") if provider.citizen_verification else _("Sign in with %(name)s")
        ) % {"name": provider.name}
        links.append((label, reverse("identity:start", args=[provider.slug]) + query))
    return links
