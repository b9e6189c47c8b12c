from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "madang.followup"
    label = "followup"

    def ready(self) -> None:
        from madang.followup import exports, notifications, selectors, views

        notifications.register()
        selectors.register_viewers()
        views.register_sections()
        exports.register()
