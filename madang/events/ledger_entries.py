"""The public ledger's entries about hackathons and workshops: plans published, judging, awards, tasks sent."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from enum import StrEnum
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from madang.events.models import (
    Award,
    Event,
    EventState,
    Grouping,
    Judging,
    JudgingState,
    PlanState,
    Registration,
    Rotation,
    Schedule,
    Score,
    Task,
)
from madang.ledger import kinds
from madang.ledger import services as ledger
from madang.ledger.kinds import Finding, Kind, Logged, compare


class EventEntry(StrEnum):
    CREATED = "events.created"
    GROUPS_FORMED = "events.groups_formed"
    GROUP_MOVED = "events.group_moved"
    ROTATION_PUBLISHED = "events.rotation_published"
    ROTATION_REPLANNED = "events.rotation_replanned"
    SCHEDULE_PUBLISHED = "events.schedule_published"
    SCHEDULE_CHANGED = "events.schedule_changed"
    TASK_AGREED = "events.task_agreed"
    JUDGING_OPENED = "events.judging_opened"
    JUDGING_PUBLISHED = "events.judging_published"
    AWARD = "events.award"
    TASK_SENT = "events.task_sent"


def group_member(event_id: int, user_id: int | None) -> str | None:
    return ledger.pseudonym_for(EventEntry.GROUPS_FORMED, f"event:{event_id}", user_id)


def juror(event_id: int, judging_id: int, user_id: int | None) -> str | None:
    return ledger.pseudonym_for(EventEntry.JUDGING_PUBLISHED, f"event:{event_id}", user_id, {"judging": judging_id})


def groups_text(event_id: int, groups: Sequence[Sequence[int]]) -> str:
    """The published groups as pseudonyms in the event's group context (committed, not shown)."""
    users = dict(Registration.objects.filter(pk__in=[p for g in groups for p in g]).values_list("pk", "user_id"))
    return json.dumps([[group_member(event_id, users.get(p)) for p in g] for g in groups])


def created_body(event: Event) -> dict[str, Any]:
    return {
        "organisation": event.organisation_id,
        "capacity": event.capacity,
        "max_per_agency": event.max_per_agency,
        "junior_grade": event.junior_grade,
        "junior_min_percent": event.junior_min_percent,
    }


def judging_scores(judging: Judging) -> list[list[Any]]:
    rows = (
        Score.objects.filter(candidate__judging=judging)
        .order_by("candidate_id", "juror_id", "criterion_id")
        .values_list("candidate_id", "juror_id", "criterion_id", "value")
    )
    return [[c, juror(judging.event_id, judging.pk, j), k, v] for c, j, k, v in rows]


def published_body(judging: Judging) -> dict[str, Any]:
    return {
        "judging": judging.pk,
        "jury_percent": judging.jury_percent,
        "results": judging.results,
        "scores": judging_scores(judging),
    }


def award_body(award: Award) -> dict[str, Any]:
    c = award.candidate
    return {
        "judging": award.judging_id,
        "award_id": award.pk,
        "candidate": c.pk,
        "task": c.task_id,
        "group": c.group,
        "award": award.title,
    }


# ---------------------------------------------------------------- checks


def _latest(entries: list[Logged], key: Callable[[Logged], Any]) -> dict[Any, Logged]:
    out: dict[Any, Logged] = {}
    for e in entries:
        out[key(e)] = e
    return out


def check_created(entries: list[Logged]) -> Iterator[Finding]:
    events = Event.objects.in_bulk([e.subject_id for e in entries])
    for e in entries:
        ev = events.get(e.subject_id)
        if ev is None:
            yield e.gone(f"event {e.subject_id}")
        else:
            yield from compare(e, created_body(ev))


def missing_created(entries: list[Logged]) -> Iterator[Finding]:
    logged = {e.subject_id for e in entries}
    for pk in Event.objects.exclude(pk__in=logged).values_list("pk", flat=True):
        yield Finding(f"event:{pk}", f"event {pk} has no {EventEntry.CREATED} entry", "record")


