from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "madang.identity"
    label = "identity"

    def ready(self) -> None:
        # The password policy, the second-factor gate and the log-in page's links (madang/people/gates.py).
        from madang.identity import signin

        signin.register()
