from django.core.management.base import BaseCommand

from madang.labs.services import settle_due_decisions


class Command(BaseCommand):
    help = (
        "Pass lab decisions whose consent window has closed with no open objection. The worker does this "
        "every minute; run this where no worker runs (safe to repeat)."
    )

    def handle(self, *args: object, **options: object) -> None:
        passed = settle_due_decisions()
        self.stdout.write(f"{passed} lab decision(s) passed by consent.")
