"""Madang settings, read from environment variables only.

Defaults are safe for production (DEBUG off, secure cookies); `make demo` and the
test suite set MADANG_DEBUG=1 explicitly. Every variable is documented in docs/settings.md.
"""

import os
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return as_bool(raw, name)


def as_bool(raw: str, name: str) -> bool:
    """A boolean setting's text (1/0, true/false, yes/no, on/off, any case); anything else is refused."""
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"{name} must be a boolean (1/0, true/false), not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return default if raw in (None, "") else int(raw)


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def database_from_url(url: str) -> dict[str, object]:
    """postgres://user:pass@host:port/name?sslmode=... or sqlite:///path (also sqlite:///:memory:)."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = unquote(parsed.path[1:] if parsed.path.startswith("//") else parsed.path.lstrip("/") or "")
        return sqlite_database(path if path and path != ":memory:" else ":memory:")
    if parsed.scheme in {"postgres", "postgresql"}:
        options: dict[str, object] = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
        host = unquote(parsed.hostname or "") if parsed.hostname else options.pop("host", "")
        options.update(postgres_binding(options))
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": host,
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": conn_max_age(),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise ValueError(f"MADANG_DATABASE_URL: unsupported scheme {parsed.scheme!r} (use sqlite or postgres)")


def postgres_binding(options: dict[str, object]) -> dict[str, object]:
    """How values reach PostgreSQL: bound by the server and each statement prepared on its connection
    after `prepare_threshold` uses (5), unless the URL says `server_side_binding=false` or
    `prepare_threshold=off`. Django's default quotes values into the SQL text on the client, and the
    server plans every query anew: a small read then costs the process about a quarter more CPU and
    the server nearly twice as much (bench/pg_client_bench.py; docs/deployment.md, "PostgreSQL").
    A pooler in transaction mode needs prepared statements of its own (PgBouncer 1.21 or later with
    max_prepared_statements) or `prepare_threshold=off`."""
    binding = as_bool(str(options.get("server_side_binding", "true")), "MADANG_DATABASE_URL: server_side_binding")
    out: dict[str, object] = {"server_side_binding": binding}
    raw_threshold = str(options.get("prepare_threshold", "5" if binding else "off")).lower()
    if raw_threshold in {"off", "none", "never"}:
        out["prepare_threshold"] = None
    elif raw_threshold.isdigit():
        out["prepare_threshold"] = int(raw_threshold)
    else:
        raise ValueError("MADANG_DATABASE_URL: prepare_threshold must be a number of uses or off")
    return out


def conn_max_age() -> int:
    """Seconds a database connection is kept for the next request of its thread (CONN_MAX_AGE)."""
    return env_int("MADANG_DB_CONN_MAX_AGE", 0 if _development_server() else 60)


def _development_server() -> bool:
    """Whether this process is `madang runserver` (or manage.py's). It answers each request on a new
    thread and never closes that thread's connection: kept open for reuse, every request would
    leave one behind, until PostgreSQL refuses more clients (a two-server test saw 500s so)."""
    import sys

    return len(sys.argv) > 1 and sys.argv[1] == "runserver"


def sqlite_database(path: str) -> dict[str, object]:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        # Kept for the thread's next request, as with PostgreSQL: opening a connection (its
        # pragmas) and closing it for every request cost more CPU than the rest of a token
        # support action (issue 18, docs/settings.md).
        "CONN_MAX_AGE": conn_max_age(),
        # IMMEDIATE takes the write lock at BEGIN, so two concurrent writers wait for each
        # other (busy timeout) instead of failing with "database is locked" on upgrade.
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
        },
    }


DEBUG = env_bool("MADANG_DEBUG", False)
SECRET_KEY = env_str("MADANG_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        # Refusing to start is better than signing sessions with a known key.
        raise ImproperlyConfigured(
            "MADANG_SECRET_KEY가 없습니다. 운영 서버에서는 비밀 키를 설정하고, 내 컴퓨터에서 시험할 때는 "
            "MADANG_DEBUG=1을 설정하세요 (make demo가 그렇게 합니다).\n"
            "MADANG_SECRET_KEY is not set. Set a secret key on a server, or MADANG_DEBUG=1 to try Madang on "
            "your own computer (make demo does)."
        )
    SECRET_KEY = "insecure-development-key-only-for-MADANG_DEBUG"  # noqa: S105

ALLOWED_HOSTS = env_list("MADANG_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("MADANG_CSRF_TRUSTED_ORIGINS")


def default_site_url(debug: bool, allowed_hosts: list[str]) -> str:
    """Where the site is when MADANG_SITE_URL is not set: the development server, or in production
    the first named host Django accepts (a wildcard names none). Used for links sent without a
    request (digests, the worker) and, through it, for the ledger's default name."""
    if debug:
        return "http://127.0.0.1:8000"
    named = next((h for h in allowed_hosts if h and h != "*" and not h.startswith(".")), "")
    return f"https://{named}" if named else "https://madang.localhost"


SITE_URL = env_str("MADANG_SITE_URL", default_site_url(DEBUG, ALLOWED_HOSTS))

INSTALLED_APPS = [
    "madang.people.admin_app.MadangAdminConfig",  # Django's admin, with Madang's log-in throttle
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "madang.core",
    "madang.people",
    "madang.identity",
    "madang.ledger",
    "madang.privacy",
    "madang.calls",
    "madang.review",
    "madang.followup",
    "madang.inbox",
    "madang.labs",
    "madang.citizens",
    "madang.jobs",
    "madang.events",
    "madang.insight",
    "madang.suggestions",
    "madang.priority",
    "madang.documents",
    "madang.site",
]

MIDDLEWARE = [
    # First, so every record of the request (and the access log line) carries its id.
    "madang.core.middleware.RequestIdMiddleware",
    "madang.core.logs.AccessLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "madang.people.sessions.SessionTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "madang.identity.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "madang.core.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "madang.urls"
WSGI_APPLICATION = "madang.wsgi.application"
AUTH_USER_MODEL = "people.User"
# Django's password check behind Madang's one log-in throttle (madang/people/throttle.py).
AUTHENTICATION_BACKENDS = ["madang.people.backends.ThrottledModelBackend"]
LOGIN_URL = "people:login"
LOGIN_REDIRECT_URL = "site:home"
LOGOUT_REDIRECT_URL = "site:home"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "madang" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # {% url %} with the addresses it made kept, and {% kept %} (madang/core/templatetags/kept.py).
            "builtins": ["madang.core.templatetags.kept"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "madang.core.context_processors.site",
                "madang.people.context_processors.session_clock",
            ],
        },
    },
]

