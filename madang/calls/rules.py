"""Who may do what with calls and proposals. Used by views, the API and templates alike."""

from typing import Any

from madang.calls import viewers
from madang.calls.models import Call, Confidentiality, Feature, Proposal, Status
from madang.people import rules as people_rules
from madang.people.models import Role
from madang.people.rules import is_authenticated, is_innovation_team
from madang.privacy import rules as privacy_rules


def is_author(user: Any, proposal: Proposal) -> bool:
    return is_authenticated(user) and user.pk in proposal.author_ids()


def can_view_call(user: Any, call: Call) -> bool:
    """Who may read the call and what is shared in it (its confidentiality setting)."""
    if call.is_public():
        return True
    if is_innovation_team(user, call):
        return True
    if not call.is_published or not is_authenticated(user):
        return False
    if people_rules.has_role(user, Role.REVIEWER, call=call):
        return True  # reviewers named for this call or over its organiser
    if call.confidentiality == Confidentiality.OFFICIALS:
        return bool(user.is_official)
    paths = call.listed_paths()
    if any(lp.startswith(p) for lp in people_rules.liaison_paths(user) for p in paths):
        return True  # the liaison of a department the call's proposals may be routed to
    return bool(user.is_official and user.department_id and any(user.department.path.startswith(p) for p in paths))


def is_eligible(user: Any, call: Call) -> bool:
    """May this person propose in this call (audience and organisation), regardless of dates?"""
    if not is_authenticated(user):
        return False
    if user.is_citizen:
        return call.is_open_to_citizens()
    if not call.is_open_to_officials() or user.department_id is None:
        return False
    paths = [o.path for o in call.eligible_organisations.all()] or [call.organisation.path]
    return any(user.department.path.startswith(p) for p in paths)


def can_submit(user: Any, call: Call) -> bool:
    return (
        call.is_published
        and call.allows(Feature.SUBMIT)
        and is_eligible(user, call)
        and people_rules.has_confirmed_email(user)
    )


def is_assigned_reviewer(user: Any, proposal: Proposal) -> bool:
    return is_authenticated(user) and proposal.review_assignments.filter(reviewer=user).exists()


def can_view_proposal(user: Any, proposal: Proposal) -> bool:
    """The row-by-row twin of `selectors.visible_proposals` (keep the two in step).

    Drafts: their authors only. Withdrawn and hidden: their authors and the innovation team (held
    by the exposure filter: also the moderators of posted text).
    Internal: also the assigned reviewers and the liaisons it was routed to. Everything else
    submitted: whoever may read the call.
    """
    if proposal.is_public():
        return True  # (first: it needs no query about the user)
    if is_author(user, proposal):
        return True
    if proposal.status == Status.DRAFT or not can_view_call(user, proposal.call):
        return False
    if is_innovation_team(user, proposal.call):
        return True
    if proposal.hidden_at is not None and proposal.hidden_by_id is None:
        # Held by the exposure filter: also the moderators of posted text (calls/privacy.py).
        return privacy_rules.can_moderate_exposures(user, proposal.call.organisation)
    if proposal.status != Status.SUBMITTED or proposal.hidden_at is not None:
        return False
    if proposal.is_internal:
        return viewers.works_on(user, proposal)  # its reviewers and routed liaisons (review, followup)
    return True


def reads_as_written(user: Any, proposal: Proposal) -> bool:
    """Sees what the exposure filter flagged in the proposal as its authors wrote it: its authors
    and the moderators of posted text (calls/privacy.py); everyone else reads it masked."""
    if not is_authenticated(user):
        return False
    if is_author(user, proposal):
        return True
    # (Most readers moderate nothing: they are answered without reading the call's organisation.)
    return privacy_rules.can_open_moderation(user) and privacy_rules.can_moderate_exposures(
        user, proposal.call.organisation
    )


def can_edit_proposal(user: Any, proposal: Proposal) -> bool:
    if not is_author(user, proposal):
        return False
    if proposal.status == Status.DRAFT:
        return True
    return proposal.status == Status.SUBMITTED and proposal.call.allows(Feature.SUBMIT)


def can_withdraw(user: Any, proposal: Proposal) -> bool:
    return is_author(user, proposal) and proposal.status == Status.SUBMITTED and proposal.call.allows(Feature.SUBMIT)


def can_support(user: Any, proposal: Proposal) -> bool:
    return (
        is_authenticated(user)
        and proposal.status == Status.SUBMITTED
        and proposal.call.allows(Feature.SUPPORT)
        and not is_author(user, proposal)
        and people_rules.has_confirmed_email(user)
        and can_view_proposal(user, proposal)
    )


def can_comment(user: Any, proposal: Proposal) -> bool:
    return (
        is_authenticated(user)
        and proposal.status == Status.SUBMITTED
        and proposal.call.allows(Feature.COMMENT)
        and people_rules.has_confirmed_email(user)
        and can_view_proposal(user, proposal)
    )


def can_report(user: Any, proposal: Proposal) -> bool:
    return is_authenticated(user) and can_view_proposal(user, proposal)


def can_moderate(user: Any, call: Call) -> bool:
    return is_innovation_team(user, call)


def can_see_authors(user: Any, proposal: Proposal) -> bool:
    return not proposal.call.authors_hidden() or is_author(user, proposal) or is_innovation_team(user, proposal.call)


def hidden_author_ids(user: Any, proposal: Proposal) -> set[int]:
    """The people whose names `user` may not see anywhere on this proposal (its page, its
    comments, search results, the API): every author and co-author while the call hides them."""
    return set() if can_see_authors(user, proposal) else set(proposal.author_ids())


def can_mark_internal(user: Any, proposal: Proposal) -> bool:
    return proposal.status != Status.DRAFT and is_innovation_team(user, proposal.call)


def can_manage_call(user: Any, call: Call) -> bool:
    return is_innovation_team(user, call)


def can_create_call(user: Any) -> bool:
    return people_rules.is_site_admin(user) or people_rules.has_any_role(user, Role.INNOVATION_TEAM)


def can_edit_call(user: Any, call: Call) -> bool:
    """Change a call's text, categories and phase dates: its innovation team (or a site admin)."""
    return is_innovation_team(user, call)
