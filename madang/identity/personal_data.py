"""What the identity app holds about a person, for their export (madang/people/personal_data.py).

Never a secret: not the second factor's key, not a recovery code or its digest, not the digest
that makes a verified person unique; only that they exist and when."""

from typing import Any

from madang.identity.models import ExternalIdentity, RecoveryCode, TotpDevice, VerifiedPerson
from madang.people.models import User
from madang.people.personal_data import register as add
from madang.people.personal_data import when


def _sign_in(user: User) -> dict[str, Any]:
    device = TotpDevice.objects.filter(user=user).first()
    return {
        "external_accounts": [
            {
                "provider": e.provider.name,
                "subject": e.subject,
                "first_seen": when(e.first_seen),
                "last_seen": when(e.last_seen),
            }
            for e in ExternalIdentity.objects.filter(user=user).select_related("provider")
        ],
        "second_factor_since": when(device.confirmed_at) if device else None,
        "recovery_codes_left": RecoveryCode.objects.filter(user=user, used_at__isnull=True).count(),
    }


def _verified(user: User) -> dict[str, Any] | None:
    person = VerifiedPerson.objects.filter(user=user).select_related("provider").first()
    return {"by": person.provider.name, "at": when(person.verified_at)} if person else None


def register() -> None:
    """Called from this app's AppConfig.ready()."""
    add(
        "sign_in",
        _sign_in,
        owner="identity",
        covers=["identity.ExternalIdentity.user", "identity.TotpDevice.user", "identity.RecoveryCode.user"],
    )
    add("verified_person", _verified, owner="identity", covers=["identity.VerifiedPerson.user"])
