from django.apps import AppConfig


class LabsConfig(AppConfig):
    name = "madang.labs"
    label = "labs"
