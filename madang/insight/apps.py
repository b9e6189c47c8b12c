from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "madang.insight"
    label = "insight"