DATA_DIR = Path(env_str("MADANG_DATA_DIR", str(BASE_DIR / "var")))
_db_url = env_str("MADANG_DATABASE_URL")
if _db_url:
    DATABASES = {"default": database_from_url(_db_url)}
else:
    # The embedded default: one file under MADANG_DATA_DIR, created on first use.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {"default": sqlite_database(str(DATA_DIR / "madang.sqlite3"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", "한국어"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "madang" / "locale"]
TIME_ZONE = env_str("MADANG_TIME_ZONE", "Asia/Seoul")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MADANG_MEDIA_ROOT", str(DATA_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Uploads: limits enforced in madang.calls.forms as well; this caps what Django buffers.
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
MADANG_ATTACHMENT_MAX_BYTES = env_int("MADANG_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)

# Log-in throttling (madang/people/throttle.py): a growing delay per account and address, a
# ceiling per address and one per account; failures older than the window are forgotten.
MADANG_LOGIN_FREE_FAILURES = env_int("MADANG_LOGIN_FREE_FAILURES", 3)
MADANG_LOGIN_DELAY_SECONDS = env_int("MADANG_LOGIN_DELAY_SECONDS", 2)
MADANG_LOGIN_MAX_DELAY_SECONDS = env_int("MADANG_LOGIN_MAX_DELAY_SECONDS", 300)
MADANG_LOGIN_WINDOW_MINUTES = env_int("MADANG_LOGIN_WINDOW_MINUTES", 60)
MADANG_LOGIN_ADDRESS_MAX_FAILURES = env_int("MADANG_LOGIN_ADDRESS_MAX_FAILURES", 100)
MADANG_LOGIN_ACCOUNT_MAX_FAILURES = env_int("MADANG_LOGIN_ACCOUNT_MAX_FAILURES", 100)
# The client's address behind a reverse proxy (madang/core/addresses.py): the proxies' addresses
# or networks ("unix" for a unix socket alone), and the header they write.
MADANG_TRUSTED_PROXIES = env_list("MADANG_TRUSTED_PROXIES")
MADANG_CLIENT_ADDRESS_HEADER = env_str("MADANG_CLIENT_ADDRESS_HEADER", "X-Forwarded-For")

# Sessions (madang/people/sessions.py): idle timeout, absolute lifetime, and how recently the
# password must have been given for sensitive actions.
MADANG_SESSION_IDLE_MINUTES = env_int("MADANG_SESSION_IDLE_MINUTES", 30)
MADANG_SESSION_MAX_HOURS = env_int("MADANG_SESSION_MAX_HOURS", 12)
SESSION_COOKIE_AGE = MADANG_SESSION_MAX_HOURS * 3600
MADANG_REAUTH_MINUTES = env_int("MADANG_REAUTH_MINUTES", 10)
# How long before a session's end a signed-in page warns and offers to extend it (KWCAG 6.2.1).
MADANG_SESSION_WARNING_SECONDS = env_int("MADANG_SESSION_WARNING_SECONDS", 120)
# Identity providers (madang/identity, docs/identity.md). Client secrets come from the environment,
# never the database: MADANG_IDP_SECRET_<SLUG> (the provider's short name, upper case, "-" as "_").
MADANG_IDENTITY_CLIENT_SECRETS = {
    name.removeprefix("MADANG_IDP_SECRET_").lower().replace("_", "-"): value
    for name, value in os.environ.items()
    if name.startswith("MADANG_IDP_SECRET_") and value
}
# The key of the hashes of verified citizens' person identifiers, and the one that encrypts TOTP
# secrets; both derived from MADANG_SECRET_KEY when empty. Set the person key once and keep it:
# a new one gives new hashes, and a person could then hold a second account.
MADANG_IDENTITY_PERSON_KEY = env_str("MADANG_IDENTITY_PERSON_KEY", "")
MADANG_IDENTITY_TOTP_KEY = env_str("MADANG_IDENTITY_TOTP_KEY", "")
# A second factor (TOTP) at sign-in for staff, superusers and these roles (off in development).
MADANG_SECOND_FACTOR_REQUIRED = env_bool("MADANG_SECOND_FACTOR_REQUIRED", not DEBUG)
MADANG_SECOND_FACTOR_ROLES = env_list("MADANG_SECOND_FACTOR_ROLES", "innovation_team,administrator,facilitator")
MADANG_TOTP_ISSUER = env_str("MADANG_TOTP_ISSUER", "Madang")
# Personal API tokens: lifetime when none is chosen, and the longest one may choose.
MADANG_API_TOKEN_DAYS = env_int("MADANG_API_TOKEN_DAYS", 90)
MADANG_API_TOKEN_MAX_DAYS = env_int("MADANG_API_TOKEN_MAX_DAYS", 365)
# Password-reset links (Django's PasswordResetTokenGenerator): single use, valid this long.
PASSWORD_RESET_TIMEOUT = env_int("MADANG_PASSWORD_RESET_MINUTES", 60) * 60

# Per-person limits on repeated writes (madang.core.ratelimit): scope=count/seconds, or "off".
MADANG_RATE_LIMITS = env_str(
    "MADANG_RATE_LIMITS",
    "support=60/60,comment=12/60,proposal=20/3600,statement=20/3600,vote=600/60,join=10/3600,password_reset=10/3600,"
    "similar=60/60",
)
# Anonymous visitors share a copy of the busiest public pages for this many seconds
# (madang/core/pagecache.py); 0 turns it off (the default with DEBUG).
MADANG_PAGE_CACHE_SECONDS = env_int("MADANG_PAGE_CACHE_SECONDS", 0 if DEBUG else 5)

_email_backend = env_str("MADANG_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
_email_options: dict[str, object] = {}
if _email_backend.endswith("smtp.EmailBackend"):
    _email_options = {
        "host": env_str("MADANG_EMAIL_HOST", "localhost"),
        "port": env_int("MADANG_EMAIL_PORT", 25),
        "username": env_str("MADANG_EMAIL_HOST_USER"),
        "password": env_str("MADANG_EMAIL_HOST_PASSWORD"),
        "use_tls": env_bool("MADANG_EMAIL_USE_TLS", False),
    }
MAILERS = {"default": {"BACKEND": _email_backend, "OPTIONS": _email_options}}
DEFAULT_FROM_EMAIL = env_str("MADANG_DEFAULT_FROM_EMAIL", "madang@localhost")

SESSION_COOKIE_SECURE = env_bool("MADANG_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# The CSRF token reaches htmx from the page (base.html), never from script reading the cookie; the
# language cookie says who reads Korean, so it travels like the session (Secure without DEBUG).
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env_bool("MADANG_SSL_REDIRECT", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("MADANG_BEHIND_PROXY", False) else None
SECURE_HSTS_SECONDS = env_int("MADANG_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content security policy: scripts only from our own static files (with a per-response nonce
# for the ones the templates include), nothing from elsewhere, no inline script, no eval. Inline
# style *attributes* are allowed (a few layout tweaks in templates); style sheets are our own.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "style-src-attr": [CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Logs: "json" (one object per line, for a log collector) or "plain"; see madang.core.logs.
MADANG_LOG_FORMAT = env_str("MADANG_LOG_FORMAT", "plain" if DEBUG else "json")
if MADANG_LOG_FORMAT not in {"json", "plain"}:
    raise ValueError("MADANG_LOG_FORMAT: use json or plain")

LOGGING: dict[str, Any] = {  # (logging.config.dictConfig's schema: nested dicts, amended below)
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "madang.core.middleware.RequestIdFilter"}},
    "formatters": {
        "plain": {
            "()": "madang.core.logs.PlainFormatter",
            "format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s",
        },
        "json": {"()": "madang.core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": MADANG_LOG_FORMAT, "filters": ["request_id"]}
    },
    "root": {"handlers": ["console"], "level": env_str("MADANG_LOG_LEVEL", "INFO")},
    # One line per request; WARNING by default in development, where runserver logs requests itself.
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "madang.security": {"level": "INFO"},
        "madang.request": {"level": env_str("MADANG_ACCESS_LOG_LEVEL", "WARNING" if DEBUG else "INFO")},
    },
}

# Security events (madang.core.security) also go, as JSON lines, to this file when set.
MADANG_SECURITY_LOG_FILE = env_str("MADANG_SECURITY_LOG_FILE")
if MADANG_SECURITY_LOG_FILE:
    LOGGING["handlers"]["security_file"] = {
        "class": "logging.handlers.WatchedFileHandler",
        "filename": MADANG_SECURITY_LOG_FILE,
        "formatter": "json",
        "filters": ["request_id"],
    }
    LOGGING["loggers"]["madang.security"]["handlers"] = ["security_file"]

NINJA_PAGINATION_PER_PAGE = 50

# Django's session stores, reading the session row through SQL compiled once per connection
# (madang.people.session_stores).
SESSION_ENGINE = "madang.people.session_stores.db"

# With several application servers, Redis holds the shared cache and the sessions (backed by
# the database, so a Redis restart logs nobody out). Without it: a per-process cache and
# database sessions, which is right for one server.
MADANG_REDIS_URL = env_str("MADANG_REDIS_URL")
if MADANG_REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": MADANG_REDIS_URL,
            "KEY_PREFIX": "madang",
            "TIMEOUT": 300,
        }
    }
    SESSION_ENGINE = "madang.people.session_stores.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "madang"}}

