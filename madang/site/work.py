""" "My work" (내 업무): what waits on each person, gathered from every app's selectors.

The site sits above the domains, so it may read them all; each app answers for its own part
(calls: the calls a team runs; review: proposals to decide and a reviewer's assignments;
followup: escalations and a liaison's routings; labs: volunteers and terms ending; events: what an
organiser still has to do; suggestions: the ways into the suggestion system this person has).
"""

from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from madang.calls.selectors import managed_calls
from madang.events import rules as events_rules
from madang.events.models import EventState, RegState
from madang.events.selectors import events_for
from madang.followup import selectors as followup
from madang.labs import selectors as labs
from madang.review import selectors as review
from madang.suggestions import selectors as suggestions

COUNT_SECONDS = 60  # the header's count may lag this long behind; the page itself is always current


@dataclass
class EventTodo:
    event: Any
    reasons: list[str] = field(default_factory=list)


@dataclass
class Queue:
    to_decide: list[Any] = field(default_factory=list)
    escalations: list[Any] = field(default_factory=list)
    volunteers: list[Any] = field(default_factory=list)
    labs_due: list[Any] = field(default_factory=list)
    events: list[EventTodo] = field(default_factory=list)
    assignments: list[review.OpenAssignment] = field(default_factory=list)
    routings: list[Any] = field(default_factory=list)
    my_labs: list[Any] = field(default_factory=list)
    my_events: list[Any] = field(default_factory=list)

    @property
    def waiting(self) -> int:
        """How many things wait on this person (the number in the header)."""
        to_score = sum(1 for a in self.assignments if getattr(a.assignment, "scorecard", None) is None)
        return (
            len(self.to_decide)
            + len(self.escalations)
            + len(self.volunteers)
            + len(self.labs_due)
            + len(self.events)
            + to_score
            + len(self.routings)
        )


@dataclass(frozen=True)
class SuggestionLinks:
    """The suggestion system's pages for this person (its steps reach them through the inbox)."""

    mine: bool = False  # they filed one, or may file one
    desk: bool = False  # the office
    implementation: bool = False  # the office, or a liaison of a department that implements
    open_office: bool = False  # may open an organisation's office

    def __bool__(self) -> bool:
        return self.mine or self.desk or self.implementation or self.open_office


def suggestion_links(user: Any) -> SuggestionLinks:
    return SuggestionLinks(
        mine=bool(suggestions.filing_offices(user)) or suggestions.my_suggestions(user).exists(),
        desk=bool(suggestions.offices_for(user)),
        implementation=suggestions.tracks_implementation(user),
        open_office=bool(suggestions.openable_organisations(user)),
    )


def events_needing_action(user: Any) -> list[EventTodo]:
    """An organiser's events that are not finished and have something to do."""
    todos = []
    for event in events_for(user).exclude(state=EventState.FINISHED).order_by("pk"):
        if not events_rules.is_organiser(user, event):
            continue
        todo = EventTodo(event)
        if event.state == EventState.DRAFT:
            todo.reasons.append(_("not announced yet"))
        waiting = event.registrations.filter(state=RegState.WAITING).count()
        if waiting and event.state == EventState.OPEN:
            todo.reasons.append(_("%(n)d on the waiting list") % {"n": waiting})
        unsent = event.tasks.filter(agreed_at__isnull=False, proposal__isnull=True).count()
        if unsent:
            todo.reasons.append(_("%(n)d agreed tasks not sent to the agencies") % {"n": unsent})
        if todo.reasons:
            todos.append(todo)
    return todos


def queue_for(user: Any) -> Queue:
    q = Queue()
    calls = managed_calls(user)
    if calls:
        q.to_decide = list(review.proposals_to_decide(calls)[:200])
        q.escalations = list(followup.escalations(calls)[:200])
    today = timezone.localdate()
    q.volunteers = labs.volunteers_to_confirm(user)
    q.labs_due = labs.labs_due(user, today)
    q.events = events_needing_action(user)
    q.assignments = review.open_assignments(user)
    q.routings = list(followup.liaison_queue(user)[:200])
    q.my_labs = labs.my_labs(user)
    q.my_events = list(
        user.event_registrations.filter(state__in=[RegState.CONFIRMED, RegState.WAITING])
        .exclude(event__state=EventState.FINISHED)
        .select_related("event")
        .order_by("event__pk")
    )
    return q


def waiting_count(user: Any) -> int:
    """The header's number, kept for a minute per person (it reads several apps)."""
    key = f"madang:work-count:{user.pk}"
    count = cache.get(key)
    if count is None:
        count = queue_for(user).waiting
        cache.set(key, count, COUNT_SECONDS)
    return int(count)
