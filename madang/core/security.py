"""Security events on their own logger, `madang.security`, for the operator's alerting.

Failed and throttled log-ins, refused permissions, CSRF failures, rate-limit refusals and API
token changes. Each record names the event and carries keyed pseudonyms (see
madang.core.logs.user_tag) instead of usernames or addresses, so the stream can be kept and
shipped apart from the application log (`MADANG_SECURITY_LOG_FILE`) without holding personal
data; the same person or address gives the same tag within one deployment.
"""

from __future__ import annotations

import hashlib
import hmac
import logging

from django.conf import settings

log = logging.getLogger("madang.security")


def tag(kind: str, value: object) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
    return f"{kind[0]}-{digest[:12]}"


def event(
    name: str, *, user_id: int | None = None, username: str | None = None, address: str | None = None, **fields: object
) -> None:
    extra: dict[str, object] = {"event": name, **fields}
    if user_id is not None:
        extra["user"] = tag("user", user_id)
    if username is not None:
        extra["account"] = tag("account", username.lower())
    if address is not None:
        extra["address"] = tag("address", address)
    log.warning("security event: %s", name, extra=extra)
