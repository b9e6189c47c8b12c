from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "madang.review"
    label = "review"

    def ready(self) -> None:
        from madang.review import notifications, selectors

        notifications.register()
        selectors.register_viewers()
