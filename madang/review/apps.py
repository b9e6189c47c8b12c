from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "madang.review"
    label = "review"
