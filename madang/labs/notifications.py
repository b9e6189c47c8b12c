"""How the notifications that labs send read (see madang/inbox/registry.py).

One kind (NotificationKind.LAB) for everything a lab tells people: what happened is stored as
`params["event"]` with its facts (a member's name, a decision's title, duties and outcomes as
their codes), and the sentence is made here in the reader's language.
"""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from madang.inbox import registry
from madang.inbox.models import NotificationKind
from madang.labs.models import LabOutcome, ReportKind, duty_labels

DECISION_PROPOSED = "decision_proposed"
REPORT_SUBMITTED = "report_submitted"
CLOSED = "closed"
DUTIES_RELEASED = "duties_released"


def _choice_label(choices: Any, value: Any) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value or "")


def _lab(params: Mapping[str, Any]) -> str | None:
    event = params.get("event")
    if event == DECISION_PROPOSED:
        return gettext(
            "%(member)s proposed a decision by consent: “%(decision)s”; members may object until %(until)s"
        ) % {
            "member": params.get("member", ""),
            "decision": params.get("decision", ""),
            "until": params.get("until", ""),
        }
    if event == REPORT_SUBMITTED:
        return gettext("the lab submitted its %(report)s") % {"report": _choice_label(ReportKind, params.get("report"))}
    if event == CLOSED:
        return gettext("the lab closed with the outcome “%(outcome)s”") % {
            "outcome": _choice_label(LabOutcome, params.get("outcome"))
        }
    if event == DUTIES_RELEASED:
        duties = duty_labels(params.get("duties") or [])
        if not duties:
            return gettext(
                "%(member)s, of your department, is no longer released from any routine duty for the lab “%(lab)s”"
            ) % {"member": params.get("member", ""), "lab": params.get("lab", "")}
        return gettext(
            "%(member)s, of your department, is released from these routine duties while working in the lab "
            "“%(lab)s”: %(duties)s"
        ) % {"member": params.get("member", ""), "lab": params.get("lab", ""), "duties": ", ".join(duties)}
    return None


def register() -> None:
    registry.register(NotificationKind.LAB, _("G-Lab on “%(title)s”: %(detail)s."), owner="labs", detail=_lab)
