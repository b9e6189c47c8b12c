"""Where people post text that the exposure filter screens, as each app registers it.

`privacy` sits below the apps whose items it screens (calls, events, labs), so it never imports
them: each registers a `Place` from its `AppConfig.ready()`, saying how the moderators' page
shows one of its items and what releasing, masking or deleting it does. Those three are the
app's own services (keyword-only, `actor=`, in the caller's transaction); they are called only
by `privacy.services.decide_exposure`, after it has checked that the actor moderates the item.
A place that cannot mask or delete (a proposal is numbered and in the public ledger: it is never
deleted) leaves them out, and the page offers only what it can.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

# (actor, object_id) -> None
Decision = Callable[..., None]


@dataclass(frozen=True)
class Shown:
    """One item as the moderators' page shows it: where it is, a link to it, and its text by field."""

    context: str
    url: str
    texts: dict[str, str]
    files: tuple[str, ...] = ()


@dataclass(frozen=True)
class Place:
    name: str  # "<app>.<item>", as stored in Screening.place
    label: str | Promise
    show: Callable[[int], Shown | None]  # None when the item is gone
    release: Decision | None = None
    mask: Decision | None = None
    delete: Decision | None = None
    fields: Mapping[str, str | Promise] = field(default_factory=dict)  # field name -> label

    def field_label(self, name: str) -> str:
        return str(self.fields.get(name, name))

    def can(self, decision: str) -> bool:
        return getattr(self, decision, None) is not None


_places: dict[str, Place] = {}
_owners: dict[str, str] = {}


def register(app: str, places: tuple[Place, ...] | list[Place]) -> None:
    """Called from each app's AppConfig.ready(). Registering an app again replaces its places."""
    for name in [n for n, owner in _owners.items() if owner == app]:
        _places.pop(name, None)
        _owners.pop(name, None)
    for place in places:
        if place.name in _places:
            raise ValueError(f"screened place {place.name} is registered twice")
        _places[place.name] = place
        _owners[place.name] = app


def get(name: str) -> Place | None:
    return _places.get(name)


def all_places() -> list[Place]:
    return sorted(_places.values(), key=lambda p: p.name)


def decide(place: Place, decision: str, *, actor: Any, object_id: int) -> None:
    act = getattr(place, decision)
    if act is not None:
        act(actor=actor, object_id=object_id)
