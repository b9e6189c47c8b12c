from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "madang.review"
    label = "review"

    def ready(self) -> None:
        # This app's kinds of ledger entry (madang/ledger/kinds.py).
        from madang.review import ledger_entries

        ledger_entries.register()

        from madang.review import notifications, selectors

        notifications.register()
        selectors.register_viewers()

        # What it holds about a person, for their export (madang/people/personal_data.py).
        from madang.review import personal_data

        personal_data.register()
