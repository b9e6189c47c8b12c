#!/usr/bin/env bash
# The body of `make test` (after the venv and translations are ready).
#
#   scripts/run_tests.sh [PYTEST_ARGS...]
#
#   1. browser check: Debian's Chromium at $MADANG_CHROMIUM (default /usr/bin/chromium);
#      installed with apt when missing and we are root; otherwise browser tests are
#      deselected with a message, except under CI=true where a missing browser fails.
#   2. ruff check madang bench tests (the ones that exist), ruff format --check, then mypy madang (must pass)
#      (beside mypy, with two cores: one collection that fills this run's bytecode cache, see 2b)
#   3. pytest on SQLite: every test
#   4. pytest on PostgreSQL through scripts/with_postgres.sh: every test but the `browser` ones.
#      Tests whose subject is not the database, and those that cannot reach one, run in one of the
#      two only (ONE_PASS and _pass_of in conftest.py).
#      With two or more cores 3 and 4 run side by side (MADANG_TEST_PARALLEL=0: one by one).
# Every step runs even if an earlier one failed; a summary follows and the exit status
# is non-zero if anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."

VENV=${VENV:-.venv}
PY="$VENV/bin/python"
CI=${CI:-}
is_ci() { case "${CI,,}" in 1 | true | yes) return 0 ;; *) return 1 ;; esac; }
is_root() { [ "$(id -u)" -eq 0 ]; }

LOGDIR=$(mktemp -d "${TMPDIR:-/tmp}/madang-test.XXXXXX")
trap 'rm -rf "$LOGDIR"' EXIT

declare -a SUMMARY=()
failed=0
note() { SUMMARY+=("$(printf '  %-10s %s' "$1" "$2")"); }
banner() { printf '\n==== %s ====\n' "$*"; }

# Tests run with development settings and the embedded database unless said otherwise.
export MADANG_DEBUG=${MADANG_DEBUG:-1}
# Keep the test run's files (SQLite default, media, static) out of the developer's ./var.
export MADANG_DATA_DIR="$LOGDIR/var"

# ---------------------------------------------------------------- 1. the browser
banner "browser"
CHROMIUM=${MADANG_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ] && [ -z "${MADANG_CHROMIUM:-}" ] && is_root && command -v apt-get >/dev/null 2>&1; then
    echo "Chromium not found; installing Debian's chromium (and fonts-noto-cjk for Korean text)"
    export DEBIAN_FRONTEND=noninteractive
    pkgs=(chromium)
    dpkg -s fonts-noto-cjk >/dev/null 2>&1 || pkgs+=(fonts-noto-cjk)
    dpkg -s fonts-nanum >/dev/null 2>&1 || pkgs+=(fonts-nanum)  # the TrueType font the documents' PDFs embed
    apt-get install -y -q "${pkgs[@]}" >/dev/null 2>&1 ||
        { apt-get update -q >/dev/null && apt-get install -y -q "${pkgs[@]}" >/dev/null; } ||
        echo "apt-get install ${pkgs[*]} failed"
fi
# pysaml2 signs and checks SAML messages with the xmlsec1 program (the SAML sign-in tests).
if ! command -v xmlsec1 >/dev/null 2>&1 && is_root && command -v apt-get >/dev/null 2>&1; then
    echo "xmlsec1 not found; installing Debian's xmlsec1 (the SAML sign-in tests need it)"
    apt-get install -y -q xmlsec1 >/dev/null 2>&1 ||
        { apt-get update -q >/dev/null && apt-get install -y -q xmlsec1 >/dev/null; } ||
        echo "apt-get install xmlsec1 failed"
fi
command -v xmlsec1 >/dev/null 2>&1 || echo "xmlsec1 missing: the SAML sign-in tests are skipped (they fail under CI=true)"
BROWSER_ARGS=()
if [ -x "$CHROMIUM" ]; then
    export MADANG_CHROMIUM="$CHROMIUM"
    echo "browser tests use $CHROMIUM ($("$CHROMIUM" --version 2>/dev/null | head -n 1))"
    note browser "ok: $CHROMIUM"
elif is_ci; then
    echo "FAIL: no Chromium at $CHROMIUM and CI=true; browser tests can't be skipped in CI."
    echo "      Install it: apt-get install chromium (or set MADANG_CHROMIUM=/path/to/chromium)"
    note browser "FAILED: no Chromium at $CHROMIUM"
    failed=1
else
    unset MADANG_CHROMIUM
    echo "SKIPPING browser tests: no Chromium at $CHROMIUM."
    echo "  To run them: sudo apt-get install chromium (Debian/Ubuntu)"
    echo "  or set MADANG_CHROMIUM=/path/to/chromium-or-chrome"
    BROWSER_ARGS=(-m "not browser")
    note browser "SKIPPED (no Chromium; browser tests deselected)"
fi

# ---------------------------------------------------------------- 2. ruff
banner "ruff"
lint_dirs=()
for d in madang bench tests; do [ -d "$d" ] && lint_dirs+=("$d"); done
"$VENV/bin/ruff" check --output-format=concise "${lint_dirs[@]}" 2>&1 | tee "$LOGDIR/ruff.log"
ruff_rc=${PIPESTATUS[0]}
# The layout is ruff format's at 120 columns (docs/style.md): a file it would change fails the run.
"$VENV/bin/ruff" format --check "${lint_dirs[@]}" 2>&1 | tee -a "$LOGDIR/ruff.log"
[ "${PIPESTATUS[0]}" = 0 ] || ruff_rc=1
if [ "$ruff_rc" = 0 ]; then
    note ruff "ok (${lint_dirs[*]}; check and format)"
else
    note ruff "FAILED: $(grep -E '^Found [0-9]+ error' "$LOGDIR/ruff.log" | tail -n 1 || echo 'see above')"
    failed=1
