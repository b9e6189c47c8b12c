"""`madang restore FILE`: restore a backup into an empty database, then check it."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from madang.core import backup


class Command(BaseCommand):
    help = "Restore a `madang backup` archive into an empty database and compare every table."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("archive", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup.restore(options["archive"])
        except backup.BackupError as exc:
            raise CommandError(str(exc.message)) from exc
        now = backup.table_digests()
        bad = [t for t, v in manifest["tables"].items() if now.get(t) != (v["rows"], v["sha256"])]
        if bad:
            raise CommandError(f"restored, but these tables differ from the backup: {', '.join(bad)}")
        rows = sum(v["rows"] for v in manifest["tables"].values())
        self.stdout.write(
            f"restored {len(manifest['tables'])} tables, {rows} rows; every table matches the backup. "
            "Run `madang ledger verify` next."
        )
