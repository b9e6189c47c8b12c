"""Hackathons and workshops: an event's programme, its registrations and the three ways of
mixing people (discussion groups, World Cafe rotations, an Open Space schedule).

An event has days; a day has sessions (time blocks of one kind); the event has rooms and tables.
Registration is per person and keeps its history: a cancelled or substituted registration stays
as a row, with its state. Plans computed by the solvers are stored as plain JSON of
registration ids (groups, rotation rounds) or topic placements, with the version that was
published.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madang.people.models import Organisation


class EventState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Registration open")
    CLOSED = "closed", _("Registration closed")
    FINISHED = "finished", _("Finished")


class Audience(models.TextChoices):
    OFFICIALS = "officials", _("Officials")
    JOINT = "joint", _("Officials and citizen members")


def new_code() -> str:
    # Short enough to read off a projector; no 0/O or 1/I to confuse.
    return "".join(secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(6))


class Event(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="events", verbose_name=_("organising body")
    )
    audience = models.CharField(
        _("who may register"), max_length=10, choices=Audience.choices, default=Audience.OFFICIALS
    )
    state = models.CharField(max_length=10, choices=EventState.choices, default=EventState.DRAFT)
    capacity = models.PositiveIntegerField(_("places"))
    max_per_agency = models.PositiveSmallIntegerField(_("at most per agency"), null=True, blank=True)
    # "At least half grade 6 and below": officials of grade >= junior_grade hold at least this
    # share (percent) of the places; it is enforced when a registration is confirmed.
    junior_grade = models.PositiveSmallIntegerField(_("junior means grade"), default=6)
    junior_min_percent = models.PositiveSmallIntegerField(_("minimum share of juniors (%)"), default=0)
    check_in_code = models.CharField(max_length=6, default=new_code)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(junior_min_percent__lte=100), name="event_share_is_percent"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="event_has_places"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_joint(self) -> bool:
        return self.audience == Audience.JOINT


class Day(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200, blank=True)

    class Meta:
        ordering = ["date", "pk"]
        constraints = [models.UniqueConstraint(fields=["event", "date"], name="one_day_per_date")]

    def __str__(self) -> str:
        return self.title or self.date.isoformat()


class Room(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("name"), max_length=100)
    capacity = models.PositiveIntegerField(_("capacity"))

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class Table(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="tables")
    number = models.PositiveSmallIntegerField(_("number"))
    room = models.ForeignKey(Room, null=True, blank=True, on_delete=models.SET_NULL, related_name="tables")
    capacity = models.PositiveSmallIntegerField(_("seats"), default=8)
    # A World Cafe host stays at this table every round.
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["event", "number"], name="one_table_per_number")]

    def __str__(self) -> str:
        return str(_("Table %(n)d") % {"n": self.number})


class SessionKind(models.TextChoices):
    PLENARY = "plenary", _("Plenary")
    GROUPS = "groups", _("Discussion groups")
    CAFE = "cafe", _("World Cafe")
    OPEN_SPACE = "open_space", _("Open Space")
    SHARING = "sharing", _("Sharing")
    JUDGING = "judging", _("Judging")


class Session(models.Model):
    """A time block. An Open Space session is one slot of the Open Space schedule."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    day = models.ForeignKey(Day, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=SessionKind.choices)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    room = models.ForeignKey(Room, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start")
        ]

    def __str__(self) -> str:
        return self.title


class RegState(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")
    SUBSTITUTED = "substituted", _("Replaced by a colleague")


LIVE_STATES = (RegState.CONFIRMED, RegState.WAITING)


class Gender(models.TextChoices):
    UNKNOWN = "", _("Not given")
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


class JobFamily(models.TextChoices):
    UNKNOWN = "", _("Not given")
    ADMINISTRATION = "administration", _("Administration")
    TECHNICAL = "technical", _("Technical")
    WELFARE = "welfare", _("Social welfare")
    SAFETY = "safety", _("Public safety")
    RESEARCH = "research", _("Research")
    CITIZEN = "citizen", _("Citizen member")


class Registration(models.Model):
    """One person's place at an event, with the per-event profile used to mix groups."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="event_registrations")
    state = models.CharField(max_length=12, choices=RegState.choices)
    # The agency the person came from at registration, kept even if they move later.
    agency = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    grade = models.PositiveSmallIntegerField(null=True, blank=True)
    region = models.CharField(_("region"), max_length=40, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True, default="")
    job_family = models.CharField(_("job family"), max_length=20, choices=JobFamily.choices, blank=True, default="")
    wait_reason = models.CharField(max_length=20, blank=True)
    registered_at = models.DateTimeField(default=timezone.now)
    # Waiting-list order: first come, first promoted.
    queued_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    substitute_for = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="substituted_by"
    )
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["queued_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"], condition=Q(state__in=["confirmed", "waiting"]), name="one_live_registration"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.event_id}"

    def is_junior(self, event: Event) -> bool:
        return self.grade is not None and self.grade >= event.junior_grade


class NoShow(models.Model):
    """Someone absent when a session started (recorded by a facilitator)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="no_shows")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="no_shows")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "registration"], name="one_no_show_per_session")]


