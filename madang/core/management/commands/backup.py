"""`madang backup FILE`: the database, attachments and ledger files in one archive."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from madang.core import backup


class Command(BaseCommand):
    help = "Back up the database (SQLite online backup or pg_dump), attachments and the ledger's files."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("out", type=Path, help="the archive to write, e.g. /var/backups/madang/2026-12-01.tar")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup.backup(options["out"])
        except backup.BackupError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(
            f"backup written to {result.path}: {result.vendor}, {result.tables} tables, "
            f"{result.rows} rows, {result.files} files"
        )
