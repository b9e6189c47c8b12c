"""Events over JSON: the programme, registration and check-in, one's itinerary, published plans,
the Open Space marketplace, and the World Cafe re-plan. Same rules and services as the pages."""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from madang.core import params
from madang.core.errors import NotFound
from madang.events import rules, selectors, services
from madang.events.models import Board, Event, Grouping, Judging, Registration, RegState, Rotation, Topic
from madang.events.privacy_kinds import REGISTRATIONS
from madang.people.api_auth import ERRORS, PUBLIC, PUBLIC_OPENAPI, Id, Input, Pages, api_user, api_visitor
from madang.people.models import User
from madang.privacy import services as privacy
from madang.privacy.models import Action

router = Router(tags=["events"])
Slug = Annotated[str, Field(max_length=80, pattern=r"^[-a-zA-Z0-9_]+$")]


class SessionOut(Schema):
    id: int
    title: str
    kind: str
    starts_at: datetime
    ends_at: datetime
    room: str | None


class DayOut(Schema):
    date: date
    title: str
    sessions: list[SessionOut]


class EventOut(Schema):
    slug: str
    title: str
    description: str
    organisation: str
    audience: str
    state: str
    capacity: int
    max_per_agency: int | None
    junior_grade: int
    junior_min_percent: int
    confirmed: int
    waiting: int
    can_register: bool
    days: list[DayOut]


class RegistrationOut(Schema):
    id: int
    state: str
    wait_reason: str
    agency: str | None
    checked_in_at: datetime | None


class StopOut(Schema):
    session: int
    title: str
    starts_at: datetime
    where: str
    detail: list[str]


class ItineraryOut(Schema):
    registration: RegistrationOut
    stops: list[StopOut]


class EventPersonOut(Schema):
    registration: int
    name: str
    agency: str | None


class GroupsOut(Schema):
    session: int
    state: str
    groups: list[list[EventPersonOut]]


class RotationOut(Schema):
    session: int
    state: str
    version: int
    repeated_pairs: int | None
    same_table: int | None
    priority: str
    current_round: int | None
    plan: list[list[list[int]]]
    changes: list[list[int | None]]


class EventJobOut(Schema):
    job: int
    state: str


class TopicOut(Schema):
    id: int
    title: str
    description: str
    convener: str
    interested: int
    mine: bool


class CellOut(Schema):
    topic: int
    room: int
    session: int


class ScheduleOut(Schema):
    version: int
    state: str
    placements: list[CellOut]
    unscheduled: list[int]


class RegisterIn(Input):
    gender: str = Field("", max_length=10)
    job_family: str = Field("", max_length=20)
    region: str = Field("", max_length=40)


class SubstituteIn(Input):
    colleague: str = Field(..., min_length=1, max_length=150, description="the colleague's user name")


class CodeIn(Input):
    code: str = Field(..., min_length=1, max_length=12)


class ReplanIn(Input):
    from_round: int = Field(..., ge=1, le=12, description="1-based: the first round to re-plan")
    absent: list[Id] = Field(default_factory=list, max_length=1000)
    arrived: list[Id] = Field(default_factory=list, max_length=1000)


class TopicIn(Input):
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field("", max_length=2000)


class InterestIn(Input):
    interested: bool


def _event_out(user: Any, event: Event) -> EventOut:
    c = selectors.counts(event)
    days = [
        DayOut(
            date=d.date,
            title=d.title,
            sessions=[
                SessionOut(
                    id=s.pk,
                    title=s.title,
                    kind=s.kind,
                    starts_at=s.starts_at,
                    ends_at=s.ends_at,
                    room=s.room.name if s.room else None,
                )
                for s in d.sessions.all()
            ],
        )
        for d in event.days.prefetch_related("sessions__room")
    ]
    return EventOut(
        slug=event.slug,
        title=event.title,
        description=event.description,
        organisation=event.organisation.name,
        audience=event.audience,
        state=event.state,
        capacity=event.capacity,
        max_per_agency=event.max_per_agency,
        junior_grade=event.junior_grade,
        junior_min_percent=event.junior_min_percent,
        confirmed=c.confirmed,
        waiting=c.waiting,
        can_register=rules.can_register(user, event),
        days=days,
    )


