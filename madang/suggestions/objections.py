"""Objections to an award that apps above `suggestions` raise, such as the first-to-file check across
agencies (priority): the office ruled that another agency received the same idea first.

`suggestions` may not import the apps above it, so each registers its check here from its
`AppConfig.ready()`: a name, and a function that is given the suggestion about to be awarded (its
row locked, inside the award's transaction) and returns an `Objection`, or None. `services.award`
refuses the award with the first objection, its code and message as the check wrote them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise

from madang.suggestions.models import Suggestion


@dataclass(frozen=True)
class Objection:
    code: str
    message: str | Promise  # a translated sentence, shown to the office as the refusal's reason


Check = Callable[[Suggestion], Objection | None]

_checks: dict[str, Check] = {}


def register(name: str, check: Check) -> None:
    if name in _checks and _checks[name] is not check:
        raise RuntimeError(f"the award check {name!r} is registered twice")
    _checks[name] = check


def to_award(suggestion: Suggestion) -> Objection | None:
    for check in _checks.values():
        found = check(suggestion)
        if found is not None:
            return found
    return None
