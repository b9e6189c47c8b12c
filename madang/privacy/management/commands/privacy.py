from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from madang.privacy import services


class Command(BaseCommand):
    help = (
        "destroy: destroy the personal data whose retention period has passed (the worker does this every hour); "
        "anchor: write the access records' chain head to the public ledger now. Both are safe to repeat."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["destroy", "anchor"])

    def handle(self, *args: Any, **options: Any) -> None:
        if options["what"] == "anchor":
            count = services.anchor_chain()
            self.stdout.write(f"anchored {count} records" if count else "nothing new to anchor")
            return
        done = services.destroy_due_data()
        for row in done:
            self.stdout.write(f"{row.kind}: {row.count} ({row.retention})")
        self.stdout.write(f"{len(done)} kind(s) of personal data destroyed.")
