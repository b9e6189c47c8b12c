"""The database settings read from MADANG_DATABASE_URL."""

import pytest

from madang import settings


def test_it_keeps_postgresql_connections_for_reuse_under_a_real_server(monkeypatch):
    monkeypatch.delenv("MADANG_DB_CONN_MAX_AGE", raising=False)
    monkeypatch.setattr("sys.argv", ["gunicorn", "madang.wsgi"])
    db = settings.database_from_url("postgres://madang:pw@db.example.kr:5432/madang?sslmode=require")
    assert db["CONN_MAX_AGE"] == 60 and db["CONN_HEALTH_CHECKS"] is True
    assert db["OPTIONS"] == {"sslmode": "require", "server_side_binding": True, "prepare_threshold": 5}
    assert db["HOST"] == "db.example.kr"


@pytest.mark.parametrize(
    ("query", "binding", "threshold"),
    [
        ("", True, 5),
        ("?prepare_threshold=2", True, 2),
        ("?prepare_threshold=off", True, None),
        ("?server_side_binding=false", False, None),
        ("?server_side_binding=No&prepare_threshold=0", False, 0),
        ("?server_side_binding=on", True, 5),
    ],
)
def test_it_lets_the_server_bind_values_and_prepare_statements_unless_told_not_to(query, binding, threshold):
    """Values bound by the server and statements prepared after five uses: a small read then costs
    the process about a quarter less CPU and the server nearly half (bench/pg_client_bench.py)."""
    options = settings.database_from_url(f"postgres://madang@localhost/madang{query}")["OPTIONS"]
    assert options["server_side_binding"] is binding  # type: ignore[index]  # OPTIONS is a dict here
    assert options["prepare_threshold"] == threshold  # type: ignore[index]  # OPTIONS is a dict here


@pytest.mark.parametrize("query", ["?server_side_binding=maybe", "?prepare_threshold=often", "?prepare_threshold=-1"])
def test_it_refuses_a_binding_or_threshold_it_would_have_to_guess(query):
    with pytest.raises(ValueError, match="MADANG_DATABASE_URL"):
        settings.database_from_url(f"postgres://madang@localhost/madang{query}")


def test_it_closes_them_after_each_request_under_the_development_server(monkeypatch):
    """runserver answers every request on a new thread and never closes a finished thread's
    connection: kept for reuse, 240 supports through two servers left over 200 idle connections
    and PostgreSQL refused clients ("too many clients already", 500s in the two-server test)."""
    monkeypatch.delenv("MADANG_DB_CONN_MAX_AGE", raising=False)
    monkeypatch.setattr("sys.argv", ["manage.py", "runserver", "127.0.0.1:8000"])
    assert settings.database_from_url("postgres://madang@localhost/madang")["CONN_MAX_AGE"] == 0


@pytest.mark.parametrize("argv", [["madang", "runserver"], ["gunicorn"]])
def test_the_setting_still_wins(monkeypatch, argv):
    monkeypatch.setenv("MADANG_DB_CONN_MAX_AGE", "30")
    monkeypatch.setattr("sys.argv", argv)
    assert settings.database_from_url("postgres://madang@localhost/madang")["CONN_MAX_AGE"] == 30


def test_it_keeps_sqlite_connections_for_reuse_under_a_real_server(monkeypatch):
    """Issue 18: a new SQLite connection per request (open, pragmas, close) cost more than half the
    server's CPU for a token support action; a thread now reuses its connection as with PostgreSQL."""
    monkeypatch.delenv("MADANG_DB_CONN_MAX_AGE", raising=False)
    monkeypatch.setattr("sys.argv", ["gunicorn", "madang.wsgi"])
    db = settings.database_from_url("sqlite:////var/lib/madang/madang.sqlite3")
    assert db["CONN_MAX_AGE"] == 60
    assert db["NAME"] == "/var/lib/madang/madang.sqlite3"
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"  # type: ignore[index]  # OPTIONS is a dict here


@pytest.mark.parametrize(("argv", "env", "expected"), [(["manage.py", "runserver"], None, 0), (["gunicorn"], "0", 0)])
def test_sqlite_follows_the_same_rule_and_setting(monkeypatch, argv, env, expected):
    """runserver's thread per request would leave one open file per finished thread; the setting
    still wins (0: a connection per request, as before)."""
    if env is None:
        monkeypatch.delenv("MADANG_DB_CONN_MAX_AGE", raising=False)
    else:
        monkeypatch.setenv("MADANG_DB_CONN_MAX_AGE", env)
    monkeypatch.setattr("sys.argv", argv)
    assert settings.sqlite_database("/var/lib/madang/madang.sqlite3")["CONN_MAX_AGE"] == expected
