from django.apps import AppConfig


class PriorityConfig(AppConfig):
    name = "madang.priority"
    label = "priority"

    def ready(self) -> None:
        from madang.priority import ledger_entries, personal_data, views

        ledger_entries.register()
        views.register_sections()
        personal_data.register()
