#!/usr/bin/env bash
# Print the path of a Python >= 3.12 (with venv/ensurepip) that Madang can run on.
#
# Order: $PYTHON if set, python3.13, python3.12, python3, pyenv's 3.13/3.12
# (/root/.pyenv and $HOME/.pyenv), then `uv python find`. Exits 1 with advice if none.
set -uo pipefail

candidates=()
[ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
candidates+=(python3.13 python3.12 python3)
for root in /root/.pyenv "${PYENV_ROOT:-}" "${HOME:-/nonexistent}/.pyenv"; do
    [ -n "$root" ] || continue
    # Newest first.
    while IFS= read -r p; do candidates+=("$p"); done < <(
        ls -1d "$root"/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV)
done
if command -v uv >/dev/null 2>&1; then
    p=$(uv python find '>=3.12' 2>/dev/null) && [ -n "$p" ] && candidates+=("$p")
fi

no_venv=""
for c in "${candidates[@]}"; do
    # pyenv shims exist for versions that aren't selected and fail when run; so run it.
    if ! path=$("$c" -c 'import sys; assert sys.version_info >= (3, 12); print(sys.executable)' 2>/dev/null); then
        continue
    fi
    [ -n "$path" ] || continue
    if ! "$path" -c 'import venv, ensurepip' >/dev/null 2>&1; then
        no_venv="$path"
        continue
    fi
    echo "$path"
    exit 0
done

{
    echo "Madang needs Python 3.12 or newer, and none was found."
    if [ -n "$no_venv" ]; then
        v=$("$no_venv" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
        echo "  $no_venv is new enough but lacks venv/ensurepip: apt-get install python$v-venv"
    fi
    echo "Get one of these ways, then run make again:"
    echo "  - Debian 13 / Ubuntu 24.04 and newer: sudo apt-get install python3.12 python3.12-venv"
    echo "    (Debian 12 ships only 3.11)"
    echo "  - uv (any Linux/macOS): curl -LsSf https://astral.sh/uv/install.sh | sh && uv python install 3.13"
    echo "  - pyenv: pyenv install 3.13"
    echo "  - or name one explicitly: make PYTHON=/path/to/python3.13 ..."
} >&2
exit 1
