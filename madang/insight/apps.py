from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "madang.insight"
    label = "insight"

    def ready(self) -> None:
        from madang.insight import meaning

        meaning.register()
