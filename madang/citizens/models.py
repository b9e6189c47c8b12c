"""Citizen members of the government-innovation forum.

Optional attributes (gender, age band, region, occupation, interests) are collected only
with a recorded consent for a stated purpose, as Korea's Personal Information Protection
Act asks: the member can see, export and delete them, and withdrawing consent erases them.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")


class AgeBand(models.TextChoices):
    A19 = "19-29", _("19–29")
    A30 = "30-39", _("30–39")
    A40 = "40-49", _("40–49")
    A50 = "50-59", _("50–59")
    A60 = "60-69", _("60–69")
    A70 = "70+", _("70 and over")


REGIONS = [
    "서울", "부산", "대구", "인천", "광주", "대전", "울산", "세종", "경기", "강원", "충북", "충남", "전북", "전남", "경북", "경남", "제주",
]


class Occupation(models.TextChoices):
    STUDENT = "student", _("Student")
    EMPLOYEE = "employee", _("Employee")
    SELF_EMPLOYED = "self_employed", _("Self-employed")
    PUBLIC = "public", _("Public sector")
    FARMING = "farming", _("Farming or fishing")
    HOMEMAKER = "homemaker", _("Homemaker")
    RETIRED = "retired", _("Retired")
    SEEKING = "seeking", _("Looking for work")
    OTHER = "other", _("Other")


class Purpose(models.TextChoices):
    ATTRIBUTES = "attributes", _("Use my attributes so that invitation lotteries give every group a fair share of seats")
    INVITATIONS = "invitations", _("Contact me with invitations to meetings and hackathons I volunteer for")


class CitizenProfile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="citizen_profile")
    email_verified_at = models.DateTimeField(null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    age_band = models.CharField(_("age band"), max_length=6, choices=AgeBand.choices, blank=True)
    region = models.CharField(_("region"), max_length=10, choices=[(r, r) for r in REGIONS], blank=True)
    occupation = models.CharField(_("occupation"), max_length=14, choices=Occupation.choices, blank=True)
    interests = models.JSONField(_("fields of interest"), default=list, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    ATTRIBUTES = ("gender", "age_band", "region", "occupation", "interests")

    def attributes(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self.ATTRIBUTES}


class Consent(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=12, choices=Purpose.choices)
    granted_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["granted_at"]
