from django.apps import AppConfig


class CitizensConfig(AppConfig):
    name = "madang.citizens"
    label = "citizens"

    def ready(self) -> None:
        # This app's kinds of ledger entry (madang/ledger/kinds.py).
        from madang.citizens.ledger_entries import KINDS
        from madang.ledger import kinds

        kinds.register("citizens", KINDS)
