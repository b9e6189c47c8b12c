"""Shared pieces of the reliability tests: a separate Madang installation, its database, its processes."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import pytest

MADANG = [sys.executable, str(Path(__file__).resolve().parents[2] / "manage.py")]


@pytest.fixture(scope="module")
def site(tmp_path_factory, request):
    """Environment for a separate Madang installation with its own database (shared by the tests here).

    The database is a copy of one migrated once for the whole run (conftest.py)."""
    tmp_path = tmp_path_factory.mktemp("site")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))}
    env.update(
        MADANG_DEBUG="1",
        MADANG_DATA_DIR=str(tmp_path / "var"),
        DJANGO_SETTINGS_MODULE="madang.settings",
        MADANG_EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        # A few officials drive the load here; Redis (shared by test runs) keeps the windows.
        MADANG_RATE_LIMITS="support=100000/60,comment=100000/60,proposal=100000/3600",
    )
    url = os.environ.get("MADANG_DATABASE_URL")
    dropper = None
    if url:
        import psycopg

        name = f"madang_crash_{uuid.uuid4().hex[:8]}"
        admin = urlparse(url)._replace(path="/postgres")
        template = request.getfixturevalue("migrated_postgres_template")
        with psycopg.connect(urlunparse(admin), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        env["MADANG_DATABASE_URL"] = urlunparse(urlparse(url)._replace(path=f"/{name}"))

        def dropper() -> None:
            with psycopg.connect(urlunparse(admin), autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    else:
        (tmp_path / "var").mkdir()
        shutil.copy(request.getfixturevalue("migrated_sqlite"), tmp_path / "var" / "madang.sqlite3")
    yield env
    if dropper:
        dropper()


def shell(env: dict[str, str], code: str) -> str:
    done = subprocess.run(
        [*MADANG, "shell", "-c", code], env=env, check=True, timeout=120, capture_output=True, text=True
    )
    return done.stdout.strip().splitlines()[-1]


def query(env: dict[str, str], sql: str) -> tuple:
    """One row straight from the database, without starting Django (polling must be cheap)."""
    url = env.get("MADANG_DATABASE_URL")
    if url:
        import psycopg

        with psycopg.connect(url) as conn:
            return conn.execute(sql).fetchone()
    import sqlite3

    db = sqlite3.connect(Path(env["MADANG_DATA_DIR"]) / "madang.sqlite3", timeout=30)
    try:
        return db.execute(sql).fetchone()
    finally:
        db.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# How long to wait for a process to come up or a state to be reached: generous, since on a shared
# machine under load a server can take a minute to import Django. A bound on waiting, not on speed.
def wait_for(predicate, timeout: float = 60.0, every: float = 0.1) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(every)
    return False


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.status
    except (urllib.error.URLError, OSError):
        return 0


def post(url: str, token: str) -> int:
    request = urllib.request.Request(url, data=b"", method="POST", headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except (urllib.error.URLError, OSError):
        return 0
