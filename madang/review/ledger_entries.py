"""The public ledger's entries about review: scorecards and the innovation team's decisions."""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy as _

from madang.calls.models import Outcome, Proposal
from madang.ledger import kinds
from madang.ledger import services as ledger
from madang.ledger.kinds import Finding, Kind, Logged, compare
from madang.review.models import Decision, DecisionKind, Scorecard


class ReviewEntry(StrEnum):
    SCORECARD = "review.scorecard"
    SELECT = "decision.select"
    REJECT = "decision.reject"
    ROUTE = "decision.route"
    MERGE = "decision.merge"


DECISION_ENTRY = {
    DecisionKind.SELECT: ReviewEntry.SELECT,
    DecisionKind.REJECT: ReviewEntry.REJECT,
    DecisionKind.ROUTE: ReviewEntry.ROUTE,
    DecisionKind.MERGE: ReviewEntry.MERGE,
}
OUTCOME_OF = {
    DecisionKind.SELECT: Outcome.SELECTED,
    DecisionKind.REJECT: Outcome.NOT_ADOPTED,
    DecisionKind.ROUTE: Outcome.ROUTED,
    DecisionKind.MERGE: Outcome.MERGED,
}


def reviewer_pseudonym(proposal_id: int, user_id: int | None) -> str | None:
    return ledger.pseudonym_for(ReviewEntry.SCORECARD, f"proposal:{proposal_id}", user_id)


def scorecard_body(card: Scorecard, *, proposal_id: int, reviewer_id: int, first: bool) -> dict[str, Any]:
    return {
        "reviewer": reviewer_pseudonym(proposal_id, reviewer_id),
        "scores": {str(c): v for c, v in sorted(card.scores.values_list("criterion_id", "value"))},
        "total": card.total,
        "verdict": card.verdict,
        "revision": "first" if first else "update",
    }


def decision_body(decision: Decision, routing: Any = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "decision": decision.pk,
        "outcome": str(OUTCOME_OF[DecisionKind(decision.kind)]),
        "department": decision.department_id,
        "merged_into": decision.merged_into_id,
    }
    if decision.kind == DecisionKind.ROUTE:
        body["routing"] = routing.pk if routing is not None else None
        body["answer_due"] = routing.answer_due.isoformat() if routing is not None else None
    return body


# ---------------------------------------------------------------- checks


def check_scorecards(entries: list[Logged]) -> Iterator[Finding]:
    latest: dict[tuple[str, Any], Logged] = {}
    for e in entries:
        latest[(e.entry.subject, e.get("reviewer"))] = e
    cards = Scorecard.objects.filter(
        assignment__proposal_id__in={e.subject_id for e in latest.values()}
    ).select_related("assignment")
    by_key = {
        (
            f"proposal:{c.assignment.proposal_id}",
            reviewer_pseudonym(c.assignment.proposal_id, c.assignment.reviewer_id),
        ): c
        for c in cards
    }
    for key, e in latest.items():
        card = by_key.get(key)
        if card is None:
            yield e.gone(f"the scorecard of reviewer {key[1]}")
            continue
        scores = {str(c): v for c, v in card.scores.values_list("criterion_id", "value")}
        logged = e.get("scores") or {}
        for criterion in sorted(set(scores) | set(logged)):
            if scores.get(criterion) != logged.get(criterion):
                yield Finding(
                    e.where,
                    f"is {scores.get(criterion)} in the database, {logged.get(criterion)} in the log",
                    f"scores[{criterion}]",
                )
        live = {"total": card.total, "verdict": card.verdict}
        for name, value in live.items():
            found = e.differs(name, value)
            if found and name == "total" and abs(float(e.get("total") or 0) - card.total) <= 1e-9:
                continue
            if found:
                yield found


def missing_scorecards(entries: list[Logged]) -> Iterator[Finding]:
    logged = {(e.entry.subject, e.get("reviewer")) for e in entries}
    for pid, rid in Scorecard.objects.values_list("assignment__proposal_id", "assignment__reviewer_id"):
        if (f"proposal:{pid}", reviewer_pseudonym(pid, rid)) not in logged:
            yield Finding(
                f"proposal:{pid}", f"a scorecard of proposal {pid} has no {ReviewEntry.SCORECARD} entry", "record"
            )


