from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "madang.documents"
    label = "documents"
