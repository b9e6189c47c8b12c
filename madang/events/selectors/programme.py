"""The event and its programme: who may reach an event, its sessions, the list of events, a
session's plan."""

from typing import Any

from django.db.models import Count, Q, QuerySet

from madang.core import params
from madang.core.errors import NotFound
from madang.events import rules
from madang.events.models import Event, EventState, Grouping, RegState, Rotation, Session, SessionKind
from madang.people.models import Organisation, OrgKind


def access_event(user: Any, slug: str, *, perm: str = "view") -> Event:
    event = Event.objects.select_related("organisation").filter(slug=str(slug)[:80]).first()
    if event is None or not rules.can_view(user, event) or (perm == "organise" and not rules.is_organiser(user, event)):
        raise NotFound()
    return event


def organisations_for(user: Any) -> QuerySet[Organisation]:
    """Where the user may organise an event: organisations (not departments) they organise in."""
    ids = [o.pk for o in Organisation.objects.exclude(kind=OrgKind.DEPARTMENT) if rules.can_organise_in(user, o)]
    return Organisation.objects.filter(pk__in=ids)


def access_session(event: Event, session_id: str | int) -> Session:
    s = event.sessions.select_related("day", "room").filter(pk=params.id_or_zero(session_id)).first()
    if s is None:
        raise NotFound()
    return s


def events_for(user: Any) -> QuerySet[Event]:
    qs = Event.objects.select_related("organisation").annotate(
        confirmed=Count("registrations", filter=Q(registrations__state=RegState.CONFIRMED))
    )
    return qs if rules.can_create_events(user) else qs.exclude(state=EventState.DRAFT)


def grouping_of(session: Session) -> Grouping | None:
    return Grouping.objects.filter(session=session).first()


def rotation_of(session: Session) -> Rotation | None:
    return Rotation.objects.filter(session=session).first()


def plan_of(session: Session) -> Grouping | Rotation | None:
    """The plan a session's kind has: discussion groups or a World Cafe rotation."""
    if session.kind == SessionKind.GROUPS:
        return grouping_of(session)
    if session.kind == SessionKind.CAFE:
        return rotation_of(session)
    return None