def check_groups(entries: list[Logged]) -> Iterator[Finding]:
    """The newest published groups of each session: a later move is its own entry."""
    moved = {ledger.body_of(x).get("session") for x in ledger.entries_of(EventEntry.GROUP_MOVED)}
    latest = _latest(entries, lambda e: e.get("session"))
    groupings = {g.session_id: g for g in Grouping.objects.filter(session_id__in=list(latest))}
    for session, e in latest.items():
        g = groupings.get(session)
        if g is None:
            yield e.gone(f"the grouping of session {session}")
            continue
        live: dict[str, Any] = {"attributes": g.attributes, "separate_agencies": g.separate_agencies}
        if session not in moved:
            live["sizes"] = [len(x) for x in g.groups]
        yield from compare(e, live, None if session in moved else {"groups": groups_text(e.subject_id, g.groups)})


def check_rotations(entries: list[Logged]) -> Iterator[Finding]:
    every = sorted(
        [*entries, *(Logged(x, ledger.body_of(x)) for x in ledger.entries_of(EventEntry.ROTATION_REPLANNED))],
        key=lambda e: e.entry.seq,
    )
    latest = _latest(every, lambda e: e.get("session"))
    rotations = {r.session_id: r for r in Rotation.objects.filter(session_id__in=list(latest))}
    for session, e in latest.items():
        r = rotations.get(session)
        if r is None:
            yield e.gone(f"the rotation of session {session}")
            continue
        yield from compare(e, {"version": r.version}, {"plan": json.dumps(r.plan)})


def check_schedules(entries: list[Logged]) -> Iterator[Finding]:
    every = sorted(
        [*entries, *(Logged(x, ledger.body_of(x)) for x in ledger.entries_of(EventEntry.SCHEDULE_CHANGED))],
        key=lambda e: e.entry.seq,
    )
    latest = _latest(every, lambda e: e.subject_id)
    schedules = {s.event_id: s for s in Schedule.objects.filter(event_id__in=list(latest))}
    for event_id, e in latest.items():
        s = schedules.get(event_id)
        if s is None:
            yield e.gone(f"the schedule of event {event_id}")
            continue
        live: dict[str, Any] = {"version": s.version}
        if e.entry.kind == EventEntry.SCHEDULE_PUBLISHED:
            live["placements"] = s.placements
        yield from compare(e, live)


def check_tasks(entries: list[Logged]) -> Iterator[Finding]:
    tasks = Task.objects.in_bulk([e.get("task") for e in entries])
    for e in entries:
        t = tasks.get(e.get("task"))
        if t is None or t.agreed_at is None:
            yield e.gone(f"agreed task {e.get('task')}")
        else:
            yield from compare(e, {"group": t.group, "board": t.board_id}, {"title": t.title})


def missing_tasks(entries: list[Logged]) -> Iterator[Finding]:
    logged = {e.get("task") for e in entries}
    for pk, eid in Task.objects.filter(agreed_at__isnull=False).exclude(pk__in=logged).values_list("pk", "event_id"):
        yield Finding(f"event:{eid}", f"agreed task {pk} has no {EventEntry.TASK_AGREED} entry", "record")


def missing_sent(entries: list[Logged]) -> Iterator[Finding]:
    logged = {e.get("task") for e in entries}
    for pk, eid in Task.objects.filter(proposal__isnull=False).exclude(pk__in=logged).values_list("pk", "event_id"):
        yield Finding(
            f"event:{eid}", f"task {pk} was sent as a proposal and has no {EventEntry.TASK_SENT} entry", "record"
        )


