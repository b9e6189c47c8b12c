"""Role checks. Every permission in Madang is built from these predicates.

A grant on an organisation covers its whole subtree; a grant on a call covers that call;
a grant with neither is site-wide. Grants are read once per user object and cached on it.
"""

from typing import Any, Protocol

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet

from madang.core import prepared
from madang.people.models import Organisation, Role, RoleGrant


class CallScope(Protocol):
    """What a role check needs of a call: a grant may name the call or its organising body.
    (people sits below calls and does not import them.)"""

    @property
    def pk(self) -> Any: ...

    @property
    def organisation(self) -> Organisation: ...


def _grants_of(user: int) -> QuerySet[RoleGrant]:
    return RoleGrant.objects.filter(user=user).select_related("organisation")


# (Read on nearly every signed-in page: compiled once per connection, core.prepared.)
_GRANTS = prepared.Prepared(_grants_of, user=int)


def _grants(user: Any) -> list[tuple[str, str | None, int | None]]:
    cached = getattr(user, "_madang_grants", None)
    if cached is None:
        cached = [
            (g.role, g.organisation.path if g.organisation is not None else None, g.call_id)
            for g in _GRANTS.run(user=int(user.pk))
        ]
        user._madang_grants = cached
    return cached


def forget_grants(user: Any) -> None:
    if hasattr(user, "_madang_grants"):
        del user._madang_grants


def is_authenticated(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_site_admin(user: Any) -> bool:
    if not is_authenticated(user):
        return False
    return bool(user.is_superuser) or any(
        r == Role.ADMINISTRATOR and p is None and c is None for r, p, c in _grants(user)
    )


def has_role(user: Any, role: str, *, organisation: Organisation | None = None, call: CallScope | None = None) -> bool:
    """Does the user hold `role` site-wide, over `organisation` (or an ancestor), or in `call`?

    For a call, a grant over the call's organising body also counts.
    """
    if not is_authenticated(user):
        return False
    org_path = organisation.path if organisation is not None else None
    if call is not None and org_path is None:
        org_path = call.organisation.path
    for r, path, call_id in _grants(user):
        if r != role:
            continue
        if path is None and call_id is None:
            return True
        if call is not None and call_id == call.pk:
            return True
        if path is not None and org_path is not None and org_path.startswith(path):
            return True
    return False


def has_any_role(user: Any, role: str) -> bool:
    return is_authenticated(user) and any(r == role for r, _, _ in _grants(user))


def is_innovation_team(user: Any, call: CallScope) -> bool:
    return is_site_admin(user) or has_role(user, Role.INNOVATION_TEAM, call=call)


def is_liaison_for(user: Any, department: Organisation) -> bool:
    return has_role(user, Role.LIAISON, organisation=department)


def liaison_paths(user: Any) -> list[str]:
    return [p for r, p, _ in _grants(user) if r == Role.LIAISON and p is not None] if is_authenticated(user) else []


def can_administer_people(user: Any, organisation: Organisation | None = None) -> bool:
    if is_site_admin(user):
        return True
    return organisation is not None and has_role(user, Role.ADMINISTRATOR, organisation=organisation)


def has_confirmed_email(user: Any) -> bool:
    """May this person support, propose and comment? A citizen who joined through the sign-up
    page must first confirm their e-mail address (the profile records when). Officials and
    accounts made by an administrator or an import were vouched for by whoever made them."""
    if not is_authenticated(user) or not user.is_citizen:
        return True
    cached = getattr(user, "_madang_email_confirmed", None)
    if cached is None:
        try:
            profile = user.citizen_profile  # the citizens app's one-to-one, reached without importing it
        except ObjectDoesNotExist:
            cached = True
        else:
            cached = profile.email_verified_at is not None
        user._madang_email_confirmed = cached
    return cached
