from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "madang.jobs"
    verbose_name = "Background jobs"
