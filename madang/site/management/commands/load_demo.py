from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test.utils import override_settings

from madang.ledger import services as ledger
from madang.site import demo


class Command(BaseCommand):
    help = "Load the demo scenario (한빛도 2026 call) with demo logins. Development only."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if the demo is already loaded.")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--allow-production", action="store_true", help="Load even with DEBUG off (never on a real site)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "Refusing to load demo data with DEBUG off: it creates accounts with a published password."
            )
        if demo.is_loaded():
            if options["if_empty"]:
                self.stdout.write("The demo scenario is already loaded.")
                self._print_logins()
                return
            raise CommandError("The demo scenario is already loaded (use a fresh database, or --if-empty).")
        # The demo's own notifications would flood the console: keep them in the inbox only.
        with override_settings(MAILERS={"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}):
            logins = demo.load(seed=int(options["seed"]))
        size = ledger.sequence().size
        self.stdout.write(f"Public ledger: {size} entries, signed checkpoint in {ledger.log_dir()}")
        self.stdout.write(self.style.SUCCESS("Demo scenario loaded: 한빛도 2026 call (finished) and an open call."))
        self._print_logins(logins.rows)

    def _print_logins(self, rows: list[tuple[str, str, str]] | None = None) -> None:
        rows = rows or [
            (u, demo.DEMO_PASSWORD, "") for u in ("admin", "team", "reviewer", "liaison", "official", "citizen")
        ]
        self.stdout.write(f"\nDemo logins (password for all: {demo.DEMO_PASSWORD}):")
        for username, _password, role in rows:
            self.stdout.write(f"  {username:<10} {role}")
        # The address is the server's, which `make demo` prints when it starts it (DEMO_ADDR).
        self.stdout.write("")
