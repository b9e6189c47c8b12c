#!/usr/bin/env bash
# Run a command against a PostgreSQL database.
#
#   scripts/with_postgres.sh CMD [ARGS...]
#
# If MADANG_DATABASE_URL is already set, CMD runs against that database unchanged.
# Otherwise a throwaway cluster is created from the installed PostgreSQL binaries
# (newest version under /usr/lib/postgresql, else whatever initdb/pg_config is on PATH):
# data and unix socket in a temporary directory, listening only on 127.0.0.1 on a free
# port, tuned for tests (fsync off), trust authentication, superuser "postgres".
# MADANG_DATABASE_URL=postgres://postgres@127.0.0.1:<port>/postgres is exported for CMD,
# and the cluster is stopped and its directory deleted when CMD ends (or on Ctrl-C).
#
# initdb refuses to run as root, so as root the server runs as the `postgres` system
# user (or a dedicated `madang-pg` user when there is none). With no PostgreSQL
# installed: as root with apt-get, the `postgresql` package is installed; otherwise the
# script says what to install and exits 2. The script exits with CMD's status.
set -euo pipefail

log() { printf 'with_postgres: %s\n' "$*" >&2; }

if [ "$#" -eq 0 ]; then
    echo "usage: $0 CMD [ARGS...]" >&2
    exit 2
fi

if [ -n "${MADANG_DATABASE_URL:-}" ]; then
    log "using the existing MADANG_DATABASE_URL"
    exec "$@"
fi

is_root() { [ "$(id -u)" -eq 0 ]; }

find_bindir() {
    local initdb
    # Debian/Ubuntu keep each major version apart; take the newest.
    initdb=$(ls -1d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -z "$initdb" ]; then
        # Fedora/RHEL (/usr/pgsql-N), Homebrew, distro packages on PATH.
        initdb=$(ls -1d /usr/pgsql-*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)
    fi
    if [ -z "$initdb" ] && command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
        initdb="$(pg_config --bindir)/initdb"
    fi
    if [ -z "$initdb" ] && command -v initdb >/dev/null 2>&1; then
        initdb=$(command -v initdb)
    fi
    [ -n "$initdb" ] && dirname "$initdb"
}

BINDIR=$(find_bindir || true)
if [ -z "$BINDIR" ]; then
    if is_root && command -v apt-get >/dev/null 2>&1; then
        log "no PostgreSQL server binaries found; installing Debian's postgresql package"
        export DEBIAN_FRONTEND=noninteractive
        # Don't install from stale package lists; a failed install usually means none.
        if ! apt-get install -y -q postgresql >/dev/null 2>&1; then
            apt-get update -q >/dev/null
            apt-get install -y -q postgresql >/dev/null
        fi
        BINDIR=$(find_bindir || true)
    fi
    if [ -z "$BINDIR" ]; then
        log "no PostgreSQL server found (initdb, pg_ctl)."
        log "Install one, e.g. 'sudo apt-get install postgresql' (Debian/Ubuntu),"
        log "'sudo dnf install postgresql-server' (Fedora) or 'brew install postgresql',"
        log "or point MADANG_DATABASE_URL at a database you can create test databases in:"
        log "  MADANG_DATABASE_URL=postgres://user:password@host:5432/dbname"
        exit 2
    fi
fi

# Who runs the server: ourselves, or (as root) an unprivileged user.
RUN=()
PGUSER_OS=$(id -un)
if is_root; then
    if id -u postgres >/dev/null 2>&1; then
        PGUSER_OS=postgres
    else
        PGUSER_OS=madang-pg
        id -u "$PGUSER_OS" >/dev/null 2>&1 ||
            useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$PGUSER_OS"
    fi
    if command -v runuser >/dev/null 2>&1; then
        RUN=(runuser -u "$PGUSER_OS" --)
    else
        RUN=(su -s /bin/sh "$PGUSER_OS" -c '"$0" "$@"')
    fi
fi

free_port() {
    local py
    for py in python3 python "${PYTHON:-}"; do
        if [ -n "$py" ] && command -v "$py" >/dev/null 2>&1; then
            "$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' && return
        fi
    done
    # No Python at all: pick a random high port and hope.
    echo $((20000 + RANDOM % 20000))
}

TMP=$(mktemp -d "${TMPDIR:-/tmp}/madang-pg.XXXXXX")
DATA="$TMP/data"
STARTED=0

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [ "$STARTED" = 1 ]; then
        (cd "$TMP" && "${RUN[@]}" "$BINDIR/pg_ctl" -D "$DATA" -m immediate -w stop >/dev/null 2>&1) || true
    fi
    rm -rf "$TMP"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if is_root; then
    chown "$PGUSER_OS" "$TMP"
fi
chmod 700 "$TMP"

LOCALE_ARGS=(--no-locale)
if locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then
    LOCALE_ARGS=(--locale=C.UTF-8)
fi

# Everything runs from inside TMP: the server user may not be allowed into our cwd.
if ! (cd "$TMP" && "${RUN[@]}" "$BINDIR/initdb" -D "$DATA" --username=postgres --auth=trust \
    --encoding=UTF8 "${LOCALE_ARGS[@]}" --no-sync >"$TMP/initdb.log" 2>&1); then
    log "initdb failed:"
    cat "$TMP/initdb.log" >&2
    exit 1
fi

PORT=$(free_port)
cat >>"$DATA/postgresql.conf" <<EOF

# Throwaway test cluster (scripts/with_postgres.sh): speed over durability.
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$TMP'
max_connections = 200
shared_buffers = 128MB
fsync = off
synchronous_commit = off
full_page_writes = off
wal_level = minimal
max_wal_senders = 0
checkpoint_timeout = 30min
max_wal_size = 2GB
autovacuum = off
jit = off
log_min_messages = warning
EOF

if ! (cd "$TMP" && "${RUN[@]}" "$BINDIR/pg_ctl" -D "$DATA" -l "$TMP/server.log" -w -t 60 start >/dev/null); then
    log "the PostgreSQL server did not start:"
    cat "$TMP/server.log" >&2 || true
    exit 1
fi
STARTED=1

VERSION=$("$BINDIR/postgres" --version 2>/dev/null | awk '{print $3}')
log "throwaway PostgreSQL ${VERSION:-?} on 127.0.0.1:$PORT (data in $TMP, removed on exit)"
export MADANG_DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/postgres"

set +e
"$@"
rc=$?
set -e
exit "$rc"
