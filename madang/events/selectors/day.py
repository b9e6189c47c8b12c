"""The day itself: what the projector shows, who sits where (now, and round by round in a World
Cafe), one person's itinerary."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypedDict

from django.utils import timezone
from django.utils.translation import gettext as _

from madang.events.models import (
    Event,
    Grouping,
    PlanState,
    Registration,
    Rotation,
    Session,
    SessionKind,
    Table,
    TopicCheckIn,
)
from madang.privacy import exposure


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
    for rotation in (
        Rotation.objects.filter(
            session__event=event,
            state=PlanState.PUBLISHED,
            current_round__isnull=False,
        )
        .select_related("session")
        .order_by("-round_started_at")
    ):
        assert rotation.round_started_at is not None and rotation.current_round is not None
        ends = rotation.round_started_at + timedelta(minutes=rotation.round_minutes)
        if at < ends + timedelta(minutes=30):
            return Now(rotation.session, rotation, rotation.current_round, ends, None)
    running = event.sessions.filter(starts_at__lte=at, ends_at__gt=at).select_related("room").first()
    upcoming = event.sessions.filter(starts_at__gt=at).order_by("starts_at").first()
    return Now(running, None, None, running.ends_at if running else None, upcoming)


@dataclass
class Seat:
    name: str
    agency: str  # shown only where the name is not unique in the picture
    host: bool = False
    me: bool = False


@dataclass
class SeatTable:
    label: str
    seats: list[Seat]


def seat_of(reg: Registration, *, twice: set[str], host: bool = False, me: Any = None) -> Seat:
    """A seat on a table card; a name that appears twice in the picture carries its agency."""
    name = reg.user.display_name
    agency = reg.agency.name if reg.agency is not None and name in twice else ""
    return Seat(name, agency, host, me is not None and reg.user_id == getattr(me, "pk", None))


def seating(event: Event, now: Now, *, me: Any = None) -> tuple[str, list[SeatTable]]:
    """Who sits where right now (the running World Cafe round, or the published groups of a running
    groups session), host first; a name that appears twice carries its agency."""
    if now.session is None:
        return "", []
    regs = {r.pk: r for r in event.registrations.select_related("user", "agency")}
    raw: list[tuple[str, list[int], int | None]] = []
    if now.rotation is not None and now.round_no is not None:
        tables = list(event.tables.order_by("number"))
        hosts = {int(t): pk for t, pk in now.rotation.hosts.items()}
        for t, members in enumerate(now.rotation.plan[now.round_no]):
            raw.append((str(tables[t].number) if t < len(tables) else str(t + 1), list(members), hosts.get(t)))
        title = _("Table plan, round %(n)d") % {"n": now.round_no + 1}
    elif now.session.kind == SessionKind.GROUPS:
        grouping = Grouping.objects.filter(session=now.session, state=PlanState.PUBLISHED).first()
        if grouping is None:
            return "", []
        raw = [(str(g + 1), list(members), None) for g, members in enumerate(grouping.groups)]
        title = _("Discussion groups")
    else:
        return "", []
    names = [regs[p].user.display_name for _l, members, _h in raw for p in members if p in regs]
    twice = {n for n in names if names.count(n) > 1}
    out = []
    for label, members, host in raw:
        seats = [seat_of(regs[p], twice=twice, host=p == host, me=me) for p in members if p in regs]
        seats.sort(key=lambda s: (not s.host, s.name, s.agency))
        out.append(SeatTable(label, seats))
    return title, out


class ReplanChange(TypedDict):
    round: int  # 1-based
    who: str
    before: str  # the table, or "—"
    after: str


class RotationCards(TypedDict):
    tables: list[Table]
    rounds: list[list[SeatTable]]
    changes: list[ReplanChange]  # what the last re-plan moved
    my_tables: list[str | None]  # the viewer's table each round; empty when they sit at none


def rotation_cards(event: Event, rotation: Rotation, me: Any) -> RotationCards:
    """Each round of a World Cafe as table cards (a name that appears twice among the registrations
    carries its agency), and the viewer's own table in each round to show first and large."""
    regs = {r.pk: r for r in event.registrations.select_related("user", "agency")}
    tables = list(event.tables.order_by("number"))
    names = [r.user.display_name for r in regs.values()]
    twice = {n for n in names if names.count(n) > 1}

    def label(t: int) -> str:
        return str(tables[t]) if t < len(tables) else str(t + 1)

    rounds = [
        [
            SeatTable(label(t), [seat_of(regs[p], twice=twice, me=me) for p in members if p in regs])
            for t, members in enumerate(rd)
        ]
        for rd in rotation.plan
    ]
    mine = [next((t.label for t in rd if any(s.me for s in t.seats)), None) for rd in rounds]
    changes = [
        ReplanChange(
            round=r + 1,
            who=regs[p].user.display_name,
            before=str(tables[a]) if a is not None else "—",
            after=str(tables[b]) if b is not None else "—",
        )
        for r, p, a, b in rotation.last_replan.get("changes", [])
    ]
    return RotationCards(tables=tables, rounds=rounds, changes=changes, my_tables=mine if any(mine) else [])


@dataclass
class Stop:
    session: Session
    text: str
    detail: list[str] = field(default_factory=list)


def itinerary(event: Event, reg: Registration) -> list[Stop]:
    """Where one person goes, session by session: their group, their table each round, the Open
    Space sessions they checked in to."""
    stops = []
    groupings = {g.session_id: g for g in Grouping.objects.filter(session__event=event, state=PlanState.PUBLISHED)}
    rotations = {r.session_id: r for r in Rotation.objects.filter(session__event=event, state=PlanState.PUBLISHED)}
    tables = list(event.tables.order_by("number"))
    checked = {
        c.session_id: exposure.shown(c.topic.title)  # printed too: as any other reader sees it
        for c in TopicCheckIn.objects.filter(session__event=event, user=reg.user).select_related("topic")
    }
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