def missing_opened(entries: list[Logged]) -> Iterator[Finding]:
    logged = {e.get("judging") for e in entries}
    for pk, eid in Judging.objects.exclude(pk__in=logged).values_list("pk", "event_id"):
        yield Finding(f"event:{eid}", f"judging {pk} has no {EventEntry.JUDGING_OPENED} entry", "record")


def _missing_published_plan(
    model: Any, kind: EventEntry, by_session: bool
) -> Callable[[list[Logged]], Iterator[Finding]]:
    """A published plan (groups, rotation: per session; schedule: per event) must have been published in the log."""

    def missing(entries: list[Logged]) -> Iterator[Finding]:
        logged = {e.get("session") if by_session else e.subject_id for e in entries}
        rows = model.objects.filter(state=PlanState.PUBLISHED)
        if by_session:
            found = rows.exclude(session_id__in=logged).values_list("session_id", "session__event_id")
            for session, eid in found:
                yield Finding(
                    f"event:{eid}",
                    f"the published {model._meta.verbose_name} of session {session} has no {kind} entry",
                    "record",
                )
        else:
            for eid in rows.exclude(event_id__in=logged).values_list("event_id", flat=True):
                yield Finding(
                    f"event:{eid}",
                    f"the published {model._meta.verbose_name} of event {eid} has no {kind} entry",
                    "record",
                )

    return missing


def check_opened(entries: list[Logged]) -> Iterator[Finding]:
    judgings = Judging.objects.in_bulk([e.get("judging") for e in entries])
    for e in entries:
        j = judgings.get(e.get("judging"))
        if j is None:
            yield e.gone(f"judging {e.get('judging')}")
            continue
        criteria = [[c.name, c.weight, c.max_score] for c in j.criteria.order_by("pk")]
        yield from compare(
            e,
            {
                "of": j.of,
                "jury_percent": j.jury_percent,
                "votes_per_person": j.votes_per_person,
                "criteria": criteria,
                "candidates": j.candidates.count(),
            },
        )


def check_published(entries: list[Logged]) -> Iterator[Finding]:
    judgings = Judging.objects.in_bulk([e.get("judging") for e in entries])
    for e in entries:
        j = judgings.get(e.get("judging"))
        if j is None or j.state != JudgingState.PUBLISHED:
            yield e.gone(f"published judging {e.get('judging')}")
            continue
        yield from compare(e, published_body(j))


def missing_published(entries: list[Logged]) -> Iterator[Finding]:
    logged = {e.get("judging") for e in entries}
    for pk, eid in (
        Judging.objects.filter(state=JudgingState.PUBLISHED).exclude(pk__in=logged).values_list("pk", "event_id")
    ):
        yield Finding(f"event:{eid}", f"published judging {pk} has no {EventEntry.JUDGING_PUBLISHED} entry", "record")


def check_awards(entries: list[Logged]) -> Iterator[Finding]:
    awards = Award.objects.select_related("candidate").in_bulk(
        [e.get("award_id") for e in entries if "award_id" in e.body]
    )
    for e in entries:
        if "award_id" not in e.body:
            continue
        a = awards.get(e.get("award_id"))
        if a is None:
            yield e.gone(f"award {e.get('award_id')}")
        else:
            yield from compare(e, award_body(a))


def missing_awards(entries: list[Logged]) -> Iterator[Finding]:
    logged = {e.get("award_id") for e in entries}
    v1 = {e.subject_id for e in entries if "award_id" not in e.body}
    for pk, eid in (
        Award.objects.exclude(pk__in=logged).exclude(judging__event_id__in=v1).values_list("pk", "judging__event_id")
    ):
        yield Finding(f"event:{eid}", f"award {pk} has no {EventEntry.AWARD} entry", "record")


def check_sent(entries: list[Logged]) -> Iterator[Finding]:
    tasks = Task.objects.in_bulk([e.get("task") for e in entries])
    for e in entries:
        t = tasks.get(e.get("task"))
        if t is None:
            yield e.gone(f"task {e.get('task')}")
            continue
        routings = (
            [[r.department_id, r.pk] for r in t.proposal.routings.order_by("pk")] if t.proposal is not None else []
        )
        yield from compare(e, {"proposal": t.proposal_id, "routings": routings})


