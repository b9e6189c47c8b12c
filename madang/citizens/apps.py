from django.apps import AppConfig


class CitizensConfig(AppConfig):
    name = "madang.citizens"
    label = "citizens"

    def ready(self) -> None:
        # This app's kinds of ledger entry (madang/ledger/kinds.py) and of personal data (madang/privacy/registry.py).
        from madang.citizens import ledger_entries, privacy_kinds

        ledger_entries.register()
        privacy_kinds.register()

        # The lotteries that draw joint events' citizen seats (madang/people/seats.py).
        from madang.citizens import seats

        seats.register()

        # What it holds about a person, for their export (madang/people/personal_data.py).
        from madang.citizens import personal_data

        personal_data.register()