def _check_decisions(kind: DecisionKind) -> Any:
    def check(entries: list[Logged]) -> Iterator[Finding]:
        decisions = Decision.objects.select_related("proposal").in_bulk([e.get("decision") for e in entries])
        for e in entries:
            d = decisions.get(e.get("decision"))
            if d is None:
                yield e.gone(f"decision {e.get('decision')}")
                continue
            if d.kind != kind:
                yield Finding(e.where, f"decision {d.pk} is '{d.kind}' in the database, '{kind}' in the log", "kind")
            if d.proposal_id != e.subject_id:
                yield Finding(e.where, f"decision {d.pk} is about proposal {d.proposal_id} in the database", "subject")
            live: dict[str, Any] = {"department": d.department_id, "merged_into": d.merged_into_id}
            if "outcome" in e.body or "reissues" not in e.body:
                live["outcome"] = str(d.proposal.outcome)
            yield from compare(e, live, {"reason": d.reason})

    return check


def _missing_decisions(kind: DecisionKind) -> Any:
    def missing(entries: list[Logged]) -> Iterator[Finding]:
        logged = {e.get("decision") for e in entries}
        for pk, pid in Decision.objects.filter(kind=kind).exclude(pk__in=logged).values_list("pk", "proposal_id"):
            yield Finding(f"proposal:{pid}", f"decision {pk} ('{kind}') has no {DECISION_ENTRY[kind]} entry", "record")
        if kind == DecisionKind.SELECT:
            yield from _undecided_outcomes()

    return missing


def _undecided_outcomes() -> Iterator[Finding]:
    """A proposal whose outcome is set must have a decision (checked once, with the selections)."""
    decided = set(Decision.objects.values_list("proposal_id", flat=True))
    rows = Proposal.objects.exclude(outcome=Outcome.PENDING).exclude(pk__in=decided).values_list("pk", "outcome")
    for pk, outcome in rows:
        yield Finding(
            f"proposal:{pk}", f"proposal {pk} is '{outcome}' in the database with no decision in the log", "outcome"
        )


_DECISION_FIELDS = {
    "decision": "the decision's id",
    "outcome": "the proposal's outcome it sets",
    "department": "the department's id (routing), else null",
    "merged_into": "the target proposal's id (merge), else null",
}

KINDS = (
    Kind(
        ReviewEntry.SCORECARD,
        "review",
        "a reviewer filled in (or updated) a scorecard",
        {
            "reviewer": "the reviewer's pseudonym in the proposal's review context",
            "scores": "{criterion id: score}",
            "total": "weighted total, 0-100",
            "verdict": "feasibility verdict",
            "revision": "first or update",
        },
        check=check_scorecards,
        missing=missing_scorecards,
        checked=("reviewer", "scores", "total", "verdict"),
        pseudonym_fields=("reviewer",),
    ),
    Kind(
        ReviewEntry.SELECT,
        "decision",
        "the proposal was selected for a lab",
        _DECISION_FIELDS,
        {"reason": "the reason"},
        check=_check_decisions(DecisionKind.SELECT),
        missing=_missing_decisions(DecisionKind.SELECT),
        checked=("decision", "outcome", "department", "merged_into", "reason"),
        unique="decision",
    ),
    Kind(
        ReviewEntry.REJECT,
        "decision",
        "the proposal was not adopted",
        _DECISION_FIELDS,
        {"reason": "the reason the author reads"},
        check=_check_decisions(DecisionKind.REJECT),
        missing=_missing_decisions(DecisionKind.REJECT),
        checked=("decision", "outcome", "department", "merged_into", "reason"),
        unique="decision",
    ),
    Kind(
        ReviewEntry.ROUTE,
        "decision",
        "the proposal was routed to a department: the decision and the routing it opens, one entry",
        {**_DECISION_FIELDS, "routing": "the routing's id", "answer_due": "the answer deadline"},
        {"reason": "the reason"},
        check=_check_decisions(DecisionKind.ROUTE),
        missing=_missing_decisions(DecisionKind.ROUTE),
        # (routing and answer_due are rebuilt by followup's check of every routing)
        checked=("decision", "outcome", "department", "merged_into", "routing", "answer_due", "reason"),
        unique="decision",
    ),
    Kind(
        ReviewEntry.MERGE,
        "decision",
        "the proposal was merged into another",
        _DECISION_FIELDS,
        {"reason": "the reason"},
        check=_check_decisions(DecisionKind.MERGE),
        missing=_missing_decisions(DecisionKind.MERGE),
        checked=("decision", "outcome", "department", "merged_into", "reason"),
        unique="decision",
    ),
)


LABELS = {
    ReviewEntry.SCORECARD: _("Scorecard filled in"),
    ReviewEntry.SELECT: _("Decision: selected for a lab"),
    ReviewEntry.REJECT: _("Decision: not adopted"),
    ReviewEntry.ROUTE: _("Decision: routed to a department"),
    ReviewEntry.MERGE: _("Decision: merged into another proposal"),
}


def register() -> None:
    """Called from this app's AppConfig.ready()."""
    kinds.register("review", KINDS, labels=LABELS)
