"""The notices a suggestion's proposer was sent, one per step (접수, 보완 요청, 심사 결과, 재심사 결과,
실시 계획, 실시 지연, 실시 불가 통보, 실시 판정, 시상), read from the records of the steps.

Each step's service tells the proposer when it is taken (`services._tell`); this lists those
notices with the day each went out, so the suggestion's page can offer each as a document and the
public status page can say that it was sent and when (never what it says). Reads only."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from madang.suggestions.models import Round, Suggestion

# What each step's notice is called; the documents app renders the step's notice form.
STEPS: dict[str, Promise] = {
    "receipt": _("Receipt notice"),
    "supplement": _("Supplement request"),
    "decision": _("Decision notice"),
    "reexamination": _("Re-examination result"),
    "plan": _("Implementation plan notice"),
    "delay": _("Delay notice"),
    "cannot": _("Notice that it cannot be implemented"),
    "ruling": _("Implementation ruling notice"),
    "award": _("Award notice"),
}


@dataclass(frozen=True)
class Notice:
    # unique within the suggestion: receipt, supplement-<id>, decision, reexamination, plan, delay-<id>,
    # cannot-<id>, ruling-<id>, award
    key: str
    step: str  # a key of STEPS
    sent_on: date
    sent_at: datetime
    record: Any  # the Suggestion, Supplement, Decision, Plan, DelayNotice, CannotImplement, Ruling or Award

    @property
    def label(self) -> Promise:
        return STEPS[self.step]


def notices(s: Suggestion) -> list[Notice]:
    """Every notice sent to the proposer so far, in the order they went out."""
    out = [Notice("receipt", "receipt", s.received_on, s.received_at, s)]
    out += [Notice(f"supplement-{x.pk}", "supplement", x.asked_on, x.created_at, x) for x in s.supplements.all()]
    for d in s.decisions.all():
        step = "decision" if d.round == Round.FIRST else "reexamination"
        out.append(Notice(step, step, d.decided_on, d.created_at, d))
    plan = _plan(s)
    if plan is not None:
        out.append(Notice("plan", "plan", plan.planned_on, plan.created_at, plan))
    out += [Notice(f"delay-{n.pk}", "delay", n.notified_on, n.created_at, n) for n in s.delays.all()]
    out += [Notice(f"cannot-{c.pk}", "cannot", c.declared_on, c.created_at, c) for c in s.cannot_implement.all()]
    out += [Notice(f"ruling-{r.pk}", "ruling", r.ruled_on, r.created_at, r) for r in s.rulings.all()]
    award = _award(s)
    if award is not None:  # at most one award per suggestion, so one notice
        out.append(Notice("award", "award", award.awarded_on, award.created_at, award))
    return sorted(out, key=lambda n: (n.sent_on, n.sent_at))


def find(s: Suggestion, key: str) -> Notice | None:
    return next((n for n in notices(s) if n.key == key), None)


def _plan(s: Suggestion) -> Any:
    try:
        return s.plan
    except Suggestion.plan.RelatedObjectDoesNotExist:
        return None


def _award(s: Suggestion) -> Any:
    try:
        return s.award
    except Suggestion.award.RelatedObjectDoesNotExist:
        return None
