from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "madang.ledger"
    label = "ledger"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from madang.ledger import kinds
        from madang.ledger.reissue import KINDS, REISSUED

        kinds.register("ledger", KINDS, labels={REISSUED: _("Log restarted under a new name (reissue)")})
