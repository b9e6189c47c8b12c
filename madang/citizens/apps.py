from django.apps import AppConfig


class CitizensConfig(AppConfig):
    name = "madang.citizens"
    label = "citizens"

    def ready(self) -> None:
        # This app's kinds of ledger entry (madang/ledger/kinds.py).
        from madang.citizens import ledger_entries

        ledger_entries.register()
