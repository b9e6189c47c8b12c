"""Reads for events. `access_*` answers "not found" both for what is missing and for what the
user may not reach."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from madang.core.errors import NotFound
from madang.events import rules
from madang.events.models import (
    Event,
    EventState,
    Grouping,
    PlanState,
    Registration,
    RegState,
    Rotation,
    Schedule,
    Session,
    SessionKind,
    Topic,
    TopicCheckIn,
)


def _int(value: Any) -> int:
    text = str(value)
    return int(text) if text.isdigit() and len(text) < 18 else 0


def access_event(user: Any, slug: str, *, perm: str = "view") -> Event:
    event = Event.objects.select_related("organisation").filter(slug=str(slug)[:80]).first()
    if event is None or not rules.can_view(user, event) or (perm == "organise" and not rules.is_organiser(user, event)):
        raise NotFound()
    return event


def access_session(event: Event, session_id: Any) -> Session:
    s = event.sessions.select_related("day", "room").filter(pk=_int(session_id)).first()
    if s is None:
        raise NotFound()
    return s


def access_registration(event: Event, registration_id: Any) -> Registration:
    r = event.registrations.select_related("user", "agency", "event").filter(pk=_int(registration_id)).first()
    if r is None:
        raise NotFound()
    return r


def access_topic(event: Event, topic_id: Any) -> Topic:
    t = event.topics.select_related("event", "convener").filter(pk=_int(topic_id)).first()
    if t is None:
        raise NotFound()
    return t


def events_for(user: Any) -> QuerySet[Event]:
    qs = Event.objects.select_related("organisation").annotate(
        confirmed=Count("registrations", filter=Q(registrations__state=RegState.CONFIRMED)))
    return qs if rules.can_create_events(user) else qs.exclude(state=EventState.DRAFT)


def registrations(event: Event) -> QuerySet[Registration]:
    return event.registrations.select_related("user__department", "agency", "substitute_for__user").order_by("queued_at", "pk")


@dataclass
class Counts:
    confirmed: int
    waiting: int
    juniors: int
    checked_in: int
    junior_places: int
    per_agency: dict[str, int] = field(default_factory=dict)


def counts(event: Event) -> Counts:
    from madang.events.services import junior_places

    confirmed = event.registrations.filter(state=RegState.CONFIRMED)
    juniors = confirmed.filter(Q(grade__gte=event.junior_grade) | Q(user__kind="citizen")).count()
    return Counts(confirmed=confirmed.count(), waiting=event.registrations.filter(state=RegState.WAITING).count(),
                  juniors=juniors, checked_in=confirmed.exclude(checked_in_at=None).count(), junior_places=junior_places(event))


def plan_of(session: Session) -> Grouping | Rotation | None:
    if session.kind == SessionKind.GROUPS:
        return Grouping.objects.filter(session=session).first()
    if session.kind == SessionKind.CAFE:
        return Rotation.objects.filter(session=session).first()
    return None


def published_schedule(event: Event) -> Schedule | None:
    return Schedule.objects.filter(event=event, state=PlanState.PUBLISHED).first()


@dataclass
class Now:
    """What the projector shows: the running World Cafe round, else the running session."""

    session: Session | None
    rotation: Rotation | None
    round_no: int | None
    ends_at: datetime | None
    next_session: Session | None


def now_showing(event: Event, at: datetime | None = None) -> Now:
    at = at or timezone.now()
    for rotation in Rotation.objects.filter(session__event=event, state=PlanState.PUBLISHED, current_round__isnull=False,
                                            ).select_related("session").order_by("-round_started_at"):
        assert rotation.round_started_at is not None and rotation.current_round is not None
        ends = rotation.round_started_at + timedelta(minutes=rotation.round_minutes)
        if at < ends + timedelta(minutes=30):
            return Now(rotation.session, rotation, rotation.current_round, ends, None)
    running = event.sessions.filter(starts_at__lte=at, ends_at__gt=at).select_related("room").first()
    upcoming = event.sessions.filter(starts_at__gt=at).order_by("starts_at").first()
    return Now(running, None, None, running.ends_at if running else None, upcoming)


@dataclass
class Stop:
    session: Session
    text: str
    detail: list[str] = field(default_factory=list)


def itinerary(event: Event, reg: Registration) -> list[Stop]:
    """Where one person goes, session by session: their group, their table each round, the Open
    Space sessions they checked in to."""
    from django.utils.translation import gettext as _

    stops = []
    groupings = {g.session_id: g for g in Grouping.objects.filter(session__event=event, state=PlanState.PUBLISHED)}
    rotations = {r.session_id: r for r in Rotation.objects.filter(session__event=event, state=PlanState.PUBLISHED)}
    tables = list(event.tables.order_by("number"))
    checked = {c.session_id: c.topic.title
               for c in TopicCheckIn.objects.filter(session__event=event, user=reg.user).select_related("topic")}
    for s in event.sessions.select_related("room", "day"):
        text, detail = (s.room.name if s.room else ""), []
        if s.pk in groupings:
            g = next((i for i, members in enumerate(groupings[s.pk].groups) if reg.pk in members), None)
            text = _("Group %(n)d") % {"n": g + 1} if g is not None else _("Not in a group")
        elif s.pk in rotations:
            for r, rd in enumerate(rotations[s.pk].plan):
                t = next((i for i, members in enumerate(rd) if reg.pk in members), None)
                label = str(tables[t]) if t is not None and t < len(tables) else _("not seated")
                detail.append(_("Round %(r)d: %(table)s") % {"r": r + 1, "table": label})
            text = _("World Cafe")
        elif s.kind == SessionKind.OPEN_SPACE and s.pk in checked:
            text = checked[s.pk]
        stops.append(Stop(s, text, detail))
    return stops
