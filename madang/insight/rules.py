"""Who may see, vote in and run the opinion map and the wiki survey of a call.

Seeing follows the call; voting needs a login and a phase in which supporting is open (phases
are data, see calls.models.PHASE_FEATURES); the innovation team adds, moderates and computes.
The duplicate clusters and the topic map read every proposal of the call, internal ones too, so
only the team sees them; merging follows the review app's decision rule.
"""

from typing import Any

from madang.calls.models import Call, Feature
from madang.calls.rules import can_view_call
from madang.people.rules import is_authenticated, is_innovation_team
from madang.review import rules as review_rules


def can_view(user: Any, call: Call) -> bool:
    return can_view_call(user, call)


def is_open(call: Call) -> bool:
    return call.is_published and call.allows(Feature.SUPPORT)


def can_vote(user: Any, call: Call) -> bool:
    return is_authenticated(user) and can_view(user, call) and is_open(call)


def can_suggest(user: Any, call: Call) -> bool:
    """Participants may add statements and ideas; they wait for the team's approval."""
    return can_vote(user, call)


def can_manage(user: Any, call: Call) -> bool:
    return is_innovation_team(user, call)


def can_see_duplicates(user: Any, call: Call) -> bool:
    """Duplicate clusters read every proposal of the call, internal ones included: the innovation
    team of this call and site administrators only (is_innovation_team covers both)."""
    return is_innovation_team(user, call)


def can_see_topics(user: Any, call: Call) -> bool:
    return is_innovation_team(user, call)


def can_merge(user: Any, call: Call) -> bool:
    """The foundation's decision rule: the team, in a phase that records decisions."""
    return review_rules.can_decide(user, call)
