"""Writes for events: the programme, registration (quotas, waiting list, substitutes, check-in,
no-shows), discussion groups, World Cafe rotations and the Open Space schedule.

The three planners run as background jobs (`madang.events.jobs`): the services here start them
(`start_*`, checked against the rules) and hold the work they do (`compute_*`, called by the job
with the ids it was given). Every published plan writes a ledger entry in the same transaction.
"""

import json
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import numpy as np
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from madang.calls import services as calls
from madang.calls.selectors import routable_departments
from madang.core.errors import DomainError, Forbidden
from madang.core.texts import clean_text
from madang.core.uploads import check_upload
from madang.events import ledger_entries as entries
from madang.events import rules
from madang.events.ledger_entries import EventEntry
from madang.events.models import (
    ATTRIBUTES,
    Audience,
    Award,
    Board,
    BoardItem,
    BoardKind,
    Candidate,
    Criterion,
    Day,
    Dot,
    Event,
    EventState,
    Grouping,
    Interest,
    ItemKind,
    Judging,
    JudgingOf,
    JudgingState,
    Juror,
    NoShow,
    PlanState,
    Registration,
    RegState,
    Room,
    Rotation,
    Schedule,
    Score,
    Session,
    SessionKind,
    Supplement,
    Table,
    Task,
    Topic,
    TopicCheckIn,
    Unavailability,
    Vote,
)
from madang.followup import services as followup
from madang.jobs import services as jobs
from madang.ledger import services as ledger
from madang.people.models import Organisation, OrgKind, Role, RoleGrant, User
from madang.solvers import grouping as grouping_solver
from madang.solvers import korean, openspace
from madang.solvers import rotation as rotation_solver
from madang.solvers.grouping import diversity_matrix
from madang.solvers.rotation import table_sizes

Progress = Callable[[int, int, str], None]
ATTRIBUTE_KEYS = [k for k, _label in ATTRIBUTES]
MAX_GROUPS = 60
MAX_ROUNDS = 12


def _nothing(done: int, total: int, message: str = "") -> None:
    return None


def _text(value: str, field: str, limit: int, required: bool = True) -> str:
    return clean_text(value, field=field, limit=limit, required=required)


def _require_organiser(actor: Any, event: Event) -> None:
    if not rules.is_organiser(actor, event):
        raise Forbidden(_("Only the event's facilitators and innovation team can do this."))


