"""Steps of a proposal's status timeline that apps above `followup` supply.

The status page (`selectors.timeline`) tells everything that happened to a proposal: its
submission, review, decisions, routings and answers, which followup reads itself, and the steps
of apps above it (the statutory suggestion system's receipt, supplement stops, decision and
implementation), which followup may not import. Each such app registers a function here from its
`AppConfig.ready()`: given a proposal the reader may already see, it returns the steps to show.
Only what may be shown to everyone who can read the proposal belongs in a step.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from madang.calls.models import Proposal


@dataclass(frozen=True)
class TimelineEvent:
    at: datetime
    kind: str
    title: str
    detail: str = ""
    state: str = ""
    due: date | None = None  # the deadline a step sets (a routing's answer date, a decision's due date)


Contributor = Callable[[Proposal], Iterable[TimelineEvent]]

_contributors: dict[str, Contributor] = {}


def register(name: str, steps: Contributor) -> None:
    """Add `steps(proposal)` to every proposal's timeline (called from an AppConfig.ready())."""
    if name in _contributors and _contributors[name] is not steps:
        raise RuntimeError(f"the timeline contributor {name!r} is registered twice")
    _contributors[name] = steps


def contributed(proposal: Proposal) -> list[TimelineEvent]:
    out: list[TimelineEvent] = []
    for steps in _contributors.values():
        out.extend(steps(proposal))
    return out
