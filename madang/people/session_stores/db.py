"""Django's database session store, reading the session through a prepared query (see the package)."""

from django.contrib.sessions.backends import db

from madang.people.session_stores import PreparedRead


class SessionStore(PreparedRead, db.SessionStore):
    pass
