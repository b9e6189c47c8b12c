"""SQLite writers of this installation queue in the kernel instead of polling.

SQLite lets one transaction write at a time. A second writer that finds the lock taken waits in
its busy handler, which sleeps and retries (1, 2, 5, 10 … up to 100 ms a sleep): under a burst
of small writes from several processes the database sits idle while writers sleep, and a writer
may wait a whole sleep for a lock freed a millisecond after it began. A write transaction that
first takes an exclusive `flock` on a file beside the database is woken the moment the previous
one releases it, so the writers run back to back.

Only the hot write paths take it (a batch of supports, a fold of the tallies); any other writer
still meets them at SQLite's own lock, as before. Nothing to do on PostgreSQL (row locks, and
writers run side by side), inside a transaction already open (it holds SQLite's lock, or will
wait for it as before), or on an in-memory database (one process).
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper


@contextmanager
def sqlite_writer() -> Iterator[None]:
    """Hold this installation's SQLite writer lock around the write transaction in the block."""
    db = connections[DEFAULT_DB_ALIAS]
    if not isinstance(db, SQLiteWrapper) or db.in_atomic_block or db.is_in_memory_db():
        yield
        return
    # A new open file description per holder: flock excludes threads of one process too.
    fd = os.open(f"{db.settings_dict['NAME']}.writer", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # (releases the lock)
