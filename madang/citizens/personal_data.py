"""What the citizens app holds about a person, for their export (madang/people/personal_data.py)."""

from typing import Any

from madang.citizens.models import CitizenProfile, Consent, Invitation, InvitationPool, Volunteering
from madang.people.models import User
from madang.people.personal_data import register as add
from madang.people.personal_data import when


def _membership(user: User) -> dict[str, Any]:
    profile = CitizenProfile.objects.filter(user=user).first()
    return {
        "email_verified": when(profile.email_verified_at) if profile else None,
        "updated": when(profile.updated_at) if profile else None,
    }


def _attributes(user: User) -> dict[str, Any]:
    profile = CitizenProfile.objects.filter(user=user).first()
    return profile.attributes() if profile else {}


def _consents(user: User) -> list[dict[str, Any]]:
    return [
        {"purpose": c.purpose, "granted": when(c.granted_at), "withdrawn": when(c.withdrawn_at)}
        for c in Consent.objects.filter(user=user)
    ]


def _volunteering(user: User) -> list[dict[str, Any]]:
    # The snapshot is what the lottery used: the attributes as they were when the pool closed.
    return [
        {"pool": v.pool.title, "at": when(v.created_at), "attributes_used": v.snapshot, "in_lottery": v.eligible}
        for v in Volunteering.objects.filter(user=user).select_related("pool")
    ]


def _invitations(user: User) -> list[dict[str, Any]]:
    return [
        {
            "pool": i.pool.title,
            "state": i.state,
            "invited": when(i.invited_at),
            "answer_by": when(i.answer_by),
            "answered": when(i.answered_at),
            "lapsed": i.lapsed,
        }
        for i in Invitation.objects.filter(user=user).select_related("pool")
    ]


def _pools_organised(user: User) -> list[dict[str, Any]]:
    return [{"pool": p.title, "created": when(p.created_at)} for p in InvitationPool.objects.filter(organiser=user)]


def register() -> None:
    """Called from this app's AppConfig.ready()."""
    add("membership", _membership, owner="citizens", covers=["citizens.CitizenProfile.user"])
    add("attributes", _attributes, owner="citizens", covers=["citizens.CitizenProfile.user"])
    add("consents", _consents, owner="citizens", covers=["citizens.Consent.user"])
    add("volunteering", _volunteering, owner="citizens", covers=["citizens.Volunteering.user"])
    add("invitations", _invitations, owner="citizens", covers=["citizens.Invitation.user"])
    add("pools_organised", _pools_organised, owner="citizens", covers=["citizens.InvitationPool.organiser"])
