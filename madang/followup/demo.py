"""The demo's follow-through: departments answer the routed proposals in every state, and report.

Part of the demo scenario that madang/site/demo.py puts together: on time, late, overdue, declined
with a reason, transferred, executing, done, stopped; then the dates move into the past with the
rest of the finished call, and the pending ledger entries are restated to match.
"""

import random
from collections import defaultdict
from datetime import date, datetime, timedelta

from madang.calls.models import Call, Proposal
from madang.followup import services as followup
from madang.followup.models import Answer, ExecutionUpdate, Routing
from madang.ledger import services as ledger
from madang.ledger.models import Entry
from madang.people.demo import Province

# Answers in every state: on time, late, declined, transferred, executing, done, stopped, overdue, waiting.
PLAN = [
    "done",
    "done",
    "executing",
    "executing",
    "planned",
    "partial",
    "decline",
    "transfer",
    "stopped",
    "late",
    "done",
    "executing",
    "overdue",
    "overdue",
    "waiting",
    "decline",
    "done",
    "executing",
    "overdue",
    "waiting",
    "executing",
]


def answer_routings(rng: random.Random, hanbit: Province, routed: list[Proposal], today: date) -> list[Routing]:
    depts, liaisons = hanbit.depts, hanbit.liaisons
    routings = [Routing.objects.get(proposal=p) for p in routed]
    for routing, what in zip(routings, PLAN, strict=False):
        code = next(c for c, d in depts.items() if d.pk == routing.department_id)
        liaison = liaisons.get(code) or liaisons["civil"]
        if what in ("overdue", "waiting"):
            continue
        if what == "decline":
            followup.answer_routing(
                actor=liaison,
                routing=routing,
                kind="decline",
                reason="관련 법령상 현재는 추진이 어렵습니다. 법 개정 후 다시 검토하겠습니다.",
            )
            continue
        if what == "transfer":
            target = depts["it"] if code != "it" else depts["civil"]
            followup.answer_routing(
                actor=liaison,
                routing=routing,
                kind="transfer",
                reason="시스템 구축 과제여서 정보통신과 소관입니다.",
                transfer_to=target,
            )
            continue
        kind = "partial" if what == "partial" else "accept"
        followup.answer_routing(
            actor=liaison,
            routing=routing,
            kind=kind,
            reason="" if kind == "accept" else "일부 지역부터 시범 추진합니다.",
        )
        if what == "late":
            routing.answer.__class__.objects.filter(routing=routing).update(on_time=False)
        if what in ("planned", "executing", "done", "stopped", "late", "partial"):
            followup.post_execution_update(
                actor=liaison, routing=routing, state="planned", note="추진 계획을 수립했습니다.", happened_on=today
            )
        if what in ("executing", "done", "stopped"):
            followup.post_execution_update(
                actor=liaison,
                routing=routing,
                state="in_progress",
                percent=rng.choice([30, 50, 70]),
                note="시범 운영 중입니다.",
                happened_on=today,
            )
        if what == "done":
            followup.post_execution_update(
                actor=liaison, routing=routing, state="done", note="전 지역으로 확대해 완료했습니다.", happened_on=today
            )
        if what == "stopped":
            followup.post_execution_update(
                actor=liaison,
                routing=routing,
                state="stopped",
                note="예산 미확보로 내년에 다시 추진합니다.",
                happened_on=today,
            )
    return routings


def move_into_the_past(finished: Call, routings: list[Routing], base: datetime, today: date) -> None:
    """Routed at `base` + 52 days, answered since; then the ledger restated and the overdue escalated."""
    for routing in Routing.objects.filter(proposal__call=finished):
        Routing.objects.filter(pk=routing.pk).update(routed_at=base + timedelta(days=52))
        due = (base + timedelta(days=66)).date()
        Routing.objects.filter(pk=routing.pk).update(answer_due=due)
    Answer.objects.filter(routing__proposal__call=finished).update(answered_at=base + timedelta(days=60))
    Answer.objects.filter(routing__proposal__call=finished, on_time=False).update(answered_at=base + timedelta(days=71))
    waiting = [r.pk for r, what in zip(routings, PLAN, strict=False) if what == "waiting"]
    Routing.objects.filter(pk__in=waiting).update(answer_due=today + timedelta(days=10))
    for i, u in enumerate(ExecutionUpdate.objects.filter(routing__proposal__call=finished).order_by("id")):
        when = base + timedelta(days=70 + (i % 5) * 20)
        ExecutionUpdate.objects.filter(pk=u.pk).update(posted_at=when, happened_on=when.date())
    restate_ledger()
    followup.escalate_overdue()


def restate_ledger() -> None:
    """The history above was written today and then moved into the past; so must its ledger
    entries be, before they are sequenced (load() is one transaction, sequencing runs after it)."""
    routings = {r.pk: r for r in Routing.objects.all()}
    # A route decision's entry carries its routing (one decision, one entry).
    for entry in Entry.objects.filter(kind__in=["followup.routed", "decision.route"], log_index__isnull=True):
        routing = routings[ledger.body_of(entry)["routing"]]
        ledger.restate_pending(
            entry, answer_due=routing.answer_due.isoformat(), at=routing.routed_at.isoformat(timespec="seconds")
        )
    on_time = dict(Answer.objects.values_list("routing_id", "on_time"))
    for entry in Entry.objects.filter(kind="followup.answered", log_index__isnull=True):
        ledger.restate_pending(entry, on_time=on_time[ledger.body_of(entry)["routing"]])
    updates: dict[int, list[ExecutionUpdate]] = defaultdict(list)
    for u in ExecutionUpdate.objects.order_by("pk"):
        updates[u.routing_id].append(u)
    seen: dict[int, int] = defaultdict(int)
    for entry in Entry.objects.filter(kind="followup.execution", log_index__isnull=True).order_by("seq"):
        routing_id = ledger.body_of(entry)["routing"]
        u = updates[routing_id][seen[routing_id]]
        seen[routing_id] += 1
        ledger.restate_pending(entry, on=u.happened_on.isoformat(), at=u.posted_at.isoformat(timespec="seconds"))


def restate_routings(pks: list[int]) -> None:
    """Deadlines moved into the past after routing: the pending ledger entries must say so too."""
    routings = Routing.objects.in_bulk(pks)
    for entry in Entry.objects.filter(kind__in=["followup.routed", "decision.route"], log_index__isnull=True).order_by(
        "-seq"
    )[:2000]:
        routing = routings.get(ledger.body_of(entry)["routing"])
        if routing is not None:
            ledger.restate_pending(entry, answer_due=routing.answer_due.isoformat())
