"""Who may do what in the suggestion system. Used by the services, views, API and templates alike.

The office (제안 담당 부서) is the innovation team over the office's organisation (or over its
standing call, or a site administrator). The proposer is an author of the suggestion's proposal.
The implementing department's liaisons carry out an adopted suggestion and report on it; only
the office rules on whether it was implemented.
"""

from datetime import date
from typing import Any

from madang.calls import rules as calls_rules
from madang.calls.models import Outcome, Proposal, Status
from madang.people import rules as people_rules
from madang.people.models import Organisation, Role
from madang.suggestions.models import Stage, Suggestion, SuggestionOffice


def is_office(user: Any, office: SuggestionOffice) -> bool:
    return people_rules.is_innovation_team(user, office.standing_call)


def can_open_office(user: Any, organisation: Organisation) -> bool:
    """A site administrator, or the innovation team over the organisation. (An administrator of one
    organisation manages its people, not its calls: the office's standing call is the team's.)"""
    return people_rules.is_site_admin(user) or people_rules.has_role(
        user, Role.INNOVATION_TEAM, organisation=organisation
    )


def may_open_offices(user: Any) -> bool:
    """Whether the page for opening an office is for this person at all (which organisations, the
    selectors say)."""
    return people_rules.is_site_admin(user) or people_rules.has_any_role(user, Role.INNOVATION_TEAM)


def is_proposer(user: Any, suggestion: Suggestion) -> bool:
    return calls_rules.is_author(user, suggestion.proposal)


def is_implementer(user: Any, suggestion: Suggestion) -> bool:
    return suggestion.department is not None and people_rules.is_liaison_for(user, suggestion.department)


def sat_on_panel(user: Any, suggestion: Suggestion) -> bool:
    if not people_rules.is_authenticated(user):
        return False
    return any(user.pk in {u.pk for u in d.panel.all()} for d in suggestion.decisions.all())


def can_view(user: Any, suggestion: Suggestion) -> bool:
    """The suggestion's own page: the office, the proposer, the implementing liaisons and its panels.
    (Its proposal may be public; what the public sees is the status timeline.)"""
    return (
        is_office(user, suggestion.office)
        or is_proposer(user, suggestion)
        or is_implementer(user, suggestion)
        or sat_on_panel(user, suggestion)
    )


def can_read_notices(user: Any, suggestion: Suggestion) -> bool:
    """The notices sent to the proposer, as documents: the proposer and the office, who see the
    suggestion page's private parts (the explanation, the supplement questions)."""
    return is_proposer(user, suggestion) or is_office(user, suggestion.office)


def can_file(user: Any, office: SuggestionOffice) -> bool:
    return calls_rules.can_submit(user, office.standing_call)


def can_receive(user: Any, office: SuggestionOffice) -> bool:
    return is_office(user, office)


def can_handle(user: Any, suggestion: Suggestion) -> bool:
    """Ask for supplements, decide, decide a re-examination: the office."""
    return is_office(user, suggestion.office)


def extension_open(suggestion: Suggestion, today: date, allowed_times: int | None) -> bool:
    """Whether the decision period may be extended on `today`: under review, its clock running (no
    supplement open) and not yet due, and the pack's extensions (`allowed_times`) not used up."""
    if suggestion.stage != Stage.REVIEWING or suggestion.decision_due is None or not allowed_times:
        return False
    if today < suggestion.received_on or today > suggestion.decision_due:
        return False
    if any(x.is_open for x in suggestion.supplements.all()):
        return False
    return len(suggestion.decision_extensions.all()) < allowed_times


def can_extend_decision(user: Any, suggestion: Suggestion, today: date, allowed_times: int | None) -> bool:
    """Extend the decision period (처리기간 연장): the office, while `extension_open`."""
    return is_office(user, suggestion.office) and extension_open(suggestion, today, allowed_times)


def can_implement(user: Any, suggestion: Suggestion) -> bool:
    """Plan, notify a delay, declare it cannot be implemented: the office or the implementing liaisons."""
    return suggestion.stage == Stage.ADOPTED and (
        is_office(user, suggestion.office) or is_implementer(user, suggestion)
    )


def can_rule(user: Any, suggestion: Suggestion) -> bool:
    return suggestion.stage == Stage.ADOPTED and is_office(user, suggestion.office)


def reexamination_open(suggestion: Suggestion, today: date) -> bool:
    """Whether the window to ask for re-examination is open on `today` (a first decision not to adopt,
    not reopened for refinement since)."""
    if suggestion.stage != Stage.NOT_ADOPTED or has_reexamination(suggestion) or refined_as(suggestion) is not None:
        return False
    first = next((d for d in suggestion.decisions.all() if d.round == "first"), None)
    return (
        first is not None
        and first.reexamination_until is not None
        and first.decided_on <= today <= first.reexamination_until
    )


def has_reexamination(suggestion: Suggestion) -> bool:
    try:
        return suggestion.reexamination is not None
    except Suggestion.reexamination.RelatedObjectDoesNotExist:
        return False


def can_request_reexamination(user: Any, suggestion: Suggestion, today: date) -> bool:
    return is_proposer(user, suggestion) and reexamination_open(suggestion, today)


def refined_as(suggestion: Suggestion) -> Suggestion | None:
    """The suggestion that reopened this one's idea for refinement, if any."""
    return later_of(suggestion.proposal)


def later_of(proposal: Proposal) -> Suggestion | None:
    try:
        return proposal.refined_as
    except Proposal.refined_as.RelatedObjectDoesNotExist:
        return None


def can_refile(user: Any, proposal: Proposal, suggestion: Suggestion | None) -> bool:
    """Reopen a declined idea for refinement: its proposer, once it was not adopted (a suggestion
    after its decision or re-examination; an ordinary proposal after its review), and only once."""
    if not calls_rules.is_author(user, proposal) or later_of(proposal) is not None:
        return False
    if suggestion is not None:
        return suggestion.stage == Stage.NOT_ADOPTED
    return proposal.status == Status.SUBMITTED and proposal.outcome == Outcome.NOT_ADOPTED
