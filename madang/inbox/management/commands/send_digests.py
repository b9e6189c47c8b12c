from django.core.management.base import BaseCommand

from madang.inbox.services import send_daily_digests


class Command(BaseCommand):
    help = "Send the daily digest e-mail to everyone who chose it (run once a day)."

    def handle(self, *args: object, **options: object) -> None:
        sent = send_daily_digests()
        self.stdout.write(f"{sent} digest e-mail(s) sent.")
