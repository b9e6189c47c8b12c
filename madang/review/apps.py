from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "madang.review"
    label = "review"

    def ready(self) -> None:
        # This app's kinds of ledger entry (madang/ledger/kinds.py).
        from madang.ledger import kinds
        from madang.review.ledger_entries import KINDS

        kinds.register("review", KINDS)