# The decision ledger: a Merkle log in the C2SP tlog-tiles layout under MADANG_LEDGER_DIR/log,
# signed with the private key(s) in MADANG_LEDGER_KEY_FILE (never in the database or the
# repository; `madang ledger keygen` makes one). With DEBUG a development key is made under
# the data directory on first use.
MADANG_LEDGER_DIR = Path(env_str("MADANG_LEDGER_DIR", str(DATA_DIR / "ledger")))
MADANG_LEDGER_ORIGIN = env_str("MADANG_LEDGER_ORIGIN", (urlparse(SITE_URL).netloc or "madang.localhost") + "/ledger")
MADANG_LEDGER_KEY_FILE = env_str("MADANG_LEDGER_KEY_FILE", str(DATA_DIR / "keys" / "ledger.key") if DEBUG else "")
# Extra verifier keys (comma-separated) still accepted for old checkpoints after a key rotation.
MADANG_LEDGER_OLD_VKEYS = env_list("MADANG_LEDGER_OLD_VKEYS")
# "commit": the process that wrote an entry puts it in the log right after its transaction
# commits (one server); "worker": only `madang ledger sequence` does (several servers).
MADANG_LEDGER_SEQUENCING = env_str("MADANG_LEDGER_SEQUENCING", "commit")
# The key of the per-context pseudonyms in ledger entries (docs/ledger.md); by default derived
# from MADANG_SECRET_KEY. Changing either changes every future pseudonym: set it once.
MADANG_LEDGER_PSEUDONYM_KEY = env_str("MADANG_LEDGER_PSEUDONYM_KEY", "")

