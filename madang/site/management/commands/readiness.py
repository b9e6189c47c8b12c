"""`madang readiness`: is this installation fit to serve real users?

Runs Django's deployment checks (what `madang check --deploy` reports) and Madang's own:
secret key, DEBUG, allowed hosts, site address, database reachable and fully migrated,
media directory writable, a real e-mail backend, static files collected. Each finding
is printed as OK, WARN or FAIL with a short fix; the command exits 1 if anything FAILs
(or, with --strict, if anything WARNs). Safe to run at any time: it changes nothing
apart from a temporary file it writes to (and removes from) the media directory.
"""

from __future__ import annotations

import os
import socket
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core import checks
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from madang.ledger import services as ledger
from madang.solvers import tlog

OK, WARN, FAIL = "OK", "WARN", "FAIL"

# Django deploy checks that Madang's own checks below cover, with better advice.
COVERED_DJANGO_CHECKS = {"security.W009", "security.W018", "security.W020", "mail.E001"}
NOT_REAL_MAIL = {
    "console": "only written to the server log",
    "locmem": "kept in memory and never sent",
    "dummy": "thrown away",
    "filebased": "written to files, not sent",
}
DEV_KEY_MARK = "insecure-development-key"
MIN_KEY_LENGTH = 50


@dataclass(frozen=True)
class Finding:
    level: str
    name: str
    message: str
    fix: str = ""


def ok(name: str, message: str) -> Finding:
    return Finding(OK, name, message)


def warn(name: str, message: str, fix: str = "") -> Finding:
    return Finding(WARN, name, message, fix)


def fail(name: str, message: str, fix: str = "") -> Finding:
    return Finding(FAIL, name, message, fix)


# ---------------------------------------------------------------------------- settings


def check_secret_key() -> Iterator[Finding]:
    key = settings.SECRET_KEY or ""
    fix = 'set MADANG_SECRET_KEY to the output of: python3 -c "import secrets; print(secrets.token_urlsafe(50))"'
    if not key or DEV_KEY_MARK in key:
        yield fail("secret_key", "MADANG_SECRET_KEY is not set: the public development key is in use", fix)
    elif len(key) < MIN_KEY_LENGTH or len(set(key)) < 5 or key.startswith("django-insecure-"):
        yield fail(
            "secret_key", f"MADANG_SECRET_KEY is weak ({len(key)} characters; want {MIN_KEY_LENGTH}+ random)", fix
        )
    else:
        yield ok("secret_key", f"MADANG_SECRET_KEY is set ({len(key)} characters)")


def check_debug() -> Iterator[Finding]:
    if settings.DEBUG:
        yield fail(
            "debug", "DEBUG is on: error pages show code and settings to anyone", "unset MADANG_DEBUG (or set it to 0)"
        )
    else:
        yield ok("debug", "DEBUG is off")


def check_hosts() -> Iterator[Finding]:
    hosts = list(settings.ALLOWED_HOSTS)
    if not hosts:
        yield fail(
            "allowed_hosts",
            "ALLOWED_HOSTS is empty: every request will get 400",
            "set MADANG_ALLOWED_HOSTS=madang.example.go.kr",
        )
    elif "*" in hosts:
        yield warn(
            "allowed_hosts",
            "ALLOWED_HOSTS contains '*': any Host header is accepted",
            "list the real host names in MADANG_ALLOWED_HOSTS",
        )
    else:
        yield ok("allowed_hosts", "ALLOWED_HOSTS = " + ", ".join(hosts))

    site_url = str(getattr(settings, "SITE_URL", ""))
    if not site_url or "127.0.0.1" in site_url or "localhost" in site_url:
        yield warn(
            "site_url",
            f"MADANG_SITE_URL is {site_url!r}: links in e-mails will not work",
            "set MADANG_SITE_URL=https://<your host>",
        )
    elif not site_url.startswith("https://"):
        yield warn(
            "site_url",
            f"MADANG_SITE_URL {site_url!r} is not https",
            "serve Madang over TLS and use an https:// address",
        )
    else:
        yield ok("site_url", f"MADANG_SITE_URL = {site_url}")

    if settings.SECURE_PROXY_SSL_HEADER is None and not settings.SECURE_SSL_REDIRECT:
        yield warn(
            "proxy",
            "Django is not told about TLS at the proxy (MADANG_BEHIND_PROXY off, MADANG_SSL_REDIRECT off)",
            "behind nginx with TLS: set MADANG_BEHIND_PROXY=1 and have nginx send X-Forwarded-Proto",
        )


