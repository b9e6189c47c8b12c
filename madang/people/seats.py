"""Citizen seats at a joint event: the citizens app draws them by lottery, the events app seats them.

events and citizens are peers (neither imports the other), so what each knows of the other goes
through this table, filled from their AppConfig.ready() (people imports neither):

* events registers `venues`: an event's title, address and start by its subject ("event:12"), and
  the joint events a person may draw a lottery for;
* citizens registers `lotteries`: the pool drawn for an event, when its volunteering closes, and
  who holds a confirmed seat in it.

A citizen member takes part in a joint event only with a seat drawn by its lottery (events
refuses a direct registration), and the lottery closes before the event starts (citizens refuses
a pool that would close later; events refuses a programme that would start earlier).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Venue:
    subject: str  # "event:12"
    title: str
    url: str
    starts_at: datetime | None  # its first session, or the first day at midnight; None before it has a programme
    joint: bool


@dataclass(frozen=True)
class Draw:
    pool_id: int
    title: str
    url: str
    closes_at: datetime  # when volunteering closes
    confirmed: frozenset[int]  # ids of the people who confirmed a seat drawn for them


@dataclass(frozen=True)
class _Venues:
    of: Callable[[str], Venue | None]
    drawable_by: Callable[[Any], list[Venue]]


_venues: _Venues | None = None
_lottery_for: Callable[[str], Draw | None] | None = None


def register_venues(*, of: Callable[[str], Venue | None], drawable_by: Callable[[Any], list[Venue]]) -> None:
    """Called by events: `of(subject)` describes an event; `drawable_by(user)`, the joint events
    whose citizen seats this person may draw (as an organiser)."""
    global _venues
    _venues = _Venues(of, drawable_by)


def register_lotteries(lottery_for: Callable[[str], Draw | None]) -> None:
    """Called by citizens: `lottery_for(subject)` is the pool drawn for that event, if any."""
    global _lottery_for
    _lottery_for = lottery_for


def venue(subject: str) -> Venue | None:
    return _venues.of(subject) if _venues is not None and subject else None


def drawable_events(user: Any) -> list[Venue]:
    return _venues.drawable_by(user) if _venues is not None else []


def lottery_for(subject: str) -> Draw | None:
    return _lottery_for(subject) if _lottery_for is not None and subject else None


def holds_seat(subject: str, user_id: int) -> bool:
    draw = lottery_for(subject)
    return draw is not None and user_id in draw.confirmed