def _reissue_scores(body: dict[str, Any], v2: Callable[[Any], Any]) -> dict[str, Any]:
    """v1 logged jurors by account id: v2 logs their pseudonym in the judging's jury context."""
    body["scores"] = [[c, v2(j), k, v] for c, j, k, v in body.get("scores", [])]
    return body


KINDS = (
    Kind(
        EventEntry.CREATED,
        "event",
        "an event was created",
        {
            "organisation": "the organising organisation",
            "capacity": "places",
            "max_per_agency": "at most per agency",
            "junior_grade": "junior means this grade or lower",
            "junior_min_percent": "minimum share of juniors",
        },
        check=check_created,
        missing=missing_created,
        checked=("organisation", "capacity", "max_per_agency", "junior_grade", "junior_min_percent"),
        unique="subject",
    ),
    Kind(
        EventEntry.GROUPS_FORMED,
        "groups",
        "discussion groups were published",
        {
            "session": "the session",
            "sizes": "group sizes",
            "attributes": "attributes diversified",
            "separate_agencies": "colleagues of one agency kept apart",
            "objective": "the solver's objective",
        },
        {"groups": "the groups as pseudonyms in the event's group context"},
        check=check_groups,
        missing=_missing_published_plan(Grouping, EventEntry.GROUPS_FORMED, by_session=True),
        checked=("sizes", "attributes", "separate_agencies", "groups"),
    ),
    Kind(
        EventEntry.GROUP_MOVED,
        "groups",
        "a participant was moved to another published group (no live record marks a move, so none implies "
        "this entry: a move without it makes the groups differ from their `events.groups_formed` entry)",
        {
            "session": "the session",
            "member": "their pseudonym in the event's group context",
            "from": "group",
            "to": "group",
        },
        pseudonym_fields=("member",),
    ),
    Kind(
        EventEntry.ROTATION_PUBLISHED,
        "event",
        "a World Cafe rotation was published",
        {
            "session": "the session",
            "version": "plan version",
            "rounds": "rounds",
            "tables": "tables",
            "repeated_pairs": "pairs meeting twice",
        },
        {"plan": "the seating plan"},
        check=check_rotations,
        missing=_missing_published_plan(Rotation, EventEntry.ROTATION_PUBLISHED, by_session=True),
        checked=("version", "plan"),
    ),
    Kind(
        EventEntry.ROTATION_REPLANNED,
        "event",
        "a published rotation was re-planned after no-shows (no live record implies this entry: a "
        "re-plan without it makes the plan differ from the newest rotation entry)",
        {
            "session": "the session",
            "version": "plan version",
            "from_round": "first round changed",
            "absent": "no-shows",
            "arrived": "late arrivals",
            "changed_seats": "seats changed",
            "repeated_pairs": "pairs meeting twice",
        },
        {"plan": "the new seating plan"},
        checked=("version", "plan"),
    ),
    Kind(
        EventEntry.SCHEDULE_PUBLISHED,
        "event",
        "the Open Space schedule was published",
        {
            "version": "version",
            "topics": "topics",
            "unscheduled": "topics left out",
            "turned_away": "people turned away",
            "clashes": "clashes",
            "placements": "topic -> [room, session]",
        },
        {"titles": "the topics' titles"},
        check=check_schedules,
        missing=_missing_published_plan(Schedule, EventEntry.SCHEDULE_PUBLISHED, by_session=False),
        checked=("version", "placements"),
    ),
    Kind(
        EventEntry.SCHEDULE_CHANGED,
        "event",
        "a published schedule was changed (no live record implies this entry: a change without it makes "
        "the schedule differ from the newest schedule entry)",
        {
            "version": "version",
            "topic": "topic moved",
            "room": "room",
            "session": "session",
            "others_moved": "others moved",
        },
        checked=("version",),
    ),
    Kind(
        EventEntry.TASK_AGREED,
        "event",
        "a task was agreed by the participants",
        {"task": "the task", "group": "the group", "board": "the board"},
        {"title": "its title"},
        check=check_tasks,
        missing=missing_tasks,
        checked=("group", "board", "title"),
        unique="task",
    ),
    Kind(
        EventEntry.JUDGING_OPENED,
        "jury:{judging}",
        "a judging was opened",
        {
            "judging": "the judging",
            "of": "what is judged",
            "jury_percent": "jury weight",
            "votes_per_person": "votes each",
            "criteria": "[[name, weight, max score], ...]",
            "candidates": "how many candidates",
        },
        check=check_opened,
        missing=missing_opened,
        checked=("of", "jury_percent", "votes_per_person", "criteria", "candidates"),
        unique="judging",
    ),
    Kind(
        EventEntry.JUDGING_PUBLISHED,
        "jury:{judging}",
        "a judging's results were published",
        {
            "judging": "the judging",
            "jury_percent": "jury weight",
            "results": "the results",
            "scores": "[[candidate, juror pseudonym in the judging's jury context, criterion, score], ...]",
        },
        check=check_published,
        missing=missing_published,
        checked=("jury_percent", "results", "scores"),
        reissue_body=_reissue_scores,
        unique="judging",
    ),
    Kind(
        EventEntry.AWARD,
        "jury:{judging}",
        "an award was given",
        {
            "judging": "the judging",
            "award_id": "the award's id",
            "candidate": "the candidate",
            "task": "its task",
            "group": "its group",
            "award": "the award's title",
        },
        check=check_awards,
        missing=missing_awards,
        checked=("judging", "award_id", "candidate", "task", "group", "award"),
        unique="award_id",
    ),
    Kind(
        EventEntry.TASK_SENT,
        "event",
        "an agreed task was sent to agencies as a proposal with routings",
        {
            "task": "the task",
            "proposal": "the proposal made of it",
            "answer_due": "the answer deadline",
            "routings": "[[department, routing], ...]",
            "unreachable": "agencies with no receiving department",
        },
        check=check_sent,
        missing=missing_sent,
        checked=("proposal", "routings"),
        unique="task",
    ),
)


