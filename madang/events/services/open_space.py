"""Open Space: the marketplace of topics, interest and availability, the schedule (a background
job), moves by hand, publication, and checking in to a topic."""

import json
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madang.core.errors import DomainError, Forbidden
from madang.core.texts import clean_text
from madang.events import rules
from madang.events.ledger_entries import EventEntry
from madang.events.models import (
    Event,
    Interest,
    PlanState,
    Room,
    Schedule,
    Session,
    SessionKind,
    Topic,
    TopicCheckIn,
    Unavailability,
)
from madang.events.screening import TOPIC
from madang.events.selectors.open_space import market_of, published_schedule, shared_topics
from madang.events.services.programme import Progress, no_progress, require_organiser
from madang.jobs import services as jobs
from madang.jobs.models import Job
from madang.ledger import services as ledger
from madang.people.models import User
from madang.privacy import exposure
from madang.privacy import services as privacy
from madang.solvers import openspace


def post_topic(
    *, actor: User, event: Event, title: str, description: str = "", personal_data_ok: bool = False
) -> Topic:
    """A topic on the marketplace, screened for personal data (events/screening.py): refused with
    what was found, masked, unless the convener confirms; a confirmed resident registration number
    or the like holds it from the marketplace and the scheduler until a moderator decides."""
    if not rules.can_use_market(actor, event):
        raise Forbidden(_("Only participants post topics on the marketplace."))
    title = clean_text(title, field="title", limit=200)
    description = clean_text(description, field="description", limit=2000, required=False)
    found = exposure.in_texts({"title": title, "description": description})
    exposure.screen(
        found, confirmed=personal_data_ok, field_labels={"title": _("Topic"), "description": _("description")}
    )
    with transaction.atomic():
        topic = Topic.objects.create(event=event, convener=actor, title=title, description=description)
        privacy.note_exposure(
            actor=actor, place=TOPIC, object_id=topic.pk, found=found, organisation=event.organisation
        )
    return topic


def release_held_topic(*, actor: User, object_id: int) -> None:
    """A moderator releases a held topic: the marketplace shows it once its screening record is no
    longer held (privacy.services.decide_exposure, which checked the right), so nothing changes here."""


def mask_topic(*, actor: User, object_id: int) -> None:
    """A moderator edits out what the filter found in a topic (its title stays its name on the schedule)."""
    topic = Topic.objects.select_for_update().filter(pk=object_id).first()
    if topic is not None:
        topic.title = exposure.masked_all(topic.title)
        topic.description = exposure.masked_all(topic.description)
        topic.save(update_fields=["title", "description"])


def delete_held_topic(*, actor: User, object_id: int) -> None:
    """A moderator deletes a flagged topic, unless the schedule places it (then it is masked instead)."""
    topic = Topic.objects.filter(pk=object_id).first()
    if topic is None:
        return
    if Schedule.objects.filter(event_id=topic.event_id, placements__has_key=str(topic.pk)).exists():
        raise DomainError(
            _("This topic is on the Open Space schedule: mask it instead of deleting it."), code="scheduled"
        )
    topic.delete()


def withdraw_topic(*, actor: User, topic: Topic) -> Topic:
    if topic.convener_id != actor.pk and not rules.is_organiser(actor, topic.event):
        raise Forbidden(_("Only the convener or an organiser withdraws a topic."))
    topic.withdrawn_at = timezone.now()
    topic.save(update_fields=["withdrawn_at"])
    return topic


def toggle_interest(*, actor: User, topic: Topic, interested: bool | None = None) -> bool:
    """Mark or unmark interest (None flips it); returns whether the actor is now interested."""
    if not rules.can_use_market(actor, topic.event) or topic.withdrawn_at:
        raise Forbidden(_("Only participants mark interest in open topics."))
    if topic.convener_id == actor.pk:
        raise DomainError(_("You convene this topic: you will be there anyway."), code="own_topic")
    have = Interest.objects.filter(topic=topic, user=actor).exists()
    want = (not have) if interested is None else interested
    if want and not have:
        Interest.objects.get_or_create(topic=topic, user=actor)
    elif not want and have:
        Interest.objects.filter(topic=topic, user=actor).delete()
    return want


def set_unavailability(*, actor: User, event: Event, sessions: Iterable[Session]) -> list[Session]:
    """The Open Space slots the actor (a convener, usually) cannot make."""
    if not rules.can_use_market(actor, event):
        raise Forbidden(_("Only participants give their availability."))
    chosen = list(sessions)
    if any(s.event_id != event.pk or s.kind != SessionKind.OPEN_SPACE for s in chosen):
        raise DomainError(_("Choose Open Space sessions of this event."), code="foreign", field="sessions")
    with transaction.atomic():
        Unavailability.objects.filter(session__event=event, user=actor).exclude(session__in=chosen).delete()
        for s in chosen:
            Unavailability.objects.get_or_create(session=s, user=actor)
    return chosen


def start_schedule(*, actor: User, event: Event) -> Job:
    require_organiser(actor, event)
    schedule, _created = Schedule.objects.get_or_create(event=event)
    return jobs.enqueue(
        kind="events.compute",
        params={"task": "schedule", "id": schedule.pk},
        actor=actor,
        subject=f"schedule:{schedule.pk}",
    )


def _market_error(exc: Exception) -> DomainError:
    return DomainError(_("The marketplace cannot be scheduled: %(why)s") % {"why": str(exc)}, code="infeasible")


