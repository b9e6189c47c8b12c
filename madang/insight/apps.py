from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "madang.insight"
    label = "insight"

    def ready(self) -> None:
        # This app's kinds of ledger entry (madang/ledger/kinds.py).
        from madang.insight import ledger_entries

        ledger_entries.register()

        from madang.insight import meaning

        meaning.register()

        # What it holds about a person, for their export (madang/people/personal_data.py).
        from madang.insight import personal_data

        personal_data.register()