# ---------------------------------------------------------------------------- database


def check_database(alias: str) -> Iterator[Finding]:
    connection = connections[alias]
    try:
        connection.ensure_connection()
    except Exception as exc:
        yield fail(
            "database",
            f"cannot connect to the database: {exc}".strip(),
            "check MADANG_DATABASE_URL and that the server runs",
        )
        return
    name = connection.settings_dict.get("NAME")
    yield ok("database", f"connected ({connection.vendor}, {connection.display_name} {name})")

    if connection.vendor == "sqlite":
        yield warn(
            "database",
            "SQLite: fine for a small office on one server; PostgreSQL for more users or several app servers",
            "set MADANG_DATABASE_URL=postgres://... (see docs/deployment.md)",
        )

    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:
        yield fail("migrations", f"cannot read the migration state: {exc}", "run: madang migrate")
        return
    if plan:
        names = [f"{m.app_label}.{m.name}" for m, _backwards in plan]
        shown = ", ".join(names[:5]) + (" ..." if len(names) > 5 else "")
        yield fail("migrations", f"{len(plan)} unapplied migration(s): {shown}", "run: madang migrate")
    else:
        yield ok("migrations", "all migrations applied")


# ---------------------------------------------------------------------------- files


def check_media() -> Iterator[Finding]:
    root = Path(settings.MEDIA_ROOT)
    try:
        root.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=root, prefix=".readiness-", delete=True) as fh:
            fh.write(b"ok")
            fh.flush()
    except OSError as exc:
        user = _user()
        yield fail(
            "media",
            f"MEDIA_ROOT {root} is not writable by {user}: {exc.strerror or exc}",
            f"create it and give {user} write access, or set MADANG_MEDIA_ROOT",
        )
    else:
        yield ok("media", f"MEDIA_ROOT {root} is writable")


def check_ledger() -> Iterator[Finding]:
    fix = (
        "make a key with: madang ledger keygen --out /etc/madang/ledger.key, then set MADANG_LEDGER_KEY_FILE (see "
        "docs/ledger.md)"
    )
    try:
        keys = ledger.signers()
    except ledger.LedgerNotConfigured as exc:
        yield fail("ledger", f"the ledger cannot sign checkpoints: {exc}", fix)
        return
    except (OSError, tlog.NoteError) as exc:
        yield fail("ledger", f"the ledger key file cannot be read: {exc}", fix)
        return
    key_file = Path(settings.MADANG_LEDGER_KEY_FILE)
    if key_file.stat().st_mode & 0o077:
        yield warn("ledger", f"{key_file} is readable by other users", f"chmod 600 {key_file}")
    try:
        ledger.log_dir().mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=ledger.log_dir().parent, prefix=".readiness-", delete=True):
            pass
    except OSError as exc:
        yield fail(
            "ledger",
            f"MADANG_LEDGER_DIR {ledger.log_dir().parent} is not writable: {exc.strerror or exc}",
            "create it and give the service user write access",
        )
        return
    yield ok("ledger", f"signing as {settings.MADANG_LEDGER_ORIGIN} with {len(keys)} key(s); log in {ledger.log_dir()}")


def check_static() -> Iterator[Finding]:
    root = Path(settings.STATIC_ROOT) if settings.STATIC_ROOT else None
    fix = "run: madang collectstatic --noinput (after every upgrade)"
    if root is None or not root.is_dir() or not any(root.iterdir()):
        yield fail("static", f"static files are not collected into STATIC_ROOT ({root})", fix)
        return
    missing: list[str] = []
    stale: list[str] = []
    total = 0
    for finder in finders.get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            prefix = getattr(storage, "prefix", None)
            target = root / (os.path.join(prefix, path) if prefix else path)
            total += 1
            try:
                collected = target.stat().st_mtime
            except FileNotFoundError:
                missing.append(str(target.relative_to(root)))
                continue
            if Path(storage.path(path)).stat().st_mtime > collected + 1:
                stale.append(str(target.relative_to(root)))
    if missing:
        yield fail("static", f"{len(missing)} of {total} static files are not collected (e.g. {missing[0]})", fix)
    elif stale:
        yield warn("static", f"{len(stale)} collected static files are older than their source (e.g. {stale[0]})", fix)
    else:
        yield ok("static", f"{total} static files collected in {root}")