# The secret agencies agree on to make comparable fingerprints of their suggestions for the
# first-to-file check across agencies (docs/suggestions.md); empty: no fingerprints are made.
MADANG_FINGERPRINT_KEY = env_str("MADANG_FINGERPRINT_KEY", "")

# Background jobs run in `madang worker` processes. Eager mode runs each job inside the call
# that queued it (the tests, one-off scripts); never in production: a request would wait for it.
MADANG_JOBS_EAGER = env_bool("MADANG_JOBS_EAGER", False)
# A running job whose heartbeat is older than this belongs to a dead worker and is run again.
MADANG_JOBS_STALE_SECONDS = env_int("MADANG_JOBS_STALE_SECONDS", 60)

# Personal data (madang/privacy, docs/privacy.md). Access records are kept this long, then the
# hourly destruction purges the oldest, their chain's head anchored in the ledger first: the
# safety-measures standard asks one year (the floor, here and in the database's triggers), two
# for a system holding 50,000 people or more, or unique identifiers or sensitive data.
MADANG_PRIVACY_ACCESS_RECORD_DAYS = env_int("MADANG_PRIVACY_ACCESS_RECORD_DAYS", 730)
# Downloads and exports of more people than this ask for a reason first (0: every one).
MADANG_PRIVACY_REASON_OVER = env_int("MADANG_PRIVACY_REASON_OVER", 100)
# Working hours for the monthly review: "9-18" (hours, local time, on Korean working days).
MADANG_PRIVACY_WORK_HOURS = tuple(int(h) for h in env_str("MADANG_PRIVACY_WORK_HOURS", "9-18").split("-", 1))
# Retention periods of the kinds of personal data destroyed on schedule (madang/*/privacy_kinds.py).
MADANG_PRIVACY_POOL_DAYS = env_int("MADANG_PRIVACY_POOL_DAYS", 90)
MADANG_PRIVACY_EVENT_DAYS = env_int("MADANG_PRIVACY_EVENT_DAYS", 30)
MADANG_PRIVACY_CONSENT_DAYS = env_int("MADANG_PRIVACY_CONSENT_DAYS", 365)
MADANG_PRIVACY_DELETED_ACCOUNT_DAYS = env_int("MADANG_PRIVACY_DELETED_ACCOUNT_DAYS", 30)
# Shown on the privacy notice (/privacy/): who the privacy officer is and how to reach them.
MADANG_PRIVACY_OFFICER_CONTACT = env_str("MADANG_PRIVACY_OFFICER_CONTACT")
