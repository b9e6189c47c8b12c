from django.apps import AppConfig


class PriorityConfig(AppConfig):
    name = "madang.priority"
    label = "priority"

    def ready(self) -> None:
        from madang.priority import awards, ledger_entries, notifications, personal_data, views

        awards.register()
        ledger_entries.register()
        notifications.register()
        views.register_sections()
        personal_data.register()
