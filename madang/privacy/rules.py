"""Who may do what in the privacy app.

The review of access records: the privacy officer (개인정보 보호책임자, a site-wide grant of the
`privacy_officer` role) and superusers. Site administrators as such may not: they are among the
people whose access the review looks at.

Items held by the exposure filter (madang/privacy/exposure.py): the moderators of the item's
organisation decide on them, that is its innovation team and its administrators (a grant over
the organisation or one above it), and site administrators everywhere. They, and the item's
author, see flagged text as written; everyone else sees it masked.
"""

from typing import Any

from madang.people.models import Organisation, Role
from madang.people.rules import has_any_role, has_role, is_authenticated, is_site_admin
from madang.privacy.models import Screening

MODERATOR_ROLES = (Role.INNOVATION_TEAM, Role.ADMINISTRATOR)


def can_review(user: Any) -> bool:
    if not is_authenticated(user):
        return False
    return bool(user.is_superuser) or has_role(user, Role.PRIVACY_OFFICER)


def can_moderate_exposures(user: Any, organisation: Organisation | None) -> bool:
    if is_site_admin(user):
        return True
    if organisation is None:
        return False
    return any(has_role(user, role, organisation=organisation) for role in MODERATOR_ROLES)


def can_open_moderation(user: Any) -> bool:
    """May open the page of held items at all (it then lists only the items of their organisations)."""
    return is_site_admin(user) or any(has_any_role(user, role) for role in MODERATOR_ROLES)


def sees_exposed(user: Any, screening: Screening) -> bool:
    """Sees the flagged text as its author wrote it."""
    if not is_authenticated(user):
        return False
    return user.pk == screening.author_id or can_moderate_exposures(user, screening.organisation)
