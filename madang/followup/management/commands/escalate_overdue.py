from django.core.management.base import BaseCommand

from madang.followup.services import escalate_overdue


class Command(BaseCommand):
    help = "Flag unanswered routings past their deadline and notify the innovation team (run daily; safe to repeat)."

    def handle(self, *args: object, **options: object) -> None:
        done = escalate_overdue()
        self.stdout.write(f"{len(done)} overdue routing(s) escalated.")
