"""What labs hold about a person, for their export (madang/people/personal_data.py)."""

from typing import Any

from madang.labs.models import JournalEntry, Lab, LabDecision, LabReport, Membership, Objection
from madang.people.models import User
from madang.people.personal_data import register as add
from madang.people.personal_data import when


def _memberships(user: User) -> list[dict[str, Any]]:
    return [
        {
            "lab": m.lab.title,
            "state": m.state,
            "motivation": m.motivation,
            "applied": when(m.applied_at),
            "joined": when(m.joined_at),
            "left": when(m.left_at),
            "left_reason": m.left_reason,
            "released_duties": list(m.released_duties),
        }
        for m in Membership.objects.filter(user=user).select_related("lab")
    ]


def _contributions(user: User) -> list[dict[str, Any]]:
    done = [
        {"what": "decision proposed", "lab": d.lab_id, "title": d.title, "text": d.body, "at": when(d.proposed_at)}
        for d in LabDecision.objects.filter(proposed_by=user)
    ]
    done += [
        {
            "what": "objection",
            "decision": o.decision_id,
            "reason": o.reason,
            "resolution": o.resolution,
            "at": when(o.raised_at),
        }
        for o in Objection.objects.filter(member=user)
    ]
    done += [
        {"what": "journal entry", "lab": j.lab_id, "text": j.body, "on": when(j.happened_on)}
        for j in JournalEntry.objects.filter(author=user)
    ]
    done += [
        {"what": "report", "lab": r.lab_id, "kind": r.kind, "text": r.body, "at": when(r.submitted_at)}
        for r in LabReport.objects.filter(submitted_by=user)
    ]
    done += [
        {"what": "lab created", "lab": lab.pk, "at": when(lab.created_at)}
        for lab in Lab.objects.filter(created_by=user)
    ]
    return done


def _following(user: User) -> list[dict[str, Any]]:
    return [{"lab": lab.title} for lab in Lab.objects.filter(followers=user)]


def register() -> None:
    """Called from this app's AppConfig.ready()."""
    add("lab_memberships", _memberships, owner="labs", covers=["labs.Membership.user"])
    add(
        "lab_contributions",
        _contributions,
        owner="labs",
        covers=[
            "labs.LabDecision.proposed_by",
            "labs.Objection.member",
            "labs.JournalEntry.author",
            "labs.LabReport.submitted_by",
            "labs.Lab.created_by",
        ],
    )
    add("labs_followed", _following, owner="labs", covers=["labs.Lab.followers"])
