from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "madang.people"
    label = "people"
