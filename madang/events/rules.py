"""Who may do what at an event.

Organisers are the facilitators, the innovation team and the administrators of the event's
organising body (or of an organisation above it), and site administrators. Officials register
(citizen members too, for joint events, with a seat drawn by its lottery); a registrant, their
agency's liaison or administrator, or an organiser may put a colleague in their place.
Participants (confirmed registrations) see their itinerary, the published plans and the Open
Space marketplace.
"""

from typing import Any

from madang.events.models import (
    Board,
    BoardItem,
    Event,
    EventState,
    Grouping,
    Judging,
    JudgingState,
    PlanState,
    Registration,
    RegState,
    Rotation,
    Schedule,
    Supplement,
)
from madang.people import seats
from madang.people.models import Organisation, Role
from madang.people.rules import has_any_role, has_role, is_authenticated, is_site_admin

ORGANISER_ROLES = (Role.FACILITATOR, Role.INNOVATION_TEAM, Role.ADMINISTRATOR)


def can_organise_in(user: Any, organisation: Organisation) -> bool:
    return is_site_admin(user) or any(has_role(user, r, organisation=organisation) for r in ORGANISER_ROLES)


def can_create_events(user: Any) -> bool:
    return is_site_admin(user) or any(has_any_role(user, r) for r in ORGANISER_ROLES)


def is_organiser(user: Any, event: Event) -> bool:
    return can_organise_in(user, event.organisation)


def can_view(user: Any, event: Event) -> bool:
    """A draft is the organisers' alone; once announced, anyone may read the programme."""
    return event.state != EventState.DRAFT or is_organiser(user, event)


def registration_of(user: Any, event: Event) -> Registration | None:
    if not is_authenticated(user):
        return None
    return event.registrations.filter(user=user, state__in=[RegState.CONFIRMED, RegState.WAITING]).first()


def may_attend(user: Any, event: Event) -> bool:
    """Who the event is for: officials, and citizen members of joint events who hold a seat
    drawn by its lottery (madang/people/seats.py)."""
    if not is_authenticated(user):
        return False
    return bool(
        user.is_official or (user.is_citizen and event.is_joint and seats.holds_seat(f"event:{event.pk}", user.pk))
    )


def can_register(user: Any, event: Event) -> bool:
    return event.state == EventState.OPEN and may_attend(user, event) and registration_of(user, event) is None


def is_participant(user: Any, event: Event) -> bool:
    reg = registration_of(user, event)
    return reg is not None and reg.state == RegState.CONFIRMED


def can_cancel(user: Any, registration: Registration) -> bool:
    live = registration.state in (RegState.CONFIRMED, RegState.WAITING)
    return (
        live
        and registration.event.state != EventState.FINISHED
        and ((is_authenticated(user) and registration.user_id == user.pk) or is_organiser(user, registration.event))
    )


def can_substitute(user: Any, registration: Registration) -> bool:
    """The registrant, their agency's liaison or administrator, or an organiser."""
    if (
        registration.state not in (RegState.CONFIRMED, RegState.WAITING)
        or registration.event.state == EventState.FINISHED
    ):
        return False
    if is_organiser(user, registration.event):
        return True
    if not is_authenticated(user):
        return False
    if registration.user_id == user.pk:
        return True
    agency = registration.agency
    return agency is not None and (
        has_role(user, Role.LIAISON, organisation=agency) or has_role(user, Role.ADMINISTRATOR, organisation=agency)
    )


def can_see_plans(user: Any, event: Event) -> bool:
    """Published groups, rotations and schedules: participants and organisers."""
    return is_organiser(user, event) or is_participant(user, event)


def can_see_plan(user: Any, event: Event, plan: Grouping | Rotation | Schedule) -> bool:
    """Beyond `can_see_plans`: a plan in the making is the organisers' alone until it is published."""
    return plan.state == PlanState.PUBLISHED or is_organiser(user, event)


def can_use_market(user: Any, event: Event) -> bool:
    """Post topics, mark interest, check in to a session: confirmed participants while the event runs."""
    return event.state in (EventState.OPEN, EventState.CLOSED) and (
        is_participant(user, event) or is_organiser(user, event)
    )


# ---------------------------------------------------------------- boards, judging, outcomes


def can_post_on_board(user: Any, board: Board) -> bool:
    """Participants and organisers write on an open board while the event runs."""
    return board.closed_at is None and can_use_market(user, board.event)


def shows_author(user: Any, contribution: BoardItem | Supplement, event: Event) -> bool:
    """Anonymous posts hide name and grade from other participants, never from organisers."""
    return (
        not contribution.anonymous
        or is_organiser(user, event)
        or (is_authenticated(user) and contribution.author_id == user.pk)
    )


def is_juror(user: Any, judging: Judging) -> bool:
    return is_authenticated(user) and judging.jurors.filter(user=user).exists()


def can_see_judgings(user: Any, event: Event) -> bool:
    """The list of an event's judgings: whoever sees the plans, and the jurors of any of them."""
    return can_see_plans(user, event) or (is_authenticated(user) and event.judgings.filter(jurors__user=user).exists())


def can_score(user: Any, judging: Judging) -> bool:
    return judging.state == JudgingState.OPEN and is_juror(user, judging)


def can_vote(user: Any, judging: Judging) -> bool:
    """Every confirmed participant votes, jurors included; organisers who are not participants do not."""
    return judging.state == JudgingState.OPEN and is_participant(user, judging.event)


def can_see_scores(user: Any, judging: Judging) -> bool:
    """The method and every score are published to participants; organisers follow them live."""
    return is_organiser(user, judging.event) or (
        judging.state == JudgingState.PUBLISHED and can_see_plans(user, judging.event)
    )
