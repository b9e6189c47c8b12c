"""`madang readiness`: OK/WARN/FAIL lines and exit status."""

import io
import socket

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.test import override_settings

from madang.site.management.commands import readiness

STRONG_KEY = "k3Jq9vX2mW8pL5tR7yB1nC4hF6dG0sA_zQwEeRrTtYyUuIiOoPp-123456"


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory):
    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=root):
        call_command("collectstatic", "--noinput", verbosity=0)
    return root


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def production(settings, tmp_path, collected_static, monkeypatch):
    """Settings as a correctly configured production site would have them."""
    # The browser tests' conftest sets this for Playwright; a real site must not (async.E001).
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)
    settings.DEBUG = False
    settings.SECRET_KEY = STRONG_KEY
    settings.ALLOWED_HOSTS = ["madang.example.go.kr"]
    settings.SITE_URL = "https://madang.example.go.kr"
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.STATIC_ROOT = collected_static
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DEFAULT_FROM_EMAIL = "madang@example.go.kr"
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": closed_port()},
        }
    }
    return settings


def run(*args: str) -> tuple[str, CommandError | None]:
    out = io.StringIO()
    try:
        call_command("readiness", *args, stdout=out, no_color=True)
    except CommandError as exc:
        return out.getvalue(), exc
    return out.getvalue(), None


def lines(output: str, level: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(level)]


@pytest.mark.django_db
def test_a_well_configured_site_is_ready(production):
    output, error = run()
    assert error is None, output
    assert lines(output, "FAIL") == []
    assert "all migrations applied" in output
    assert "Ready for production." in output
    # An unreachable SMTP server is a warning (it may be down for a minute), not a failure.
    assert any("SMTP server" in line for line in lines(output, "WARN"))


@pytest.mark.django_db
def test_sqlite_is_a_warning_not_a_failure(production):
    output, _ = run()
    sqlite_warned = any("SQLite" in line for line in lines(output, "WARN"))
    assert sqlite_warned == (connection.vendor == "sqlite")


@pytest.mark.django_db
def test_strict_mode_fails_on_warnings(production):
    output, error = run("--strict")
    assert lines(output, "WARN")
    assert error is not None
    assert error.returncode == 1


@pytest.mark.django_db
def test_development_settings_fail_with_fixes(production):
    production.DEBUG = True
    production.SECRET_KEY = "insecure-development-key-only-for-MADANG_DEBUG"
    production.ALLOWED_HOSTS = []
    production.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

    output, error = run()

    assert error is not None
    assert error.returncode == 1
    failed = "\n".join(lines(output, "FAIL"))
    for name in ("secret_key", "debug", "allowed_hosts", "email"):
        assert name in failed, output
    assert "fix: unset MADANG_DEBUG" in output
    assert "readiness:" in output


@pytest.mark.django_db
def test_a_short_secret_key_fails(production):
    production.SECRET_KEY = "short-but-not-the-dev-key"
    output, error = run()
    assert error is not None
    assert any("secret_key" in line and "weak" in line for line in lines(output, "FAIL"))


@pytest.mark.django_db
def test_media_that_cannot_be_written_fails(production, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    production.MEDIA_ROOT = blocker / "media"  # works even as root, unlike chmod
    output, error = run()
    assert error is not None
    assert any(line.split()[1] == "media" for line in lines(output, "FAIL")), output


@pytest.mark.django_db
def test_uncollected_static_files_fail(production, tmp_path):
    production.STATIC_ROOT = tmp_path / "empty-static"
    output, error = run()
    assert error is not None
    assert any("collectstatic" in line for line in output.splitlines())


@pytest.mark.django_db
def test_partly_collected_static_files_fail(production, tmp_path, collected_static):
    partial = tmp_path / "partial-static"
    partial.mkdir()
    (partial / "robots.txt").write_text("")
    production.STATIC_ROOT = partial
    output, error = run()
    assert error is not None
    assert any("not collected" in line for line in lines(output, "FAIL"))


@pytest.mark.django_db
def test_unapplied_migrations_fail(production, monkeypatch):
    class Migration:
        app_label, name = "calls", "0099_future"

    monkeypatch.setattr(readiness.MigrationExecutor, "migration_plan", lambda self, targets: [(Migration(), False)])
    output, error = run()
    assert error is not None
    assert any("calls.0099_future" in line for line in lines(output, "FAIL"))
    assert "madang migrate" in output


def test_an_unreachable_database_fails(production, monkeypatch):
    def refuse(self):
        raise OSError("connection refused")

    monkeypatch.setattr(connections["default"], "ensure_connection", refuse.__get__(connections["default"]))
    findings = list(readiness.check_database("default"))
    assert [f.level for f in findings] == [readiness.FAIL]
    assert "connection refused" in findings[0].message


@pytest.mark.django_db
def test_it_fails_without_a_ledger_signing_key(production, tmp_path):
    production.MADANG_LEDGER_KEY_FILE = str(tmp_path / "missing.key")
    output, error = run()
    assert error is not None
    assert "FAIL  ledger" in output
    assert "madang ledger keygen" in output
