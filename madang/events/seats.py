"""What the citizens app may know of an event, through madang/people/seats.py (the two apps are peers)."""

from datetime import date, datetime, time
from typing import Any

from django.urls import reverse
from django.utils import timezone

from madang.events import rules
from madang.events.models import Audience, Event, EventState
from madang.people import seats


def subject_of(event: Event) -> str:
    return f"event:{event.pk}"


def starts_at(event: Event, first_day: date | None = None) -> datetime | None:
    """The start of the event's first day (local midnight): a lottery for it must close before."""
    day = first_day or event.days.order_by("date").values_list("date", flat=True).first()
    return timezone.make_aware(datetime.combine(day, time.min)) if day else None


def _venue(event: Event) -> seats.Venue:
    return seats.Venue(
        subject_of(event),
        event.title,
        reverse("events:detail", args=[event.slug]),
        starts_at(event),
        event.audience == Audience.JOINT,
    )


def venue_of(subject: str) -> seats.Venue | None:
    prefix, _sep, raw = subject.partition(":")
    event = Event.objects.filter(pk=int(raw)).first() if prefix == "event" and raw.isdigit() else None
    return _venue(event) if event is not None else None


def drawable_by(user: Any) -> list[seats.Venue]:
    """Joint events not yet finished whose organiser this person is."""
    joint = (
        Event.objects.filter(audience=Audience.JOINT).exclude(state=EventState.FINISHED).select_related("organisation")
    )
    return [_venue(e) for e in joint if rules.is_organiser(user, e)]


def register() -> None:
    """Called from this app's AppConfig.ready()."""
    seats.register_venues(of=venue_of, drawable_by=drawable_by)
