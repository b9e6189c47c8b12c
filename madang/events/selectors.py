"""Reads for events. `access_*` answers "not found" both for what is missing and for what the
user may not reach."""

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from madang.core import fulltext, params
from madang.core.errors import NotFound
from madang.events import rules
from madang.events.models import (
    Board,
    BoardItem,
    Dot,
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
    Supplement,
    Topic,
    TopicCheckIn,
    Unavailability,
)
from madang.followup.models import AnswerKind, ExecutionState
from madang.people.models import Organisation, OrgKind, Role, RoleGrant, User
from madang.solvers import korean, openspace


def _int(value: Any) -> int:
    return params.id_or_zero(value)


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


def level_of(agency: Organisation | None) -> str:
    if agency is None:
        return "citizen"
    if agency.kind in (OrgKind.MINISTRY, OrgKind.POLICE, OrgKind.FIRE):
        return "central"
    if agency.kind in (OrgKind.PROVINCE, OrgKind.LOCAL):
        return "local"
    return "public"


def agency_of(user: User) -> Organisation | None:
    return user.department.agency() if user.department is not None else None


def junior_places(event: Event) -> int:
    return math.ceil(event.capacity * event.junior_min_percent / 100)


def events_for(user: Any) -> QuerySet[Event]:
    qs = Event.objects.select_related("organisation").annotate(
        confirmed=Count("registrations", filter=Q(registrations__state=RegState.CONFIRMED))
    )
    return qs if rules.can_create_events(user) else qs.exclude(state=EventState.DRAFT)


def registrations(event: Event, q: str = "") -> QuerySet[Registration]:
    """The event's registrations; `q` finds people at the door by name, agency or code (the user
    name on the badge, or the registration number)."""
    qs = event.registrations.select_related("user__department", "agency", "substitute_for__user").order_by(
        "queued_at", "pk"
    )
    for word in str(q or "").split()[:5]:
        word = word[:80]
        match = (
            Q(user__display_name__icontains=word) | Q(agency__name__icontains=word) | Q(user__username__icontains=word)
        )
        if word.isdigit() and len(word) < 10:
            match |= Q(pk=int(word))
        qs = qs.filter(match)
    return qs


@dataclass
class Counts:
    confirmed: int
    waiting: int
    juniors: int
    checked_in: int
    junior_places: int
    per_agency: dict[str, int] = field(default_factory=dict)


def counts(event: Event) -> Counts:
    confirmed = event.registrations.filter(state=RegState.CONFIRMED)
    juniors = confirmed.filter(Q(grade__gte=event.junior_grade) | Q(user__kind="citizen")).count()
    return Counts(
        confirmed=confirmed.count(),
        waiting=event.registrations.filter(state=RegState.WAITING).count(),
        juniors=juniors,
        checked_in=confirmed.exclude(checked_in_at=None).count(),
        junior_places=junior_places(event),
    )


def present(session: Session) -> list[Registration]:
    """Confirmed participants not recorded absent at this session, in a stable order."""
    gone = set(session.no_shows.values_list("registration_id", flat=True))
    regs = session.event.registrations.filter(state=RegState.CONFIRMED).select_related("agency", "user").order_by("pk")
    return [r for r in regs if r.pk not in gone]


def plan_of(session: Session) -> Grouping | Rotation | None:
    if session.kind == SessionKind.GROUPS:
        return Grouping.objects.filter(session=session).first()
    if session.kind == SessionKind.CAFE:
        return Rotation.objects.filter(session=session).first()
    return None


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