def compute_schedule(*, schedule_id: int, progress: Progress = no_progress) -> Schedule:
    schedule = Schedule.objects.select_related("event").get(pk=schedule_id)
    market = market_of(schedule.event)
    if not market.rooms or not market.slots:
        raise DomainError(_("Add rooms and Open Space sessions before scheduling."), code="no_cells")
    if not market.topics:
        raise DomainError(_("No topics on the marketplace yet."), code="no_topics")
    progress(0, 1, str(_("Scheduling the topics")))
    try:
        openspace.validate(market)
        res = openspace.solve(market, seconds=schedule.seconds, seed=schedule.version)
    except openspace.InfeasibleMarket as exc:
        raise _market_error(exc) from exc
    verdict = openspace.check(market, res.schedule)
    if not verdict.ok:
        raise DomainError(_("The schedule broke a rule; try again."), code="infeasible")
    schedule.placements = {str(t): [r, s] for t, (r, s) in res.schedule.placements.items()}
    schedule.unscheduled = list(res.schedule.unscheduled)
    schedule.turned_away, schedule.clashes = verdict.turned_away, verdict.clashes
    schedule.state, schedule.computed_at, schedule.published_at, schedule.last_moves = (
        PlanState.DRAFT,
        timezone.now(),
        None,
        [],
    )
    schedule.version += 1
    schedule.save()
    progress(1, 1, str(_("Scheduling the topics")))
    return schedule


def _as_solver_schedule(schedule: Schedule) -> openspace.Schedule:
    return openspace.Schedule(
        {int(t): (c[0], c[1]) for t, c in schedule.placements.items()}, tuple(schedule.unscheduled)
    )


def move_topic(*, actor: User, schedule: Schedule, topic: Topic, room: Room, session: Session) -> Schedule:
    """The facilitator moves a topic by hand; the solver re-fits the others, moving as few as it can."""
    event = schedule.event
    require_organiser(actor, event)
    if (
        topic.event_id != event.pk
        or room.event_id != event.pk
        or session.event_id != event.pk
        or session.kind != SessionKind.OPEN_SPACE
    ):
        raise DomainError(_("Choose a topic, a room and an Open Space session of this event."), code="foreign")
    if not schedule.computed_at:
        raise DomainError(_("Compute the schedule first."), code="not_computed")
    market = market_of(event)
    try:
        rep = openspace.replace(
            market, _as_solver_schedule(schedule), topic.pk, room.pk, session.pk, seconds=0.5, seed=schedule.version
        )
    except openspace.InfeasibleMarket as exc:
        raise DomainError(_("That move breaks a rule: %(why)s") % {"why": str(exc)}, code="infeasible") from exc
    verdict = openspace.check(rep.market, rep.result.schedule)
    if not verdict.ok:
        raise DomainError(_("That move breaks a rule: %(why)s") % {"why": verdict.violations[0]}, code="infeasible")
    with transaction.atomic():
        schedule.placements = {str(t): [r, s] for t, (r, s) in rep.result.schedule.placements.items()}
        schedule.unscheduled = list(rep.result.schedule.unscheduled)
        schedule.turned_away, schedule.clashes = verdict.turned_away, verdict.clashes
        schedule.last_moves = [[topic.pk, None, [room.pk, session.pk]]] + [
            [t, list(a) if a else None, list(b) if b else None] for t, a, b in rep.moved
        ]
        schedule.version += 1
        schedule.save()
        if schedule.state == PlanState.PUBLISHED:
            ledger.record(
                kind=EventEntry.SCHEDULE_CHANGED,
                subject=f"event:{event.pk}",
                actor_id=actor.pk,
                data={
                    "version": schedule.version,
                    "topic": topic.pk,
                    "room": room.pk,
                    "session": session.pk,
                    "others_moved": len(rep.moved),
                },
            )
    return schedule


def publish_schedule(*, actor: User, schedule: Schedule) -> Schedule:
    event = schedule.event
    require_organiser(actor, event)
    if not schedule.computed_at:
        raise DomainError(_("Compute the schedule first."), code="not_computed")
    with transaction.atomic():
        schedule.state, schedule.published_at = PlanState.PUBLISHED, timezone.now()
        schedule.save(update_fields=["state", "published_at"])
        ledger.record(
            kind=EventEntry.SCHEDULE_PUBLISHED,
            subject=f"event:{event.pk}",
            actor_id=actor.pk,
            data={
                "version": schedule.version,
                "topics": len(schedule.placements),
                "unscheduled": len(schedule.unscheduled),
                "turned_away": schedule.turned_away,
                "clashes": schedule.clashes,
                "placements": schedule.placements,
            },
            commitments={
                "titles": json.dumps(dict(shared_topics(event).values_list("pk", "title")), ensure_ascii=False)
            },
        )
    return schedule


def check_in_to_topic(*, actor: User, topic: Topic) -> TopicCheckIn:
    """Join a session of the published schedule; moving to another topic of the same slot is a new check-in."""
    event = topic.event
    if not rules.can_use_market(actor, event):
        raise Forbidden(_("Only participants check in to sessions."))
    schedule = published_schedule(event)
    cell = schedule.placements.get(str(topic.pk)) if schedule else None
    if cell is None:
        raise DomainError(_("This topic is not on the published schedule."), code="not_scheduled")
    session = Session.objects.get(pk=cell[1])
    with transaction.atomic():
        row = TopicCheckIn.objects.select_for_update(of=("self",)).filter(session=session, user=actor).first()
        if row is None:
            return TopicCheckIn.objects.create(session=session, user=actor, topic=topic)
        if row.topic_id != topic.pk:
            row.topic, row.moves, row.at = topic, row.moves + 1, timezone.now()
            row.save(update_fields=["topic", "moves", "at"])
        return row
