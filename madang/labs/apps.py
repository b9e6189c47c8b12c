from django.apps import AppConfig


class LabsConfig(AppConfig):
    name = "madang.labs"
    label = "labs"

    def ready(self) -> None:
        # This app's kinds of ledger entry (madang/ledger/kinds.py) and of personal data (madang/privacy/registry.py).
        from madang.labs import ledger_entries, privacy_kinds

        ledger_entries.register()
        privacy_kinds.register()

        from madang.labs import notifications

        notifications.register()

        # What it holds about a person, for their export (madang/people/personal_data.py).
        from madang.labs import personal_data

        personal_data.register()

        # Its places for the exposure filter's moderators (madang/privacy/places.py).
        from madang.labs import screening

        screening.register()
