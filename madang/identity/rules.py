"""Who must give a second factor, and who counts as a verified person."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist

from madang.people import rules as people_rules


def requires_second_factor(user: Any) -> bool:
    """The innovation team, administrators and whoever can see other people's personal data
    (the roles in `MADANG_SECOND_FACTOR_ROLES`; facilitators see event registrations) sign in
    with a second factor when `MADANG_SECOND_FACTOR_REQUIRED` is on."""
    if not settings.MADANG_SECOND_FACTOR_REQUIRED or not people_rules.is_authenticated(user):
        return False
    if user.is_superuser or user.is_staff:
        return True
    return any(people_rules.has_any_role(user, role) for role in settings.MADANG_SECOND_FACTOR_ROLES)


def has_second_factor(user: Any) -> bool:
    try:
        return user.totp_device is not None
    except ObjectDoesNotExist:
        return False


def is_verified_person(user: Any) -> bool:
    """Has this citizen been confirmed as one real person by an identity broker? (Officials were
    vouched for by their organisation and count as verified.)"""
    if not people_rules.is_authenticated(user):
        return False
    if not user.is_citizen:
        return True
    cached = getattr(user, "_madang_verified_person", None)
    if cached is None:
        try:
            cached = user.verified_person is not None
        except ObjectDoesNotExist:
            cached = False
        user._madang_verified_person = cached
    return bool(cached)
