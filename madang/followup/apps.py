from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "madang.followup"
    label = "followup"

    def ready(self) -> None:
        from madang.followup import exports, notifications, views

        notifications.register()
        views.register_sections()
        exports.register()
