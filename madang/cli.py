"""The `madang` command: Django's management commands with Madang's settings."""

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "madang.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["madang", *(argv if argv is not None else sys.argv[1:])])
    except ImproperlyConfigured as exc:
        # A setting is missing or wrong: say which, without a traceback (docs/deployment.md lists them).
        print(f"madang: {exc}", file=sys.stderr)  # noqa: T201
        return 2
    return 0
