"""Writes of the identity app: accounts vouched for by a provider, verified citizens, second factors.

Sign-in services have no signed-in `actor`: nobody is signed in yet, and the provider, whose
signed answer the caller has checked (madang/identity/oidc.py, saml.py), vouches for the person.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from datetime import UTC, datetime, timedelta

import pyotp
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madang.core import security
from madang.core.errors import Conflict, DomainError, Forbidden
from madang.identity import keys, rules
from madang.identity.claims import Person
from madang.identity.models import (
    ExternalIdentity,
    IdentityProvider,
    RecoveryCode,
    SpentAssertion,
    TotpDevice,
    VerifiedPerson,
)
from madang.people import services as people
from madang.people import throttle
from madang.people.models import Kind, Organisation, User


class SignInRefused(DomainError):
    """A provider's answer was genuine, but Madang will not sign this person in."""

    status = 403


# ---------------------------------------------------------------- officials


def sign_in_official(*, provider: IdentityProvider, person: Person) -> User:
    """The account of the official `provider` vouches for.

    Made on first sign-in (or linked to the account the staff import made, when its username
    matches inside the provider's organisation); the department, grade, title, name and e-mail
    are brought up to date from the claims on every sign-in, so a move to another department
    shows at the next sign-in. Role grants are left as they are (docs/identity.md).
    """
    if provider.citizen_verification or not provider.is_active or provider.organisation is None:
        raise SignInRefused(_("This identity provider does not sign officials in."), code="wrong_provider")
    if not person.subject:
        raise SignInRefused(_("The identity provider did not say who you are."), code="no_subject")
    if not person.active:
        security.event("sso_refused_disabled_at_provider", provider=provider.slug)
        raise SignInRefused(
            _("Your account is disabled at your organisation's identity provider."), code="disabled_at_provider"
        )
    department = _department(provider, person)
    if person.grade == -1:
        raise SignInRefused(_("The identity provider sent a grade Madang does not know (1 to 9)."), code="bad_grade")
    created = False
    with transaction.atomic():
        link = (
            ExternalIdentity.objects.select_for_update()
            .select_related("user")
            .filter(provider=provider, subject=person.subject)
            .first()
        )
        if link is None:
            user = _existing_official(provider, person)
            if user is None:
                if not provider.create_accounts:
                    raise SignInRefused(
                        _("You have no Madang account yet. Please ask your organisation's administrator."),
                        code="no_account",
                    )
                user = people.create_user(
                    actor=None,
                    username=_free_username(provider, person),
                    display_name=person.name or person.username or person.subject[:100],
                    email=person.email,
                    kind=Kind.OFFICIAL,
                    department=department,
                    grade=person.grade,
                    title=person.title,
                )
                created = True
            link = ExternalIdentity.objects.create(provider=provider, subject=person.subject, user=user)
        user = link.user
        if not user.is_active:
            security.event("sso_refused_disabled_account", user_id=user.pk, provider=provider.slug)
            raise SignInRefused(_("This Madang account is disabled."), code="disabled")
        if not user.is_official:
            raise SignInRefused(_("This account is not an official's account."), code="not_official")
        changed = _bring_up_to_date(user, person, department)
        if "department" in changed and not created:
            security.event("sso_department_changed", user_id=user.pk, provider=provider.slug)
            people.end_grants_left_behind(user=user)
        link.last_seen = timezone.now()
        link.save(update_fields=["last_seen"])
    security.event("sso_sign_in", user_id=user.pk, provider=provider.slug, new_account=created)
    return user


def _department(provider: IdentityProvider, person: Person) -> Organisation:
    agency = provider.organisation
    assert agency is not None
    if not person.department:
        raise SignInRefused(_("The identity provider did not say which department you are in."), code="no_department")
    department = Organisation.objects.filter(code=person.department, is_active=True).first()
    if department is None or not department.path.startswith(agency.path):
        # A provider vouches for its own organisation only: never for a department elsewhere.
        raise SignInRefused(
            _("Your department (%(code)s) is not one of %(agency)s's departments in Madang.")
            % {"code": person.department, "agency": agency.name},
            code="unknown_department",
        )
    return department


def _existing_official(provider: IdentityProvider, person: Person) -> User | None:
    """An account the staff import made for this person, to link rather than duplicate."""
    agency = provider.organisation
    if not person.username or agency is None:
        return None
    user = User.objects.filter(
        username=person.username, kind=Kind.OFFICIAL, department__path__startswith=agency.path
    ).first()
    if user is None or ExternalIdentity.objects.filter(provider=provider, user=user).exists():
        return None  # linked to someone else at this provider already: not theirs to take
    return user