# ---------------------------------------------------------------- the programme


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
    with transaction.atomic():
        event = Event.objects.create(
            organisation=organisation,
            slug=slug,
            title=_text(title, "title", 200),
            description=_text(description, "description", 10_000, False),
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
    _require_organiser(actor, event)
    if state not in ALLOWED_STATES.get(event.state, ()):
        raise DomainError(_("The event cannot move to that state from where it is."), code="bad_state", field="state")
    event.state = state
    event.save(update_fields=["state"])
    return event


def new_check_in_code(*, actor: User, event: Event) -> str:
    from madang.events.models import new_code

    _require_organiser(actor, event)
    event.check_in_code = new_code()
    event.save(update_fields=["check_in_code"])
    return event.check_in_code


def add_day(*, actor: User, event: Event, date: date, title: str = "") -> Day:
    _require_organiser(actor, event)
    if event.days.filter(date=date).exists():
        raise DomainError(_("This event already has that day."), code="duplicate", field="date")
    return Day.objects.create(event=event, date=date, title=_text(title, "title", 200, False))


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
    _require_organiser(actor, event)
    if day.event_id != event.pk or (room is not None and room.event_id != event.pk):
        raise DomainError(_("That day or room belongs to another event."), code="foreign")
    if kind not in SessionKind.values:
        raise DomainError(_("Choose a kind of session."), code="bad_kind", field="kind")
    if ends_at <= starts_at:
        raise DomainError(_("A session ends after it starts."), code="bad_times", field="ends_at")
    return Session.objects.create(
        event=event,
        day=day,
        title=_text(title, "title", 200),
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        room=room,
    )


def add_room(*, actor: User, event: Event, name: str, capacity: int) -> Room:
    _require_organiser(actor, event)
    if capacity < 1:
        raise DomainError(_("A room holds at least one person."), code="bad_capacity", field="capacity")
    return Room.objects.create(event=event, name=_text(name, "name", 100), capacity=capacity)


def add_tables(*, actor: User, event: Event, count: int, capacity: int = 8, room: Room | None = None) -> list[Table]:
    _require_organiser(actor, event)
    if not 1 <= count <= 100 or not 1 <= capacity <= 50:
        raise DomainError(_("Between 1 and 100 tables of 1 to 50 seats."), code="bad_tables", field="count")
    start = (event.tables.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    return [Table.objects.create(event=event, number=start + i, capacity=capacity, room=room) for i in range(count)]


def set_table_host(*, actor: User, table: Table, host: User | None) -> Table:
    _require_organiser(actor, table.event)
    if host is not None and not table.event.registrations.filter(user=host, state=RegState.CONFIRMED).exists():
        raise DomainError(_("A table host is a confirmed participant."), code="host_not_participant", field="host")
    if host is not None and table.event.tables.filter(host=host).exclude(pk=table.pk).exists():
        raise DomainError(_("This person already hosts another table."), code="host_twice", field="host")
    table.host = host
    table.save(update_fields=["host"])
    return table


# ---------------------------------------------------------------- registration


def level_of(agency: Organisation | None) -> str:
    if agency is None:
        return "citizen"
    if agency.kind in (OrgKind.MINISTRY, OrgKind.POLICE, OrgKind.FIRE):
        return "central"
    if agency.kind in (OrgKind.PROVINCE, OrgKind.LOCAL):
        return "local"
    return "public"


def _region_of(agency: Organisation | None) -> str:
    """A local agency's region is the province (or metropolitan city) it sits in."""
    if agency is None or level_of(agency) != "local":
        return ""
    node = agency
    while node.parent is not None:
        node = node.parent
    return node.name[:40]


def agency_of(user: User) -> Organisation | None:
    return user.department.agency() if user.department is not None else None


def junior_places(event: Event) -> int:
    return math.ceil(event.capacity * event.junior_min_percent / 100)


def _why_not(event: Event, agency_id: int | None, junior: bool, exclude: Registration | None = None) -> str:
    """Why one more confirmed registration would break a quota ("" = it fits).

    The share of juniors is a minimum over the event's places: other people may take at most
    capacity − ⌈capacity × share⌉ places, so the event can still fill with the share kept.
    """
    confirmed = event.registrations.filter(state=RegState.CONFIRMED)
    if exclude is not None:
        confirmed = confirmed.exclude(pk=exclude.pk)
    if confirmed.count() >= event.capacity:
        return "full"
    if (
        event.max_per_agency
        and agency_id is not None
        and confirmed.filter(agency_id=agency_id).count() >= event.max_per_agency
    ):
        return "agency"
    if event.junior_min_percent and not junior:
        others = confirmed.exclude(grade__gte=event.junior_grade).exclude(user__kind="citizen").count()
        if others >= event.capacity - junior_places(event):
            return "profile"
    return ""


def _is_junior(event: Event, user: User) -> bool:
    # Citizen members are not officials of any grade: they never take a place kept for juniors,
    # nor one of the places left to seniors.
    return user.is_citizen or (user.grade is not None and user.grade >= event.junior_grade)


def _check_profile(gender: str, job_family: str, region: str) -> None:
    from madang.events.models import Gender, JobFamily

    if gender not in Gender.values:
        raise DomainError(_("Choose a valid gender or leave it empty."), code="bad_gender", field="gender")
    if job_family not in JobFamily.values:
        raise DomainError(_("Choose a valid job family."), code="bad_job_family", field="job_family")
    if len(region) > 40:
        raise DomainError(_("Too long: at most %(n)d characters.") % {"n": 40}, code="too_long", field="region")


def register(
    *, actor: User, event: Event, gender: str = "", job_family: str = "", region: str | None = None
) -> Registration:
    """Register; the registration is confirmed if every quota allows it, else it waits in line."""
    if event.state != EventState.OPEN:
        raise DomainError(_("Registration for this event is not open."), code="not_open")
    if not rules.may_attend(actor, event):
        raise Forbidden(
            _("This event is for public officials (and citizen members only when it is joint)."), code="not_eligible"
        )
    region = (region or "").strip()
    _check_profile(gender, job_family, region)
    with transaction.atomic():
        Event.objects.select_for_update(of=("self",)).filter(pk=event.pk).first()  # one registration decision at a time
        if rules.registration_of(actor, event) is not None:
            raise DomainError(_("You are already registered for this event."), code="already_registered")
        agency = agency_of(actor)
        why = _why_not(event, agency.pk if agency else None, _is_junior(event, actor))
        now = timezone.now()
        return Registration.objects.create(
            event=event,
            user=actor,
            state=RegState.WAITING if why else RegState.CONFIRMED,
            agency=agency,
            grade=actor.grade,
            region=region or _region_of(agency),
            gender=gender,
            job_family=job_family or ("citizen" if actor.is_citizen else ""),
            wait_reason=why,
            registered_at=now,
            queued_at=now,
            confirmed_at=None if why else now,
        )


def update_profile(
    *, actor: User, registration: Registration, gender: str, job_family: str, region: str
) -> Registration:
    if registration.user_id != actor.pk and not rules.is_organiser(actor, registration.event):
        raise Forbidden(_("Only the participant or an organiser changes this profile."))
    region = region.strip()
    _check_profile(gender, job_family, region)
    registration.gender, registration.job_family, registration.region = gender, job_family, region
    registration.save(update_fields=["gender", "job_family", "region"])
    return registration


def _promote(event: Event) -> list[Registration]:
    """Walk the waiting list in order and confirm everyone who now fits."""
    promoted = []
    for reg in event.registrations.filter(state=RegState.WAITING).select_related("user").order_by("queued_at", "pk"):
        why = _why_not(event, reg.agency_id, _is_junior(event, reg.user))
        if why == "full":
            break
        if why:
            if reg.wait_reason != why:
                reg.wait_reason = why
                reg.save(update_fields=["wait_reason"])
            continue
        reg.state, reg.wait_reason, reg.confirmed_at = RegState.CONFIRMED, "", timezone.now()
        reg.save(update_fields=["state", "wait_reason", "confirmed_at"])
        promoted.append(reg)
    return promoted


def cancel_registration(*, actor: User, registration: Registration) -> list[Registration]:
    """Cancel; returns whoever the freed place went to (promoted from the waiting list)."""
    if not rules.can_cancel(actor, registration):
        raise Forbidden(_("You cannot cancel this registration."))
    with transaction.atomic():
        Event.objects.select_for_update(of=("self",)).filter(pk=registration.event_id).first()
        was_confirmed = registration.state == RegState.CONFIRMED
        registration.state, registration.cancelled_at = RegState.CANCELLED, timezone.now()
        registration.save(update_fields=["state", "cancelled_at"])
        Table.objects.filter(event_id=registration.event_id, host_id=registration.user_id).update(host=None)
        return _promote(registration.event) if was_confirmed else []


def substitute(*, actor: User, registration: Registration, colleague: User) -> Registration:
    """The agency sends `colleague` instead: same agency, same place (confirmed or in line)."""
    event = registration.event
    if not rules.can_substitute(actor, registration):
        raise Forbidden(_("Only the registrant, their agency's liaison or an organiser can send a substitute."))
    agency = agency_of(colleague)
    if not colleague.is_official or agency is None or agency.pk != registration.agency_id:
        raise DomainError(_("A substitute is an official of the same agency."), code="other_agency", field="colleague")
    with transaction.atomic():
        Event.objects.select_for_update(of=("self",)).filter(pk=event.pk).first()
        if rules.registration_of(colleague, event) is not None:
            raise DomainError(_("This colleague is already registered."), code="already_registered", field="colleague")
        if (
            registration.state == RegState.CONFIRMED
            and event.junior_min_percent
            and not _is_junior(event, colleague)
            and _why_not(event, None, False, exclude=registration) == "profile"
        ):
            raise DomainError(
                _(
                    "This swap would break the minimum share of junior officials: send a colleague of grade %(g)d or below."
                )
                % {"g": event.junior_grade},
                code="profile",
                field="colleague",
            )
        old_state = registration.state
        registration.state, registration.cancelled_at = RegState.SUBSTITUTED, timezone.now()
        registration.save(update_fields=["state", "cancelled_at"])
        Table.objects.filter(event=event, host_id=registration.user_id).update(host=None)
        return Registration.objects.create(
            event=event,
            user=colleague,
            state=old_state,
            agency=agency,
            grade=colleague.grade,
            region=registration.region or _region_of(agency),
            job_family=registration.job_family,
            wait_reason=registration.wait_reason,
            queued_at=registration.queued_at,
            substitute_for=registration,
            confirmed_at=timezone.now() if registration.confirmed_at else None,
        )


def check_in(*, actor: User, registration: Registration) -> Registration:
    """A facilitator checks someone in from the list."""
    _require_organiser(actor, registration.event)
    if registration.state != RegState.CONFIRMED:
        raise DomainError(_("Only confirmed participants check in."), code="not_confirmed")
    if registration.checked_in_at is None:
        registration.checked_in_at, registration.checked_in_by = timezone.now(), actor
        registration.save(update_fields=["checked_in_at", "checked_in_by"])
    return registration


def check_in_with_code(*, actor: User, event: Event, code: str) -> Registration:
    """A participant checks themself in with the code shown at the venue."""
    reg = rules.registration_of(actor, event)
    if reg is None or reg.state != RegState.CONFIRMED:
        raise DomainError(_("You have no confirmed place at this event."), code="not_confirmed")
    if event.state not in (EventState.OPEN, EventState.CLOSED):
        raise DomainError(_("Check-in is not open."), code="not_open")
    if (code or "").strip().upper().replace(" ", "") != event.check_in_code:
        raise DomainError(_("That is not the check-in code shown at the venue."), code="wrong_code", field="code")
    if reg.checked_in_at is None:
        reg.checked_in_at, reg.checked_in_by = timezone.now(), actor
        reg.save(update_fields=["checked_in_at", "checked_in_by"])
    return reg


def record_no_shows(*, actor: User, session: Session, absent: Iterable[Registration]) -> int:
    """Who was missing when the session started (replaces what was recorded before)."""
    _require_organiser(actor, session.event)
    absent = list(absent)
    if any(r.event_id != session.event_id or r.state != RegState.CONFIRMED for r in absent):
        raise DomainError(_("Only confirmed participants of this event can be marked absent."), code="foreign")
    with transaction.atomic():
        session.no_shows.exclude(registration__in=absent).delete()
        have = set(session.no_shows.values_list("registration_id", flat=True))
        NoShow.objects.bulk_create(
            [NoShow(session=session, registration=r, recorded_by=actor) for r in absent if r.pk not in have]
        )
    return len(absent)


def present(session: Session) -> list[Registration]:
    """Confirmed participants not recorded absent at this session, in a stable order."""
    gone = set(session.no_shows.values_list("registration_id", flat=True))
    regs = session.event.registrations.filter(state=RegState.CONFIRMED).select_related("agency", "user").order_by("pk")
    return [r for r in regs if r.pk not in gone]


# ---------------------------------------------------------------- profiles for the solvers


def attribute_value(reg: Registration, key: str) -> Any:
    if key == "agency":
        return reg.agency_id
    if key == "level":
        return level_of(reg.agency)
    if key == "grade_band":
        return reg.grade  # numeric: grades far apart count as more different
    if key == "region":
        return reg.region or None
    if key == "gender":
        return reg.gender or None
    if key == "job_family":
        return reg.job_family or None
    raise KeyError(key)


def diversity(regs: Sequence[Registration], attributes: Sequence[str]) -> Any:
    if not attributes:
        return np.zeros((len(regs), len(regs)))
    rows = [[attribute_value(r, a) for a in attributes] for r in regs]
    return diversity_matrix(rows, [1.0] * len(attributes), [a == "grade_band" for a in attributes])


def same_agency_pairs(regs: Sequence[Registration]) -> list[tuple[int, int]]:
    out = []
    for i, a in enumerate(regs):
        for j in range(i + 1, len(regs)):
            if a.agency_id is not None and a.agency_id == regs[j].agency_id:
                out.append((i, j))
    return out


# ---------------------------------------------------------------- discussion groups


def _pairs(event: Event, pairs: Iterable[Sequence[int]], field: str) -> list[list[int]]:
    ids = set(event.registrations.filter(state=RegState.CONFIRMED).values_list("pk", flat=True))
    out = []
    for pair in pairs:
        a, b = int(pair[0]), int(pair[1])
        if a == b or a not in ids or b not in ids:
            raise DomainError(_("Each pair names two different confirmed participants."), code="bad_pair", field=field)
        out.append([a, b])
    return out


def configure_grouping(
    *,
    actor: User,
    session: Session,
    group_count: int = 0,
    sizes: Sequence[int] = (),
    attributes: Sequence[str] = ("agency", "level", "grade_band", "region"),
    separate_agencies: bool = True,
    together: Iterable[Sequence[int]] = (),
    apart: Iterable[Sequence[int]] = (),
    seconds: float = 2.0,
) -> Grouping:
    _require_organiser(actor, session.event)
    if session.kind != SessionKind.GROUPS:
        raise DomainError(_("Discussion groups belong to a discussion-group session."), code="wrong_kind")
    sizes = [int(s) for s in sizes]
    if not sizes and not 1 <= group_count <= MAX_GROUPS:
        raise DomainError(
            _("Give a number of groups (1 to 60) or the size of each group."), code="bad_sizes", field="group_count"
        )
    if sizes and (len(sizes) > MAX_GROUPS or any(s < 1 for s in sizes)):
        raise DomainError(_("Each group has at least one person (at most 60 groups)."), code="bad_sizes", field="sizes")
    unknown = [a for a in attributes if a not in ATTRIBUTE_KEYS]
    if unknown:
        raise DomainError(_("Unknown attribute to diversify."), code="bad_attribute", field="attributes")
    together_l = _pairs(session.event, together, "together")
    apart_l = _pairs(session.event, apart, "apart")
    if {tuple(sorted(p)) for p in together_l} & {tuple(sorted(p)) for p in apart_l}:
        raise DomainError(_("A pair cannot be both kept together and kept apart."), code="contradiction", field="apart")
    grouping, _created = Grouping.objects.update_or_create(
        session=session,
        defaults={
            "group_count": len(sizes) or group_count,
            "sizes": sizes,
            "attributes": list(attributes),
            "separate_agencies": separate_agencies,
            "together": together_l,
            "apart": apart_l,
            "seconds": max(0.1, min(float(seconds), 30.0)),
        },
    )
    return grouping


def start_grouping(*, actor: User, grouping: Grouping) -> Any:
    _require_organiser(actor, grouping.session.event)
    return jobs.enqueue(
        kind="events.compute",
        params={"task": "groups", "id": grouping.pk},
        actor=actor,
        subject=f"grouping:{grouping.pk}",
    )


@dataclass
class GroupRules:
    cannot: list[tuple[int, int]]
    must: list[tuple[int, int]]


def group_rules(grouping: Grouping, regs: Sequence[Registration]) -> GroupRules:
    """The hard rules as index pairs over `regs`: same agency apart, the facilitator's pairs."""
    idx = {r.pk: i for i, r in enumerate(regs)}
    cannot = same_agency_pairs(regs) if grouping.separate_agencies else []
    cannot += [(idx[a], idx[b]) for a, b in grouping.apart if a in idx and b in idx]
    must = [(idx[a], idx[b]) for a, b in grouping.together if a in idx and b in idx]
    return GroupRules(cannot, must)


def compute_groups(*, grouping_id: int, progress: Progress = _nothing) -> Grouping:
    grouping = Grouping.objects.select_related("session__event").get(pk=grouping_id)
    regs = present(grouping.session)
    n = len(regs)
    sizes = list(grouping.sizes) or (table_sizes(n, grouping.group_count) if grouping.group_count else [])
    if not sizes or sum(sizes) != n:
        raise DomainError(
            _("The group sizes add up to %(s)d but %(n)d people are present.") % {"s": sum(sizes), "n": n},
            code="bad_sizes",
        )
    hard = group_rules(grouping, regs)
    d = diversity(regs, grouping.attributes)
    steps = 4
    best = None
    progress(0, steps, str(_("Mixing the groups")))
    try:
        for step in range(steps):
            res = grouping_solver.solve(
                d,
                sizes,
                sizes,
                cannot_link=hard.cannot,
                must_link=hard.must,
                seconds=grouping.seconds / steps,
                seed=step,
                initial=best.assignment if best else None,
            )
            if best is None or res.objective >= best.objective:
                best = res
            progress(step + 1, steps, str(_("Mixing the groups")))
    except grouping_solver.InfeasibleGrouping as exc:
        raise DomainError(
            _("No grouping meets these sizes and rules (for example, more people of one agency than groups)."),
            code="infeasible",
        ) from exc
    assert best is not None
    verdict = grouping_solver.check(d, best.assignment, sizes, sizes, cannot_link=hard.cannot, must_link=hard.must)
    if not verdict.ok:
        raise DomainError(
            _("No grouping meets these sizes and rules (for example, more people of one agency than groups)."),
            code="infeasible",
        )
    groups: list[list[int]] = [[] for _s in sizes]
    for reg, g in zip(regs, best.assignment, strict=True):
        groups[g].append(reg.pk)
    grouping.groups, grouping.computed_sizes, grouping.objective = groups, sizes, verdict.objective
    grouping.state, grouping.computed_at, grouping.published_at = PlanState.DRAFT, timezone.now(), None
    grouping.save()
    return grouping


def group_problems(grouping: Grouping, groups: Sequence[Sequence[int]]) -> list[str]:
    """Every hard rule the groups break, recomputed from scratch (used by hand moves and tests)."""
    regs = {r.pk: r for r in grouping.session.event.registrations.all()}
    where = {pk: g for g, members in enumerate(groups) for pk in members}
    problems = []
    for members in groups:
        agencies = [regs[pk].agency_id for pk in members if regs[pk].agency_id is not None]
        if grouping.separate_agencies and len(agencies) != len(set(agencies)):
            problems.append("same_agency")
    for a, b in grouping.apart:
        if a in where and where.get(a) == where.get(b):
            problems.append("apart")
    for a, b in grouping.together:
        if a in where and b in where and where[a] != where[b]:
            problems.append("together")
    return problems


def move_group_member(*, actor: User, grouping: Grouping, registration: Registration, to_group: int) -> Grouping:
    """A facilitator's move by hand, re-checked against every hard rule."""
    event = grouping.session.event
    _require_organiser(actor, event)
    groups = [list(g) for g in grouping.groups]
    source = next((g for g, members in enumerate(groups) if registration.pk in members), None)
    if source is None:
        raise DomainError(_("This person is not in any group."), code="not_grouped")
    if not 0 <= to_group < len(groups) or to_group == source:
        raise DomainError(_("Choose another group."), code="bad_group", field="to_group")
    groups[source].remove(registration.pk)
    groups[to_group].append(registration.pk)
    sizes = grouping.computed_sizes or [len(g) for g in grouping.groups]
    if len(groups[to_group]) > sizes[to_group] + 1 or len(groups[source]) < max(1, sizes[source] - 1):
        raise DomainError(
            _("That would make the groups too uneven: move someone back the other way first."), code="uneven"
        )
    problems = group_problems(grouping, groups)
    if problems:
        messages = {
            "same_agency": _("Two people of the same agency would share a group."),
            "apart": _("This would put together two people the facilitator keeps apart."),
            "together": _("This would split a pair the facilitator keeps together."),
        }
        raise DomainError(messages[problems[0]], code=problems[0])
    with transaction.atomic():
        grouping.groups = groups
        grouping.save(update_fields=["groups"])
        if grouping.state == PlanState.PUBLISHED:
            ledger.record(
                kind=EventEntry.GROUP_MOVED,
                subject=f"event:{event.pk}",
                actor_id=actor.pk,
                data={
                    "session": grouping.session_id,
                    "member": entries.group_member(event.pk, registration.user_id),
                    "from": source + 1,
                    "to": to_group + 1,
                },
            )
    return grouping


def publish_groups(*, actor: User, grouping: Grouping) -> Grouping:
    event = grouping.session.event
    _require_organiser(actor, event)
    if not grouping.groups:
        raise DomainError(_("Compute the groups first."), code="not_computed")
    problems = group_problems(grouping, grouping.groups)
    if problems:
        raise DomainError(_("These groups break a hard rule; compute them again."), code=problems[0])
    with transaction.atomic():
        grouping.state, grouping.published_at = PlanState.PUBLISHED, timezone.now()
        grouping.save(update_fields=["state", "published_at"])
        ledger.record(
            kind=EventEntry.GROUPS_FORMED,
            subject=f"event:{event.pk}",
            actor_id=actor.pk,
            data={
                "session": grouping.session_id,
                "sizes": [len(g) for g in grouping.groups],
                "attributes": grouping.attributes,
                "separate_agencies": grouping.separate_agencies,
                "objective": round(grouping.objective or 0.0, 6),
            },
            commitments={"groups": entries.groups_text(event.pk, grouping.groups)},
        )
    return grouping


# ---------------------------------------------------------------- World Cafe


CAFE_ATTRIBUTES = ("level", "grade_band", "region", "job_family")


def configure_rotation(
    *,
    actor: User,
    session: Session,
    rounds: int,
    round_minutes: int = 20,
    seconds: float = 3.0,
    tables: int | None = None,
) -> Rotation:
    """`tables`: how many of the event's tables (the first by number) this session uses; None = all."""
    _require_organiser(actor, session.event)
    have = session.event.tables.count()
    if tables is not None and not 2 <= tables <= max(have, 2):
        raise DomainError(
            _("This session can use 2 to %(n)d tables (the event has %(n)d).") % {"n": have},
            code="bad_tables",
            field="tables",
        )
    if session.kind != SessionKind.CAFE:
        raise DomainError(_("A rotation belongs to a World Cafe session."), code="wrong_kind")
    if not 1 <= rounds <= MAX_ROUNDS:
        raise DomainError(_("Between 1 and 12 rounds."), code="bad_rounds", field="rounds")
    if not 1 <= round_minutes <= 240:
        raise DomainError(_("A round lasts 1 to 240 minutes."), code="bad_minutes", field="round_minutes")
    rotation, _created = Rotation.objects.update_or_create(
        session=session,
        defaults={
            "rounds": rounds,
            "round_minutes": round_minutes,
            "seconds": max(0.1, min(float(seconds), 30.0)),
            "tables": tables,
        },
    )
    return rotation


def start_rotation(*, actor: User, rotation: Rotation) -> Any:
    _require_organiser(actor, rotation.session.event)
    return jobs.enqueue(
        kind="events.compute",
        params={"task": "rotation", "id": rotation.pk},
        actor=actor,
        subject=f"rotation:{rotation.pk}",
    )


def _session_tables(rotation: Rotation) -> int:
    have = rotation.session.event.tables.count()
    return min(rotation.tables, have) if rotation.tables else have


def _cafe_inputs(rotation: Rotation, regs: Sequence[Registration]) -> tuple[dict[int, int], list[tuple[int, int]], Any]:
    tables = list(rotation.session.event.tables.order_by("number"))[: _session_tables(rotation)]
    idx = {r.user_id: i for i, r in enumerate(regs)}
    hosts = {idx[t.host_id]: k for k, t in enumerate(tables) if t.host_id in idx}
    return hosts, same_agency_pairs(regs), diversity(regs, CAFE_ATTRIBUTES)


def compute_rotation(*, rotation_id: int, progress: Progress = _nothing) -> Rotation:
    rotation = Rotation.objects.select_related("session__event").get(pk=rotation_id)
    n_tables = _session_tables(rotation)
    regs = present(rotation.session)
    if n_tables < 2 or len(regs) < 2 * n_tables:
        raise DomainError(_("A World Cafe needs at least two tables and two people per table."), code="too_small")
    hosts, cannot, div = _cafe_inputs(rotation, regs)
    progress(0, 2, str(_("Planning the rounds")))
    res = rotation_solver.solve(
        len(regs),
        n_tables,
        rotation.rounds,
        cannot_link=cannot,
        hosts=hosts,
        diversity=div,
        seconds=rotation.seconds,
        seed=rotation.version,
    )
    progress(1, 2, str(_("Checking the plan")))
    verdict = rotation_solver.check(res.plan, cannot, hosts, people=range(len(regs)))
    if not verdict.ok:
        raise DomainError(
            _("No rotation keeps every hard rule with these tables; add tables or change the hosts."), code="infeasible"
        )
    rotation.plan = [[[regs[p].pk for p in t] for t in rd] for rd in res.plan]
    rotation.hosts = {str(t): regs[p].pk for p, t in hosts.items()}
    rotation.repeated_pairs, rotation.same_table = verdict.repeated_pairs, verdict.same_table
    rotation.state, rotation.computed_at, rotation.published_at = PlanState.DRAFT, timezone.now(), None
    rotation.current_round, rotation.round_started_at, rotation.last_replan = None, None, {}
    rotation.version += 1
    rotation.save()
    progress(2, 2, str(_("Checking the plan")))
    return rotation


def publish_rotation(*, actor: User, rotation: Rotation) -> Rotation:
    event = rotation.session.event
    _require_organiser(actor, event)
    if not rotation.plan:
        raise DomainError(_("Compute the rotation first."), code="not_computed")
    with transaction.atomic():
        rotation.state, rotation.published_at = PlanState.PUBLISHED, timezone.now()
        rotation.save(update_fields=["state", "published_at"])
        ledger.record(
            kind=EventEntry.ROTATION_PUBLISHED,
            subject=f"event:{event.pk}",
            actor_id=actor.pk,
            data={
                "session": rotation.session_id,
                "version": rotation.version,
                "rounds": len(rotation.plan),
                "tables": len(rotation.plan[0]),
                "repeated_pairs": rotation.repeated_pairs,
            },
            commitments={"plan": json.dumps(rotation.plan)},
        )
    return rotation


def start_round(*, actor: User, rotation: Rotation, round_no: int) -> Rotation:
    """The facilitator starts a round (0-based); the projector counts down to its end."""
    _require_organiser(actor, rotation.session.event)
    if rotation.state != PlanState.PUBLISHED:
        raise DomainError(_("Publish the rotation before starting a round."), code="not_published")
    if not 0 <= round_no < len(rotation.plan):
        raise DomainError(_("There is no such round."), code="bad_round", field="round")
    rotation.current_round, rotation.round_started_at = round_no, timezone.now()
    rotation.save(update_fields=["current_round", "round_started_at"])
    return rotation


def start_replan(
    *, actor: User, rotation: Rotation, from_round: int, absent: Iterable[Registration], arrived: Iterable[Registration]
) -> Any:
    _require_organiser(actor, rotation.session.event)
    if not rotation.plan:
        raise DomainError(_("Compute the rotation first."), code="not_computed")
    if not 0 <= from_round < len(rotation.plan):
        raise DomainError(_("There is no such round."), code="bad_round", field="from_round")
    seated = {p for t in rotation.plan[0] for p in t}
    absent_ids = sorted({r.pk for r in absent})
    arrived_ids = sorted({r.pk for r in arrived})
    if not set(absent_ids) <= seated:
        raise DomainError(_("Only people in the plan can be absent."), code="bad_absent", field="absent")
    confirmed = set(rotation.session.event.registrations.filter(state=RegState.CONFIRMED).values_list("pk", flat=True))
    if set(arrived_ids) & seated or not set(arrived_ids) <= confirmed:
        raise DomainError(
            _("Late arrivals are confirmed participants not yet in the plan."), code="bad_arrived", field="arrived"
        )
    if not absent_ids and not arrived_ids:
        raise DomainError(_("Mark who is absent or who arrived late."), code="nothing_changed")
    return jobs.enqueue(
        kind="events.compute",
        params={
            "task": "replan",
            "id": rotation.pk,
            "from_round": from_round,
            "absent": absent_ids,
            "arrived": arrived_ids,
        },
        actor=actor,
        subject=f"rotation:{rotation.pk}",
    )


def compute_replan(
    *,
    rotation_id: int,
    from_round: int,
    absent: list[int],
    arrived: list[int],
    actor_id: int | None = None,
    progress: Progress = _nothing,
) -> Rotation:
    rotation = Rotation.objects.select_related("session__event").get(pk=rotation_id)
    event = rotation.session.event
    in_plan = sorted({p for rd in rotation.plan for t in rd for p in t})
    order = in_plan + [a for a in arrived if a not in in_plan]
    regs_by_pk = {r.pk: r for r in event.registrations.select_related("agency")}
    regs = [regs_by_pk[pk] for pk in order]
    idx = {pk: i for i, pk in enumerate(order)}
    old = [[[idx[p] for p in t] for t in rd] for rd in rotation.plan]
    hosts = {idx[int(pk)]: int(t) for t, pk in rotation.hosts.items() if int(pk) not in absent and int(pk) in idx}
    cannot = same_agency_pairs(regs)
    progress(0, 1, str(_("Re-planning the remaining rounds")))
    res = rotation_solver.replan(
        old,
        from_round,
        absent=[idx[a] for a in absent],
        arrived=[idx[a] for a in arrived],
        cannot_link=cannot,
        hosts=hosts,
        diversity=diversity(regs, CAFE_ATTRIBUTES),
        seconds=min(rotation.seconds, 2.0),
        seed=rotation.version,
    )
    if res.violations:
        raise DomainError(_("No re-plan keeps every hard rule; add a table or change the hosts."), code="infeasible")
    new_plan = [[[order[p] for p in t] for t in rd] for rd in res.plan]
    changes = []
    for r in range(from_round, len(new_plan)):
        before = {p: t for t, members in enumerate(rotation.plan[r]) for p in members}
        after = {p: t for t, members in enumerate(new_plan[r]) for p in members}
        for p in sorted(set(before) | set(after)):
            if before.get(p) != after.get(p):
                changes.append([r, p, before.get(p), after.get(p)])
    with transaction.atomic():
        rotation.plan = new_plan
        rotation.repeated_pairs, rotation.same_table = res.repeated_pairs, res.same_table
        rotation.hosts = {str(t): order[p] for p, t in hosts.items()}
        rotation.last_replan = {
            "from_round": from_round,
            "absent": absent,
            "arrived": arrived,
            "changes": changes,
            "changed_seats": res.changed_seats,
            "at": timezone.now().isoformat(timespec="seconds"),
        }
        rotation.version += 1
        rotation.save()
        if rotation.state == PlanState.PUBLISHED:
            ledger.record(
                kind=EventEntry.ROTATION_REPLANNED,
                subject=f"event:{event.pk}",
                actor_id=actor_id,
                data={
                    "session": rotation.session_id,
                    "version": rotation.version,
                    "from_round": from_round,
                    "absent": len(absent),
                    "arrived": len(arrived),
                    "changed_seats": res.changed_seats,
                    "repeated_pairs": res.repeated_pairs,
                },
                commitments={"plan": json.dumps(new_plan)},
            )
    progress(1, 1, str(_("Re-planning the remaining rounds")))
    return rotation


# ---------------------------------------------------------------- Open Space


def post_topic(*, actor: User, event: Event, title: str, description: str = "") -> Topic:
    if not rules.can_use_market(actor, event):
        raise Forbidden(_("Only participants post topics on the marketplace."))
    return Topic.objects.create(
        event=event,
        convener=actor,
        title=_text(title, "title", 200),
        description=_text(description, "description", 2000, False),
    )


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


def market_of(event: Event) -> Any:
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


def start_schedule(*, actor: User, event: Event) -> Any:
    _require_organiser(actor, event)
    schedule, _created = Schedule.objects.get_or_create(event=event)
    return jobs.enqueue(
        kind="events.compute",
        params={"task": "schedule", "id": schedule.pk},
        actor=actor,
        subject=f"schedule:{schedule.pk}",
    )


def _market_error(exc: Exception) -> DomainError:
    return DomainError(_("The marketplace cannot be scheduled: %(why)s") % {"why": str(exc)}, code="infeasible")


def compute_schedule(*, schedule_id: int, progress: Progress = _nothing) -> Schedule:
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


def _as_solver_schedule(schedule: Schedule) -> Any:
    return openspace.Schedule(
        {int(t): (c[0], c[1]) for t, c in schedule.placements.items()}, tuple(schedule.unscheduled)
    )


def move_topic(*, actor: User, schedule: Schedule, topic: Topic, room: Room, session: Session) -> Schedule:
    """The facilitator moves a topic by hand; the solver re-fits the others, moving as few as it can."""
    event = schedule.event
    _require_organiser(actor, event)
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
    _require_organiser(actor, event)
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
            commitments={"titles": json.dumps(dict(event.topics.values_list("pk", "title")), ensure_ascii=False)},
        )
    return schedule


def check_in_to_topic(*, actor: User, topic: Topic) -> TopicCheckIn:
    """Join a session of the published schedule; moving to another topic of the same slot is a new check-in."""
    event = topic.event
    if not rules.can_use_market(actor, event):
        raise Forbidden(_("Only participants check in to sessions."))
    schedule = Schedule.objects.filter(event=event, state=PlanState.PUBLISHED).first()
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


# ---------------------------------------------------------------- method boards

MAX_ITEM_TEXT = 2000
MAX_CAPTION = 300
# A phone photo of a poster is a few MB; the cap keeps a table's jam wall light to load.
MAX_PHOTO_BYTES = 8 * 1024 * 1024
MAX_DOTS = 20


def create_board(
    *,
    actor: User,
    session: Session,
    kind: str,
    title: str,
    prompt: str = "",
    group: int | None = None,
    table: Table | None = None,
    round_no: int | None = None,
    dots_per_person: int = 3,
) -> Board:
    event = session.event
    _require_organiser(actor, event)
    if kind not in BoardKind.values:
        raise DomainError(_("Choose a method."), code="bad_kind", field="kind")
    if table is not None and table.event_id != event.pk:
        raise DomainError(_("That table belongs to another event."), code="foreign", field="table")
    if group is not None:
        grouping = Grouping.objects.filter(session__event=event).exclude(groups=[]).order_by("-published_at").first()
        if group < 1 or (grouping is not None and group > len(grouping.groups)):
            raise DomainError(_("There is no such group."), code="bad_group", field="group")
    if round_no is not None and (kind != BoardKind.HARVEST or not 1 <= round_no <= MAX_ROUNDS):
        raise DomainError(_("Only harvest notes have a round, from 1 to 12."), code="bad_round", field="round_no")
    if not 1 <= dots_per_person <= MAX_DOTS:
        raise DomainError(_("Between 1 and 20 dots per person."), code="bad_dots", field="dots_per_person")
    return Board.objects.create(
        event=event,
        session=session,
        kind=kind,
        title=_text(title, "title", 200),
        prompt=_text(prompt, "prompt", MAX_ITEM_TEXT, False),
        group=group,
        table=table,
        round_no=round_no,
        dots_per_person=dots_per_person,
        created_by=actor,
    )


def close_board(*, actor: User, board: Board) -> Board:
    _require_organiser(actor, board.event)
    board.closed_at = board.closed_at or timezone.now()
    board.save(update_fields=["closed_at"])
    return board


def _require_post(actor: User, board: Board) -> None:
    if not rules.can_post_on_board(actor, board):
        raise Forbidden(_("Only participants write on an open board while the event runs."))


def post_item(
    *, actor: User, board: Board, text: str, anonymous: bool = False, turns: BoardItem | None = None
) -> BoardItem:
    """A note; on a reverse-brainstorming board, a way to make the problem worse, or (with
    `turns`) a fix that turns one of them around."""
    _require_post(actor, board)
    if board.kind == BoardKind.JAM:
        raise DomainError(_("A graphic jam takes photos: upload one with a caption."), code="needs_photo")
    kind = ItemKind.NOTE
    if turns is not None:
        if (
            board.kind != BoardKind.REVERSE
            or turns.board_id != board.pk
            or turns.kind != ItemKind.WORSE
            or turns.removed_at
        ):
            raise DomainError(
                _("A fix turns around a way of making it worse on the same board."), code="bad_turns", field="turns"
            )
        kind = ItemKind.FIX
    elif board.kind == BoardKind.REVERSE:
        kind = ItemKind.WORSE
    text = _text(text, "text", MAX_ITEM_TEXT)
    return BoardItem.objects.create(
        board=board,
        kind=kind,
        text=text,
        search_terms=korean.index_terms(text),
        turns=turns,
        author=actor,
        anonymous=anonymous,
    )


def add_photo(*, actor: User, board: Board, upload: Any, caption: str, anonymous: bool = False) -> BoardItem:
    """A photo of the table's visual, checked by type, size and a full decode before it is stored."""
    _require_post(actor, board)
    if board.kind != BoardKind.JAM:
        raise DomainError(_("Photos go on graphic jam boards."), code="not_jam")
    caption = _text(caption, "caption", MAX_CAPTION)
    if upload is None or upload.size is None or upload.size > MAX_PHOTO_BYTES:
        raise DomainError(
            _("The file is too large: at most %(mb)d MB.") % {"mb": MAX_PHOTO_BYTES // (1024 * 1024)},
            code="too_large",
            field="file",
        )
    checked = check_upload(upload, images_only=True)
    with transaction.atomic():
        item = BoardItem(
            board=board,
            kind=ItemKind.PHOTO,
            text=caption,
            search_terms=korean.index_terms(caption),
            author=actor,
            anonymous=anonymous,
            extension=checked.extension,
            content_type=checked.content_type,
        )
        item.photo.save("photo", ContentFile(checked.data), save=False)
        item.save()
    return item


def remove_item(*, actor: User, item: BoardItem) -> BoardItem:
    if item.author_id != actor.pk and not rules.is_organiser(actor, item.board.event):
        raise Forbidden(_("Only the author or an organiser removes a contribution."))
    item.removed_at = item.removed_at or timezone.now()
    item.save(update_fields=["removed_at"])
    return item


def dots_left(board: Board, user: Any) -> int:
    used = (
        Dot.objects.filter(item__board=board, user_id=getattr(user, "pk", None)).aggregate(n=models_sum("count"))["n"]
        or 0
    )
    return max(board.dots_per_person - used, 0)


def models_sum(field: str) -> Any:
    from django.db.models import Sum

    return Sum(field)


def _dot_item(actor: User, item: BoardItem) -> Board:
    board = item.board
    _require_post(actor, board)
    if board.kind != BoardKind.DOTS:
        raise DomainError(_("Dots go on dot-voting boards."), code="not_dots")
    return board


def place_dot(*, actor: User, item: BoardItem) -> int:
    """One more dot on `item`; returns the dots the actor has left."""
    board = _dot_item(actor, item)
    if item.removed_at:
        raise DomainError(_("This item was removed."), code="removed")
    with transaction.atomic():
        Board.objects.select_for_update(of=("self",)).filter(pk=board.pk).first()  # one count-and-place at a time
        if dots_left(board, actor) < 1:
            raise DomainError(_("You have placed all your dots: move one instead."), code="no_dots_left")
        row = Dot.objects.filter(item=item, user=actor).first()
        if row is None:
            Dot.objects.create(item=item, user=actor, count=1)
        else:
            Dot.objects.filter(pk=row.pk).update(count=row.count + 1)
        return dots_left(board, actor)


def remove_dot(*, actor: User, item: BoardItem) -> int:
    board = _dot_item(actor, item)
    with transaction.atomic():
        row = Dot.objects.select_for_update(of=("self",)).filter(item=item, user=actor).first()
        if row is None:
            raise DomainError(_("You have no dot on this item."), code="no_dot")
        if row.count > 1:
            Dot.objects.filter(pk=row.pk).update(count=row.count - 1)
        else:
            row.delete()
        return dots_left(board, actor)


def move_dot(*, actor: User, from_item: BoardItem, to_item: BoardItem) -> int:
    if from_item.board_id != to_item.board_id:
        raise DomainError(_("Move dots within one board."), code="foreign")
    with transaction.atomic():
        remove_dot(actor=actor, item=from_item)
        return place_dot(actor=actor, item=to_item)


def add_supplement(*, actor: User, board: Board, body: str, anonymous: bool = False) -> Supplement:
    """Day two: others add to a group's results in the gallery."""
    if not rules.can_use_market(actor, board.event):
        raise Forbidden(_("Only participants comment in the gallery while the event runs."))
    body = _text(body, "body", MAX_ITEM_TEXT)
    return Supplement.objects.create(
        board=board, body=body, search_terms=korean.index_terms(body), author=actor, anonymous=anonymous
    )


def create_task(
    *,
    actor: User,
    event: Event,
    title: str,
    description: str = "",
    board: Board | None = None,
    item: BoardItem | None = None,
    group: int | None = None,
) -> Task:
    _require_organiser(actor, event)
    if board is not None and board.event_id != event.pk:
        raise DomainError(_("That board belongs to another event."), code="foreign", field="board")
    if item is not None and (board is None or item.board_id != board.pk):
        raise DomainError(_("That item is not on this board."), code="foreign", field="item")
    return Task.objects.create(
        event=event,
        title=_text(title, "title", 200),
        description=_text(description, "description", 10_000, False),
        board=board,
        item=item,
        group=group if group is not None else (board.group if board else None),
        created_by=actor,
    )


def agree_task(*, actor: User, task: Task) -> Task:
    _require_organiser(actor, task.event)
    if task.agreed_at:
        return task
    with transaction.atomic():
        task.agreed_at = timezone.now()
        task.save(update_fields=["agreed_at"])
        ledger.record(
            kind=EventEntry.TASK_AGREED,
            subject=f"event:{task.event_id}",
            actor_id=actor.pk,
            data={"task": task.pk, "group": task.group, "board": task.board_id},
            commitments={"title": task.title},
        )
    return task


# ---------------------------------------------------------------- judging


@dataclass(frozen=True)
class CriterionIn:
    name: str
    weight: int = 1
    max_score: int = 5


def create_judging(
    *,
    actor: User,
    event: Event,
    of: str,
    title: str,
    criteria: Sequence[CriterionIn],
    jury_percent: int = 70,
    votes_per_person: int = 1,
    session: Session | None = None,
) -> Judging:
    """Open a contest with its published method; the candidates are the event's tasks or its groups."""
    _require_organiser(actor, event)
    if of not in JudgingOf.values:
        raise DomainError(_("Choose what is judged."), code="bad_of", field="of")
    if not criteria or any(
        not c.name.strip() or not 1 <= c.weight <= 100 or not 1 <= c.max_score <= 100 for c in criteria
    ):
        raise DomainError(
            _("Give at least one criterion, each with a weight and a highest score from 1 to 100."),
            code="bad_criteria",
            field="criteria",
        )
    if not 0 <= jury_percent <= 100:
        raise DomainError(_("A share is between 0 and 100 percent."), code="bad_share", field="jury_percent")
    if not 1 <= votes_per_person <= 10:
        raise DomainError(_("Between 1 and 10 votes per participant."), code="bad_votes", field="votes_per_person")
    if of == JudgingOf.TASKS:
        cands = [(t, None, t.title) for t in event.tasks.all()]
    else:
        numbers = sorted({g for g in event.boards.exclude(group=None).values_list("group", flat=True)})
        cands = [(None, g, str(_("Group %(n)d") % {"n": g})) for g in numbers]
    if not cands:
        raise DomainError(_("There is nothing to judge yet: add tasks or group boards first."), code="no_candidates")
    with transaction.atomic():
        judging = Judging.objects.create(
            event=event,
            session=session,
            of=of,
            title=_text(title, "title", 200),
            jury_percent=jury_percent,
            votes_per_person=votes_per_person,
        )
        Criterion.objects.bulk_create(
            [
                Criterion(judging=judging, name=c.name.strip()[:100], weight=c.weight, max_score=c.max_score)
                for c in criteria
            ]
        )
        Candidate.objects.bulk_create(
            [Candidate(judging=judging, task=t, group=g, label=label[:200]) for t, g, label in cands]
        )
        ledger.record(
            kind=EventEntry.JUDGING_OPENED,
            subject=f"event:{event.pk}",
            actor_id=actor.pk,
            data={
                "judging": judging.pk,
                "of": of,
                "jury_percent": jury_percent,
                "votes_per_person": votes_per_person,
                "criteria": [[c.name, c.weight, c.max_score] for c in criteria],
                "candidates": len(cands),
            },
        )
    return judging


def assign_jurors(*, actor: User, judging: Judging, users: Iterable[User]) -> list[User]:
    _require_organiser(actor, judging.event)
    if judging.state != JudgingState.OPEN:
        raise DomainError(_("The results are published: the jury is fixed."), code="published")
    chosen = list({u.pk: u for u in users}.values())
    with transaction.atomic():
        judging.jurors.exclude(user__in=chosen).delete()
        for u in chosen:
            Juror.objects.get_or_create(judging=judging, user=u)
    return chosen


def check_can_score(*, actor: User, judging: Judging) -> None:
    """Raised before a scorecard's contents are even read: a stranger learns nothing from them."""
    if not rules.can_score(actor, judging):
        raise Forbidden(_("Only the jury scores, while the judging is open."))


def score_candidate(*, actor: User, candidate: Candidate, values: dict[int, int]) -> list[Score]:
    """A juror's scorecard for one candidate: a score for every criterion of the rubric."""
    judging = candidate.judging
    check_can_score(actor=actor, judging=judging)
    criteria = list(judging.criteria.all())
    if set(values) != {c.pk for c in criteria}:
        raise DomainError(_("Score every criterion of the rubric."), code="incomplete", field="scores")
    for c in criteria:
        if not 0 <= values[c.pk] <= c.max_score:
            raise DomainError(
                _("A score is between 0 and the criterion's highest score."), code="out_of_range", field="scores"
            )
    with transaction.atomic():
        out = []
        for c in criteria:
            row, _new = Score.objects.update_or_create(
                candidate=candidate, juror=actor, criterion=c, defaults={"value": values[c.pk]}
            )
            out.append(row)
    return out


def cast_vote(*, actor: User, candidate: Candidate) -> Vote:
    judging = candidate.judging
    if not rules.can_vote(actor, judging):
        raise Forbidden(_("Only participants vote, while the judging is open."))
    with transaction.atomic():
        Judging.objects.select_for_update(of=("self",)).filter(pk=judging.pk).first()
        if Vote.objects.filter(candidate=candidate, user=actor).exists():
            raise DomainError(_("You already voted for this one."), code="already_voted")
        if Vote.objects.filter(candidate__judging=judging, user=actor).count() >= judging.votes_per_person:
            raise DomainError(_("You have used all your votes: take one back first."), code="no_votes_left")
        return Vote.objects.create(candidate=candidate, user=actor)


def withdraw_vote(*, actor: User, candidate: Candidate) -> None:
    if not rules.can_vote(actor, candidate.judging):
        raise Forbidden(_("Only participants vote, while the judging is open."))
    Vote.objects.filter(candidate=candidate, user=actor).delete()


def publish_results(*, actor: User, judging: Judging) -> Judging:
    """Freeze the scores and votes, publish the ranking with the method, and log every score."""
    from madang.events.selectors import judging_results

    _require_organiser(actor, judging.event)
    if judging.state != JudgingState.OPEN:
        raise DomainError(_("The results are already published."), code="published")
    with transaction.atomic():
        Judging.objects.select_for_update(of=("self",)).filter(pk=judging.pk).first()
        results = judging_results(judging)
        judging.results = [r.as_dict() for r in results]
        judging.state, judging.published_at = JudgingState.PUBLISHED, timezone.now()
        judging.save(update_fields=["results", "state", "published_at"])
        ledger.record(
            kind=EventEntry.JUDGING_PUBLISHED,
            subject=f"event:{judging.event_id}",
            actor_id=actor.pk,
            data=entries.published_body(judging),
        )
    return judging


def give_award(*, actor: User, judging: Judging, candidate: Candidate, title: str) -> Award:
    _require_organiser(actor, judging.event)
    if judging.state != JudgingState.PUBLISHED:
        raise DomainError(_("Publish the results before giving awards."), code="not_published")
    if candidate.judging_id != judging.pk:
        raise DomainError(_("That candidate is in another judging."), code="foreign", field="candidate")
    with transaction.atomic():
        award = Award.objects.create(
            judging=judging, candidate=candidate, title=_text(title, "title", 100), awarded_by=actor
        )
        ledger.record(
            kind=EventEntry.AWARD,
            subject=f"event:{judging.event_id}",
            actor_id=actor.pk,
            data=entries.award_body(award),
        )
    return award


# ---------------------------------------------------------------- outcomes: tasks to every participating agency


def participating_agencies(event: Event) -> list[Organisation]:
    ids = event.registrations.filter(state=RegState.CONFIRMED).exclude(agency=None).values_list("agency_id", flat=True)
    return list(Organisation.objects.filter(pk__in=set(ids)).order_by("name", "pk"))


def receiving_department(agency: Organisation) -> Organisation | None:
    """Where an agency receives a task: its first department with a liaison, else its first department."""
    # The subtree of a province holds its cities too: keep only the departments of this agency.
    depts = [
        d
        for d in Organisation.objects.filter(
            path__startswith=agency.path, kind=OrgKind.DEPARTMENT, is_active=True
        ).order_by("path")
        if d.agency().pk == agency.pk
    ]
    with_liaison = set(
        RoleGrant.objects.filter(role=Role.LIAISON, organisation__in=[agency, *depts]).values_list(
            "organisation_id", flat=True
        )
    )
    if agency.pk in with_liaison and depts:
        return depts[0]
    return next((d for d in depts if d.pk in with_liaison), depts[0] if depts else None)


def send_task(*, actor: User, task: Task, call: Any, answer_due: date) -> list[Any]:
    """An agreed task becomes a submitted proposal in `call` and is routed to every agency that
    took part; each agency's liaison answers through the follow-through by `answer_due`."""
    event = task.event
    _require_organiser(actor, event)
    if task.agreed_at is None:
        raise DomainError(_("Only agreed tasks are sent to the agencies."), code="not_agreed")
    if task.proposal_id is not None:
        raise DomainError(_("This task has already been sent."), code="already_sent")
    # The call decides where its proposals may go (calls.selectors.routable_departments): check
    # every agency before anything is written, so a task is never half-sent.
    reachable = set(routable_departments(call).values_list("pk", flat=True))
    beyond = [
        a.name
        for a in participating_agencies(event)
        if (d := receiving_department(a)) is not None and d.pk not in reachable
    ]
    if beyond:
        raise DomainError(
            _("This call cannot route proposals to %(agencies)s: choose a call open to every participating agency.")
            % {"agencies": ", ".join(beyond)},
            code="unreachable_agencies",
            field="call",
        )
    origin = _("From %(event)s, group %(group)s, board %(board)s.") % {
        "event": event.title,
        "group": task.group or "—",
        "board": task.board.title if task.board else "—",
    }
    with transaction.atomic():
        proposal = calls.create_proposal(
            actor=actor,
            call=call,
            fields=calls.ProposalFields(
                title=task.title,
                problem=f"<p>{escape(task.description or task.title)}</p>",
                solution=f"<p>{escape(str(origin))}</p>",
            ),
        )
        proposal = calls.submit_proposal(actor=actor, proposal=proposal)
        task.proposal = proposal
        task.save(update_fields=["proposal"])
        routings, unreachable = [], []
        for agency in participating_agencies(event):
            dept = receiving_department(agency)
            if dept is None:
                unreachable.append(agency.pk)
                continue
            routings.append(
                followup.route_proposal(
                    actor=actor, proposal=proposal, department=dept, answer_due=answer_due, note=str(origin)
                )
            )
        ledger.record(
            kind=EventEntry.TASK_SENT,
            subject=f"event:{event.pk}",
            actor_id=actor.pk,
            data={
                "task": task.pk,
                "proposal": proposal.pk,
                "answer_due": answer_due.isoformat(),
                "routings": [[r.department_id, r.pk] for r in routings],
                "unreachable": unreachable,
            },
        )
    return routings