def _reg_out(reg: Registration) -> RegistrationOut:
    return RegistrationOut(
        id=reg.pk,
        state=reg.state,
        wait_reason=reg.wait_reason,
        agency=reg.agency.name if reg.agency else None,
        checked_in_at=reg.checked_in_at,
    )


def _plans_event(user: Any, slug: str) -> Event:
    event = selectors.access_event(user, slug)
    if not rules.can_see_plans(user, event):
        raise NotFound()
    return event


@router.get("/events", auth=PUBLIC, openapi_extra=PUBLIC_OPENAPI, response=list[EventOut])
def list_events(request: HttpRequest) -> list[EventOut]:
    user = api_visitor(request)
    return [_event_out(user, e) for e in selectors.events_for(user)[:100]]


@router.get("/events/{slug}", auth=PUBLIC, openapi_extra=PUBLIC_OPENAPI, response={200: EventOut, **ERRORS})
def event_detail(request: HttpRequest, slug: Slug) -> EventOut:
    user = api_visitor(request)
    return _event_out(user, selectors.access_event(user, slug))


@router.post("/events/{slug}/registrations", response={201: RegistrationOut, **ERRORS})
def register(request: HttpRequest, slug: Slug, payload: RegisterIn) -> Status:
    event = selectors.access_event(api_user(request), slug)
    reg = services.register(actor=api_user(request), event=event, **payload.model_dump())
    return Status(201, _reg_out(reg))


@router.post("/events/{slug}/registrations/{reg_id}/cancel", response={200: list[RegistrationOut], **ERRORS})
def cancel(request: HttpRequest, slug: Slug, reg_id: Id) -> list[RegistrationOut]:
    """Cancel; the answer lists whoever was promoted from the waiting list into the freed place."""
    user = api_user(request)
    event = selectors.access_event(user, slug)
    reg = selectors.access_registration(event, reg_id)
    if not rules.can_cancel(user, reg) and reg.user_id != user.pk:
        raise NotFound()
    return [_reg_out(r) for r in services.cancel_registration(actor=user, registration=reg)]


@router.post("/events/{slug}/registrations/{reg_id}/substitute", response={201: RegistrationOut, **ERRORS})
def substitute(request: HttpRequest, slug: Slug, reg_id: Id, payload: SubstituteIn) -> Status:
    user = api_user(request)
    event = selectors.access_event(user, slug)
    reg = selectors.access_registration(event, reg_id)
    if not rules.can_substitute(user, reg):
        raise NotFound()
    colleague = User.objects.filter(username=payload.colleague, is_active=True).first()
    if colleague is None:
        raise NotFound()
    return Status(201, _reg_out(services.substitute(actor=user, registration=reg, colleague=colleague)))


@router.post("/events/{slug}/registrations/{reg_id}/check-in", response={200: RegistrationOut, **ERRORS})
def check_in(request: HttpRequest, slug: Slug, reg_id: Id) -> RegistrationOut:
    event = selectors.access_event(api_user(request), slug, perm="organise")
    reg = selectors.access_registration(event, reg_id)
    out = _reg_out(services.check_in(actor=api_user(request), registration=reg))
    privacy.record(
        request,
        user=api_user(request),
        action=Action.EDIT,
        kind=REGISTRATIONS,
        subject=reg.user_id,
        scope=f"event:{event.pk}",
    )
    return out


@router.post("/events/{slug}/check-in", response={200: RegistrationOut, **ERRORS})
def check_in_with_code(request: HttpRequest, slug: Slug, payload: CodeIn) -> RegistrationOut:
    event = selectors.access_event(api_user(request), slug)
    return _reg_out(services.check_in_with_code(actor=api_user(request), event=event, code=payload.code))


