"""Django's cached database session store (the cache first, then the database through a
prepared query; see the package)."""

from django.contrib.sessions.backends import cached_db

from madang.people.session_stores import PreparedRead


class SessionStore(PreparedRead, cached_db.SessionStore):
    pass