fi

# ---------------------------------------------------------------- 2b. mypy
# Compiled bytecode and pytest's rewritten test modules are kept for this run only, under $LOGDIR
# (not in the checkout, and whatever PYTHONDONTWRITEBYTECODE says): both passes and every
# installation the tests start (servers, workers, CLI calls) then compile each module once between
# them instead of once each. With two cores, one collection fills that cache beside mypy (about
# 25 s of one core on a fresh checkout), so each pass collects in about 15 s instead of 27.
export PYTHONPYCACHEPREFIX="$LOGDIR/pycache"
unset PYTHONDONTWRITEBYTECODE
parallel=${MADANG_TEST_PARALLEL:-}
if [ -z "$parallel" ]; then
    parallel=0
    [ "$(nproc 2>/dev/null || echo 1)" -ge 2 ] && parallel=1
fi
warm=
if [ "$parallel" = 1 ]; then
    "$PY" -m pytest -p no:cacheprovider --collect-only -q "$@" >"$LOGDIR/warm.log" 2>&1 &
    warm=$!
fi
banner "mypy"
# django-stubs reads the settings; development settings need no secrets or database. Any error fails the run.
MADANG_DEBUG=1 "$VENV/bin/mypy" madang 2>&1 | tee "$LOGDIR/mypy.log"
mypy_rc=${PIPESTATUS[0]}
[ -z "$warm" ] || wait "$warm" || true # (a collection error shows again, in the passes)
if [ "$mypy_rc" = 0 ]; then
    note mypy "ok (madang)"
else
    note mypy "FAILED: $(grep -E '^Found [0-9]+ error' "$LOGDIR/mypy.log" | tail -n 1 || echo 'see above')"
    failed=1
fi

# ---------------------------------------------------------------- pytest helper
COLOR=()
[ -t 1 ] && COLOR=(--color=yes)

# run_pytest NAME LOG [args...]: run, show output, record pytest's closing line.
run_pytest() {
    local name=$1 log=$2
    shift 2
    local start=$SECONDS rc
    "$@" 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    local last
    last=$(sed -e 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '(passed|failed|error|skipped|deselected|no tests ran)' | tail -n 1 | sed -e 's/^=* *//' -e 's/ *=*$//')
    [ -n "$last" ] || last="(no pytest summary line; exit status $rc)"
    case $rc in
        0) note "$name" "ok: $last [$((SECONDS - start))s]" ;;
        5) note "$name" "ok (no tests collected): $last" ;;
        *)
            note "$name" "FAILED (exit $rc): $last [$((SECONDS - start))s]"
            failed=1
            ;;
    esac
}

# ---------------------------------------------------------------- 3 and 4. SQLite, PostgreSQL
# The two passes are independent (own database, own data directory). With two or more cores
# they run side by side: the PostgreSQL pass in the background, its output shown when it ends.
# MADANG_TEST_PARALLEL=0 runs them one after the other.
PG_ENV=(env MADANG_FUZZ_EXAMPLES="${MADANG_FUZZ_EXAMPLES:-10}" MADANG_ROUTE_SHAPES="${MADANG_ROUTE_SHAPES:-storage}" MADANG_DATA_DIR="$LOGDIR/var-pg")
# The API fuzzing sends 40 generated examples per operation in the SQLite pass (over 10,000 requests
# with Schemathesis's boundary cases; `make fuzz` sends the full 100) and 10 in the PostgreSQL pass,
# where the route fuzzing sends only the shapes a database answers differently (tests/fuzz/test_routes_fuzz.py).
# Tests whose subject is not the database (the solvers, the architecture test, ...) run in one
# pass only: MADANG_TEST_PASS and the ONE_PASS table in conftest.py.
PG_CMD=("${PG_ENV[@]}" MADANG_TEST_PASS=postgres scripts/with_postgres.sh "$PY" -m pytest -p no:cacheprovider "${COLOR[@]}" -m "not browser" "$@")
SQLITE_CMD=(env -u MADANG_DATABASE_URL MADANG_FUZZ_EXAMPLES="${MADANG_FUZZ_EXAMPLES:-40}" MADANG_TEST_PASS=sqlite "$PY" -m pytest -p no:cacheprovider "${COLOR[@]}" "${BROWSER_ARGS[@]}" "$@")
if [ "$parallel" = 1 ]; then
    banner "pytest on SQLite (PostgreSQL pass running beside it; its output follows)"
    (run_pytest postgres "$LOGDIR/postgres.log" "${PG_CMD[@]}" >/dev/null 2>&1; printf '%s\n' "${SUMMARY[@]: -1}" >"$LOGDIR/postgres.note"
     [ "$failed" = 0 ]) &
    pg_pid=$!
    run_pytest sqlite "$LOGDIR/sqlite.log" "${SQLITE_CMD[@]}"
    wait "$pg_pid" || failed=1
    banner "pytest on PostgreSQL"
    cat "$LOGDIR/postgres.log" 2>/dev/null
    if [ -s "$LOGDIR/postgres.note" ]; then
        SUMMARY+=("$(cat "$LOGDIR/postgres.note")")
    else
        note postgres "FAILED: the pass ended without a summary"
        failed=1
    fi
else
    banner "pytest on SQLite"
    run_pytest sqlite "$LOGDIR/sqlite.log" "${SQLITE_CMD[@]}"
    banner "pytest on PostgreSQL"
    run_pytest postgres "$LOGDIR/postgres.log" "${PG_CMD[@]}"
fi

# ---------------------------------------------------------------- summary
banner "summary"
printf '%s\n' "${SUMMARY[@]}"
if [ "$failed" = 0 ]; then
    echo "make test: ALL PASSED"
else
    echo "make test: FAILED"
fi
exit "$failed"
