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
