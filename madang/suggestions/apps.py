from django.apps import AppConfig


class SuggestionsConfig(AppConfig):
    name = "madang.suggestions"
    label = "suggestions"

    def ready(self) -> None:
        # A broken rule pack stops the start with every problem listed, rather than a wrong
        # deadline later: the packs ship with the code and are checked by the tests too.
        from madang.suggestions import packs

        packs.shipped()

        from madang.suggestions import ledger_entries, notifications, selectors, views

        ledger_entries.register()
        notifications.register()
        selectors.register_steps()
        views.register_sections()

        # What it holds about a person, for their export (madang/people/personal_data.py).
        from madang.suggestions import personal_data

        personal_data.register()
