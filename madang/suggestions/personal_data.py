"""What the suggestions app holds about a person, for their export (madang/people/personal_data.py).

The suggestion itself is a proposal (calls exports it); here are the requests, awards and credits
that name the person, and what an official did in the suggestion office's work."""

from typing import Any

from madang.people.models import User
from madang.people.personal_data import register as add
from madang.people.personal_data import when
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
    Ruling,
    Suggestion,
    SuggestionOffice,
    Supplement,
)


def _reexaminations(user: User) -> list[dict[str, Any]]:
    return [
        {
            "suggestion": r.suggestion.receipt_number,
            "reason": r.reason,
            "requested": when(r.requested_on),
            "due": when(r.due),
        }
        for r in Reexamination.objects.filter(requested_by=user).select_related("suggestion")
    ]


def _awards(user: User) -> list[dict[str, Any]]:
    awards = [
        {
            "suggestion": a.suggestion.receipt_number,
            "as": "implementer",
            "grade": a.grade_label,
            "note": a.implementer_note,
            "awarded": when(a.awarded_on),
        }
        for a in Award.objects.filter(implementer=user).select_related("suggestion")
    ]
    credits = [
        {
            "suggestion": c.award.suggestion.receipt_number,
            "as": "personnel credit",
            "credit": c.kind,
            "points": str(c.points) if c.points is not None else None,
            "note": c.note,
            "recorded": when(c.recorded_on),
        }
        for c in PersonnelCredit.objects.filter(person=user).select_related("award__suggestion")
    ]
    return awards + credits


def _work(user: User) -> list[dict[str, Any]]:
    """What an official did in the office's work: each step names the suggestion and the day."""
    done: list[dict[str, Any]] = [
        {"what": "office opened", "office": o.organisation_id, "at": when(o.opened_at)}
        for o in SuggestionOffice.objects.filter(opened_by=user)
    ]
    steps: list[tuple[str, Any, str]] = [
        ("received", Suggestion.objects.filter(received_by=user), "received_on"),
        ("supplement asked", Supplement.objects.filter(asked_by=user), "asked_on"),
        ("decided", Decision.objects.filter(decided_by=user), "decided_on"),
        ("decided on the panel", Decision.objects.filter(panel=user), "decided_on"),
        ("implementation planned", Plan.objects.filter(planned_by=user), "planned_on"),
        ("delay notified", DelayNotice.objects.filter(notified_by=user), "notified_on"),
        ("decision period extended", DecisionExtension.objects.filter(extended_by=user), "extended_on"),
        ("declared it cannot be implemented", CannotImplement.objects.filter(declared_by=user), "declared_on"),
        ("ruled", Ruling.objects.filter(ruled_by=user), "ruled_on"),
        ("effect recorded", Effect.objects.filter(recorded_by=user), "recorded_on"),
        ("awarded", Award.objects.filter(awarded_by=user), "awarded_on"),
    ]
    for what, rows, day in steps:
        for row in rows:
            number = row.receipt_number if isinstance(row, Suggestion) else row.suggestion.receipt_number
            done.append({"what": what, "suggestion": number, "on": when(getattr(row, day))})
    done += [
        {"what": "personnel credit recorded", "award": c.award_id, "on": when(c.recorded_on)}
        for c in PersonnelCredit.objects.filter(recorded_by=user)
    ]
    return done


def register() -> None:
    """Called from this app's AppConfig.ready()."""
    add(
        "suggestion_reexaminations",
        _reexaminations,
        owner="suggestions",
        covers=["suggestions.Reexamination.requested_by"],
    )
    add(
        "suggestion_awards",
        _awards,
        owner="suggestions",
        covers=["suggestions.Award.implementer", "suggestions.PersonnelCredit.person"],
    )
    add(
        "suggestions_work",
        _work,
        owner="suggestions",
        covers=[
            "suggestions.SuggestionOffice.opened_by",
            "suggestions.Suggestion.received_by",
            "suggestions.Supplement.asked_by",
            "suggestions.Decision.decided_by",
            "suggestions.Decision.panel",
            "suggestions.Plan.planned_by",
            "suggestions.DelayNotice.notified_by",
            "suggestions.DecisionExtension.extended_by",
            "suggestions.CannotImplement.declared_by",
            "suggestions.Ruling.ruled_by",
            "suggestions.Effect.recorded_by",
            "suggestions.Award.awarded_by",
            "suggestions.PersonnelCredit.recorded_by",
        ],
    )
