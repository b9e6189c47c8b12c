"""Who may review the access records: the privacy officer (개인정보 보호책임자, a site-wide grant
of the `privacy_officer` role) and superusers. Site administrators as such may not: they are
among the people whose access the review looks at."""

from typing import Any

from madang.people.models import Role
from madang.people.rules import has_role, is_authenticated


def can_review(user: Any) -> bool:
    if not is_authenticated(user):
        return False
    return bool(user.is_superuser) or has_role(user, Role.PRIVACY_OFFICER)
