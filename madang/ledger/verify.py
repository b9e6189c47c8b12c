"""Does the database still say what the log says? Every finding names what changed and where.

Three layers, each catching a different kind of tampering:

1. the tile directory reproduces its signed checkpoint (a rewritten tile or bundle);
2. every entry row hashes to the leaf at its log index (a rewritten entry row);
3. the live records still match the newest entry about them (a rewritten score, answer,
   decision or proposal text, with the entry left alone).

Layer 3 reads the domain apps' tables; what each kind of entry is compared with is in CHECKS.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from madang.ledger import services as ledger
from madang.ledger.models import Entry
from madang.solvers import tlog


@dataclass(frozen=True)
class Finding:
    where: str  # "log", "entry 12 (review.scorecard, proposal:7)", ...
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


def _where(entry: Entry) -> str:
    return f"entry {entry.log_index} ({entry.kind}, {entry.subject})"


def verify_all() -> list[Finding]:
    findings = list(verify_log_files())
    if findings:
        return findings
    findings += verify_entries()
    findings += verify_records()
    return findings


def verify_log_files() -> Iterator[Finding]:
    try:
        with ledger._writer() as durable:
            durable.tree  # noqa: B018 (opening re-read and checked every tile)
    except tlog.LogCorrupt as exc:
        yield Finding("log", str(exc))
    except tlog.NoteError as exc:
        yield Finding("log", f"the checkpoint does not verify: {exc}")


def verify_entries() -> list[Finding]:
    findings: list[Finding] = []
    with ledger._writer() as durable:
        size = durable.size
        rows = Entry.objects.filter(log_index__isnull=False).order_by("log_index").iterator(chunk_size=2000)
        seen = 0
        for entry in rows:
            seen += 1
            if entry.log_index >= size:
                findings.append(Finding(_where(entry), f"has log index {entry.log_index} but the log has {size} entries"))
            elif tlog.leaf_hash(bytes(entry.body)) != durable.tree.leaf_hash(entry.log_index):
                logged = json.loads(durable.entry(entry.log_index))
                findings.append(Finding(_where(entry), "the stored entry differs from the log: " + _diff(logged, ledger.body_of(entry))))
        if seen != size:
            findings.append(Finding("log", f"the log has {size} entries, the database {seen}"))
    return findings


def _diff(logged: dict[str, Any], stored: dict[str, Any]) -> str:
    keys = sorted(set(logged) | set(stored))
    parts = [f"{k} is {stored.get(k)!r} in the database, {logged.get(k)!r} in the log" for k in keys if logged.get(k) != stored.get(k)]
    return "; ".join(parts) or "different bytes"


# ---------------------------------------------------------------- live records


def _latest(entries: Iterable[Entry], key: Callable[[Entry, dict[str, Any]], Any]) -> dict[Any, tuple[Entry, dict[str, Any]]]:
    out: dict[Any, tuple[Entry, dict[str, Any]]] = {}
    for e in entries:
        body = ledger.body_of(e)
        out[key(e, body)] = (e, body)
    return out


def _subject_id(entry: Entry) -> int:
    return int(entry.subject.split(":", 1)[1])


def check_proposals(entries: list[Entry]) -> Iterator[Finding]:
    from madang.calls.models import Proposal
    from madang.calls.services import _content_digest

    latest = _latest([e for e in entries if e.kind in ("proposal.submitted", "proposal.edited")], lambda e, b: e.subject)
    proposals = Proposal.objects.in_bulk([_subject_id(e) for e, _ in latest.values()])
    for entry, body in latest.values():
        proposal = proposals.get(_subject_id(entry))
        if proposal is None:
            yield Finding(_where(entry), "the proposal is gone from the database")
            continue
        if body.get("content") != _content_digest(proposal):
            yield Finding(_where(entry), f"proposal {proposal.number} ({proposal.pk}): its text was changed without a logged edit")
        if entry.kind == "proposal.submitted" and body.get("number") != proposal.number:
            yield Finding(_where(entry), f"proposal {proposal.pk}: number is {proposal.number} in the database, {body.get('number')} in the log")


def check_scorecards(entries: list[Entry]) -> Iterator[Finding]:
    from madang.review.models import Scorecard

    latest = _latest(entries, lambda e, b: (e.subject, b.get("reviewer")))
    cards = Scorecard.objects.filter(assignment__proposal_id__in={_subject_id(e) for e, _ in latest.values()}).select_related("assignment")
    by_key = {(f"proposal:{c.assignment.proposal_id}", ledger.pseudonym(c.assignment.reviewer_id)): c for c in cards}
    for key, (entry, body) in latest.items():
        card = by_key.get(key)
        if card is None:
            yield Finding(_where(entry), f"the scorecard of reviewer {key[1]} is gone from the database")
            continue
        scores = {str(c): v for c, v in card.scores.values_list("criterion_id", "value")}
        for criterion in sorted(set(scores) | set(body.get("scores", {}))):
            db, logged = scores.get(criterion), body.get("scores", {}).get(criterion)
            if db != logged:
                yield Finding(_where(entry), f"reviewer {key[1]}, criterion {criterion}: score is {db} in the database, {logged} in the log")
        if abs(card.total - float(body.get("total", 0))) > 1e-9:
            yield Finding(_where(entry), f"reviewer {key[1]}: total is {card.total} in the database, {body.get('total')} in the log")
        if card.verdict != body.get("verdict"):
            yield Finding(_where(entry), f"reviewer {key[1]}: verdict is {card.verdict} in the database, {body.get('verdict')} in the log")


def check_decisions(entries: list[Entry]) -> Iterator[Finding]:
    from madang.review.models import Decision

    decisions = Decision.objects.in_bulk([ledger.body_of(e).get("decision") for e in entries])
    for entry in entries:
        body = ledger.body_of(entry)
        decision = decisions.get(body.get("decision"))
        if decision is None:
            yield Finding(_where(entry), f"decision {body.get('decision')} is gone from the database")
            continue
        if f"decision.{decision.kind}" != entry.kind:
            yield Finding(_where(entry), f"decision {decision.pk} is now '{decision.kind}'")
        if decision.department_id != body.get("department") or decision.merged_into_id != body.get("merged_into"):
            yield Finding(_where(entry), f"decision {decision.pk}: its department or merge target was changed")
        if not ledger.matches_commitment(entry, "reason", decision.reason):
            yield Finding(_where(entry), f"decision {decision.pk}: its reason was changed")


def check_answers(entries: list[Entry]) -> Iterator[Finding]:
    from madang.followup.models import Answer

    answers = {a.routing_id: a for a in Answer.objects.filter(routing_id__in=[ledger.body_of(e).get("routing") for e in entries])}
    for entry in entries:
        body = ledger.body_of(entry)
        answer = answers.get(body.get("routing"))
        if answer is None:
            yield Finding(_where(entry), f"the answer to routing {body.get('routing')} is gone from the database")
            continue
        if answer.kind != body.get("answer"):
            yield Finding(_where(entry), f"routing {answer.routing_id}: answer is '{answer.kind}' in the database, '{body.get('answer')}' in the log")
        if not ledger.matches_commitment(entry, "reason", answer.reason):
            yield Finding(_where(entry), f"routing {answer.routing_id}: the answer's reason was changed")


def check_execution(entries: list[Entry]) -> Iterator[Finding]:
    from madang.followup.models import ExecutionUpdate

    logged: dict[int, list[tuple[Entry, dict[str, Any]]]] = defaultdict(list)
    for entry in entries:
        body = ledger.body_of(entry)
        logged[body.get("routing")].append((entry, body))
    stored: dict[int, list[ExecutionUpdate]] = defaultdict(list)
    for update in ExecutionUpdate.objects.filter(routing_id__in=list(logged)).order_by("pk"):
        stored[update.routing_id].append(update)
    for routing_id, items in logged.items():
        rows = stored.get(routing_id, [])
        if len(rows) != len(items):
            yield Finding(_where(items[-1][0]), f"routing {routing_id}: {len(rows)} execution updates in the database, {len(items)} in the log")
            continue
        for (entry, body), row in zip(items, rows, strict=True):
            if (row.state, row.percent, row.happened_on.isoformat()) != (body.get("state"), body.get("percent"), body.get("on")):
                yield Finding(_where(entry), f"routing {routing_id}: update is {row.state} {row.percent}% on {row.happened_on} in the database, "
                                             f"{body.get('state')} {body.get('percent')}% on {body.get('on')} in the log")


def check_routings(entries: list[Entry]) -> Iterator[Finding]:
    from madang.followup.models import Routing

    routings = Routing.objects.in_bulk([ledger.body_of(e).get("routing") for e in entries])
    for entry in entries:
        body = ledger.body_of(entry)
        routing = routings.get(body.get("routing"))
        if routing is None:
            yield Finding(_where(entry), f"routing {body.get('routing')} is gone from the database")
        elif routing.department_id != body.get("department") or routing.answer_due.isoformat() != body.get("answer_due"):
            yield Finding(_where(entry), f"routing {routing.pk}: its department or answer deadline was changed")


# Kind (or kind prefix ending in ".") -> the check that compares those entries with live records.
CHECKS: dict[str, Callable[[list[Entry]], Iterator[Finding]]] = {
    "proposal.submitted": check_proposals,
    "proposal.edited": check_proposals,
    "review.scorecard": check_scorecards,
    "decision.": check_decisions,
    "followup.answered": check_answers,
    "followup.execution": check_execution,
    "followup.routed": check_routings,
}


def verify_records() -> list[Finding]:
    groups: dict[Callable[[list[Entry]], Iterator[Finding]], list[Entry]] = defaultdict(list)
    for entry in Entry.objects.filter(log_index__isnull=False).order_by("log_index").iterator(chunk_size=2000):
        for prefix, check in CHECKS.items():
            if entry.kind == prefix or (prefix.endswith(".") and entry.kind.startswith(prefix)):
                groups[check].append(entry)
                break
    findings: list[Finding] = []
    for check, entries in groups.items():
        findings += check(entries)
    return findings
