"""`madang generate_national`: fill the database with a seeded national-scale call."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from madang.site import national


class Command(BaseCommand):
    help = "Generate a national-scale call (1,000,000 users, 100,000 proposals, 10,000,000 supports by default)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--scale", type=float, default=1.0, help="fraction of the full size, e.g. 0.01 for a quick run"
        )
        parser.add_argument("--seed", type=int, default=2026)
        for name in ("organisations", "users", "proposals", "supports", "comments"):
            parser.add_argument(f"--{name}", type=int, default=None, help=f"override the number of {name}")

    def handle(self, *args: Any, **options: Any) -> None:
        if not 0 < options["scale"] <= 1:
            raise CommandError("--scale must be in (0, 1]")
        sizes = national.Sizes().scaled(options["scale"]) if options["scale"] < 1 else national.Sizes()
        for name in ("organisations", "users", "proposals", "supports", "comments"):
            if options[name] is not None:
                setattr(sizes, name, options[name])
        report = national.generate(sizes, seed=options["seed"], progress=lambda m: self.stdout.write(m))
        s = report.sizes
        self.stdout.write(
            f"call {report.call_slug}: {s.users:,} users, {s.proposals:,} proposals, {s.supports:,} supports, "
            f"{s.comments:,} comments in {sum(report.seconds.values()):.0f} s"
        )
        self.stdout.write(f"log in as national-admin with password {report.admin_password}")
