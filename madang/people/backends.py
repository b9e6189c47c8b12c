"""The authentication backend: Django's password check behind Madang's throttle.

Every password check in Madang goes through `django.contrib.auth.authenticate`, so through
here: the log-in page, the admin's log-in page, re-authentication, the password change form and
account deletion. An attempt that must wait is refused before the password is checked; it
leaves the wait on `request.login_wait` for the form to say so. A right password for an
organisation that switched passwords off (a policy registered in madang/people/gates.py) is
refused too, with its message on `request.login_refused`.
"""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from madang.core import prepared, security
from madang.core.addresses import client_address
from madang.people import gates, throttle

REAUTH_KEY = "madang_auth_at"


class ThrottledModelBackend(ModelBackend):
    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        if username is None or password is None:
            return None
        address = client_address(request) if request is not None else ""
        wait = throttle.wait_seconds(username, address, known_device=throttle.is_known_device(request, username))
        if wait:
            if request is not None:
                request.login_wait = wait  # type: ignore[attr-defined]  # HttpRequest declares no login_wait; set here for the login view's Retry-After
            security.event("login_throttled", username=username, address=address, wait=wait)
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            throttle.record_failure(username, address)
            security.event("login_failed", username=username, address=address)
            return None
        throttle.record_success(username, address)
        refusal = gates.password_refusal(user)
        if refusal:
            # The password was right, but this organisation signs its people in elsewhere: not a
            # failure to count, and not a session either.
            if request is not None:
                request.login_refused = refusal  # type: ignore[attr-defined]  # HttpRequest declares no login_refused; set here for the login form's message
            security.event("login_password_disabled", username=username, address=address)
            return None
        if request is not None and hasattr(request, "session"):
            # login() keeps the session's data when it rotates the key: this stamp says when the
            # person last proved their password, for the actions that ask for it again.
            request.session[REAUTH_KEY] = int(time.time())
        return user

    def get_user(self, user_id: Any) -> Any:
        """The signed-in user of a request, with their department (most pages read it: eligibility,
        the reader's own line in lists) in the same query."""
        try:
            key = int(user_id)
        except (TypeError, ValueError):
            return None
        found = _SIGNED_IN.run(user=key)
        user = found[0] if found else None
        return user if user is not None and self.user_can_authenticate(user) else None


def _signed_in_query(user: int) -> Any:
    """The signed-in user of a request with their department (most pages read it: eligibility,
    the reader's own line in lists), in one query."""
    return get_user_model()._default_manager.select_related("department").filter(pk=user)


# (Read on every signed-in request: compiled once per connection, core.prepared.)
_SIGNED_IN = prepared.Prepared(_signed_in_query, user=int)
