from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "madang.ledger"
    label = "ledger"

    def ready(self) -> None:
        from madang.ledger import kinds
        from madang.ledger.reissue import KINDS

        kinds.register("ledger", KINDS)
