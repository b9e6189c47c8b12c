"""Session stores that read a request's session with SQL compiled once per connection.

Every signed-in request reads its session row. Django's database store builds and compiles that
query anew each time (`Session.objects.get(session_key=..., expire_date__gt=now)`), about 0.2 ms
of compiling for a read of one row by its key (issue 18). These stores read it through
`madang.core.prepared` by its key and compare the expiry date in Python: the same answer, the
same row, the same handling of an expired or missing session. Everything else (writing, key
rotation, `clearsessions`) is Django's.

`SESSION_ENGINE` names a module: `madang.people.session_stores.db` (the default) or
`madang.people.session_stores.cached_db` (with Redis, settings.py).
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.models import Session
from django.utils import timezone

from madang.core import prepared


def _session_query(key: str) -> Any:
    return Session.objects.filter(session_key=key)


# (Read on every signed-in request: compiled once per connection.)
_SESSION = prepared.Prepared(_session_query, key=str)


class PreparedRead:
    """The database read of Django's session stores, by key through a prepared query."""

    session_key: str | None
    _session_key: str | None

    def _get_session_from_db(self) -> Session | None:
        key = self.session_key
        found = _SESSION.run(key=key) if isinstance(key, str) else []
        if found and found[0].expire_date > timezone.now():
            return found[0]
        self._session_key = None  # (as Django's: a missing or expired session starts anew)
        return None
