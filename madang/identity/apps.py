from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "madang.identity"
    label = "identity"

    def ready(self) -> None:
        # The password policy, the second-factor gate and the log-in page's links (madang/people/gates.py).
        from madang.identity import signin

        signin.register()

        # What it holds about a person, for their export (madang/people/personal_data.py).
        from madang.identity import personal_data

        personal_data.register()
