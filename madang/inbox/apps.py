from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "madang.inbox"
    label = "inbox"

    def ready(self) -> None:
        # What it holds about a person, for their export (madang/people/personal_data.py).
        from madang.inbox import personal_data

        personal_data.register()
