"""Django's admin with Madang's log-in rules: the same throttle and gates as every other way in,
and the password asked again when it was last given more than `MADANG_REAUTH_MINUTES` ago."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse

from madang.people import sessions, signin, throttle
from madang.people.models import User


class ThrottledAdminAuthenticationForm(AdminAuthenticationForm):
    def get_invalid_login_error(self) -> ValidationError:
        wait = getattr(self.request, "login_wait", 0)
        if wait:
            return ValidationError(throttle.wait_message(wait), code="throttled")
        refused = getattr(self.request, "login_refused", "")
        if refused:
            return ValidationError(refused, code="password_disabled")
        return super().get_invalid_login_error()


class MadangAdminSite(admin.AdminSite):
    login_form = ThrottledAdminAuthenticationForm

    def has_permission(self, request: HttpRequest) -> bool:
        # An administrator's session that has not given the password lately is sent to the
        # admin's log-in page, which asks for it again (ASVS 3.7.1).
        return bool(super().has_permission(request)) and sessions.recently_authenticated(request)

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        response = super().login(request, extra_context)
        if request.method == "POST" and request.user.is_authenticated and response.status_code in (301, 302):
            # Django's admin made the session itself; the gates (a second factor) must still have
            # their say, so the session is undone and the sign-in finished as on the log-in page.
            user = request.user
            logout(request)
            assert isinstance(user, User)
            return signin.finish(request, user, next_url=response["Location"])
        return response
