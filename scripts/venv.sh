#!/usr/bin/env bash
# Create (or repair) the virtualenv and install Madang with its test extras.
#
#   scripts/venv.sh [VENV]        (default .venv)
#
# The install runs again only when pyproject.toml is newer than VENV/.madang-installed,
# so calling this from every make target costs a few milliseconds.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${1:-.venv}
STAMP="$VENV/.madang-installed"

venv_ok() {
    [ -x "$VENV/bin/python" ] &&
        "$VENV/bin/python" -c 'import sys; assert sys.version_info >= (3, 12)' >/dev/null 2>&1
}

if ! venv_ok; then
    PY=$(scripts/find_python.sh)
    if [ -e "$VENV" ]; then
        echo "venv: $VENV is broken or older than Python 3.12; recreating it"
        rm -rf "$VENV"
    fi
    echo "venv: creating $VENV with $PY ($("$PY" -c 'import sys; print(sys.version.split()[0])'))"
    start=$SECONDS
    "$PY" -m venv "$VENV"
    rm -f "$STAMP"
fi

if [ ! -e "$STAMP" ] || [ pyproject.toml -nt "$STAMP" ]; then
    start=${start:-$SECONDS}
    echo "venv: installing madang[test] into $VENV (pip install -e '.[test]')"
    "$VENV/bin/python" -m pip install --disable-pip-version-check --progress-bar off -q -e '.[test]'
    touch "$STAMP"
    echo "venv: ready in $((SECONDS - start))s"
fi
