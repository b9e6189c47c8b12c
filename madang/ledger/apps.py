from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "madang.ledger"
    label = "ledger"
