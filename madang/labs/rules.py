"""Lab permissions. Every member has the same rights; there is no leader anywhere."""

from typing import Any

from madang.labs.models import Lab, LabState, Membership, MemberState
from madang.people.rules import is_authenticated, is_innovation_team


def is_member(user: Any, lab: Lab) -> bool:
    return is_authenticated(user) and Membership.objects.filter(lab=lab, user=user, state=MemberState.MEMBER).exists()


def can_manage(user: Any, lab: Lab) -> bool:
    """The innovation team that runs the programme: confirms volunteers, starts and closes labs."""
    return is_innovation_team(user, lab.proposal.call)


def can_apply(user: Any, lab: Lab) -> bool:
    return (
        is_authenticated(user)
        and user.is_official
        and lab.state != LabState.CLOSED
        and not Membership.objects.filter(lab=lab, user=user, state__in=[MemberState.APPLIED, MemberState.MEMBER]).exists()
    )


def can_work(user: Any, lab: Lab) -> bool:
    """Journal, decisions, milestones, experiments, reports: any member while the lab is not closed."""
    return lab.state != LabState.CLOSED and is_member(user, lab)
