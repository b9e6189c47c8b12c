"""The public ledger's entries about follow-through: routings, answers, execution, escalation."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy as _

from madang.followup.models import Answer, AnswerKind, ExecutionUpdate, Routing, RoutingState
from madang.ledger import kinds
from madang.ledger import services as ledger
from madang.ledger.kinds import Finding, Kind, Logged, compare

# A route decision (review's "decision.route") opens its routing and commits to it in the same
# entry; routings opened otherwise (a transfer, a lab handing over, an event's task) have
# "followup.routed". Every routing has exactly one of the two.
ROUTE_DECISION = "decision.route"


class FollowupEntry(StrEnum):
    ROUTED = "followup.routed"
    ANSWERED = "followup.answered"
    EXECUTION = "followup.execution"
    ESCALATED = "followup.escalated"


def routed_body(routing: Routing) -> dict[str, Any]:
    return {
        "routing": routing.pk,
        "department": routing.department_id,
        "answer_due": routing.answer_due.isoformat(),
        "transferred_from": routing.transferred_from_id,
    }


def answered_body(answer: Answer, routing: Routing) -> dict[str, Any]:
    return {"routing": routing.pk, "answer": str(answer.kind), "on_time": answer.on_time, "state": str(routing.state)}


def execution_body(update: ExecutionUpdate) -> dict[str, Any]:
    return {
        "routing": update.routing_id,
        "update": update.pk,
        "state": str(update.state),
        "percent": update.percent,
        "on": update.happened_on.isoformat(),
    }


def _state_after(answer: Answer | None) -> str:
    if answer is None:
        return RoutingState.AWAITING
    return RoutingState.TRANSFERRED if answer.kind == AnswerKind.TRANSFER else RoutingState.ANSWERED


def check_routed(entries: list[Logged]) -> Iterator[Finding]:
    decisions = [Logged(x, ledger.body_of(x)) for x in ledger.entries_of(ROUTE_DECISION)]
    every = [e for e in [*entries, *decisions] if e.get("routing") is not None]
    routings = Routing.objects.select_related("answer").in_bulk([e.get("routing") for e in every])
    for e in every:
        r = routings.get(e.get("routing"))
        if r is None:
            yield e.gone(f"routing {e.get('routing')}")
            continue
        live: dict[str, Any] = {"department": r.department_id, "answer_due": r.answer_due.isoformat()}
        if e.entry.kind == FollowupEntry.ROUTED:
            live["transferred_from"] = r.transferred_from_id
        yield from compare(e, live)
        if r.proposal_id != e.subject_id:
            yield Finding(e.where, f"routing {r.pk} is about proposal {r.proposal_id} in the database", "routing")
        answer = getattr(r, "answer", None)
        if answer is None and r.state != RoutingState.AWAITING:
            yield Finding(e.where, f"routing {r.pk} is '{r.state}' in the database, with no answer in the log", "state")


def missing_routed(entries: list[Logged]) -> Iterator[Finding]:
    logged = {e.get("routing") for e in entries}
    logged |= {ledger.body_of(x).get("routing") for x in ledger.entries_of(ROUTE_DECISION)}
    for pk, pid in Routing.objects.exclude(pk__in=[x for x in logged if x is not None]).values_list(
        "pk", "proposal_id"
    ):
        yield Finding(
            f"proposal:{pid}", f"routing {pk} has no {FollowupEntry.ROUTED} or {ROUTE_DECISION} entry", "record"
        )


def check_answered(entries: list[Logged]) -> Iterator[Finding]:
    answers = {
        a.routing_id: a
        for a in Answer.objects.filter(routing_id__in=[e.get("routing") for e in entries]).select_related("routing")
    }
    for e in entries:
        a = answers.get(e.get("routing"))
        if a is None:
            yield e.gone(f"the answer to routing {e.get('routing')}")
            continue
        yield from compare(
            e, {"answer": str(a.kind), "on_time": a.on_time, "state": str(a.routing.state)}, {"reason": a.reason}
        )
        if "state" not in e.body and a.routing.state != _state_after(a):  # (a reissued v1 entry)
            yield Finding(
                e.where,
                f"routing {a.routing_id} is '{a.routing.state}' in the database after a '{a.kind}' answer",
                "state",
            )


def missing_answered(entries: list[Logged]) -> Iterator[Finding]:
    logged = {e.get("routing") for e in entries}
    for rid, pid in Answer.objects.exclude(routing_id__in=logged).values_list("routing_id", "routing__proposal_id"):
        yield Finding(f"proposal:{pid}", f"the answer to routing {rid} has no {FollowupEntry.ANSWERED} entry", "record")


def check_execution(entries: list[Logged]) -> Iterator[Finding]:
    by_routing: dict[int, list[Logged]] = defaultdict(list)
    for e in entries:
        by_routing[e.get("routing")].append(e)
    stored: dict[int, list[ExecutionUpdate]] = defaultdict(list)
    for row in ExecutionUpdate.objects.filter(routing_id__in=list(by_routing)).order_by("pk"):
        stored[row.routing_id].append(row)
    for routing_id, items in by_routing.items():
        rows = {u.pk: u for u in stored.get(routing_id, [])}
        in_order = stored.get(routing_id, [])
        for i, e in enumerate(items):
            u: ExecutionUpdate | None = (
                rows.get(e.get("update")) if "update" in e.body else (in_order[i] if i < len(in_order) else None)
            )
            if u is None:
                yield e.gone(f"execution update {e.get('update', i + 1)} of routing {routing_id}")
                continue
            yield from compare(
                e,
                {"state": str(u.state), "percent": u.percent, "on": u.happened_on.isoformat()},
                {"note": u.note} if "note" in e.body else None,
            )


def missing_execution(entries: list[Logged]) -> Iterator[Finding]:
    ids = {e.get("update") for e in entries if "update" in e.body}
    counted: dict[int, int] = defaultdict(int)
    for e in entries:
        if "update" not in e.body:
            counted[e.get("routing")] += 1
    seen: dict[int, int] = defaultdict(int)
    for pk, rid, pid in ExecutionUpdate.objects.order_by("pk").values_list("pk", "routing_id", "routing__proposal_id"):
        if pk in ids:
            continue
        seen[rid] += 1
        if seen[rid] > counted[rid]:
            yield Finding(
                f"proposal:{pid}",
                f"execution update {pk} of routing {rid} has no {FollowupEntry.EXECUTION} entry",
                "record",
            )


def check_escalated(entries: list[Logged]) -> Iterator[Finding]:
    routings = Routing.objects.in_bulk([e.get("routing") for e in entries])
    for e in entries:
        r = routings.get(e.get("routing"))
        if r is None:
            yield e.gone(f"routing {e.get('routing')}")
        elif r.escalated_at is None:
            yield Finding(e.where, f"routing {r.pk} is not marked escalated in the database", "routing")


def missing_escalated(entries: list[Logged]) -> Iterator[Finding]:
    logged = {e.get("routing") for e in entries}
    for pk, pid in (
        Routing.objects.filter(escalated_at__isnull=False).exclude(pk__in=logged).values_list("pk", "proposal_id")
    ):
        yield Finding(
            f"proposal:{pid}", f"routing {pk} is marked escalated with no {FollowupEntry.ESCALATED} entry", "record"
        )


KINDS = (
    Kind(
        FollowupEntry.ROUTED,
        "followup",
        "a routing opened without a route decision (a transfer, a lab or an event handing a task to a department)",
        {
            "routing": "the routing's id",
            "department": "the department's id",
            "answer_due": "the answer deadline",
            "transferred_from": "the routing it was transferred from, or null",
        },
        check=check_routed,
        missing=missing_routed,
        checked=("routing", "department", "answer_due", "transferred_from"),
        unique="routing",
    ),
    Kind(
        FollowupEntry.ANSWERED,
        "followup",
        "the department answered a routing",
        {
            "routing": "the routing's id",
            "answer": "accept, partial, decline or transfer",
            "on_time": "answered by the deadline",
            "state": "the routing's state after the answer",
        },
        {"reason": "the reason"},
        check=check_answered,
        missing=missing_answered,
        checked=("answer", "on_time", "state", "reason"),
        unique="routing",
    ),
    Kind(
        FollowupEntry.EXECUTION,
        "followup",
        "the department reported execution",
        {
            "routing": "the routing's id",
            "update": "the update's id",
            "state": "planned, in_progress, done or stopped",
            "percent": "progress",
            "on": "the date it happened",
        },
        {"note": "the note"},
        check=check_execution,
        missing=missing_execution,
        checked=("update", "state", "percent", "on", "note"),
        unique="update",
    ),
    Kind(
        FollowupEntry.ESCALATED,
        "followup",
        "an overdue routing was escalated to the innovation team",
        {"routing": "the routing's id"},
        check=check_escalated,
        missing=missing_escalated,
        checked=("routing",),
        unique="routing",
    ),
)


LABELS = {
    FollowupEntry.ROUTED: _("Sent to a department"),
    FollowupEntry.ANSWERED: _("Department answered"),
    FollowupEntry.EXECUTION: _("Execution reported"),
    FollowupEntry.ESCALATED: _("Overdue answer escalated"),
}


def register() -> None:
    """Called from this app's AppConfig.ready()."""
    kinds.register("followup", KINDS, labels=LABELS)
