"""The programme of an event: the event itself and its state, days, sessions, rooms and tables.

This is the bottom of the services package: the other sections import `require_organiser` and the
planners' `Progress` from here, and it imports none of them.
"""

from collections.abc import Callable
from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madang.core.errors import DomainError, Forbidden
from madang.core.texts import clean_text
from madang.events import ledger_entries as entries
from madang.events import rules
from madang.events.ledger_entries import EventEntry
from madang.events.models import (
    Audience,
    Day,
    Event,
    EventState,
    RegState,
    Room,
    Session,
    SessionKind,
    Table,
    new_code,
)
from madang.ledger import services as ledger
from madang.people import seats
from madang.people.models import Organisation, User

Progress = Callable[[int, int, str], None]


def no_progress(done: int, total: int, message: str = "") -> None:
    """What a planner reports to when no job is watching (the demo, tests)."""
    return None


def require_organiser(actor: User, event: Event) -> None:
    if not rules.is_organiser(actor, event):
        raise Forbidden(_("Only the event's facilitators and innovation team can do this."))


def create_event(
    *,
    actor: User,
    organisation: Organisation,
    slug: str,
    title: str,
    capacity: int,
    description: str = "",
    audience: str = Audience.OFFICIALS,
    max_per_agency: int | None = None,
    junior_grade: int = 6,
    junior_min_percent: int = 0,
) -> Event:
    if not rules.can_organise_in(actor, organisation):
        raise Forbidden(
            _("Only facilitators, the innovation team or administrators of this organisation create events.")
        )
    if Event.objects.filter(slug=slug).exists():
        raise DomainError(_("This address is taken."), code="duplicate", field="slug")
    if capacity < 1:
        raise DomainError(_("An event needs at least one place."), code="bad_capacity", field="capacity")
    if not 0 <= junior_min_percent <= 100:
        raise DomainError(_("A share is between 0 and 100 percent."), code="bad_share", field="junior_min_percent")
    if not 1 <= junior_grade <= 9:
        raise DomainError(_("Grade must be between 1 and 9."), code="bad_grade", field="junior_grade")
    if audience not in Audience.values:
        raise DomainError(_("Choose who may register."), code="bad_audience", field="audience")
    title = clean_text(title, field="title", limit=200)
    description = clean_text(description, field="description", limit=10_000, required=False)
    with transaction.atomic():
        event = Event.objects.create(
            organisation=organisation,
            slug=slug,
            title=title,
            description=description,
            capacity=capacity,
            audience=audience,
            max_per_agency=max_per_agency or None,
            junior_grade=junior_grade,
            junior_min_percent=junior_min_percent,
            created_by=actor,
        )
        ledger.record(
            kind=EventEntry.CREATED, subject=f"event:{event.pk}", actor_id=actor.pk, data=entries.created_body(event)
        )
    return event


ALLOWED_STATES: dict[str, tuple[str, ...]] = {
    EventState.DRAFT: (EventState.OPEN,),
    EventState.OPEN: (EventState.CLOSED, EventState.DRAFT),
    EventState.CLOSED: (EventState.OPEN, EventState.FINISHED),
    EventState.FINISHED: (),
}


def set_event_state(*, actor: User, event: Event, state: str) -> Event:
    require_organiser(actor, event)
    if state not in ALLOWED_STATES.get(event.state, ()):
        raise DomainError(_("The event cannot move to that state from where it is."), code="bad_state", field="state")
    event.state = state
    event.save(update_fields=["state"])
    return event


def new_check_in_code(*, actor: User, event: Event) -> str:
    require_organiser(actor, event)
    event.check_in_code = new_code()
    event.save(update_fields=["check_in_code"])
    return event.check_in_code


def add_day(*, actor: User, event: Event, date: date, title: str = "") -> Day:
    require_organiser(actor, event)
    if event.days.filter(date=date).exists():
        raise DomainError(_("This event already has that day."), code="duplicate", field="date")
    draw = seats.lottery_for(f"event:{event.pk}")
    first = event.days.order_by("date").values_list("date", flat=True).first()
    if draw is not None and (first is None or date < first):
        start = timezone.make_aware(datetime.combine(date, time.min))
        if start <= draw.closes_at:
            raise DomainError(
                _(
                    "The lottery for this event's citizen seats closes on %(closes)s: the event cannot start "
                    "before that."
                )
                % {"closes": timezone.localtime(draw.closes_at).strftime("%Y-%m-%d %H:%M")},
                code="before_lottery",
                field="date",
            )
    title = clean_text(title, field="title", limit=200, required=False)
    return Day.objects.create(event=event, date=date, title=title)


def add_session(
    *,
    actor: User,
    event: Event,
    day: Day,
    title: str,
    kind: str,
    starts_at: datetime,
    ends_at: datetime,
    room: Room | None = None,
) -> Session:
    require_organiser(actor, event)
    if day.event_id != event.pk or (room is not None and room.event_id != event.pk):
        raise DomainError(_("That day or room belongs to another event."), code="foreign")
    if kind not in SessionKind.values:
        raise DomainError(_("Choose a kind of session."), code="bad_kind", field="kind")
    if ends_at <= starts_at:
        raise DomainError(_("A session ends after it starts."), code="bad_times", field="ends_at")
    title = clean_text(title, field="title", limit=200)
    return Session.objects.create(
        event=event, day=day, title=title, kind=kind, starts_at=starts_at, ends_at=ends_at, room=room
    )


def add_room(*, actor: User, event: Event, name: str, capacity: int) -> Room:
    require_organiser(actor, event)
    if capacity < 1:
        raise DomainError(_("A room holds at least one person."), code="bad_capacity", field="capacity")
    return Room.objects.create(event=event, name=clean_text(name, field="name", limit=100), capacity=capacity)


def add_tables(*, actor: User, event: Event, count: int, capacity: int = 8, room: Room | None = None) -> list[Table]:
    require_organiser(actor, event)
    if not 1 <= count <= 100 or not 1 <= capacity <= 50:
        raise DomainError(_("Between 1 and 100 tables of 1 to 50 seats."), code="bad_tables", field="count")
    start = (event.tables.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    return [Table.objects.create(event=event, number=start + i, capacity=capacity, room=room) for i in range(count)]


def set_table_host(*, actor: User, table: Table, host: User | None) -> Table:
    require_organiser(actor, table.event)
    if host is not None and not table.event.registrations.filter(user=host, state=RegState.CONFIRMED).exists():
        raise DomainError(_("A table host is a confirmed participant."), code="host_not_participant", field="host")
    if host is not None and table.event.tables.filter(host=host).exclude(pk=table.pk).exists():
        raise DomainError(_("This person already hosts another table."), code="host_twice", field="host")
    table.host = host
    table.save(update_fields=["host"])
    return table