@router.get("/events/{slug}/me", response={200: ItineraryOut, **ERRORS})
def itinerary(request: HttpRequest, slug: Slug) -> ItineraryOut:
    user = api_user(request)
    event = selectors.access_event(user, slug)
    reg = rules.registration_of(user, event)
    if reg is None:
        raise NotFound()
    stops = selectors.itinerary(event, reg) if reg.state == RegState.CONFIRMED else []
    return ItineraryOut(
        registration=_reg_out(reg),
        stops=[
            StopOut(
                session=s.session.pk,
                title=s.session.title,
                starts_at=s.session.starts_at,
                where=str(s.text),
                detail=[str(d) for d in s.detail],
            )
            for s in stops
        ],
    )


def _visible[P: (Grouping, Rotation)](user: Any, event: Event, plan: P | None) -> P:
    if plan is None or not rules.can_see_plan(user, event, plan):
        raise NotFound()
    return plan


def _person_out(reg: Registration) -> EventPersonOut:
    return EventPersonOut(
        registration=reg.pk, name=reg.user.display_name, agency=reg.agency.name if reg.agency else None
    )


@router.get("/events/{slug}/sessions/{session_id}/groups", response={200: GroupsOut, **ERRORS})
def groups(request: HttpRequest, slug: Slug, session_id: Id) -> GroupsOut:
    user = api_user(request)
    event = _plans_event(user, slug)
    g = _visible(user, event, selectors.grouping_of(selectors.access_session(event, session_id)))
    regs = {r.pk: r for r in event.registrations.select_related("user", "agency")}
    return GroupsOut(
        session=g.session_id, state=g.state, groups=[[_person_out(regs[p]) for p in members] for members in g.groups]
    )


def _rotation_out(rot: Rotation) -> RotationOut:
    return RotationOut(
        session=rot.session_id,
        state=rot.state,
        version=rot.version,
        repeated_pairs=rot.repeated_pairs,
        same_table=rot.same_table,
        priority=rot.priority,
        current_round=rot.current_round,
        plan=rot.plan,
        changes=rot.last_replan.get("changes", []),
    )


@router.get("/events/{slug}/sessions/{session_id}/rotation", response={200: RotationOut, **ERRORS})
def rotation(request: HttpRequest, slug: Slug, session_id: Id) -> RotationOut:
    user = api_user(request)
    event = _plans_event(user, slug)
    return _rotation_out(_visible(user, event, selectors.rotation_of(selectors.access_session(event, session_id))))


@router.post("/events/{slug}/sessions/{session_id}/rotation/replan", response={202: EventJobOut, **ERRORS})
def replan(request: HttpRequest, slug: Slug, session_id: Id, payload: ReplanIn) -> Status:
    """Re-plan the rounds from `from_round` on after no-shows (`absent`) and late arrivals
    (`arrived`), as registration ids; runs as a background job (GET /api/jobs/{id} for progress)."""
    user = api_user(request)
    event = selectors.access_event(user, slug, perm="organise")
    rot = _visible(user, event, selectors.rotation_of(selectors.access_session(event, session_id)))
    absent = list(event.registrations.filter(pk__in=payload.absent))
    arrived = list(event.registrations.filter(pk__in=payload.arrived))
    if len(absent) != len(set(payload.absent)) or len(arrived) != len(set(payload.arrived)):
        raise NotFound()
    job = services.start_replan(
        actor=user, rotation=rot, from_round=payload.from_round - 1, absent=absent, arrived=arrived
    )
    return Status(202, EventJobOut(job=job.pk, state=job.state))


def _topic_out(user: Any, t: Topic) -> TopicOut:
    ids = [u.pk for u in t.interested.all()]
    return TopicOut(
        id=t.pk,
        title=t.title,
        description=t.description,
        convener=t.convener.display_name,
        interested=len(ids),
        mine=getattr(user, "pk", None) in ids,
    )


