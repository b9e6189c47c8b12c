from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


class CallsConfig(AppConfig):
    name = "madang.calls"
    label = "calls"

    def ready(self) -> None:
        # This app's kinds of ledger entry (madang/ledger/kinds.py).
        from madang.calls import ledger_entries

        ledger_entries.register()

        from madang.calls import notifications
        from madang.calls.models import Call, Category, Criterion, Phase
        from madang.calls.selectors import forget_call_copies

        # The per-process copies of calls (the support path, the call's page): this process's own
        # changes apply at once.
        for model in (Call, Phase, Category, Criterion):
            post_save.connect(forget_call_copies, sender=model, dispatch_uid=f"calls.forget.save.{model.__name__}")
            post_delete.connect(forget_call_copies, sender=model, dispatch_uid=f"calls.forget.delete.{model.__name__}")
        m2m_changed.connect(
            forget_call_copies, sender=Call.eligible_organisations.through, dispatch_uid="calls.forget.eligible"
        )
        notifications.register()

        # What it holds about a person, for their export (madang/people/personal_data.py).
        from madang.calls import personal_data

        personal_data.register()

        # Its places for the exposure filter's moderators (madang/privacy/places.py).
        from madang.calls import privacy

        privacy.register()
