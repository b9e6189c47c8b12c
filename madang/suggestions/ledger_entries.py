"""The public ledger's entries about statutory suggestions: receipt, supplement stops, decisions,
transfers, re-examination, implementation, overdue notices, effects and their corrections, awards,
and declined ideas reopened for refinement.

Every entry is about the suggestion's proposal (`proposal:<id>`) and names the record it commits
to by id. `madang ledger verify` rebuilds each entry's fields from that record (`check`) and finds
records with no entry (`missing`), so a decision ground, a date or a panel changed in the database
afterwards is reported by entry and field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from madang.core.errors import DomainError
from madang.ledger import kinds
from madang.ledger import services as ledger
from madang.ledger.kinds import Finding, Kind, Logged, compare
from madang.suggestions import clocks, fingerprints
from madang.suggestions.models import (
    Award,
    CannotImplement,
    Decision,
    DecisionExtension,
    DelayNotice,
    Effect,
    PersonnelCredit,
    Plan,
    Reexamination,
    Reminder,
    ReminderStage,
    Ruling,
    Suggestion,
    Supplement,
    Transfer,
)

ROLE = "suggestion"


class SuggestionEntry(StrEnum):
    RECEIVED = "suggestion.received"
    SUPPLEMENT_REQUESTED = "suggestion.supplement_requested"
    SUPPLEMENT_CLOSED = "suggestion.supplement_closed"
    DECIDED = "suggestion.decided"
    TRANSFERRED = "suggestion.transferred"
    REEXAMINATION_REQUESTED = "suggestion.reexamination_requested"
    PLANNED = "suggestion.implementation_planned"
    DELAYED = "suggestion.delay_notified"
    CANNOT_IMPLEMENT = "suggestion.cannot_implement"
    RULED = "suggestion.implementation_ruled"
    OVERDUE = "suggestion.overdue"
    EFFECT = "suggestion.effect_recorded"
    AWARDED = "suggestion.awarded"
    CREDITED = "suggestion.personnel_credit"
    RECOMMENDED = "suggestion.recommended"
    REFILED = "suggestion.refiled"
    EFFECT_CORRECTED = "suggestion.effect_corrected"
    DECISION_EXTENDED = "suggestion.decision_extended"


def subject(proposal_id: int) -> str:
    return f"proposal:{proposal_id}"


def _iso(d: Any) -> str | None:
    return d.isoformat() if d is not None else None


# ---------------------------------------------------------------- bodies (what the services write)


def received_body(s: Suggestion, original_due: Any) -> dict[str, Any]:
    return {
        "suggestion": s.pk,
        "number": s.receipt_number,
        "office": s.office_id,
        "type": s.kind,
        "proposer": s.proposer_kind,
        "pack": s.pack_key,
        "pack_digest": s.pack_digest,
        "received_on": _iso(s.received_on),
        "supplement_until": _iso(s.supplement_until),
        "decision_due": _iso(original_due),
        **_lineage(s),
    }


def _lineage(s: Suggestion) -> dict[str, Any]:
    # A refined idea's receipt names the proposal it refines and the day the idea was first filed, so
    # its priority is fixed with the receipt, like its fingerprint: a later entry cannot give an old
    # receipt an earlier date (docs/suggestions.md, first to file). Absent for any other suggestion.
    if s.refines_id is None:
        return {}
    return {"refines": s.refines_id, "first_filed_on": _iso(s.first_filed_on)}


def supplement_requested_body(x: Supplement) -> dict[str, Any]:
    return {"supplement": x.pk, "asked_on": _iso(x.asked_on), "answer_by": _iso(x.answer_by)}


def supplement_closed_body(x: Supplement, decision_due: Any) -> dict[str, Any]:
    return {
        "supplement": x.pk,
        "answered_on": _iso(x.answered_on),
        "lapsed_on": _iso(x.lapsed_on),
        "decision_due": _iso(decision_due),
    }


def _person(kind: SuggestionEntry, proposal_id: int, user_id: int | None) -> str | None:
    return ledger.pseudonym_for(kind, subject(proposal_id), user_id)


def panel_pseudonyms(proposal_id: int, user_ids: list[int]) -> list[str | None]:
    return sorted(
        (ledger.pseudonym_for(SuggestionEntry.DECIDED, subject(proposal_id), uid) for uid in user_ids),
        key=lambda p: p or "",
    )


def decided_body(d: Decision, proposal_id: int, panel_ids: list[int]) -> dict[str, Any]:
    return {
        "decision": d.pk,
        "round": d.round,
        "outcome": d.outcome,
        "ground": d.ground,
        "decided_on": _iso(d.decided_on),
        "due": _iso(d.due),
        "on_time": d.on_time,
        "reexamination_until": _iso(d.reexamination_until),
        "panel": panel_pseudonyms(proposal_id, panel_ids),
    }


def transferred_body(t: Transfer) -> dict[str, Any]:
    return {
        "decision": t.decision_id,
        "channel": t.channel,
        "recipient": t.recipient,
        "reference": t.reference,
        "transferred_on": _iso(t.transferred_on),
    }


def reexamination_body(r: Reexamination) -> dict[str, Any]:
    return {"reexamination": r.pk, "requested_on": _iso(r.requested_on), "due": _iso(r.due)}


def planned_body(p: Plan, department_id: int | None) -> dict[str, Any]:
    return {
        "plan": p.pk,
        "implement_by": _iso(p.implement_by),
        "planned_on": _iso(p.planned_on),
        "on_time": p.on_time,
        "department": department_id,
    }


def delayed_body(d: DelayNotice) -> dict[str, Any]:
    return {
        "delay": d.pk,
        "previous_date": _iso(d.previous_date),
        "new_date": _iso(d.new_date),
        "notified_on": _iso(d.notified_on),
    }


def decision_extended_body(x: DecisionExtension) -> dict[str, Any]:
    return {
        "extension": x.pk,
        "previous_due": _iso(x.previous_due),
        "new_due": _iso(x.new_due),
        "extended_on": _iso(x.extended_on),
    }


def cannot_body(c: CannotImplement) -> dict[str, Any]:
    return {"declaration": c.pk, "declared_on": _iso(c.declared_on)}


def ruled_body(r: Ruling) -> dict[str, Any]:
    return {
        "ruling": r.pk,
        "ruling_kind": r.kind,
        "declaration": r.declaration_id,
        "ruled_on": _iso(r.ruled_on),
        "new_date": _iso(r.new_date),
    }


def overdue_body(r: Reminder) -> dict[str, Any]:
    return {"reminder": r.pk, "clock": r.clock, "due": _iso(r.due), "sent_on": _iso(r.sent_on)}


def effect_body(x: Effect) -> dict[str, Any]:
    return {"effect": x.pk, **_effect_live(x)}


def _effect_live(x: Effect) -> dict[str, Any]:
    return {
        "measure": x.measure,
        "budget_saved_krw": x.budget_saved_krw,
        "revenue_krw": x.revenue_krw,
        "citizen_hours": x.citizen_hours,
        "staff_hours": x.staff_hours,
        "evidence_sha256": x.evidence_sha256,
        "recorded_on": _iso(x.recorded_on),
    }


def awarded_body(a: Award) -> dict[str, Any]:
    return {"award": a.pk, **_awarded_live(a)}


def _awarded_live(a: Award) -> dict[str, Any]:
    return {
        "grade": a.grade,
        "rank": a.rank,
        "amount_krw": a.amount_krw,
        "pack": a.pack_key,
        # People are pseudonyms in this entry's context, never user ids (docs/ledger.md).
        "implementer": _person(SuggestionEntry.AWARDED, a.suggestion.proposal_id, a.implementer_id),
        "awarded_on": _iso(a.awarded_on),
    }


def credit_body(c: PersonnelCredit) -> dict[str, Any]:
    return {"credit": c.pk, **_credit_live(c)}


def _credit_live(c: PersonnelCredit) -> dict[str, Any]:
    return {
        "award": c.award_id,
        "person": _person(SuggestionEntry.CREDITED, c.award.suggestion.proposal_id, c.person_id),
        "credit_kind": c.kind,
        "points": str(c.points) if c.points is not None else None,
        "recorded_on": _iso(c.recorded_on),
    }


def recommended_body(a: Award) -> dict[str, Any]:
    return {"award": a.pk, "recommended_on": _iso(a.recommended_on)}


def refiled_body(s: Suggestion, earlier: Suggestion | None) -> dict[str, Any]:
    return {"suggestion": s.pk, **_refiled_live(s, earlier)}


def _refiled_live(s: Suggestion, earlier: Suggestion | None) -> dict[str, Any]:
    # Proposals and receipt numbers only: the proposer is the entry's actor, a pseudonym in this
    # entry's context, and nothing here names them.
    return {
        "number": s.receipt_number,
        "refines": s.refines_id,
        "earlier_suggestion": earlier.pk if earlier is not None else None,
        "earlier_number": earlier.receipt_number if earlier is not None else None,
        "first_filed_on": _iso(s.first_filed_on),
        "received_on": _iso(s.received_on),
    }


def _refiled_live_of(s: Suggestion) -> dict[str, Any]:
    earlier = Suggestion.objects.filter(proposal__refined_as=s).first()
    return _refiled_live(s, earlier)


def effect_corrected_body(x: Effect) -> dict[str, Any]:
    return {"effect": x.pk, **_effect_corrected_live(x)}


def _effect_corrected_live(x: Effect) -> dict[str, Any]:
    return {"corrects": x.corrects_id, **_effect_live(x)}


# ---------------------------------------------------------------- verify: one generic check per record kind


@dataclass(frozen=True)
class Spec:
    """How verify finds the record an entry commits to and rebuilds its fields."""

    key: str  # the body field naming the record
    queryset: Callable[[], QuerySet[Any]]
    proposal_of: Callable[[Any], int]
    live: Callable[[Any], Mapping[str, Any]]
    committed: Callable[[Any], Mapping[str, str]] | None = None
    label: str = "record"
    field: str = "pk"  # the record's column the key names (a transfer is named by its decision)


def _check(spec: Spec) -> Callable[[list[Logged]], Iterator[Finding]]:
    def check(entries: list[Logged]) -> Iterator[Finding]:
        ids = [e.get(spec.key) for e in entries if isinstance(e.get(spec.key), int)]
        rows = {getattr(r, spec.field): r for r in spec.queryset().filter(**{f"{spec.field}__in": ids})}
        for e in entries:
            row = rows.get(e.get(spec.key))
            if row is None:
                yield e.gone(f"{spec.label} {e.get(spec.key)}")
                continue
            if spec.proposal_of(row) != e.subject_id:
                yield Finding(
                    e.where,
                    f"{spec.label} {row.pk} is about proposal {spec.proposal_of(row)} in the database",
                    spec.key,
                )
            yield from compare(e, spec.live(row), spec.committed(row) if spec.committed else None)

    return check


def _missing(spec: Spec, kind: str) -> Callable[[list[Logged]], Iterator[Finding]]:
    def missing(entries: list[Logged]) -> Iterator[Finding]:
        logged = {e.get(spec.key) for e in entries}
        for row in spec.queryset().exclude(**{f"{spec.field}__in": [x for x in logged if isinstance(x, int)]}):
            yield Finding(
                subject(spec.proposal_of(row)), f"{spec.label} {getattr(row, spec.field)} has no {kind} entry", "record"
            )

    return missing


def _received_live(s: Suggestion) -> dict[str, Any]:
    # The decision due at receipt, before any stop, recomputed from the pack version the suggestion
    # keeps; a missing or edited pack shows as a changed due date.
    try:
        original: str | None = _iso(clocks.due_date(clocks.pack_for(s), "decision", s.received_on))
    except DomainError as e:
        original = f"({e.code})"
    return {
        "number": s.receipt_number,
        "office": s.office_id,
        "type": s.kind,
        "proposer": s.proposer_kind,
        "pack": s.pack_key,
        "pack_digest": s.pack_digest,
        "received_on": _iso(s.received_on),
        "supplement_until": _iso(s.supplement_until),
        "decision_due": original,
        **_lineage(s),
    }


def _supplement_closed_live(x: Supplement) -> dict[str, Any]:
    return {"answered_on": _iso(x.answered_on), "lapsed_on": _iso(x.lapsed_on)}


def _decided_live(d: Decision) -> dict[str, Any]:
    return {
        "round": d.round,
        "outcome": d.outcome,
        "ground": d.ground,
        "decided_on": _iso(d.decided_on),
        "due": _iso(d.due),
        "on_time": d.on_time,
        "reexamination_until": _iso(d.reexamination_until),
        "panel": panel_pseudonyms(d.suggestion.proposal_id, [u.pk for u in d.panel.all()]),
    }


def _is(model: type[Model], *related: str, filter: Q | None = None) -> Callable[[], QuerySet[Any]]:
    def qs() -> QuerySet[Any]:
        q = model._default_manager.select_related(*related) if related else model._default_manager.all()
        return q.filter(filter) if filter is not None else q

    return qs


SPECS: dict[SuggestionEntry, Spec] = {
    SuggestionEntry.RECEIVED: Spec(
        "suggestion",
        _is(Suggestion, "fingerprint"),
        lambda s: s.proposal_id,
        _received_live,
        lambda s: {"evidence": s.evidence, "fingerprint": fingerprints.stored(s)},
        "suggestion",
    ),
    SuggestionEntry.SUPPLEMENT_REQUESTED: Spec(
        "supplement",
        _is(Supplement, "suggestion"),
        lambda x: x.suggestion.proposal_id,
        lambda x: {"asked_on": _iso(x.asked_on), "answer_by": _iso(x.answer_by)},
        lambda x: {"question": x.question},
        "supplement",
    ),
    SuggestionEntry.SUPPLEMENT_CLOSED: Spec(
        "supplement",
        _is(Supplement, "suggestion", filter=Q(answered_on__isnull=False) | Q(lapsed_on__isnull=False)),
        lambda x: x.suggestion.proposal_id,
        _supplement_closed_live,
        lambda x: {"answer": x.answer},
        "supplement",
    ),
    SuggestionEntry.DECIDED: Spec(
        "decision",
        lambda: Decision.objects.select_related("suggestion").prefetch_related("panel"),
        lambda d: d.suggestion.proposal_id,
        _decided_live,
        lambda d: {"explanation": d.explanation},
        "decision",
    ),
    SuggestionEntry.TRANSFERRED: Spec(
        "decision",
        lambda: Transfer.objects.select_related("decision__suggestion"),
        lambda t: t.decision.suggestion.proposal_id,
        lambda t: {
            "channel": t.channel,
            "recipient": t.recipient,
            "reference": t.reference,
            "transferred_on": _iso(t.transferred_on),
        },
        None,
        "transfer",
        field="decision_id",
    ),
    SuggestionEntry.REEXAMINATION_REQUESTED: Spec(
        "reexamination",
        _is(Reexamination, "suggestion"),
        lambda r: r.suggestion.proposal_id,
        lambda r: {"requested_on": _iso(r.requested_on), "due": _iso(r.due)},
        lambda r: {"reason": r.reason},
        "re-examination",
    ),
    SuggestionEntry.PLANNED: Spec(
        "plan",
        _is(Plan, "suggestion"),
        lambda p: p.suggestion.proposal_id,
        lambda p: {"implement_by": _iso(p.implement_by), "planned_on": _iso(p.planned_on), "on_time": p.on_time},
        lambda p: {"text": p.text},
        "plan",
    ),
    SuggestionEntry.DELAYED: Spec(
        "delay",
        _is(DelayNotice, "suggestion"),
        lambda d: d.suggestion.proposal_id,
        lambda d: {
            "previous_date": _iso(d.previous_date),
            "new_date": _iso(d.new_date),
            "notified_on": _iso(d.notified_on),
        },
        lambda d: {"reason": d.reason},
        "delay notice",
    ),
    SuggestionEntry.CANNOT_IMPLEMENT: Spec(
        "declaration",
        _is(CannotImplement, "suggestion"),
        lambda c: c.suggestion.proposal_id,
        lambda c: {"declared_on": _iso(c.declared_on)},
        lambda c: {"reason": c.reason},
        "declaration",
    ),
    SuggestionEntry.RULED: Spec(
        "ruling",
        _is(Ruling, "suggestion"),
        lambda r: r.suggestion.proposal_id,
        lambda r: {
            "ruling_kind": r.kind,
            "declaration": r.declaration_id,
            "ruled_on": _iso(r.ruled_on),
            "new_date": _iso(r.new_date),
        },
        lambda r: {"note": r.note},
        "ruling",
    ),
    SuggestionEntry.OVERDUE: Spec(
        "reminder",
        _is(Reminder, "suggestion", filter=Q(stage=ReminderStage.OVERDUE)),
        lambda r: r.suggestion.proposal_id,
        lambda r: {"clock": r.clock, "due": _iso(r.due), "sent_on": _iso(r.sent_on)},
        None,
        "overdue notice",
    ),
    SuggestionEntry.EFFECT: Spec(
        "effect",
        _is(Effect, "suggestion", filter=Q(corrects__isnull=True)),
        lambda x: x.suggestion.proposal_id,
        _effect_live,
        lambda x: {"other": x.other, "evidence": x.evidence},
        "effect",
    ),
    SuggestionEntry.AWARDED: Spec(
        "award",
        _is(Award, "suggestion"),
        lambda a: a.suggestion.proposal_id,
        _awarded_live,
        lambda a: {"note": a.note, "implementer_note": a.implementer_note},
        "award",
    ),
    SuggestionEntry.CREDITED: Spec(
        "credit",
        _is(PersonnelCredit, "award__suggestion"),
        lambda c: c.award.suggestion.proposal_id,
        _credit_live,
        lambda c: {"note": c.note},
        "personnel credit",
    ),
    SuggestionEntry.RECOMMENDED: Spec(
        "award",
        _is(Award, "suggestion", filter=Q(recommended_on__isnull=False)),
        lambda a: a.suggestion.proposal_id,
        lambda a: {"recommended_on": _iso(a.recommended_on)},
        lambda a: {"recommendation_note": a.recommendation_note},
        "recommendation",
    ),
    SuggestionEntry.REFILED: Spec(
        "suggestion",
        _is(Suggestion, filter=Q(refines__isnull=False)),
        lambda s: s.proposal_id,
        _refiled_live_of,
        None,
        "refined suggestion",
    ),
    SuggestionEntry.EFFECT_CORRECTED: Spec(
        "effect",
        _is(Effect, "suggestion", filter=Q(corrects__isnull=False)),
        lambda x: x.suggestion.proposal_id,
        _effect_corrected_live,
        lambda x: {"other": x.other, "evidence": x.evidence, "reason": x.correction_reason},
        "effect correction",
    ),
    SuggestionEntry.DECISION_EXTENDED: Spec(
        "extension",
        _is(DecisionExtension, "suggestion"),
        lambda x: x.suggestion.proposal_id,
        lambda x: {
            "previous_due": _iso(x.previous_due),
            "new_due": _iso(x.new_due),
            "extended_on": _iso(x.extended_on),
        },
        lambda x: {"reason": x.reason},
        "decision extension",
    ),
}

DOCS: dict[SuggestionEntry, tuple[str, dict[str, str], dict[str, str]]] = {
    SuggestionEntry.RECEIVED: (
        "a suggestion was received (접수) under the rule pack in force that day",
        {
            "suggestion": "the suggestion's id",
            "number": "the receipt number (year-sequence, per office)",
            "office": "the office's id",
            "type": "standing, contest or implemented",
            "proposer": "citizen or official",
            "pack": "the rule pack and version it keeps",
            "pack_digest": "the fingerprint of the pack's rules",
            "received_on": "the day of receipt",
            "supplement_until": "the last day a supplement may be asked for, or null",
            "decision_due": "the decision's due date at receipt (before any stop), or null",
            "refines": "only for a declined idea reopened for refinement: the earlier proposal's id",
            "first_filed_on": "only for a declined idea reopened for refinement: the day the idea was first filed, "
            "which counts for priority (제6조제3항) and is fixed here, with the receipt",
        },
        {
            "evidence": "the evidence of an improvement already in place (실시제안)",
            "fingerprint": "the text's fingerprint for the first-to-file check across agencies (a keyed MinHash "
            "signature, docs/suggestions.md), opened only to peer agencies",
        },
    ),
    SuggestionEntry.SUPPLEMENT_REQUESTED: (
        "the office asked for a supplement: the decision clock stops",
        {
            "supplement": "the request's id",
            "asked_on": "the day it went out",
            "answer_by": "the day the answer is asked for",
        },
        {"question": "what was asked"},
    ),
    SuggestionEntry.SUPPLEMENT_CLOSED: (
        "a supplement request closed (answered, or lapsed by a decision): the decision clock runs again",
        {
            "supplement": "the request's id",
            "answered_on": "the day the answer came, or null",
            "lapsed_on": "the day it was decided without an answer, or null",
            "decision_due": "the decision's due date after the stop",
        },
        {"answer": "the proposer's supplement"},
    ),
    SuggestionEntry.DECIDED: (
        "a suggestion was decided (first review or re-examination) with the pack's coded ground",
        {
            "decision": "the decision's id",
            "round": "first or reexamination",
            "outcome": "adopt, not_adopt, return or transfer",
            "ground": "the pack's ground code (empty when adopted)",
            "decided_on": "the day of the decision and its notice",
            "due": "the period's due date, or null",
            "on_time": "decided by the due date (null without one)",
            "reexamination_until": "not adopted: the last day to ask for re-examination, or null",
            "panel": "the panel members, as pseudonyms in this entry's context",
        },
        {"explanation": "the explanation given to the proposer"},
    ),
    SuggestionEntry.TRANSFERRED: (
        "a suggestion was handed to the civil-complaint procedure or another agency",
        {
            "decision": "the decision's id",
            "channel": "civil_complaint or other_agency",
            "recipient": "who it was handed to",
            "reference": "their reference number",
            "transferred_on": "the day",
        },
        {},
    ),
    SuggestionEntry.REEXAMINATION_REQUESTED: (
        "the proposer asked for re-examination within the pack's window",
        {
            "reexamination": "the request's id",
            "requested_on": "the day",
            "due": "the re-examination's due date, or null",
        },
        {"reason": "the proposer's reason"},
    ),
    SuggestionEntry.PLANNED: (
        "an adopted suggestion's implementation plan",
        {
            "plan": "the plan's id",
            "implement_by": "the planned implementation date",
            "planned_on": "the day",
            "on_time": "within the pack's plan period (null without one)",
            "department": "the implementing department's id",
        },
        {"text": "the plan"},
    ),
    SuggestionEntry.DELAYED: (
        "implementation will be late: the proposer is told the reason and the new date",
        {
            "delay": "the notice's id",
            "previous_date": "the date it replaces",
            "new_date": "the new date",
            "notified_on": "the day",
        },
        {"reason": "the reason"},
    ),
    SuggestionEntry.CANNOT_IMPLEMENT: (
        "the implementing side declared an adopted suggestion cannot be implemented",
        {"declaration": "the declaration's id", "declared_on": "the day"},
        {"reason": "the reason"},
    ),
    SuggestionEntry.RULED: (
        "the office ruled on an adopted suggestion's implementation",
        {
            "ruling": "the ruling's id",
            "ruling_kind": "implemented, cannot_accepted or cannot_rejected",
            "declaration": "the declaration ruled on, or null",
            "ruled_on": "the day",
            "new_date": "not accepted: the date it must be implemented by, or null",
        },
        {"note": "the office's note"},
    ),
    SuggestionEntry.OVERDUE: (
        "a suggestion's clock ran out with nothing done: the office was told",
        {
            "reminder": "the notice's id",
            "clock": "decision, reexamination_decision, implementation_plan or implementation",
            "due": "the due date that passed",
            "sent_on": "the day the notice went out",
        },
        {},
    ),
    SuggestionEntry.EFFECT: (
        "the office recorded an adopted suggestion's projected or actual effect, with evidence",
        {
            "effect": "the record's id",
            "measure": "projected or actual",
            "budget_saved_krw": "budget saved, in won",
            "revenue_krw": "revenue raised, in won",
            "citizen_hours": "hours saved for citizens",
            "staff_hours": "hours saved for staff",
            "evidence_sha256": "the SHA-256 of the evidence file, or empty",
            "recorded_on": "the day",
        },
        {"other": "the non-financial effect", "evidence": "the evidence"},
    ),
    SuggestionEntry.AWARDED: (
        "the office graded an adopted suggestion (시상) from its pack's grades",
        {
            "award": "the award's id",
            "grade": "the pack's grade code",
            "rank": "the grade's rank (1 highest)",
            "amount_krw": "the pack's amount in won, or null",
            "pack": "the rule pack and version the grade comes from",
            "implementer": "the implementer recognised, as a pseudonym in this entry's context, or null",
            "awarded_on": "the day",
        },
        {"note": "the reasons for the grade", "implementer_note": "the implementer's recognition"},
    ),
    SuggestionEntry.CREDITED: (
        "a personnel credit (special promotion, pay step or merit points) for an awarded suggestion",
        {
            "credit": "the credit's id",
            "award": "the award's id",
            "person": "who receives it, as a pseudonym in this entry's context",
            "credit_kind": "special_promotion, special_step or merit_points",
            "points": "merit points, or null",
            "recorded_on": "the day",
        },
        {"note": "the note for the HR office"},
    ),
    SuggestionEntry.RECOMMENDED: (
        "the office recommended an awarded suggestion upward as a 자체우수제안",
        {"award": "the award's id", "recommended_on": "the day"},
        {"recommendation_note": "the recommendation package"},
    ),
    SuggestionEntry.REFILED: (
        "the proposer reopened a declined idea for refinement as this new suggestion (it keeps the first filing date)",
        {
            "suggestion": "the new suggestion's id",
            "number": "the new suggestion's receipt number",
            "refines": "the earlier proposal's id (a suggestion not adopted, or a proposal not adopted in a call)",
            "earlier_suggestion": "the earlier suggestion's id, or null for an ordinary proposal",
            "earlier_number": "the earlier suggestion's receipt number, or null",
            "first_filed_on": "the day the idea was first filed, which counts for priority (제6조제3항)",
            "received_on": "the new suggestion's day of receipt",
        },
        {},
    ),
    SuggestionEntry.EFFECT_CORRECTED: (
        "the office corrected a recorded effect: a new record replaces it, and the earlier figures stay",
        {
            "effect": "the new record's id",
            "corrects": "the id of the record it replaces",
            "measure": "projected or actual",
            "budget_saved_krw": "budget saved, in won",
            "revenue_krw": "revenue raised, in won",
            "citizen_hours": "hours saved for citizens",
            "staff_hours": "hours saved for staff",
            "evidence_sha256": "the SHA-256 of the evidence file, or empty",
            "recorded_on": "the day of the correction",
        },
        {"other": "the non-financial effect", "evidence": "the evidence", "reason": "why it was corrected"},
    ),
    SuggestionEntry.DECISION_EXTENDED: (
        "the office extended the decision period by the pack's extension, before it ran out: the proposer is told "
        "the reason and the new due date",
        {
            "extension": "the extension's id",
            "previous_due": "the due date it replaces",
            "new_due": "the new due date (the pack's extension period counted from the previous one)",
            "extended_on": "the day",
        },
        {"reason": "the reason given to the proposer"},
    ),
}

# Body fields that are not rebuilt from the record: the record's own id (its key) and, for
# a closed supplement, the due date it set (the next stop or the decision moves it on).
_UNCHECKED = {"decision_due"}


# Body fields that hold people, as pseudonyms in the entry's context (rewritten by `ledger reissue`).
PSEUDONYM_FIELDS: dict[SuggestionEntry, tuple[str, ...]] = {
    SuggestionEntry.DECIDED: ("panel",),
    SuggestionEntry.AWARDED: ("implementer",),
    SuggestionEntry.CREDITED: ("person",),
}


def _kind(name: SuggestionEntry) -> Kind:
    spec = SPECS[name]
    doc, fields, commitments = DOCS[name]
    checked = tuple(
        f for f in fields if f != spec.key and not (name == SuggestionEntry.SUPPLEMENT_CLOSED and f in _UNCHECKED)
    )
    return Kind(
        name,
        ROLE,
        doc,
        fields,
        commitments,
        check=_check(spec),
        missing=_missing(spec, str(name)),
        checked=(*checked, *commitments),
        unique=spec.key,
        pseudonym_fields=PSEUDONYM_FIELDS.get(name, ()),
    )


KINDS = tuple(_kind(name) for name in SuggestionEntry)


# How people read each kind on the ledger's pages (madang/ledger/kinds.py).
LABELS = {
    SuggestionEntry.RECEIVED: _("Suggestion received"),
    SuggestionEntry.SUPPLEMENT_REQUESTED: _("Suggestion supplement requested"),
    SuggestionEntry.SUPPLEMENT_CLOSED: _("Suggestion supplement closed"),
    SuggestionEntry.DECIDED: _("Suggestion decided"),
    SuggestionEntry.TRANSFERRED: _("Suggestion transferred"),
    SuggestionEntry.REEXAMINATION_REQUESTED: _("Suggestion re-examination requested"),
    SuggestionEntry.PLANNED: _("Suggestion implementation planned"),
    SuggestionEntry.DELAYED: _("Suggestion implementation delay notified"),
    SuggestionEntry.CANNOT_IMPLEMENT: _("Suggestion declared impossible to implement"),
    SuggestionEntry.RULED: _("Ruling on a suggestion's implementation"),
    SuggestionEntry.OVERDUE: _("Suggestion deadline passed"),
    SuggestionEntry.EFFECT: _("Suggestion effect recorded"),
    SuggestionEntry.AWARDED: _("Suggestion awarded"),
    SuggestionEntry.CREDITED: _("Personnel credit recorded for a suggestion"),
    SuggestionEntry.RECOMMENDED: _("Suggestion recommended upward"),
    SuggestionEntry.REFILED: _("Declined idea reopened as a new suggestion"),
    SuggestionEntry.EFFECT_CORRECTED: _("Suggestion effect corrected"),
    SuggestionEntry.DECISION_EXTENDED: _("Suggestion decision period extended"),
}


def register() -> None:
    """Called from this app's AppConfig.ready()."""
    kinds.register("suggestions", KINDS, labels=LABELS)
