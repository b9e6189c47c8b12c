from django.apps import AppConfig
from django.db.backends.signals import connection_created

from madang.core import accessrecords


class PrivacyConfig(AppConfig):
    name = "madang.privacy"
    label = "privacy"

    def ready(self) -> None:
        from madang.privacy import kinds, ledger_entries, personal_data, services, triggers

        # This app's kinds of ledger entry (madang/ledger/kinds.py) and of personal data (registry.py).
        ledger_entries.register()
        kinds.register()
        # What it holds about a person, for their export (madang/people/personal_data.py).
        personal_data.register()
        # Apps below this one (people's admin and import) report what staff see through core.
        accessrecords.register(services.record)
        # SQLite's append-only triggers call a function each connection must define.
        connection_created.connect(triggers.define_function, dispatch_uid="madang.privacy.triggers")
