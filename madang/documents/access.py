"""Which documents name people, for the access records (docs/privacy.md, "What is recorded").

A download of a document that names people (a reviewer's sheets and scores, the members of an
award's team, a lab's members and their departments, the proposers on a suggestion's notice) is
recorded through madang/privacy like any other staff page that shows personal data, with a reason
asked above the threshold. Letters to agencies and departments, a call's and an event's report
and the review summary carry numbers, titles and organisations only, and record nothing.
"""

from __future__ import annotations

from typing import Any

from madang.events.privacy_kinds import REGISTRATIONS
from madang.privacy.kinds import ACCOUNTS

NOTICES = (
    "notice_receipt",
    "notice_supplement",
    "notice_decision",
    "notice_reexamination",
    "notice_implementation",
    "notice_delay",
    "notice_award",
    "notice_cannot_implement",
    "notice_ruling",
)


def _names(text: str) -> set[str]:
    return {n.strip() for n in text.split(",") if n.strip()}


def _award_people(ctx: dict[str, Any]) -> int:
    return len({name for row in ctx.get("awards", []) for name in _names(str(row.get("members", "")))})


def people_in(kind: str, ctx: dict[str, Any]) -> tuple[str, int] | None:
    """The kind of personal data a document of `kind` shows and how many people it names; None
    for a document that names no one."""
    if kind == "review_sheets":
        return ACCOUNTS, 1  # one reviewer's name with every score they gave
    if kind in ("award_recommendation", "award_merit"):
        return REGISTRATIONS, _award_people(ctx)
    if kind == "lab_report":
        return ACCOUNTS, len(ctx.get("members", []))
    if kind in NOTICES:
        return ACCOUNTS, len(_names(str(ctx.get("proposer", ""))))
    return None


# Batches (a job's files) by the kind of batch: (personal data, people per document).
BATCHES: dict[str, tuple[str, int]] = {"review_sheets": (ACCOUNTS, 1)}
