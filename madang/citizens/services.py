"""Citizen membership: joining with a verified e-mail, consented attributes, and the
member's rights to see, export and delete their data."""

import csv
import io
import json
import secrets
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from madang.citizens.models import REGIONS, AgeBand, CitizenProfile, Consent, Gender, Occupation, Purpose
from madang.core.errors import DomainError, Forbidden
from madang.people import services as people
from madang.people.models import Kind, User

VERIFY_SALT = "madang.citizens.verify"
VERIFY_MAX_AGE = 3 * 24 * 3600
INTERESTS = ("civil", "transport", "welfare", "environment", "economy", "culture", "safety", "digital", "health", "education")


def join(*, username: str, display_name: str, email: str, password: str, language: str = "ko") -> User:
    if User.objects.filter(email__iexact=email).exists():
        raise DomainError(gettext_lazy("This e-mail address is already registered."), code="duplicate", field="email")
    with transaction.atomic():
        user = people.create_user(actor=None, username=username, display_name=display_name, email=email, kind=Kind.CITIZEN,
                                  language=language)
        people.set_password(actor=user, user=user, password=password)
        CitizenProfile.objects.create(user=user)
        transaction.on_commit(lambda: send_verification(user))
    return user


def verification_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "e": user.email}, salt=VERIFY_SALT)


def send_verification(user: User) -> None:
    with translation.override(user.language or settings.LANGUAGE_CODE):
        link = f"{settings.SITE_URL}/citizens/verify/{verification_token(user)}/"
        body = _("Welcome to Madang, %(name)s.\n\nPlease confirm your e-mail address within three days:\n%(link)s\n") % {
            "name": user.display_name, "link": link}
        mailers.default.send_messages([EmailMessage(subject=_("[Madang] Confirm your e-mail address"), body=body, to=[user.email])])


