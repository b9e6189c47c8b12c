"""Registrations: the list at the door, the counts against the quotas, an agency's level, who is
present at a session."""

import math
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from madang.core import params
from madang.core.errors import NotFound
from madang.events.models import Event, Registration, RegState, Session
from madang.people.models import Organisation, OrgKind, User


def access_registration(event: Event, registration_id: str | int) -> Registration:
    r = (
        event.registrations.select_related("user", "agency", "event")
        .filter(pk=params.id_or_zero(registration_id))
        .first()
    )
    if r is None:
        raise NotFound()
    return r


# An agency's level, as level_of names it, in the words people read (in this order in the report).
LEVELS: dict[str, Promise] = {
    "central": gettext_lazy("Central"),
    "local": gettext_lazy("Local"),
    "public": gettext_lazy("Public institution"),
    "citizen": gettext_lazy("Citizen member"),
}


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
