"""Root pytest configuration: tests run with development settings unless told otherwise."""

import os

os.environ.setdefault("MADANG_DEBUG", "1")
os.environ.setdefault("MADANG_SECURE_COOKIES", "0")

import pytest


@pytest.fixture
def cast(db):  # type: ignore[no-untyped-def]
    from madang.testing import build_cast

    return build_cast()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    # Hashing is slow on purpose in production; tests only need it to work.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def ledger_key_file(tmp_path_factory):  # type: ignore[no-untyped-def]
    from madang.ledger.services import write_key_file

    path = tmp_path_factory.mktemp("keys") / "ledger.key"
    write_key_file(path, "127.0.0.1:8000/ledger")
    return path


@pytest.fixture(autouse=True)
def _ledger_in_tmp(settings, tmp_path, ledger_key_file):  # type: ignore[no-untyped-def]
    # Each test gets its own log directory: the database is rolled back after every test,
    # and a log on disk that outlived its database would (rightly) be reported as corrupt.
    from madang.ledger.services import forget_open_logs

    settings.MADANG_LEDGER_DIR = tmp_path / "ledger"
    settings.MADANG_LEDGER_KEY_FILE = str(ledger_key_file)
    settings.MADANG_LEDGER_ORIGIN = "127.0.0.1:8000/ledger"
    forget_open_logs()
    yield
    forget_open_logs()
