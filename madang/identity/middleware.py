"""A session signed in without a second factor ends when its person comes to need one.

The second factor is asked for at sign-in (`signin.second_factor_gate`). Someone signed in
without one, because no role of theirs needed it then, who is made a member of the innovation
team or an administrator while signed in, would otherwise keep that session with the new powers
and no second factor. On their next request they are signed out and asked for it (or to set up
an authenticator app) with their first factor taken as given, and come back to the page they were
on. A session in which the second factor was given carries `signin.GIVEN_KEY`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from madang.identity import rules, signin


class SecondFactorMiddleware:
    """After AuthenticationMiddleware and the session timeout."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            settings.MADANG_SECOND_FACTOR_REQUIRED
            and user is not None
            and user.is_authenticated
            and hasattr(request, "session")
            and not request.session.get(signin.GIVEN_KEY)
            and not request.path.startswith(_exempt())
            and rules.requires_second_factor(user)
        ):
            return self.ask_again(request, user)
        return self.get_response(request)

    def ask_again(self, request: HttpRequest, user: Any) -> HttpResponse:
        backend = str(request.session.get(BACKEND_SESSION_KEY) or "")
        back = request.get_full_path() if request.method == "GET" and not request.path.startswith("/api/") else ""
        logout(request)
        message = _("Your role now needs a second factor: please give it to go on.")
        if request.path.startswith("/api/"):
            return JsonResponse({"code": "second_factor_required", "message": message}, status=401)
        from django.contrib import messages

        response = signin.second_factor_gate(request, user, back, backend) or redirect("people:login")
        messages.info(request, message)
        if request.headers.get("HX-Request") == "true":
            # An htmx fragment would put the sign-in page inside the page: send the whole window.
            answer = HttpResponse(status=204)
            answer["HX-Redirect"] = response["Location"]
            return answer
        return response


def _exempt() -> tuple[str, ...]:
    return (
        reverse("identity:second_factor"),
        reverse("identity:enrol"),
        reverse("people:logout"),
        settings.STATIC_URL or "/static/",
        "/health/",
    )
