"""Root pytest configuration: tests run with development settings unless told otherwise."""

import os

os.environ.setdefault("MADANG_DEBUG", "1")
os.environ.setdefault("MADANG_SECURE_COOKIES", "0")

import pytest  # noqa: E402


@pytest.fixture
def cast(db):  # type: ignore[no-untyped-def]
    from madang.testing import build_cast

    return build_cast()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    # Hashing is slow on purpose in production; tests only need it to work.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