def _free_username(provider: IdentityProvider, person: Person) -> str:
    base = "".join(ch for ch in (person.username or person.subject) if ch.isalnum() or ch in "@.+-_")[:100]
    base = base or "sso"
    for candidate in [base, f"{provider.slug}.{base}"] + [f"{provider.slug}.{base}.{n}" for n in range(2, 50)]:
        if not User.objects.filter(username=candidate).exists():
            return candidate[:150]
    return f"{provider.slug}.{secrets.token_hex(6)}"


def _bring_up_to_date(user: User, person: Person, department: Organisation) -> list[str]:
    wanted: dict[str, object] = {"department_id": department.pk}
    if person.grade_given:
        wanted["grade"] = person.grade
    if person.title:
        wanted["title"] = person.title
    if person.name:
        wanted["display_name"] = person.name
    if person.email:
        wanted["email"] = person.email
    changed = [name for name, value in wanted.items() if getattr(user, name) != value]
    for name in changed:
        setattr(user, name, wanted[name])
    if changed:
        user.save(update_fields=[name.removesuffix("_id") for name in changed])
    return [name.removesuffix("_id") for name in changed]


def spend_assertion(*, provider: IdentityProvider, assertion_id: str, expires_at: float, skew_seconds: int) -> None:
    """Mark a verified SAML assertion as used; refuse it if it was used before (a replay).

    The id is kept until the assertion expires (plus the clock skew the checks allow): after
    that it is refused as expired. Rows past their time are deleted here as new ones come."""
    if not assertion_id:
        raise SignInRefused(
            _("The identity provider's answer could not be verified. Sign-in was stopped."), code="no_id"
        )
    moment = timezone.now()
    until = datetime.fromtimestamp(expires_at, tz=UTC) + timedelta(seconds=skew_seconds)
    SpentAssertion.objects.filter(expires_at__lt=moment).delete()
    try:
        with transaction.atomic():
            SpentAssertion.objects.create(provider=provider, assertion_id=assertion_id[:255], expires_at=until)
    except IntegrityError as exc:
        security.event("saml_refused", provider=provider.slug, reason="replay")
        raise SignInRefused(_("This sign-in answer was already used. Please start again."), code="saml_replay") from exc


# ---------------------------------------------------------------- citizens


def _person_digest(provider: IdentityProvider, person: Person) -> str:
    if not provider.citizen_verification or not provider.is_active:
        raise SignInRefused(_("This identity provider does not verify citizens."), code="wrong_provider")
    if not person.person:
        raise SignInRefused(_("The identity broker did not confirm who you are."), code="no_person")
    return keys.person_digest(person.person)


def verify_citizen(*, actor: User, provider: IdentityProvider, person: Person) -> VerifiedPerson:
    """Mark the actor's citizen account as one real person. One person, one account: a person
    already verified on another account is refused, and so is an account verified as someone else.
    Only the keyed hash of the broker's person identifier is kept."""
    digest = _person_digest(provider, person)
    if not actor.is_citizen:
        raise Forbidden(_("Only citizen accounts are verified this way."), code="not_citizen")
    with transaction.atomic():
        holder = VerifiedPerson.objects.select_for_update().filter(digest=digest).first()
        if holder is not None and holder.user_id != actor.pk:
            security.event("citizen_verification_duplicate", user_id=actor.pk)
            raise Conflict(
                _("You are already verified on another Madang account: one person may hold one account."),
                code="already_verified_elsewhere",
            )
        own = VerifiedPerson.objects.select_for_update().filter(user=actor).first()
        if own is not None and own.digest != digest:
            raise Conflict(_("This account was verified as another person."), code="verified_as_other")
        if own is not None:
            own.verified_at = timezone.now()
            own.save(update_fields=["verified_at"])
            return own
        try:
            with transaction.atomic():
                verified = VerifiedPerson.objects.create(user=actor, digest=digest, provider=provider)
        except IntegrityError as exc:  # the same person verifying two accounts at the same moment
            raise Conflict(
                _("You are already verified on another Madang account: one person may hold one account."),
                code="already_verified_elsewhere",
            ) from exc
    security.event("citizen_verified", user_id=actor.pk, provider=provider.slug)
    return verified


