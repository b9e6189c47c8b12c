from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "madang.events"
    label = "events"

    def ready(self) -> None:
        # This app's kinds of ledger entry (madang/ledger/kinds.py) and of personal data (madang/privacy/registry.py).
        from madang.events import ledger_entries, privacy_kinds

        ledger_entries.register()
        privacy_kinds.register()

        # Its joint events, for the lotteries that draw their citizen seats (madang/people/seats.py).
        from madang.events import seats

        seats.register()

        # What it holds about a person, for their export (madang/people/personal_data.py).
        from madang.events import personal_data

        personal_data.register()

        # Its places for the exposure filter's moderators (madang/privacy/places.py).
        from madang.events import screening

        screening.register()