LABELS = {
    EventEntry.CREATED: _("Event created"),
    EventEntry.GROUPS_FORMED: _("Discussion groups published"),
    EventEntry.GROUP_MOVED: _("Participant moved to another group"),
    EventEntry.ROTATION_PUBLISHED: _("World Cafe rotation published"),
    EventEntry.ROTATION_REPLANNED: _("World Cafe rotation re-planned"),
    EventEntry.SCHEDULE_PUBLISHED: _("Open Space schedule published"),
    EventEntry.SCHEDULE_CHANGED: _("Open Space schedule changed"),
    EventEntry.TASK_AGREED: _("Task agreed"),
    EventEntry.JUDGING_OPENED: _("Judging opened"),
    EventEntry.JUDGING_PUBLISHED: _("Judging results published"),
    EventEntry.AWARD: _("Award given"),
    EventEntry.TASK_SENT: _("Agreed task sent to agencies"),
}


def public_events(ids: list[int]) -> dict[int, tuple[str, str]]:
    # Anyone may read an announced event (rules.can_view); a draft is its organisers' alone.
    return {
        e.pk: (e.title, reverse("events:detail", args=[e.slug]))
        for e in Event.objects.filter(pk__in=ids).exclude(state=EventState.DRAFT).only("pk", "slug", "title")
    }


def register() -> None:
    """Called from this app's AppConfig.ready()."""
    kinds.register("events", KINDS, labels=LABELS)
    kinds.register_subject("event", _("Event"), public_events, owner="events")
