"""Which personal data Madang holds, why, for how long, and how it is destroyed.

Each app declares its kinds of personal data in `madang/<app>/privacy_kinds.py` and registers
them from its `AppConfig.ready()`, as it registers its ledger entries. A `DataKind` says what
the privacy notice (/privacy/) states for it (purpose, items, retention period, legal basis,
who receives it) and, when the data is destroyed on a schedule, the function that destroys
what is due: `destroy(now)` removes or blanks the data past its period and returns how many
people it concerned, or a `Destroyed` with the groups (pools, events) it came from. It runs
inside the destruction job's transaction (services.destroy_due_data), which writes the
DestructionRecord; it must leave the ledger's public entries verifiable.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils.functional import Promise


@dataclass(frozen=True)
class Destroyed:
    count: int
    scopes: tuple[str, ...] = ()


@dataclass(frozen=True)
class DataKind:
    name: str  # "<app>.<what>", also the `kind` of access records about it
    title: str | Promise
    purpose: str | Promise
    items: tuple[str | Promise, ...]
    # How long, in words; `%(days)d` is replaced by the setting named in `days_setting`.
    retention: str | Promise
    basis: str | Promise
    recipients: tuple[str | Promise, ...] = ()
    days_setting: str | None = None
    default_days: int = 0
    destroy: Callable[[datetime], Destroyed] | None = None
    order: int = 100

    @property
    def days(self) -> int:
        if self.days_setting is None:
            return 0
        return int(getattr(settings, self.days_setting, self.default_days))

    def retention_text(self) -> str:
        return str(self.retention) % {"days": self.days} if "%(days)" in str(self.retention) else str(self.retention)


_kinds: dict[str, DataKind] = {}
_owners: dict[str, str] = {}


def register(app: str, kinds: Iterable[DataKind]) -> None:
    """Called from each app's AppConfig.ready(). Registering an app again replaces its kinds."""
    for name in [n for n, owner in _owners.items() if owner == app]:
        _kinds.pop(name, None)
        _owners.pop(name, None)
    for kind in kinds:
        if kind.name in _kinds:
            raise ValueError(f"personal-data kind {kind.name} is registered twice")
        _kinds[kind.name] = kind
        _owners[kind.name] = app


def get(name: str) -> DataKind | None:
    return _kinds.get(name)


def all_kinds() -> list[DataKind]:
    return sorted(_kinds.values(), key=lambda k: (k.order, k.name))


def destroyable() -> list[DataKind]:
    return [k for k in all_kinds() if k.destroy is not None]
