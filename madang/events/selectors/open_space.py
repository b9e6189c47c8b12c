"""The Open Space marketplace: topics, the published schedule, the market as the scheduler sees it."""

from typing import Any

from django.db.models import QuerySet

from madang.core import params
from madang.core.errors import NotFound
from madang.events.models import Event, PlanState, Schedule, SessionKind, Topic, TopicCheckIn, Unavailability
from madang.events.screening import TOPIC
from madang.people.models import User
from madang.privacy import selectors as screening
from madang.solvers import openspace


def access_topic(user: Any, event: Event, topic_id: str | int) -> Topic:
    """The topic, as `user` sees it (NotFound for a held one they may not see; flagged text masked)."""
    t = event.topics.select_related("event", "convener").filter(pk=params.id_or_zero(topic_id)).first()
    if t is None or t.pk not in screening.visible_to(user, TOPIC, [t.pk]):
        raise NotFound()
    screening.mask_for_reader(user, TOPIC, [t], ["title", "description"])
    return t


def shared_topics(event: Event) -> QuerySet[Topic]:
    """The event's topics but those the personal-data filter holds for a moderator (events/screening.py):
    what the scheduler places and the schedule commits to."""
    return event.topics.exclude(pk__in=screening.held_ids(TOPIC))


def shown_topics(user: Any, event: Event) -> list[Topic]:
    """The open topics on the marketplace as `user` sees them: a held one only to its convener and
    the moderators, flagged text masked for the others (in memory only)."""
    rows = list(
        event.topics.filter(withdrawn_at__isnull=True).select_related("convener").prefetch_related("interested")
    )
    seen = screening.visible_to(user, TOPIC, [t.pk for t in rows])
    kept = [t for t in rows if t.pk in seen]
    screening.mask_for_reader(user, TOPIC, kept, ["title", "description"])
    return kept


def schedule_of(event: Event) -> Schedule | None:
    """The event's Open Space schedule in whatever state it is (see `rules.can_see_plan`)."""
    return Schedule.objects.filter(event=event).first()


def published_schedule(event: Event) -> Schedule | None:
    return Schedule.objects.filter(event=event, state=PlanState.PUBLISHED).first()


def checked_in_topics(user: Any, event: Event) -> dict[int, int]:
    """The topic the user is at in each Open Space session, by session."""
    if not isinstance(user, User):
        return {}
    return dict(TopicCheckIn.objects.filter(session__event=event, user=user).values_list("session_id", "topic_id"))


def market_of(event: Event) -> openspace.Market:
    """The Open Space marketplace as the scheduler sees it: open topics with their conveners and
    interest, the rooms, the Open Space sessions and who cannot make which."""
    topics = list(shared_topics(event).filter(withdrawn_at__isnull=True).prefetch_related("interested"))
    slots = list(event.sessions.filter(kind=SessionKind.OPEN_SPACE).values_list("pk", flat=True))
    unavailable: dict[int, set[int]] = {}
    for user_id, session_id in Unavailability.objects.filter(session__event=event).values_list("user_id", "session_id"):
        unavailable.setdefault(user_id, set()).add(session_id)
    return openspace.Market(
        topics=tuple(
            openspace.Topic(t.pk, frozenset([t.convener_id]), frozenset(u.pk for u in t.interested.all()), t.title)
            for t in topics
        ),
        rooms=tuple(openspace.Room(r.pk, r.capacity) for r in event.rooms.all()),
        slots=tuple(slots),
        unavailable={u: frozenset(s) for u, s in unavailable.items()},
    )