@router.get("/events/{slug}/topics", response={200: list[TopicOut], **ERRORS})
def topics(request: HttpRequest, slug: Slug) -> list[TopicOut]:
    user = api_user(request)
    event = _plans_event(user, slug)
    return [_topic_out(user, t) for t in selectors.shown_topics(user, event)]


@router.post("/events/{slug}/topics", response={201: TopicOut, **ERRORS})
def post_topic(request: HttpRequest, slug: Slug, payload: TopicIn, personal_data_ok: bool = False) -> Status:
    """Refused with code "personal_data" (masked findings in the message) when the topic seems to show
    personal data; `?personal_data_ok=true` confirms it is not, and is recorded. A confirmed unique
    identifier holds it from the marketplace until a moderator decides."""
    user = api_user(request)
    event = selectors.access_event(user, slug)
    topic = services.post_topic(actor=user, event=event, personal_data_ok=personal_data_ok, **payload.model_dump())
    return Status(201, _topic_out(user, topic))


@router.post("/events/{slug}/topics/{topic_id}/interest", response={200: TopicOut, **ERRORS})
def interest(request: HttpRequest, slug: Slug, topic_id: Id, payload: InterestIn) -> TopicOut:
    user = api_user(request)
    event = _plans_event(user, slug)
    topic = selectors.access_topic(user, event, topic_id)
    services.toggle_interest(actor=user, topic=topic, interested=payload.interested)
    return _topic_out(user, topic)


@router.get("/events/{slug}/schedule", response={200: ScheduleOut, **ERRORS})
def schedule(request: HttpRequest, slug: Slug) -> ScheduleOut:
    user = api_user(request)
    event = _plans_event(user, slug)
    s = selectors.schedule_of(event)
    if s is None or not s.computed_at or not rules.can_see_plan(user, event, s):
        raise NotFound()
    return ScheduleOut(
        version=s.version,
        state=s.state,
        unscheduled=s.unscheduled,
        placements=[CellOut(topic=int(t), room=c[0], session=c[1]) for t, c in s.placements.items()],
    )


# ---------------------------------------------------------------- boards, judging, outcomes


class EventBoardItemOut(Schema):
    id: int
    kind: str
    text: str
    turns: int | None
    author: str | None = Field(description="null when the author posted anonymously and you are not an organiser")
    dots: int
    mine: int
    fixes: list["EventBoardItemOut"] = Field(default_factory=list)


class EventBoardOut(Schema):
    id: int
    kind: str
    title: str
    prompt: str
    session: int
    group: int | None
    table: int | None
    round_no: int | None
    dots_per_person: int
    dots_left: int
    closed: bool
    items: list[EventBoardItemOut]


class EventBoardItemIn(Input):
    text: str = Field(..., min_length=1, max_length=2000)
    anonymous: bool = False
    turns: Id | None = Field(
        None, description="on a reverse-brainstorming board: the way of making it worse this fix turns around"
    )


class EventDotIn(Input):
    item: Id
    to_item: Id | None = Field(None, description="move the dot from `item` to this item")
    remove: bool = False


class EventResultOut(Schema):
    candidate: int
    label: str
    jurors: int
    jury: float
    votes: int
    jury_norm: float
    vote_norm: float
    combined: float
    rank: int


class EventCriterionOut(Schema):
    name: str
    weight: int
    max_score: int


class EventJudgingOut(Schema):
    id: int
    of: str
    title: str
    state: str
    jury_percent: int
    method: str
    criteria: list[EventCriterionOut]
    candidates: list[list[int | str]]
    results: list[EventResultOut] | None


class EventScoreIn(Input):
    candidate: Id
    scores: dict[str, int] = Field(..., description="criterion id → score")


class EventVoteIn(Input):
    candidate: Id
    withdraw: bool = False


class EventStandingOut(Schema):
    agency: str
    department: str
    routing: int
    state: str
    execution: str
    percent: int


class EventTaskOut(Schema):
    id: int
    title: str
    group: int | None
    board: int | None
    agreed: bool
    proposal: int | None
    standings: list[EventStandingOut]


