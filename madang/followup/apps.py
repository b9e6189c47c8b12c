from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "madang.followup"
    label = "followup"

    def ready(self) -> None:
        # This app's kinds of ledger entry (madang/ledger/kinds.py).
        from madang.followup import ledger_entries

        ledger_entries.register()

        from madang.followup import exports, notifications, selectors, views

        notifications.register()
        selectors.register_viewers()
        views.register_sections()
        exports.register()

        from madang.followup import services

        services.register_routing_opener()

        # What it holds about a person, for their export (madang/people/personal_data.py).
        from madang.followup import personal_data

        personal_data.register()
