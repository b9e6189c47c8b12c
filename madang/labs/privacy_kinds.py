"""The personal data of lab memberships, for the privacy notice (madang/privacy/registry.py) and
the access records of the lab's page and API: who volunteered, why, which routine duties each
member is freed from. Members' names and home departments are the lab's public face; the
motivations of volunteers (shown to the innovation team) and the released duties (shown to the
members and the team) are not, and each page or answer that shows them is recorded."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from madang.privacy import registry
from madang.privacy.registry import DataKind

MEMBERSHIPS = "labs.memberships"

KINDS = (
    DataKind(
        MEMBERSHIPS,
        _("Lab memberships"),
        _("Forming voluntary lab teams and freeing their members from routine duties"),
        (
            _("name"),
            _("department"),
            _("motivation for volunteering"),
            _("duties the member is released from"),
            _("when the member joined and left"),
        ),
        _("Kept with the lab's record under the agency's records schedule"),
        _("Personal Information Protection Act, Article 15(1)3: duties of a public institution"),
        (_("The lab's members and the innovation team; members' names and departments appear on the lab's page"),),
        order=40,
    ),
)


def register() -> None:
    registry.register("labs", KINDS)
