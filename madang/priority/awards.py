"""The first-to-file check's objection to an award (registered with `suggestions.objections`).

One idea is not awarded twice (국민 제안 규정 제6조제3항: of two proposals with the same content, the
one received first has priority; and, as read in news-2016, a proposal filed with several agencies
is not awarded twice). So an award is refused when the office ruled that another agency received
the same idea first, and while a match with a filing there that came first (or at the same
moment) still waits for the office's ruling. The idea is the suggestion with the proposals merged
with it and the declined ideas it refines: a ruling on any of them counts.
"""

from django.utils.translation import gettext_lazy as _

from madang.calls.models import Proposal
from madang.priority.models import Match, Verdict
from madang.suggestions import objections
from madang.suggestions import services as suggestions
from madang.suggestions.models import Suggestion
from madang.suggestions.objections import Objection


def _idea(s: Suggestion) -> set[int]:
    """The proposals that are this idea: merged with it, and the declined ideas it refines (to the first)."""
    idea = suggestions.same_idea(s.proposal)
    refines = s.refines_id
    while refines is not None and refines not in idea:
        idea |= suggestions.same_idea(Proposal.objects.get(pk=refines))
        refines = Suggestion.objects.filter(proposal_id=refines).values_list("refines_id", flat=True).first()
    return idea


def objection(s: Suggestion) -> Objection | None:
    matches = (
        Match.objects.filter(suggestion__proposal_id__in=_idea(s))
        .select_related("filing__peer", "suggestion", "ruling")
        .order_by("filing__received_on", "id")
    )
    waiting = None
    for m in matches:
        f = m.filing
        params = {"peer": f.peer.name, "number": f.number, "day": f.priority_date.isoformat()}
        ruling = getattr(m, "ruling", None)
        if ruling is not None and ruling.verdict == Verdict.THEIRS_FIRST:
            return Objection(
                "filed_first_elsewhere",
                _(
                    "The same idea was filed first at %(peer)s (their receipt no. %(number)s, first filed on "
                    "%(day)s), as the office ruled on %(ruled)s: the earlier filing has priority (국민 제안 규정 "
                    "제6조제3항) and one idea is not awarded twice."
                )
                % {**params, "ruled": ruling.ruled_on.isoformat()},
            )
        if ruling is None and waiting is None and m.order in ("theirs", "tie"):
            waiting = Objection(
                "priority_unruled",
                _(
                    "A similar idea was filed at %(peer)s on %(day)s, no later than ours (their receipt no. "
                    "%(number)s): rule on that match first, whether it is the same idea, before awarding."
                )
                % params,
            )
    return waiting


def register() -> None:
    """Called from PriorityConfig.ready()."""
    objections.register("priority.filed_first_elsewhere", objection)
