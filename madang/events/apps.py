from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "madang.events"
    label = "events"

    def ready(self) -> None:
        # This app's kinds of ledger entry (madang/ledger/kinds.py).
        from madang.events import ledger_entries

        ledger_entries.register()
