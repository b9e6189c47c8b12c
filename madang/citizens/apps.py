from django.apps import AppConfig


class CitizensConfig(AppConfig):
    name = "madang.citizens"
    label = "citizens"
