"""Who else may read an internal proposal: the people who work on it in the apps above calls.

An internal proposal is shown to its authors and the innovation team (calls knows them), and
also to its assigned reviewers (review) and the liaisons of the departments it was sent to
(followup). calls may not import those apps, so each registers its people here from its
`AppConfig.ready()`, twice over as calls' visibility rule needs them: as a subquery of proposal
ids for `selectors.visible_proposals`, and as a check on one proposal for `rules.can_view_proposal`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from madang.calls.models import Proposal
from madang.people.rules import is_authenticated


@dataclass(frozen=True)
class Workers:
    # The ids of the proposals this signed-in user works on (a `values("proposal_id")` queryset),
    # or None when they work on none (so no subquery is added). Its SQL may depend on the user
    # only through their key and their liaison roles: for anyone who is no liaison,
    # `selectors._has_own` compiles it once, with a stand-in user of that key.
    proposal_ids: Callable[[Any], QuerySet[Any] | None]
    # Whether this signed-in user works on this proposal.
    works_on: Callable[[Any, Proposal], bool]


_workers: dict[str, Workers] = {}


def register(name: str, workers: Workers) -> None:
    if name in _workers and _workers[name] != workers:
        raise RuntimeError(f"the proposal workers {name!r} are registered twice")
    _workers[name] = workers


def worked_on_by(user: Any) -> Q:
    """Proposals this signed-in user works on, as a condition on Proposal (subqueries, not joins:
    joins would need DISTINCT over every visible proposal, which makes a national call's page slow)."""
    found = Q(pk__in=[])
    for part in worked_on_parts(user):
        found |= part
    return found


def worked_on_parts(user: Any) -> list[Q]:
    """`worked_on_by`, one condition for each kind of work (review, followup, …), for a caller
    that asks about each on its own."""
    if not is_authenticated(user):
        return []
    return [Q(pk__in=ids) for workers in _workers.values() if (ids := workers.proposal_ids(user)) is not None]


def works_on(user: Any, proposal: Proposal) -> bool:
    return is_authenticated(user) and any(workers.works_on(user, proposal) for workers in _workers.values())
