"""Identity providers, the accounts they vouch for, verified citizens and second factors.

What is kept is the least that lets each work: an official's subject at their agency's provider
(a pseudonymous id the provider issues), a keyed hash of a verified citizen's stable person
identifier (never the identifier, a name with a birth date, or a phone number), an encrypted
TOTP secret, and hashes of recovery codes. Client secrets stay out of the database: a provider
names the setting that holds its secret (docs/identity.md).
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madang.people.models import Organisation, User


class Protocol(models.TextChoices):
    OIDC = "oidc", _("OpenID Connect")
    SAML = "saml", _("SAML 2.0")


def default_claims() -> dict[str, str]:
    return {
        "username": "preferred_username",
        "name": "name",
        "email": "email",
        "department": "department",
        "grade": "grade",
        "title": "title",
    }


class IdentityProvider(models.Model):
    """An agency's single sign-on (officials), or an identity broker that verifies citizens."""

    slug = models.SlugField(_("short name"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    protocol = models.CharField(_("protocol"), max_length=10, choices=Protocol.choices, default=Protocol.OIDC)
    # The agency whose officials sign in here (accounts are made in its departments only); empty
    # for a citizen-verification broker.
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="identity_providers"
    )
    citizen_verification = models.BooleanField(
        _("verifies citizens"),
        default=False,
        help_text=_("An identity broker that confirms a citizen is a real person (one person, one account)."),
    )
    # OIDC: the issuer (its /.well-known/openid-configuration is read); SAML: the IdP's entity id.
    issuer = models.CharField(_("issuer or entity id"), max_length=500)
    # OIDC: the client id registered at the provider; SAML: Madang's entity id there.
    client_id = models.CharField(_("client id"), max_length=200)
    # SAML: the IdP's metadata (XML), holding its signing certificate and endpoints.
    metadata_xml = models.TextField(_("SAML metadata"), blank=True)
    scopes = models.CharField(_("scopes"), max_length=200, default="openid profile email")
    # Our field -> the claim (OIDC) or attribute (SAML) that carries it. Our fields: username,
    # name, email, department (an organisation code), grade, title, active, person (a citizen
    # broker's stable person identifier, hashed at once).
    claims = models.JSONField(_("claim mapping"), default=default_claims)
    create_accounts = models.BooleanField(_("create accounts on first sign-in"), default=True)
    password_sign_in = models.BooleanField(
        _("officials may also sign in with a password"),
        default=True,
        help_text=_("Untick to make this provider the only way in for the organisation's officials."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")
        constraints = [
            models.CheckConstraint(
                condition=Q(citizen_verification=True) | Q(organisation__isnull=False),
                name="officials_provider_has_organisation",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def claim(self, field: str) -> str:
        return str((self.claims or {}).get(field) or "")


class ExternalIdentity(models.Model):
    """An official's account at a provider: the provider's subject for them, and our user."""

    provider = models.ForeignKey(IdentityProvider, on_delete=models.PROTECT, related_name="identities")
    subject = models.CharField(max_length=255)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="external_identities")
    first_seen = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["provider", "subject"], name="one_account_per_subject")]


class VerifiedPerson(models.Model):
    """A citizen account confirmed to be one real person.

    `digest` is an HMAC of the broker's stable person identifier (연계정보-like) under a key
    of its own (`MADANG_IDENTITY_PERSON_KEY`): the same person always gives the same digest, so
    a second account of theirs is refused, but the identifier cannot be read back from it."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="verified_person")
    digest = models.CharField(max_length=64, unique=True)
    provider = models.ForeignKey(IdentityProvider, on_delete=models.PROTECT, related_name="+")
    verified_at = models.DateTimeField(default=timezone.now)


class TotpDevice(models.Model):
    """A time-based one-time password (RFC 6238) authenticator app, one per person."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp_device")
    # The base32 secret, encrypted (AES-GCM) with `MADANG_IDENTITY_TOTP_KEY`.
    secret = models.BinaryField()
    confirmed_at = models.DateTimeField(default=timezone.now)
    # The time step of the last code accepted: a code is good once (RFC 6238, section 5.2).
    last_step = models.BigIntegerField(default=0)


class RecoveryCode(models.Model):
    """A one-use code for when the phone is lost. Only a SHA-256 of it is kept."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    digest = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "digest"], name="recovery_code_once_per_user")]


class SpentAssertion(models.Model):
    """A SAML assertion that signed someone in: the same assertion is refused if it comes again.

    Kept until the assertion expires (its NotOnOrAfter, plus the clock skew), after which the
    assertion is refused as expired anyway; expired rows are deleted as new ones are written."""

    provider = models.ForeignKey(IdentityProvider, on_delete=models.CASCADE, related_name="+")
    assertion_id = models.CharField(max_length=255)
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["provider", "assertion_id"], name="saml_assertion_once")]
        indexes = [models.Index(fields=["expires_at"], name="spent_assertion_expiry")]