class PlanState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


ATTRIBUTES = [
    ("agency", _("Organisation")),
    ("level", _("Central or local")),
    ("grade_band", _("Grade band")),
    ("region", _("Region")),
    ("gender", _("Gender")),
    ("job_family", _("Job family")),
]


class Grouping(models.Model):
    """Discussion groups (분임) of one session."""

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="grouping")
    # Either a number of groups split as evenly as possible, or explicit sizes (e.g. [8, 8, 7]).
    group_count = models.PositiveSmallIntegerField(default=0)
    sizes = models.JSONField(default=list, blank=True)
    attributes = models.JSONField(default=list)  # keys of ATTRIBUTES to diversify
    separate_agencies = models.BooleanField(default=True)
    # [[registration id, registration id], ...]
    together = models.JSONField(default=list, blank=True)
    apart = models.JSONField(default=list, blank=True)
    seconds = models.FloatField(default=2.0)
    # groups[g] = registration ids; empty until computed
    groups = models.JSONField(default=list, blank=True)
    computed_sizes = models.JSONField(default=list, blank=True)
    objective = models.FloatField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=PlanState.choices, default=PlanState.DRAFT)
    computed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)


class RotationPriority(models.TextChoices):
    """Which goal wins where a full World Cafe cannot keep both (see madang.solvers.rotation)."""

    PEOPLE = "people", _("Meet new people first (a pair may not meet twice)")
    TABLES = "tables", _("New tables first (nobody comes back to a table's question)")


class Rotation(models.Model):
    """A World Cafe of one session: `plan[r][t]` = registration ids at table t in round r."""

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="rotation")
    rounds = models.PositiveSmallIntegerField(default=3)
    round_minutes = models.PositiveSmallIntegerField(default=20)
    seconds = models.FloatField(default=3.0)
    # How many of the event's tables this session uses (the first ones by number); None = all.
    tables = models.PositiveSmallIntegerField(null=True, blank=True)
    priority = models.CharField(max_length=6, choices=RotationPriority.choices, default=RotationPriority.PEOPLE)
    plan = models.JSONField(default=list, blank=True)
    # table index -> registration id of its host, as used for the plan
    hosts = models.JSONField(default=dict, blank=True)
    repeated_pairs = models.PositiveIntegerField(null=True, blank=True)
    # times someone (hosts aside) sits again at a table they sat at in another round
    same_table = models.PositiveIntegerField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=PlanState.choices, default=PlanState.DRAFT)
    version = models.PositiveIntegerField(default=0)
    # The round running now (None before the first), set by the facilitator.
    current_round = models.PositiveSmallIntegerField(null=True, blank=True)
    round_started_at = models.DateTimeField(null=True, blank=True)
    # The last re-plan: from which round, who was absent or arrived, and every changed seat.
    last_replan = models.JSONField(default=dict, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)


class Topic(models.Model):
    """An Open Space topic posted on the marketplace wall."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="topics")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    convener = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    interested = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+", through="Interest")

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.title


class Interest(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["topic", "user"], name="one_interest_per_topic")]


class Unavailability(models.Model):
    """An Open Space slot a convener cannot make."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="unavailable")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="one_unavailability")]


class Schedule(models.Model):
    """The Open Space schedule of an event: `placements[topic id] = [room id, session id]`."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="schedule")
    placements = models.JSONField(default=dict, blank=True)
    unscheduled = models.JSONField(default=list, blank=True)
    turned_away = models.PositiveIntegerField(null=True, blank=True)
    clashes = models.PositiveIntegerField(null=True, blank=True)
    seconds = models.FloatField(default=1.0)
    state = models.CharField(max_length=10, choices=PlanState.choices, default=PlanState.DRAFT)
    version = models.PositiveIntegerField(default=0)
    last_moves = models.JSONField(default=list, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)


class TopicCheckIn(models.Model):
    """Where a person is in an Open Space slot. Moving on (the law of two feet) is a new check-in
    for the same slot: the row is kept and points at the new topic."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="topic_check_ins")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="check_ins")
    moves = models.PositiveSmallIntegerField(default=0)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="one_place_per_slot")]


# ---------------------------------------------------------------- method boards, day two, outcomes


class BoardKind(models.TextChoices):
    JAM = "jam", _("Graphic jam")
    REVERSE = "reverse", _("Reverse brainstorming")
    HARVEST = "harvest", _("Harvest notes")
    DOTS = "dots", _("Dot voting")


