from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "madang.jobs"
    verbose_name = "Background jobs"

    def ready(self) -> None:
        # What it holds about a person, for their export (madang/people/personal_data.py).
        from madang.jobs import personal_data

        personal_data.register()
