from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "madang.followup"
    label = "followup"
