from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "madang.people"
    label = "people"

    def ready(self) -> None:
        # What people holds about a person, first in their export (madang/people/personal_data.py).
        from madang.people import personal_data

        personal_data.register_own()