# ---------------------------------------------------------------------------- e-mail


def mail_backend() -> tuple[str, dict[str, object]]:
    mailers = getattr(settings, "MAILERS", None)
    if mailers and "default" in mailers:
        return str(mailers["default"].get("BACKEND", "")), dict(mailers["default"].get("OPTIONS", {}))
    return str(settings.EMAIL_BACKEND), {"host": settings.EMAIL_HOST, "port": settings.EMAIL_PORT}


def check_email() -> Iterator[Finding]:
    backend, options = mail_backend()
    for kind, what in NOT_REAL_MAIL.items():
        if f".{kind}." in backend:
            yield fail(
                "email",
                f"e-mail backend is {kind}: notifications are {what}",
                "set MADANG_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and MADANG_EMAIL_HOST",
            )
            return
    if backend.endswith("smtp.EmailBackend"):
        host, port = str(options.get("host") or "localhost"), int(str(options.get("port") or 25))
        try:
            with socket.create_connection((host, port), timeout=3):
                pass
        except OSError as exc:
            yield warn(
                "email",
                f"SMTP server {host}:{port} is not reachable now: {exc}",
                "check MADANG_EMAIL_HOST/PORT and the firewall",
            )
        else:
            yield ok("email", f"SMTP server {host}:{port} answers")
    else:
        yield ok("email", f"e-mail backend {backend}")
    sender = str(settings.DEFAULT_FROM_EMAIL)
    if sender.endswith("@localhost"):
        yield warn(
            "email",
            f"sender address is {sender}: mail servers may reject it",
            "set MADANG_DEFAULT_FROM_EMAIL=madang@your.domain",
        )


# ---------------------------------------------------------------------------- Django


def check_django_deploy(alias: str) -> Iterator[Finding]:
    try:
        messages = checks.run_checks(include_deployment_checks=True, databases=[alias])
    except Exception as exc:
        yield fail("django", f"the Django system checks crashed: {exc}", "run: madang check --deploy")
        return
    shown = [m for m in messages if not m.is_silenced() and m.id not in COVERED_DJANGO_CHECKS]
    for m in shown:
        level = FAIL if m.level >= checks.ERROR else WARN if m.level >= checks.WARNING else OK
        text = str(m.msg).split("\n")[0].strip()
        where = f"{m.obj}: " if m.obj is not None else ""
        yield Finding(level, m.id or "django", where + text, str(m.hint or ""))
    if not shown:
        yield ok("django", "Django's deployment checks report nothing")


def _user() -> str:
    try:
        import pwd

        return pwd.getpwuid(os.geteuid()).pw_name
    except (ImportError, KeyError):
        return "this user"


def run_all(alias: str = DEFAULT_DB_ALIAS) -> list[Finding]:
    groups: list[Callable[[], Iterator[Finding]]] = [
        check_secret_key,
        check_debug,
        check_hosts,
        lambda: check_database(alias),
        check_media,
        check_ledger,
        check_static,
        check_email,
        lambda: check_django_deploy(alias),
    ]
    return [finding for group in groups for finding in group()]


class Command(BaseCommand):
    help = "Check that this installation is ready for production: prints OK/WARN/FAIL, exits 1 on FAIL."
    # It runs the system checks itself (with the deployment ones) and reports on migrations.
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias to check (default: default).")
        parser.add_argument("--strict", action="store_true", help="Exit 1 on warnings too.")

    def handle(self, *args: object, **options: object) -> None:
        findings = run_all(str(options["database"]))
        style = {OK: self.style.SUCCESS, WARN: self.style.WARNING, FAIL: self.style.ERROR}
        for f in findings:
            self.stdout.write(f"{style[f.level](f'{f.level:<4}')}  {f.name:<15} {f.message}")
            if f.fix and f.level != OK:
                self.stdout.write(f"{'':<21}fix: {f.fix}")
        counts = {level: sum(f.level == level for f in findings) for level in (OK, WARN, FAIL)}
        self.stdout.write(f"\nreadiness: {counts[OK]} OK, {counts[WARN]} WARN, {counts[FAIL]} FAIL")
        if counts[FAIL] or (options["strict"] and counts[WARN]):
            failing = counts[FAIL] + (counts[WARN] if options["strict"] else 0)
            raise CommandError(f"not ready for production: {failing} problem(s) above", returncode=1)
        self.stdout.write(self.style.SUCCESS("Ready for production."))
