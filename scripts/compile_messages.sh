#!/usr/bin/env bash
# Compile the translation catalogues (.po -> .mo) with Django's compilemessages.
#
#   scripts/compile_messages.sh [--required] [VENV]
#
# compilemessages needs GNU gettext's msgfmt. When it is missing and we are root with
# apt-get, the `gettext` package is installed. Otherwise: with --required (make test)
# this fails; without it (make demo) it warns and the site shows untranslated text.
set -euo pipefail
cd "$(dirname "$0")/.."

required=0
if [ "${1:-}" = "--required" ]; then
    required=1
    shift
fi
VENV=$(cd "${1:-.venv}" && pwd)

if [ -z "$(find madang -name '*.po' -path '*/LC_MESSAGES/*' -print -quit 2>/dev/null)" ]; then
    echo "messages: no .po files under madang/; nothing to compile"
    exit 0
fi

if ! command -v msgfmt >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "messages: msgfmt not found; installing Debian's gettext package"
        export DEBIAN_FRONTEND=noninteractive
        apt-get install -y -q gettext >/dev/null 2>&1 ||
            { apt-get update -q >/dev/null && apt-get install -y -q gettext >/dev/null; }
    fi
fi
if ! command -v msgfmt >/dev/null 2>&1; then
    echo "messages: GNU gettext's msgfmt is missing, so translations can't be compiled." >&2
    echo "          Install it: sudo apt-get install gettext (Debian/Ubuntu), brew install gettext (macOS)" >&2
    if [ "$required" = 1 ]; then
        exit 1
    fi
    echo "          Continuing without compiled translations." >&2
    exit 0
fi

# compilemessages walks the current directory for locale/ folders, so run it inside
# the package: the walk then never wanders into .venv or var/.
cd madang
MADANG_DEBUG=1 DJANGO_SETTINGS_MODULE=madang.settings "$VENV/bin/madang" compilemessages --verbosity 0
echo "messages: compiled $(find . -name '*.mo' -path '*/LC_MESSAGES/*' | wc -l) catalogue(s)"
