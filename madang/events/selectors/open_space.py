"""The Open Space marketplace: topics, the published schedule, the market as the scheduler sees it."""

from madang.core import params
from madang.core.errors import NotFound
from madang.events.models import Event, PlanState, Schedule, SessionKind, Topic, Unavailability
from madang.solvers import openspace


def access_topic(event: Event, topic_id: str | int) -> Topic:
    t = event.topics.select_related("event", "convener").filter(pk=params.id_or_zero(topic_id)).first()
    if t is None:
        raise NotFound()
    return t


def published_schedule(event: Event) -> Schedule | None:
    return Schedule.objects.filter(event=event, state=PlanState.PUBLISHED).first()


def market_of(event: Event) -> openspace.Market:
    """The Open Space marketplace as the scheduler sees it: open topics with their conveners and
    interest, the rooms, the Open Space sessions and who cannot make which."""
    topics = list(event.topics.filter(withdrawn_at__isnull=True).prefetch_related("interested"))
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
