from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "madang.followup"
    label = "followup"

    def ready(self) -> None:
        # This app's kinds of ledger entry (madang/ledger/kinds.py).
        from madang.followup.ledger_entries import KINDS
        from madang.ledger import kinds

        kinds.register("followup", KINDS)