class BoardSearchIn(Schema):
    q: str = Field("", max_length=200, description="Search words; Korean is matched on character pairs.")
    kind: Literal["", "note", "worse", "fix", "photo", "supplement"] = ""
    session: Id | None = None
    order: Literal["recent", "relevance"] = "recent"


class BoardHitOut(Schema):
    kind: str = Field(..., description="note, worse, fix, photo, or supplement (a comment from another group)")
    board: int
    board_title: str
    session: int
    text: str
    author: str | None = Field(
        ..., description="null for an anonymous contribution, except to organisers and its author"
    )
    created_at: datetime
    anchor: str = Field(..., description="where it stands on the board's page (#anchor)")


@router.get("/events/{slug}/boards/search", response={200: list[BoardHitOut], **ERRORS})
@paginate(Pages)
def search_boards(request: HttpRequest, slug: Slug, filters: Query[BoardSearchIn]) -> list[BoardHitOut]:
    """Contributions and gallery comments on any of the event's boards that match `q`, for participants and
    organisers."""
    user = api_user(request)
    event = selectors.access_event(user, slug)
    hits = selectors.search_boards(
        user, event, query=filters.q, kind=filters.kind, session=filters.session, order=filters.order
    )
    return [
        BoardHitOut(
            kind=h.kind,
            board=h.board.pk,
            board_title=h.board.title,
            session=h.board.session_id,
            text=h.text,
            author=h.author,
            created_at=h.at,
            anchor=h.anchor,
        )
        for h in hits
    ]


def _item_out(user: Any, event: Event, v: selectors.ItemView) -> EventBoardItemOut:
    shown = rules.shows_author(user, v.item, event)
    return EventBoardItemOut(
        id=v.item.pk,
        kind=v.item.kind,
        text=v.item.text,
        turns=v.item.turns_id,
        author=v.item.author.display_name if shown else None,
        dots=v.dots,
        mine=v.mine,
        fixes=[_item_out(user, event, f) for f in v.fixes],
    )


def _board_out(user: Any, board: Board) -> EventBoardOut:
    return EventBoardOut(
        id=board.pk,
        kind=board.kind,
        title=board.title,
        prompt=board.prompt,
        session=board.session_id,
        group=board.group,
        table=board.table_id,
        round_no=board.round_no,
        dots_per_person=board.dots_per_person,
        dots_left=selectors.dots_left(board, user),
        closed=board.closed_at is not None,
        items=[_item_out(user, board.event, v) for v in selectors.board_items(user, board)],
    )


@router.get("/events/{slug}/boards", response={200: list[EventBoardOut], **ERRORS})
def list_boards(request: HttpRequest, slug: Slug) -> list[EventBoardOut]:
    user = api_user(request)
    event = _plans_event(user, slug)
    return [_board_out(user, b) for b in event.boards.select_related("event")]


@router.get("/events/{slug}/boards/{board_id}", response={200: EventBoardOut, **ERRORS})
def board(request: HttpRequest, slug: Slug, board_id: Id) -> EventBoardOut:
    user = api_user(request)
    event = selectors.access_event(user, slug)
    return _board_out(user, selectors.access_board(user, event, board_id))


@router.post("/events/{slug}/boards/{board_id}/items", response={201: EventBoardOut, **ERRORS})
def post_board_item(
    request: HttpRequest, slug: Slug, board_id: Id, payload: EventBoardItemIn, personal_data_ok: bool = False
) -> Status:
    """Refused with code "personal_data" (masked findings in the message) when the note seems to show
    personal data; `?personal_data_ok=true` confirms it is not, and is recorded. A confirmed unique
    identifier (a resident registration number) holds the note for a moderator."""
    user = api_user(request)
    event = selectors.access_event(user, slug)
    b = selectors.access_board(user, event, board_id)
    turns = selectors.access_item(b, payload.turns) if payload.turns else None
    services.post_item(
        actor=user,
        board=b,
        text=payload.text,
        anonymous=payload.anonymous,
        turns=turns,
        personal_data_ok=personal_data_ok,
    )
    return Status(201, _board_out(user, b))


