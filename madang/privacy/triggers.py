"""Database triggers that refuse UPDATE and DELETE on the privacy records (created by migration 0002).

PostgreSQL: a row trigger raises for any UPDATE or DELETE. SQLite: a trigger raises when
`madang_privacy_locked()` is true; the application defines that function on every connection
and it is true except inside `unlocked()`, so a tool that opens the file without Madang (the
sqlite3 shell) fails with "no such function" and cannot change a record either. `unlocked()`
exists for the test suite's flush of transactional tests, which empties every table with
DELETE on SQLite (PostgreSQL empties them with TRUNCATE, which row triggers do not see).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

FUNCTION = "madang_privacy_locked"

_unlocked = 0


def _locked() -> int:
    return 0 if _unlocked else 1


@contextmanager
def unlocked() -> Iterator[None]:
    global _unlocked
    _unlocked += 1
    try:
        yield
    finally:
        _unlocked -= 1


def define_function(sender: Any, connection: Any, **kwargs: Any) -> None:
    """connection_created: give every SQLite connection the function the triggers ask."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(FUNCTION, 0, _locked)
