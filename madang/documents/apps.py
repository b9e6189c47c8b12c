from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "madang.documents"
    label = "documents"

    def ready(self) -> None:
        # What it holds about a person, for their export (madang/people/personal_data.py).
        from madang.documents import personal_data

        personal_data.register()