@router.post("/events/{slug}/boards/{board_id}/dots", response={200: EventBoardOut, **ERRORS})
def board_dots(request: HttpRequest, slug: Slug, board_id: Id, payload: EventDotIn) -> EventBoardOut:
    """Place a dot on `item`, take one back (`remove`), or move one to `to_item`."""
    user = api_user(request)
    event = selectors.access_event(user, slug)
    b = selectors.access_board(user, event, board_id)
    item = selectors.access_item(b, payload.item)
    if payload.to_item:
        services.move_dot(actor=user, from_item=item, to_item=selectors.access_item(b, payload.to_item))
    elif payload.remove:
        services.remove_dot(actor=user, item=item)
    else:
        services.place_dot(actor=user, item=item)
    return _board_out(user, b)


def _judging_out(user: Any, j: Judging) -> EventJudgingOut:
    w = j.jury_percent
    results = (
        [EventResultOut(**r.as_dict()) for r in selectors.judging_results(j)] if rules.can_see_scores(user, j) else None
    )
    return EventJudgingOut(
        id=j.pk,
        of=j.of,
        title=j.title,
        state=j.state,
        jury_percent=w,
        method=f"combined = {w / 100:.2f} × jury / best jury + {1 - w / 100:.2f} × votes / most votes",
        criteria=[EventCriterionOut(name=c.name, weight=c.weight, max_score=c.max_score) for c in j.criteria.all()],
        candidates=[[c.pk, c.label] for c in j.candidates.all()],
        results=results,
    )


@router.get("/events/{slug}/judgings/{judging_id}", response={200: EventJudgingOut, **ERRORS})
def judging(request: HttpRequest, slug: Slug, judging_id: Id) -> EventJudgingOut:
    user = api_user(request)
    event = selectors.access_event(user, slug)
    return _judging_out(user, selectors.access_judging(user, event, judging_id))


@router.post("/events/{slug}/judgings/{judging_id}/scores", response={200: EventJudgingOut, **ERRORS})
def judging_score(request: HttpRequest, slug: Slug, judging_id: Id, payload: EventScoreIn) -> EventJudgingOut:
    user = api_user(request)
    j = selectors.access_judging(user, selectors.access_event(user, slug), judging_id)
    c = selectors.access_candidate(j, payload.candidate)
    services.check_can_score(actor=user, judging=j)
    values = params.keyed_by_id(payload.scores, field="scores")
    services.score_candidate(actor=user, candidate=c, values=values)
    return _judging_out(user, j)


@router.post("/events/{slug}/judgings/{judging_id}/votes", response={200: EventJudgingOut, **ERRORS})
def judging_vote(request: HttpRequest, slug: Slug, judging_id: Id, payload: EventVoteIn) -> EventJudgingOut:
    user = api_user(request)
    j = selectors.access_judging(user, selectors.access_event(user, slug), judging_id)
    c = selectors.access_candidate(j, payload.candidate)
    if payload.withdraw:
        services.withdraw_vote(actor=user, candidate=c)
    else:
        services.cast_vote(actor=user, candidate=c)
    return _judging_out(user, j)


@router.get("/events/{slug}/tasks", response={200: list[EventTaskOut], **ERRORS})
def tasks(request: HttpRequest, slug: Slug) -> list[EventTaskOut]:
    """Every task of the event and where it stands at each participating agency."""
    user = api_user(request)
    event = _plans_event(user, slug)
    return [
        EventTaskOut(
            id=t.pk,
            title=t.title,
            group=t.group,
            board=t.board_id,
            agreed=t.agreed_at is not None,
            proposal=t.proposal_id,
            standings=[
                EventStandingOut(
                    agency=s.agency.name,
                    department=s.department.name,
                    routing=s.routing.pk,
                    state=s.state,
                    execution=s.execution,
                    percent=s.percent,
                )
                for s in selectors.task_standings(t)
            ],
        )
        for t in event.tasks.select_related("proposal")
    ]
