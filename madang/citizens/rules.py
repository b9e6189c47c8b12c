"""Who may do what with invitation pools.

Organisers are the innovation team, facilitators and administrators of the pool's
organisation (or an organisation above it), and site administrators. Citizens volunteer and
answer their own invitations. Everyone may read a pool and its transparency page, which
never shows the attributes of a named person.
"""

from typing import Any

from django.utils import timezone

from madang.citizens.models import Invitation, InvitationPool, InvitationState, PoolState
from madang.people.models import Organisation, Role
from madang.people.rules import has_any_role, has_role, is_authenticated, is_site_admin

ORGANISER_ROLES = (Role.INNOVATION_TEAM, Role.FACILITATOR, Role.ADMINISTRATOR)


def can_organise_in(user: Any, organisation: Organisation) -> bool:
    return is_site_admin(user) or any(has_role(user, r, organisation=organisation) for r in ORGANISER_ROLES)


def can_create_pools(user: Any) -> bool:
    return is_site_admin(user) or any(has_any_role(user, r) for r in ORGANISER_ROLES)


def can_organise(user: Any, pool: InvitationPool) -> bool:
    return can_organise_in(user, pool.organisation)


def is_window_open(pool: InvitationPool) -> bool:
    return pool.state == PoolState.OPEN and pool.opens_at <= timezone.now() < pool.closes_at


def can_volunteer(user: Any, pool: InvitationPool) -> bool:
    """The basic rule (a citizen, an open window); consent and attributes are checked with reasons in services."""
    return is_authenticated(user) and user.is_citizen and is_window_open(pool)


def can_withdraw(user: Any, pool: InvitationPool) -> bool:
    return is_authenticated(user) and pool.state in (PoolState.OPEN, PoolState.CLOSED, PoolState.COMPUTED)


def can_answer(user: Any, invitation: Invitation) -> bool:
    return (
        is_authenticated(user)
        and invitation.user_id == user.pk
        and invitation.state == InvitationState.INVITED
        and timezone.now() <= invitation.answer_by
    )