def verify_email(*, token: str) -> User:
    try:
        data = signing.loads(token, salt=VERIFY_SALT, max_age=VERIFY_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise DomainError(gettext_lazy("This confirmation link has expired. Log in to get a new one."), code="expired") from exc
    except signing.BadSignature as exc:
        raise DomainError(gettext_lazy("This confirmation link is not valid."), code="bad_token") from exc
    user = User.objects.filter(pk=data.get("u"), email=data.get("e"), is_active=True).first()
    if user is None:
        raise DomainError(gettext_lazy("This confirmation link is not valid."), code="bad_token")
    CitizenProfile.objects.filter(user=user, email_verified_at__isnull=True).update(email_verified_at=timezone.now())
    return user


def profile_of(user: User) -> CitizenProfile:
    if not user.is_citizen:
        raise Forbidden(gettext_lazy("Only citizen members have this profile."))
    profile, _created = CitizenProfile.objects.get_or_create(user=user)
    return profile


def has_consent(user: User, purpose: str) -> bool:
    return Consent.objects.filter(user=user, purpose=purpose, withdrawn_at__isnull=True).exists()


def grant_consent(*, actor: User, purpose: str) -> Consent:
    if purpose not in Purpose.values:
        raise DomainError(gettext_lazy("Unknown purpose."), code="bad_purpose")
    existing = Consent.objects.filter(user=actor, purpose=purpose, withdrawn_at__isnull=True).first()
    return existing or Consent.objects.create(user=actor, purpose=purpose)


def withdraw_consent(*, actor: User, purpose: str) -> None:
    """Withdrawing the attributes consent erases the attributes and leaves every open pool."""
    with transaction.atomic():
        Consent.objects.filter(user=actor, purpose=purpose, withdrawn_at__isnull=True).update(withdrawn_at=timezone.now())
        if purpose == Purpose.ATTRIBUTES:
            CitizenProfile.objects.filter(user=actor).update(gender="", age_band="", region="", occupation="", interests=[],
                                                             updated_at=timezone.now())
        _leave_open_pools(actor)


def _leave_open_pools(user: User) -> None:
    from django.apps import apps

    if apps.is_installed("madang.citizens") and hasattr(user, "volunteerings"):
        user.volunteerings.filter(pool__drawn_at__isnull=True).delete()


def update_attributes(*, actor: User, gender: str = "", age_band: str = "", region: str = "", occupation: str = "",
                      interests: list[str] | None = None) -> CitizenProfile:
    profile = profile_of(actor)
    values = {"gender": gender, "age_band": age_band, "region": region, "occupation": occupation}
    if (any(values.values()) or interests) and not has_consent(actor, Purpose.ATTRIBUTES):
        raise DomainError(gettext_lazy("Please agree to the purpose first: attributes are kept only with your consent."),
                          code="no_consent")
    allowed = {"gender": Gender.values, "age_band": AgeBand.values, "region": REGIONS, "occupation": Occupation.values}
    for name, value in values.items():
        if value and value not in allowed[name]:
            raise DomainError(gettext_lazy("Unknown value."), code="bad_value", field=name)
    if interests and set(interests) - set(INTERESTS):
        raise DomainError(gettext_lazy("Unknown value."), code="bad_value", field="interests")
    for name, value in values.items():
        setattr(profile, name, value)
    profile.interests = sorted(set(interests or []))
    profile.updated_at = timezone.now()
    profile.save()
    return profile


def export_data(user: User) -> dict[str, Any]:
    """Everything Madang holds about the member, in one structure (for JSON and CSV export)."""
    profile = CitizenProfile.objects.filter(user=user).first()
    return {
        "account": {"username": user.username, "name": user.display_name, "email": user.email, "language": user.language,
                    "joined": user.date_joined.isoformat(), "email_verified": bool(profile and profile.email_verified_at)},
        "attributes": profile.attributes() if profile else {},
        "consents": [{"purpose": c.purpose, "granted": c.granted_at.isoformat(),
                      "withdrawn": c.withdrawn_at.isoformat() if c.withdrawn_at else None} for c in user.consents.all()],
        "proposals": [{"id": p.pk, "title": p.title, "call": p.call.title, "status": p.status}
                      for p in user.proposals.select_related("call")],
        "comments": [{"id": c.pk, "proposal": c.proposal_id, "text": c.body, "at": c.created_at.isoformat()} for c in user.comments.all()],
        "supports": [s.proposal_id for s in user.supports.all()],
        "volunteering": [{"pool": v.pool.title, "at": v.created_at.isoformat()} for v in user.volunteerings.select_related("pool")]
        if hasattr(user, "volunteerings") else [],
    }


def export_json(user: User) -> str:
    return json.dumps(export_data(user), ensure_ascii=False, indent=2)


def export_csv(user: User) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["section", "field", "value"])

    def walk(section: str, value: Any, prefix: str = "") -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(section, v, f"{prefix}{k}.")
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(section, v, f"{prefix}{i}.")
        else:
            writer.writerow([section, prefix.rstrip("."), "" if value is None else value])

    for section, value in export_data(user).items():
        walk(section, value)
    return "\ufeff" + buf.getvalue()


def delete_account(*, actor: User, password: str) -> None:
    """Erase the member's personal data; public contributions stay, shown as anonymous."""
    if not actor.check_password(password):
        raise DomainError(gettext_lazy("The password is not correct."), code="bad_password", field="password")
    with transaction.atomic():
        _leave_open_pools(actor)
        CitizenProfile.objects.filter(user=actor).delete()
        Consent.objects.filter(user=actor).delete()
        actor.notifications.all().delete()
        actor.api_tokens.all().delete()
        actor.username = f"deleted-{actor.pk}-{secrets.token_hex(4)}"
        actor.display_name = "탈퇴한 회원 (former member)"
        actor.email = ""
        actor.first_name = actor.last_name = ""
        actor.is_active = False
        actor.set_unusable_password()
        actor.save()
