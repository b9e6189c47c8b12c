"""How the notices of the suggestion system read (see madang/inbox/registry.py).

A notice stores its step and dates (ISO) and, where there is one, the ground's code and the
pack's label of it; the sentence is chosen here, in the reader's language. One kind tells the
proposer (and the office) of each step; another tells the office of a clock about to run out.
"""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from madang.inbox import registry
from madang.inbox.models import NotificationKind

STEPS = {
    "received": _("received as no. %(number)s; the decision is due by %(due)s."),
    "received_no_clock": _("received as no. %(number)s."),
    "supplement_requested": _(
        "please supplement it by %(date)s (%(text)s). The processing period stops until your answer."
    ),
    "supplement_answered": _("the proposer sent the supplement; the decision is now due by %(due)s."),
    "supplement_answered_no_clock": _("the proposer sent the supplement."),
    "decision_extended": _("the decision period is extended to %(date)s: %(text)s"),
    "adopt": _("adopted."),
    "adopt_dated": _("adopted; it is planned to be implemented by %(date)s."),
    "not_adopt": _("not adopted (%(ground)s). You may ask for re-examination until %(date)s."),
    "not_adopt_final": _("not adopted (%(ground)s)."),
    "return": _("returned (%(ground)s)."),
    "transfer": _("handed to %(text)s (%(ground)s)."),
    "reexamination_requested": _("the proposer asked for re-examination."),
    "reexamination_adopt": _("adopted on re-examination."),
    "reexamination_upheld": _("re-examined: the decision not to adopt stands (%(ground)s)."),
    "planned": _("the implementation plan is set: implementation by %(date)s."),
    "delayed": _("implementation is delayed to %(date)s: %(text)s"),
    "cannot_implement": _(
        "the implementing department says it cannot be implemented; the suggestion office will rule on it."
    ),
    "implemented": _("implemented."),
    "cannot_accepted": _("the office accepted that it cannot be implemented: %(text)s"),
    "cannot_rejected": _(
        "the office did not accept that it cannot be implemented; it is to be implemented by %(date)s."
    ),
    "awarded": _("awarded: %(text)s."),
    "awarded_implementer": _("you are recognised for implementing it (%(text)s)."),
    "credited": _("a personnel credit was recorded for you: %(text)s."),
    "recommended": _("recommended upward as an excellent suggestion."),
}

CLOCKS = {
    "decision": _("the decision"),
    "reexamination_decision": _("the re-examination"),
    "implementation_plan": _("the implementation plan"),
    "implementation": _("implementation"),
}

DUE = {
    "due_soon": _("%(clock)s is due by %(date)s (%(n)s working days left)."),
    "overdue": _("%(clock)s was due by %(date)s and is overdue."),
}


def step_detail(params: Mapping[str, Any]) -> str | None:
    sentence = STEPS.get(params.get("step", ""))
    if sentence is None:
        return None
    return str(sentence) % {
        "number": params.get("number", ""),
        "due": params.get("due", ""),
        "date": params.get("date", ""),
        "text": params.get("text", ""),
        "ground": params.get("ground", ""),
    }


def due_detail(params: Mapping[str, Any]) -> str | None:
    sentence = DUE.get(params.get("stage", ""))
    if sentence is None:
        return None
    clock = CLOCKS.get(params.get("clock", ""), params.get("clock", ""))
    return str(sentence) % {"clock": clock, "date": params.get("date", ""), "n": params.get("n", "")}


def register() -> None:
    registry.register(
        NotificationKind.SUGGESTION, _("Suggestion “%(title)s”: %(detail)s"), owner="suggestions", detail=step_detail
    )
    registry.register(
        NotificationKind.SUGGESTION_DUE, _("Suggestion “%(title)s”: %(detail)s"), owner="suggestions", detail=due_detail
    )
