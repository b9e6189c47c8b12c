from django.apps import AppConfig


class LabsConfig(AppConfig):
    name = "madang.labs"
    label = "labs"

    def ready(self) -> None:
        # This app's kinds of ledger entry (madang/ledger/kinds.py).
        from madang.labs import ledger_entries

        ledger_entries.register()