def check_verified_person(actor: User, *, required: bool) -> None:
    """Raise unless the actor may take part where verified people only are asked (a call's or a
    pool's setting): citizens must have been verified by a broker; officials always may."""
    if required and not rules.is_verified_person(actor):
        raise Forbidden(
            _(
                "Only verified citizens may take part here. Verify yourself once through the identity broker "
                "(on the log-in page or your settings page), then try again."
            ),
            code="not_verified",
        )


def sign_in_citizen(*, provider: IdentityProvider, person: Person) -> User:
    """The verified citizen account of the person the broker vouches for."""
    digest = _person_digest(provider, person)
    verified = VerifiedPerson.objects.select_related("user").filter(digest=digest).first()
    if verified is None:
        raise SignInRefused(
            _("No Madang account is verified as you yet. Please log in (or join) first, then verify."),
            code="not_verified",
        )
    if not verified.user.is_active:
        raise SignInRefused(_("This Madang account is disabled."), code="disabled")
    security.event("citizen_sign_in", user_id=verified.user_id, provider=provider.slug)
    return verified.user


# ---------------------------------------------------------------- second factor

STEP = 30
RECOVERY_CODES = 10


def now() -> float:
    """The clock; tests replace it."""
    return time.time()


def new_totp_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret, interval=STEP).provisioning_uri(
        name=user.get_username(), issuer_name=settings.MADANG_TOTP_ISSUER
    )


def _matching_step(secret: str, code: str, after: int) -> int | None:
    """The time step, within one step either side of now, whose code is `code` (and later than `after`)."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret, interval=STEP)
    current = int(now() // STEP)
    for step in (current - 1, current, current + 1):
        if step > after and hmac.compare_digest(totp.at(step * STEP), code):
            return step
    return None


def _recovery_digest(code: str) -> str:
    return hashlib.sha256("".join(code.split()).replace("-", "").lower().encode()).hexdigest()


def _new_recovery_codes(user: User) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    RecoveryCode.objects.bulk_create([RecoveryCode(user=user, digest=_recovery_digest(c)) for c in codes])
    return codes


def enrol_totp(*, actor: User, secret: str, code: str) -> list[str]:
    """Keep the authenticator app whose secret the actor was shown, once they type a code it
    makes; returns fresh recovery codes, shown once. A second enrolment replaces the first."""
    step = _matching_step(secret, code, after=0)
    if step is None:
        raise DomainError(
            _("This code does not match. Check the time on your phone and type the newest code."), code="bad_code"
        )
    with transaction.atomic():
        TotpDevice.objects.filter(user=actor).delete()
        TotpDevice.objects.create(user=actor, secret=keys.seal(secret, user_id=actor.pk), last_step=step)
        codes = _new_recovery_codes(actor)
    security.event("second_factor_enrolled", user_id=actor.pk)
    return codes


def regenerate_recovery_codes(*, actor: User) -> list[str]:
    if not TotpDevice.objects.filter(user=actor).exists():
        raise DomainError(_("Set up an authenticator app first."), code="no_device")
    with transaction.atomic():
        codes = _new_recovery_codes(actor)
    security.event("recovery_codes_renewed", user_id=actor.pk)
    return codes


def check_second_factor(*, user: User, code: str, address: str) -> bool:
    """Is `code` a current TOTP code (not used before) or an unused recovery code of `user`?

    Guesses go through the log-in throttle under an account name of their own, so six digits
    cannot be tried a million times."""
    account = f"2fa:{user.get_username()}"
    if throttle.wait_seconds(account, address):
        raise DomainError(
            throttle.wait_message(throttle.wait_seconds(account, address)), code="throttled", field="code"
        )
    ok = False
    with transaction.atomic():
        device = TotpDevice.objects.select_for_update().filter(user=user).first()
        if device is not None:
            step = _matching_step(keys.unseal(device.secret, user_id=user.pk), code, after=device.last_step)
            if step is not None:
                device.last_step = step
                device.save(update_fields=["last_step"])
                ok = True
        if not ok:
            used = RecoveryCode.objects.filter(user=user, digest=_recovery_digest(code), used_at__isnull=True).update(
                used_at=timezone.now()
            )
            ok = used == 1
            if ok:
                security.event("recovery_code_used", user_id=user.pk)
    if ok:
        throttle.record_success(account, address)
    else:
        throttle.record_failure(account, address)
        security.event("second_factor_failed", user_id=user.pk)
    return ok