def seating(event: Event, now: Now, *, me: Any = None) -> tuple[str, list[SeatTable]]:
    """Who sits where right now (the running World Cafe round, or the published groups of a running
    groups session), host first; a name that appears twice carries its agency."""
    from django.utils.translation import gettext as _

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
        seats = [
            Seat(
                regs[p].user.display_name,
                (regs[p].agency.name if regs[p].agency else "") if regs[p].user.display_name in twice else "",
                p == host,
                me is not None and regs[p].user_id == getattr(me, "pk", None),
            )
            for p in members
            if p in regs
        ]
        seats.sort(key=lambda s: (not s.host, s.name, s.agency))
        out.append(SeatTable(label, seats))
    return title, out


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
    checked = {
        c.session_id: c.topic.title
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


# ---------------------------------------------------------------- boards, judging, outcomes


def access_board(user: Any, event: Event, board_id: Any) -> Any:
    from madang.events.models import Board

    board = Board.objects.select_related("event", "session", "table").filter(event=event, pk=_int(board_id)).first()
    if board is None or not rules.can_see_plans(user, event):
        raise NotFound()
    return board


def access_item(board: Any, item_id: Any) -> Any:
    item = board.items.select_related("board__event").filter(pk=_int(item_id), removed_at=None).first()
    if item is None:
        raise NotFound()
    return item


def access_task(event: Event, task_id: Any) -> Any:
    task = event.tasks.select_related("event", "board", "proposal").filter(pk=_int(task_id)).first()
    if task is None:
        raise NotFound()
    return task


def access_judging(user: Any, event: Event, judging_id: Any) -> Any:
    judging = event.judgings.select_related("event").filter(pk=_int(judging_id)).first()
    if judging is None or not (rules.can_see_plans(user, event) or rules.is_juror(user, judging)):
        raise NotFound()
    return judging


def access_candidate(judging: Any, candidate_id: Any) -> Any:
    c = judging.candidates.select_related("judging__event").filter(pk=_int(candidate_id)).first()
    if c is None:
        raise NotFound()
    return c


def dots_left(board: Board, user: User | AnonymousUser) -> int:
    if not isinstance(user, User):
        return board.dots_per_person  # a visitor has placed none
    used = Dot.objects.filter(item__board=board, user=user).aggregate(n=Sum("count"))["n"] or 0
    return max(board.dots_per_person - used, 0)


def byline(user: Any, contribution: Any, event: Event) -> str:
    """Who wrote it, as this viewer may see it: name and grade, or "a participant"."""
    from django.utils.translation import gettext as _

    if not rules.shows_author(user, contribution, event):
        return _("A participant")
    a = contribution.author
    name = a.display_name
    if a.grade:
        name = _("%(name)s (grade %(grade)d)") % {"name": name, "grade": a.grade}
    if contribution.anonymous:
        name = _("%(name)s, shown to others as a participant") % {"name": name}
    return name


@dataclass
class ItemView:
    item: Any
    by: str
    dots: int = 0
    mine: int = 0
    fixes: list[Any] = field(default_factory=list)


def board_items(user: Any, board: Any) -> list[ItemView]:
    """The board's live items for this viewer; on a reverse board, each way of making it worse
    with its fixes beneath it."""
    from django.db.models import Sum

    items = list(board.items.filter(removed_at=None).select_related("author"))
    totals = dict(board.items.filter(removed_at=None).annotate(n=Sum("dots__count")).values_list("pk", "n"))
    mine = dict(board.items.filter(dots__user_id=getattr(user, "pk", None)).values_list("pk", "dots__count"))
    views = {i.pk: ItemView(i, byline(user, i, board.event), totals.get(i.pk) or 0, mine.get(i.pk) or 0) for i in items}
    top = []
    for i in items:
        if i.turns_id and i.turns_id in views:
            views[i.turns_id].fixes.append(views[i.pk])
        elif not i.turns_id:
            top.append(views[i.pk])
    return top


@dataclass
class BoardHit:
    """One contribution or gallery comment that matched a board search, as this viewer may see it."""

    kind: str  # an ItemKind value, or "supplement"
    kind_label: str
    board: Any
    text: str
    by: str
    at: datetime
    anchor: str  # the fragment of the board page where it stands
    author: str | None  # None where the author posted anonymously and this viewer may not know
    score: float = 0.0


def _author(user: Any, contribution: Any, event: Event) -> str | None:
    return str(contribution.author.display_name) if rules.shows_author(user, contribution, event) else None


BOARD_SEARCH_LIMIT = 1000  # newest matches of each kind; a two-day event's boards hold far fewer


def search_boards(
    user: Any, event: Event, *, query: str = "", kind: str = "", session: int | None = None, order: str = "recent"
) -> list[BoardHit]:
    """The event's board contributions and gallery comments matching `query`, newest first or
    best match first (the query terms' weight in each text, the same scale for both kinds).

    For participants and organisers (who see the boards); anyone else gets NotFound. Removed
    contributions are left out; an anonymous one shows its author only to whom `byline` allows.
    """
    from django.utils.translation import gettext as _

    from madang.events.models import ItemKind

    if not rules.can_see_plans(user, event):
        raise NotFound()
    terms = korean.search_terms(query)[:12]
    items = BoardItem.objects.filter(board__event=event, removed_at=None)
    supplements = Supplement.objects.filter(board__event=event)
    if session:
        items, supplements = items.filter(board__session_id=session), supplements.filter(board__session_id=session)
    if kind in ItemKind.values:
        items, supplements = items.filter(kind=kind), supplements.none()
    elif kind == "supplement":
        items = items.none()
    labels = dict(ItemKind.choices)
    sources = [  # (rows, their text, (kind, its label, the anchor on the board page) of a row)
        (items, "text", lambda r: (r.kind, str(labels.get(r.kind, r.kind)), f"item-{r.pk}")),
        (supplements, "body", lambda r: ("supplement", _("Comment from another group"), f"supplement-{r.pk}")),
    ]
    hits: list[tuple[BoardHit, str]] = []
    for rows, text_field, describe in sources:
        found = fulltext.matching(rows, terms).select_related("board__session", "board__table", "author")
        for row in found.order_by(*fulltext.newest(rows.model))[:BOARD_SEARCH_LIMIT]:
            kind, label, anchor = describe(row)
            hit = BoardHit(
                kind,
                label,
                row.board,
                getattr(row, text_field),
                byline(user, row, event),
                row.created_at,
                anchor,
                _author(user, row, event),
            )
            hits.append((hit, row.search_terms))
    if terms and order == "relevance":
        scored = {
            m.key: m.score
            for m in korean.score_term_sets(
                set(terms), [(n, terms_.split()) for n, (_hit, terms_) in enumerate(hits)], min_score=0.0
            )
        }
        for n, (hit, _terms) in enumerate(hits):
            hit.score = scored.get(n, 0.0)
        return [hit for hit, _t in sorted(hits, key=lambda h: (-h[0].score, -h[0].at.timestamp()))]
    return [hit for hit, _t in sorted(hits, key=lambda h: h[0].at, reverse=True)]


@dataclass
class ResultRow:
    candidate: int
    label: str
    jurors: int
    jury: float  # mean weighted score of complete scorecards, in % of the rubric's maximum
    votes: int
    jury_norm: float
    vote_norm: float
    combined: float
    rank: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


def judging_results(judging: Any) -> list[ResultRow]:
    """combined = w × jury ÷ (best jury) + (1 − w) × votes ÷ (most votes), w = jury_percent / 100.

    A juror's score of a candidate counts only when it covers every criterion; the jury score is
    the mean over those jurors of Σ weight × score ÷ Σ weight × highest score."""
    criteria = list(judging.criteria.all())
    full = sum(c.weight * c.max_score for c in criteria) or 1
    weight = {c.pk: c.weight for c in criteria}
    cards: dict[tuple[int, int], dict[int, int]] = {}
    from madang.events.models import Score, Vote

    for cand, juror, crit, value in Score.objects.filter(candidate__judging=judging).values_list(
        "candidate_id", "juror_id", "criterion_id", "value"
    ):
        cards.setdefault((cand, juror), {})[crit] = value
    votes = dict(
        Vote.objects.filter(candidate__judging=judging)
        .values("candidate_id")
        .annotate(n=Count("pk"))
        .values_list("candidate_id", "n")
    )
    rows = []
    for c in judging.candidates.all():
        pcts = [
            100 * sum(weight[k] * v for k, v in card.items()) / full
            for (cand, _j), card in cards.items()
            if cand == c.pk and set(card) == set(weight)
        ]
        rows.append(
            ResultRow(c.pk, c.label, len(pcts), sum(pcts) / len(pcts) if pcts else 0.0, votes.get(c.pk, 0), 0, 0, 0)
        )
    best_jury = max((r.jury for r in rows), default=0) or 1
    most_votes = max((r.votes for r in rows), default=0) or 1
    w = judging.jury_percent / 100
    for r in rows:
        r.jury_norm, r.vote_norm = r.jury / best_jury, r.votes / most_votes
        r.combined = w * r.jury_norm + (1 - w) * r.vote_norm
    rows.sort(key=lambda r: (-r.combined, -r.jury, r.candidate))
    for i, r in enumerate(rows):
        r.rank = i + 1
    return rows


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


@dataclass
class Standing:
    agency: Any
    department: Any
    routing: Any
    state: str  # awaiting, overdue, accept, partial, decline, transfer
    execution: str
    percent: int

    @property
    def state_label(self) -> str:
        from django.utils.translation import gettext as _

        if self.state in AnswerKind.values:
            return str(AnswerKind(self.state).label)
        return _("Overdue") if self.state == "overdue" else _("Awaiting answer")

    @property
    def execution_label(self) -> str:
        return str(ExecutionState(self.execution).label) if self.execution else ""


def task_standings(task: Any) -> list[Standing]:
    """Where a sent task stands at each agency: the first routing of each agency, followed
    through transfers to the department answering now."""
    if task.proposal_id is None:
        return []
    routings = list(
        task.proposal.routings.select_related("department", "answer").prefetch_related("updates").order_by("pk")
    )
    by_pk = {r.pk: r for r in routings}
    out = []
    for r in routings:
        if r.transferred_from_id is not None and r.transferred_from_id in by_pk:
            continue
        current = r
        while current.state == "transferred":
            nxt = next((x for x in routings if x.transferred_from_id == current.pk), None)
            if nxt is None:
                break
            current = nxt
        answer = getattr(current, "answer", None) if current.state != "awaiting" else None
        state = answer.kind if answer else ("overdue" if current.is_overdue() else "awaiting")
        last = list(current.updates.all())[-1:] or [None]
        agency = r.department.agency() if hasattr(r.department, "agency") else r.department
        out.append(
            Standing(
                agency,
                current.department,
                current,
                state,
                last[0].state if last[0] else "",
                last[0].percent if last[0] else 0,
            )
        )
    return out


@dataclass
class Report:
    confirmed: int
    checked_in: int
    no_shows: int
    waiting: int
    cancelled: int
    by_level: list[tuple[str, int, int]]  # label, confirmed, checked in
    by_grade: list[tuple[str, int, int]]
    boards: list[tuple[str, int, int]]  # method, boards, contributions
    supplements: int
    tasks: list[tuple[Any, list[Standing]]]
    judgings: list[tuple[Any, list[dict[str, Any]], list[Any]]]


def grade_band(reg: Registration) -> str:
    from django.utils.translation import gettext as _

    if reg.grade is None:
        return _("Citizen member") if reg.agency_id is None else _("Grade not given")
    if reg.grade <= 5:
        return _("Grade 5 and above")
    if reg.grade >= 8:
        return _("Grade 8–9")
    return _("Grade %(n)d") % {"n": reg.grade}


def report(event: Event) -> Report:
    from django.utils.translation import gettext as _

    from madang.events.models import BoardItem, BoardKind, Supplement

    regs = list(event.registrations.select_related("agency"))
    confirmed = [r for r in regs if r.state == RegState.CONFIRMED]
    level_names = {
        "central": _("Central"),
        "local": _("Local"),
        "public": _("Public institution"),
        "citizen": _("Citizen member"),
    }

    def split(key: Any, order: list[str]) -> list[tuple[str, int, int]]:
        rows: dict[str, list[int]] = {k: [0, 0] for k in order}
        for r in confirmed:
            row = rows.setdefault(key(r), [0, 0])
            row[0] += 1
            row[1] += r.checked_in_at is not None
        return [(k, a, b) for k, (a, b) in rows.items() if a]

    bands = [
        _("Grade 5 and above"),
        _("Grade %(n)d") % {"n": 6},
        _("Grade %(n)d") % {"n": 7},
        _("Grade 8–9"),
        _("Citizen member"),
    ]
    boards = []
    for kind, label in BoardKind.choices:
        qs = event.boards.filter(kind=kind)
        if qs.exists():
            boards.append((str(label), qs.count(), BoardItem.objects.filter(board__in=qs, removed_at=None).count()))
    checked = sum(1 for r in confirmed if r.checked_in_at)
    return Report(
        confirmed=len(confirmed),
        checked_in=checked,
        no_shows=len(confirmed) - checked,
        waiting=sum(1 for r in regs if r.state == RegState.WAITING),
        cancelled=sum(1 for r in regs if r.state == RegState.CANCELLED),
        by_level=split(lambda r: str(level_names[level_of(r.agency)]), [str(v) for v in level_names.values()]),
        by_grade=split(grade_band, [str(b) for b in bands]),
        boards=boards,
        supplements=Supplement.objects.filter(board__event=event).count(),
        tasks=[(t, task_standings(t)) for t in event.tasks.select_related("board", "proposal")],
        judgings=[
            (j, j.results[:5], list(j.awards.select_related("candidate")))
            for j in event.judgings.filter(state="published")
        ],
    )