class Board(models.Model):
    """A structured collaborative page of one session, for one group (분임) or one table."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="boards")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="boards")
    kind = models.CharField(_("method"), max_length=10, choices=BoardKind.choices)
    title = models.CharField(_("title"), max_length=200)
    prompt = models.TextField(_("question"), blank=True)
    group = models.PositiveSmallIntegerField(_("group"), null=True, blank=True)  # 1-based, of the session's grouping
    table = models.ForeignKey(Table, null=True, blank=True, on_delete=models.SET_NULL, related_name="boards")
    round_no = models.PositiveSmallIntegerField(_("round"), null=True, blank=True)  # harvest notes: 1-based
    dots_per_person = models.PositiveSmallIntegerField(_("dots per person"), default=3)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["session__starts_at", "group", "table__number", "round_no", "pk"]

    def __str__(self) -> str:
        return self.title


class ItemKind(models.TextChoices):
    NOTE = "note", _("Note")
    PHOTO = "photo", _("Photo")
    WORSE = "worse", _("A way to make it worse")
    FIX = "fix", _("A fix")


def board_photo_path(instance: "BoardItem", filename: str) -> str:
    return f"events/boards/{instance.board_id}/{secrets.token_hex(12)}{instance.extension}"


class BoardItem(models.Model):
    """One contribution. `anonymous` hides the author's name and grade from other participants;
    organisers always see who wrote it."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=10, choices=ItemKind.choices)
    text = models.TextField(_("text"), blank=True)
    # The text's index terms (madang.solvers.korean.index_terms), for searching an event's boards.
    search_terms = models.TextField(blank=True, default="", editable=False)
    # A fix turns one way of making the problem worse around.
    turns = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="fixes")
    photo = models.FileField(upload_to=board_photo_path, blank=True)
    extension = models.CharField(max_length=8, blank=True)
    content_type = models.CharField(max_length=40, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    anonymous = models.BooleanField(_("post without my name and grade"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]


class Dot(models.Model):
    """Dots one person placed on one item of a dot-voting board."""

    item = models.ForeignKey(BoardItem, on_delete=models.CASCADE, related_name="dots")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    count = models.PositiveSmallIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "user"], name="event_one_dot_row_per_item"),
            models.CheckConstraint(condition=Q(count__gte=1), name="event_dot_count_positive"),
        ]


class Supplement(models.Model):
    """A comment another group adds to a board in the day-two gallery."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="supplements")
    body = models.TextField(_("comment"))
    search_terms = models.TextField(blank=True, default="", editable=False)  # (as BoardItem's)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    anonymous = models.BooleanField(_("post without my name and grade"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]


class Task(models.Model):
    """A task the groups found. Once agreed it is sent to every participating agency as a proposal."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    group = models.PositiveSmallIntegerField(_("group"), null=True, blank=True)
    board = models.ForeignKey(Board, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks")
    item = models.ForeignKey(BoardItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    agreed_at = models.DateTimeField(null=True, blank=True)
    proposal = models.OneToOneField(
        "calls.Proposal", null=True, blank=True, on_delete=models.PROTECT, related_name="event_task"
    )

    class Meta:
        ordering = ["group", "pk"]

    def __str__(self) -> str:
        return self.title


class JudgingOf(models.TextChoices):
    TASKS = "tasks", _("Best tasks")
    GROUPS = "groups", _("Best groups")


class JudgingState(models.TextChoices):
    OPEN = "open", _("Scoring and voting")
    PUBLISHED = "published", _("Results published")


class Judging(models.Model):
    """One contest: a jury scores every candidate on a weighted rubric, participants vote, and
    combined = w × (jury ÷ best jury) + (1 − w) × (votes ÷ most votes)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="judgings")
    session = models.ForeignKey(Session, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    of = models.CharField(_("what is judged"), max_length=10, choices=JudgingOf.choices)
    title = models.CharField(_("title"), max_length=200)
    jury_percent = models.PositiveSmallIntegerField(_("weight of the jury (%)"), default=70)
    votes_per_person = models.PositiveSmallIntegerField(_("votes per participant"), default=1)
    state = models.CharField(max_length=10, choices=JudgingState.choices, default=JudgingState.OPEN)
    results = models.JSONField(default=list, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(jury_percent__lte=100), name="event_jury_weight_is_percent")]

    def __str__(self) -> str:
        return self.title


class Criterion(models.Model):
    judging = models.ForeignKey(Judging, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("name"), max_length=100)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    max_score = models.PositiveSmallIntegerField(_("highest score"), default=5)

    class Meta:
        ordering = ["pk"]


class Candidate(models.Model):
    judging = models.ForeignKey(Judging, on_delete=models.CASCADE, related_name="candidates")
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    group = models.PositiveSmallIntegerField(null=True, blank=True)
    label = models.CharField(max_length=200)

    class Meta:
        ordering = ["pk"]


class Juror(models.Model):
    judging = models.ForeignKey(Judging, on_delete=models.CASCADE, related_name="jurors")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["judging", "user"], name="event_one_juror_seat")]


class Score(models.Model):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="scores")
    juror = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    value = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["candidate", "juror", "criterion"], name="event_one_score_per_criterion")
        ]


class Vote(models.Model):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["candidate", "user"], name="event_one_vote_per_candidate")]


class Award(models.Model):
    judging = models.ForeignKey(Judging, on_delete=models.CASCADE, related_name="awards")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="awards")
    title = models.CharField(_("award"), max_length=100)
    awarded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    awarded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["awarded_at", "pk"]
