"""Lab permissions. Every member has the same rights; there is no leader anywhere."""

from typing import Any

from madang.calls.rules import can_view_proposal
from madang.labs.models import Lab, LabState, Membership, MemberState
from madang.people.rules import is_authenticated, is_innovation_team, is_liaison_for


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


def can_view_lab(user: Any, lab: Lab) -> bool:
    """A lab is as visible as its task: a lab on an internal proposal (or in a confidential call)
    is shown only to those who may read the proposal, and to the lab's own people."""
    if can_view_proposal(user, lab.proposal) or can_manage(user, lab):
        return True
    return is_authenticated(user) and Membership.objects.filter(lab=lab, user=user).exists()


def can_see_released_duties(user: Any, membership: Membership) -> bool:
    """Which routine duties a member was released from is a matter between the lab, the
    innovation team and the member's home department: never shown to the public."""
    if not is_authenticated(user):
        return False
    lab = membership.lab
    if is_member(user, lab) or can_manage(user, lab):
        return True
    home = membership.home_department
    if home is None:
        return False
    in_home = user.department_id is not None and user.department.path.startswith(home.path)
    return bool(in_home or is_liaison_for(user, home))
