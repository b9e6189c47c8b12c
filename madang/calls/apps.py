from django.apps import AppConfig


class CallsConfig(AppConfig):
    name = "madang.calls"
    label = "calls"
