"""Madang's session stores answer as Django's own stores do, reading the session row through
SQL compiled once per connection (madang.people.session_stores)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends import cached_db as django_cached_db
from django.contrib.sessions.backends import db as django_db
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from madang.people import session_stores
from madang.people.session_stores import cached_db, db
from madang.testing import PASSWORD

pytestmark = pytest.mark.django_db

PAIRS = [(db.SessionStore, django_db.SessionStore), (cached_db.SessionStore, django_cached_db.SessionStore)]


def saved(data: dict[str, object], *, expires_in: timedelta = timedelta(hours=1)) -> str:
    store = django_db.SessionStore()
    store.update(data)
    store.create()
    Session.objects.filter(session_key=store.session_key).update(expire_date=timezone.now() + expires_in)
    return store.session_key


@pytest.mark.parametrize(("ours", "django"), PAIRS)
def test_a_live_session_loads_as_in_django(ours, django):
    key = saved({"_auth_user_id": "7", "madang_seen_at": 123, "words": "마당"})
    cache.clear()
    mine, theirs = ours(session_key=key), django(session_key=key)
    assert mine.load() == theirs.load() == {"_auth_user_id": "7", "madang_seen_at": 123, "words": "마당"}
    assert mine.session_key == theirs.session_key == key


@pytest.mark.parametrize(("ours", "django"), PAIRS)
@pytest.mark.parametrize("case", ["expired", "missing", "too long", "quotes"])
def test_a_session_that_is_not_there_starts_anew_as_in_django(ours, django, case):
    key = {
        "expired": lambda: saved({"a": 1}, expires_in=timedelta(seconds=-1)),
        "missing": lambda: "x" * 32,
        "too long": lambda: "y" * 41,  # (longer than the column: found by neither)
        "quotes": lambda: "'OR'1'='1'--",
    }[case]()
    cache.clear()
    mine, theirs = ours(session_key=key), django(session_key=key)
    assert mine.load() == theirs.load() == {}
    assert mine.session_key is None and theirs.session_key is None  # (both forget the key)


def test_a_session_is_read_in_one_query_with_sql_compiled_once_per_connection(monkeypatch):
    keys = [saved({"n": n}) for n in range(3)]
    session_stores._SESSION.run(key="warm")  # (compiled here, on this connection)
    compiled = session_stores._SESSION._compiled()
    built = []
    original = session_stores._SESSION.build
    monkeypatch.setattr(session_stores._SESSION, "build", lambda **kw: built.append(kw) or original(**kw))
    with CaptureQueriesContext(connection) as queries:
        loaded = [db.SessionStore(session_key=key).load() for key in keys]
    assert loaded == [{"n": 0}, {"n": 1}, {"n": 2}]
    assert len(queries) == 3 and built == []  # (one read each, nothing compiled again)
    assert session_stores._SESSION._compiled() is compiled


def test_the_cached_store_reads_the_cache_first_and_fills_it():
    key = saved({"n": 1})
    cache.clear()
    with CaptureQueriesContext(connection) as first:
        assert cached_db.SessionStore(session_key=key).load() == {"n": 1}
    with CaptureQueriesContext(connection) as second:
        assert cached_db.SessionStore(session_key=key).load() == {"n": 1}
    assert len(first) == 1 and len(second) == 0


def test_signing_in_and_out_runs_on_the_configured_store(client, cast):
    assert settings.SESSION_ENGINE == "madang.people.session_stores.db"
    assert client.post("/people/login/", {"username": "minji", "password": PASSWORD}).status_code == 302
    assert isinstance(client.session, db.SessionStore)
    assert client.get("/people/settings/").status_code == 200
    client.post("/people/logout/")
    assert client.get("/people/settings/").status_code == 302
