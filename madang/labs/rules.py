"""Who may see and do what in a lab. Used by the selectors, views, API, templates and services alike.

Every member has the same rights; there is no leader anywhere. The lab's state is its phase:
forming (volunteers apply, the team confirms them), running, closed (read-only).

Who sees and does what:

- anonymous visitor, citizen: sees the lab's public face (title, mission, term, state, members'
  names, decisions, milestones, experiments, reports, outcome); does nothing.
- official (not a member): sees the public face and the journal; volunteers while the lab is not
  closed; follows.
- applicant: sees what an official sees; leaves (withdraws the application); follows.
- member: sees everything, including members' released duties; keeps the journal, proposes
  decisions and objects, adds milestones, experiments and reports, asks for one extension while
  not closed, closes while running (not handing over), records own released duties, resolves own
  objections, withdraws own open decisions, leaves.
- innovation team, site admin: sees everything, including applicants' motivations; creates labs,
  confirms volunteers, starts a forming lab, closes a running lab, hands its task to a department.

A lab is visible wherever its call is (a call taken off publication hides its labs from all
but the team and the lab's own members). The task's title is shown only to those who may see
the proposal itself (an internal proposal stays internal on its lab's page).
"""

from typing import Any

from madang.calls import rules as calls_rules
from madang.labs.models import Lab, LabState, Membership, MemberState
from madang.people.rules import is_authenticated, is_innovation_team


def is_member(user: Any, lab: Lab) -> bool:
    return is_authenticated(user) and Membership.objects.filter(lab=lab, user=user, state=MemberState.MEMBER).exists()


def is_official(user: Any) -> bool:
    return is_authenticated(user) and bool(user.is_official)


def can_manage(user: Any, lab: Lab) -> bool:
    """The innovation team that runs the programme: confirms volunteers, starts and closes labs."""
    return is_innovation_team(user, lab.proposal.call)


def can_view_lab(user: Any, lab: Lab) -> bool:
    return calls_rules.can_view_call(user, lab.proposal.call) or is_member(user, lab)


def can_see_task(user: Any, lab: Lab) -> bool:
    """May the lab's page name the proposal it works on (title, link)?"""
    return calls_rules.can_view_proposal(user, lab.proposal)


def can_read_journal(user: Any, lab: Lab) -> bool:
    """The journal is the team's working notes: officials and the innovation team read it."""
    return can_view_lab(user, lab) and (is_official(user) or can_manage(user, lab))


def can_see_released_duties(user: Any, lab: Lab) -> bool:
    """Which routine duties a member is freed from concerns the member's work, not the public."""
    return can_manage(user, lab) or is_member(user, lab)


def can_apply(user: Any, lab: Lab) -> bool:
    return (
        is_official(user)
        and lab.state != LabState.CLOSED
        and not Membership.objects.filter(
            lab=lab, user=user, state__in=[MemberState.APPLIED, MemberState.MEMBER]
        ).exists()
    )


def can_confirm(user: Any, lab: Lab) -> bool:
    return lab.state != LabState.CLOSED and can_manage(user, lab)


def can_start(user: Any, lab: Lab) -> bool:
    return lab.state == LabState.FORMING and can_manage(user, lab)


def can_work(user: Any, lab: Lab) -> bool:
    """Journal, decisions, milestones, experiments, reports: any member while the lab is not closed."""
    return lab.state != LabState.CLOSED and is_member(user, lab)


def can_close(user: Any, lab: Lab) -> bool:
    return lab.state == LabState.RUNNING and (can_manage(user, lab) or is_member(user, lab))


def can_hand_over(user: Any, lab: Lab) -> bool:
    """Handing a lab's task to a department routes the proposal: the innovation team's decision."""
    return lab.state == LabState.RUNNING and can_manage(user, lab)


def can_follow(user: Any, lab: Lab) -> bool:
    return is_authenticated(user) and can_view_lab(user, lab)
