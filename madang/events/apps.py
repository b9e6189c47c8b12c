from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "madang.events"
    label = "events"
