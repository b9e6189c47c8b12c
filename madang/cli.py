"""The `madang` command: Django's management commands with Madang's settings."""

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "madang.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["madang", *(argv if argv is not None else sys.argv[1:])])
    return 0
