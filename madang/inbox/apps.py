from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "madang.inbox"
    label = "inbox"
