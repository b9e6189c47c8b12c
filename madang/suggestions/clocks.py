"""A suggestion's clocks, counted by `madang.solvers.legalclock` under the pack it was received with.

The pack is the version stored at receipt (`Suggestion.pack_id`, `pack_version`), never the one
in force today, and its rules must still be the ones the suggestion was received under
(`pack_digest`): a pack file edited in place is refused here, with a clear message, rather than
quietly moving a legal deadline.
"""

from collections.abc import Iterable
from datetime import date
from functools import cache

from django.utils.translation import gettext_lazy as _

from madang.core.errors import DomainError
from madang.solvers.legalclock import Calendar, Deadline, Stop, working_days_left
from madang.suggestions import packs
from madang.suggestions.models import Suggestion, Supplement
from madang.suggestions.packs import Pack, PackError

# The office hears of a decision or implementation date this many working days before it (and
# again the day after it passes, if nothing happened).
DUE_SOON_WORKING_DAYS = 3


@cache
def calendar() -> Calendar:
    """Korea's working days (the `holidays` package), loaded once per process."""
    return Calendar()


def pack_for(suggestion: Suggestion) -> Pack:
    """The pack version the suggestion was received under, checked against its stored digest."""
    try:
        pack = packs.active().get(suggestion.pack_id, suggestion.pack_version)
    except PackError as e:
        raise DomainError(
            _("The rules this suggestion was received under (%(pack)s) are no longer installed.")
            % {"pack": suggestion.pack_key},
            code="pack_missing",
        ) from e
    if packs.digest(pack) != suggestion.pack_digest:
        raise DomainError(
            _(
                "The rules %(pack)s were changed after this suggestion was received; a changed rule needs a new "
                "version of the pack. Ask the administrator to restore the file."
            )
            % {"pack": suggestion.pack_key},
            code="pack_changed",
        )
    return pack


def stops_of(supplements: Iterable[Supplement]) -> list[Stop]:
    return [Stop(s.asked_on, s.resumed_on) for s in supplements]


def due(
    pack: Pack, clock: str, start: date, stops: Iterable[Stop] = (), *, as_of: date | None = None
) -> Deadline | None:
    """The pack's clock counted from `start`; None when the pack sets no such period."""
    if pack.clock(clock) is None:
        return None
    try:
        return pack.due(clock, start, calendar(), list(stops), as_of=as_of)
    except PackError as e:
        raise DomainError(str(e), code="bad_clock") from e


def due_date(pack: Pack, clock: str, start: date, stops: Iterable[Stop] = ()) -> date | None:
    found = due(pack, clock, start, stops)
    return found.due if found is not None else None


def decision_deadline(
    pack: Pack, suggestion: Suggestion, supplements: Iterable[Supplement], *, as_of: date | None = None
) -> Deadline | None:
    """The decision period from receipt with the supplement stops (the ones the pack lets stop it), and
    the extensions the office made (each the pack's extension period, from the due date before it)."""
    clock = pack.clock("decision")
    if clock is None:
        return None
    stops = stops_of(supplements) if "supplement" in clock.stopped_by else []
    found = due(pack, "decision", suggestion.received_on, stops, as_of=as_of)
    times = len(suggestion.decision_extensions.all()) if suggestion.pk is not None else 0
    if found is None or times == 0 or found.due is None:
        return found
    try:
        return pack.extend(found, calendar(), times)
    except PackError as e:
        raise DomainError(str(e), code="bad_clock") from e


def working_days_to(today: date, due_on: date) -> int:
    """Working days left until `due_on`; never below zero (an overdue clock is overdue, not negative)."""
    return max(0, working_days_left(today, due_on, calendar()))


def days_overdue(today: date, due_on: date) -> int:
    """Calendar days since `due_on` passed; 0 while it has not."""
    return max(0, (today - due_on).days)


def is_due_soon(today: date, due_on: date) -> bool:
    return today <= due_on and working_days_left(today, due_on, calendar()) <= DUE_SOON_WORKING_DAYS
