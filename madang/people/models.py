"""People and organisations.

Organisations form one tree: ministries, provinces, local governments, police, fire services
and public institutions at the top levels, departments inside them. An official belongs to one
department; a citizen belongs to none. Roles are granted per organisation (covering its subtree)
or per call.
"""

import hashlib
import secrets
from datetime import datetime
from typing import ClassVar, Self

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    MINISTRY = "ministry", _("Central ministry or agency")
    PROVINCE = "province", _("Province or metropolitan government")
    LOCAL = "local", _("Local government")
    POLICE = "police", _("Police")
    FIRE = "fire", _("Fire service")
    PUBLIC = "public", _("Public institution")
    DEPARTMENT = "department", _("Department")


class Organisation(models.Model):
    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrgKind.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    # Materialised path "/1/5/12/" so that "this organisation and everything under it"
    # is one indexed prefix query instead of a recursive walk.
    path = models.CharField(max_length=500, db_index=True, editable=False, default="/")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def is_department(self) -> bool:
        return self.kind == OrgKind.DEPARTMENT

    def agency(self) -> "Organisation":
        """The top organisation an official answers to (the department's agency)."""
        node = self
        while node.kind == OrgKind.DEPARTMENT and node.parent is not None:
            node = node.parent
        return node

    def subtree_q(self, field: str = "") -> Q:
        prefix = f"{field}__" if field else ""
        return Q(**{f"{prefix}path__startswith": self.path})

    def label(self) -> str:
        if self.kind == OrgKind.DEPARTMENT and self.parent_id:
            return f"{self.agency().name} {self.name}"
        return self.name


class Kind(models.TextChoices):
    OFFICIAL = "official", _("Public official")
    CITIZEN = "citizen", _("Citizen member")


class EmailMode(models.TextChoices):
    IMMEDIATE = "immediate", _("Each change by e-mail")
    DAILY = "daily", _("One daily digest")
    NONE = "none", _("No e-mail (inbox only)")


def _grade_label(grade: int) -> str:
    return gettext("Grade %(n)d") % {"n": grade}


# Lazy: formatting a lazy string at import would fix the label in whatever language was
# active then (and make migrations flip between languages).
GRADE_CHOICES = [(g, lazy(_grade_label, str)(g)) for g in range(1, 10)]


class User(AbstractUser):
    display_name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.OFFICIAL)
    department = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    grade = models.PositiveSmallIntegerField(_("grade"), null=True, blank=True, choices=GRADE_CHOICES)
    title = models.CharField(_("title"), max_length=50, blank=True)
    language = models.CharField(
        _("language"), max_length=5, default="ko", choices=[("ko", "한국어"), ("en", "English")]
    )
    email_mode = models.CharField(
        _("e-mail notifications"), max_length=10, choices=EmailMode.choices, default=EmailMode.IMMEDIATE
    )
    # Notification kinds the user has switched off (empty = receive everything).
    muted_kinds = models.JSONField(default=list, blank=True)

    objects: ClassVar[UserManager[Self]] = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="official") | Q(department__isnull=True), name="citizen_has_no_department"
            ),
            models.CheckConstraint(
                condition=Q(grade__isnull=True) | Q(grade__gte=1, grade__lte=9), name="grade_1_to_9"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_official(self) -> bool:
        return self.kind == Kind.OFFICIAL

    @property
    def is_citizen(self) -> bool:
        return self.kind == Kind.CITIZEN

    def grade_label(self) -> str:
        return str(_("Grade %(n)d") % {"n": self.grade}) if self.grade else ""


class Role(models.TextChoices):
    REVIEWER = "reviewer", _("Reviewer")
    INNOVATION_TEAM = "innovation_team", _("Innovation team")
    LIAISON = "liaison", _("Agency liaison")
    FACILITATOR = "facilitator", _("Facilitator")
    ADMINISTRATOR = "administrator", _("Administrator")
    # 개인정보 보호책임자 (개인정보 보호법 제31조): reviews the access records monthly (madang/privacy).
    PRIVACY_OFFICER = "privacy_officer", _("Privacy officer")


class RoleGrant(models.Model):
    """A role held in an organisation's subtree or in one call (never both; neither = site-wide)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="role_grants"
    )
    call = models.ForeignKey("calls.Call", null=True, blank=True, on_delete=models.CASCADE, related_name="role_grants")
    granted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(organisation__isnull=True, call__isnull=True),
                name="one_site_grant",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "organisation"], condition=Q(organisation__isnull=False), name="one_org_grant"
            ),
            models.UniqueConstraint(
                fields=["user", "role", "call"], condition=Q(call__isnull=False), name="one_call_grant"
            ),
            models.CheckConstraint(
                condition=Q(organisation__isnull=True) | Q(call__isnull=True), name="grant_scope_is_org_or_call"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.role}"


class LoginFailure(models.Model):
    """Failed log-ins, kept per username and per address for throttling and lock-out."""

    username = models.CharField(max_length=150, db_index=True)
    address = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 of the secret is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Answered 401 "expired" from then on. Set for every token; null only if an operator clears it.
    expires_at = models.DateTimeField(null=True, blank=True)
    # The token this one replaced by rotation (that one was revoked at the same moment).
    rotated_from = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="rotated_to"
    )

    def is_expired(self, at: datetime | None = None) -> bool:
        return self.expires_at is not None and self.expires_at <= (at or timezone.now())

    @staticmethod
    def digest_of(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

    @staticmethod
    def new_secret() -> str:
        return "mdg_" + secrets.token_urlsafe(32)
