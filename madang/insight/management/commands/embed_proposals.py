"""`madang embed_proposals [--call SLUG]`: compute the missing or stale proposal embeddings."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from madang.calls.models import Call
from madang.insight import embeddings


class Command(BaseCommand):
    help = "Embed submitted proposals for similar ideas (only those whose text changed since their last embedding)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--call", help="only this call (slug)")
        parser.add_argument("--batch", type=int, default=64, help="proposals per model batch and transaction")

    def handle(self, *args: Any, **options: Any) -> None:
        call_id = None
        if options["call"]:
            call = Call.objects.filter(slug=options["call"]).first()
            if call is None:
                raise CommandError(f"no call {options['call']!r}")
            call_id = call.pk

        def progress(done: int, total: int, _message: str) -> None:
            if options["verbosity"] > 1:
                self.stdout.write(f"{done}/{total}")

        result = embeddings.store_embeddings(call_id=call_id, batch=max(1, options["batch"]), progress=progress)
        if "unavailable" in result:
            raise CommandError(
                f"the packaged model could not be loaded ({result['unavailable']}); similar ideas stay lexical"
            )
        self.stdout.write(f"{result['embedded']} embedded, {result['skipped']} unchanged ({result['model']})")
