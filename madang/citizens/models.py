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
    "서울",
    "부산",
    "대구",
    "인천",
    "광주",
    "대전",
    "울산",
    "세종",
    "경기",
    "강원",
    "충북",
    "충남",
    "전북",
    "전남",
    "경북",
    "경남",
    "제주",
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
    ATTRIBUTES = (
        "attributes",
        _("Use my attributes so that invitation lotteries give every group a fair share of seats"),
    )
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


# ---------------------------------------------------------------- invitations by fair lottery
#
# A pool gathers volunteers for one strategy meeting or joint hackathon. At close the
# volunteers' consented attributes are copied (the snapshot the lottery is computed on), the
# LEXIMIN lottery over valid panels is computed, its SHA-256 commitment published before a
# public seed exists, and the panel drawn from that seed. See madang/solvers/sortition/draw.py.

LOTTERY_ATTRIBUTES = ("gender", "age_band", "region", "occupation")


class PoolPurpose(models.TextChoices):
    MEETING = "meeting", _("Strategy meeting")
    HACKATHON = "hackathon", _("Joint hackathon")


class PoolState(models.TextChoices):
    OPEN = "open", _("Open for volunteers")
    CLOSED = "closed", _("Volunteering closed")
    COMPUTED = "computed", _("Lottery computed")
    COMMITTED = "committed", _("Lottery committed")
    DRAWN = "drawn", _("Panel drawn")


class InvitationPool(models.Model):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    purpose = models.CharField(
        _("what it is for"), max_length=10, choices=PoolPurpose.choices, default=PoolPurpose.MEETING
    )
    organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.PROTECT, related_name="invitation_pools", verbose_name=_("organisation")
    )
    organiser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    k = models.PositiveSmallIntegerField(_("panel size"))
    # The attributes the quotas use, in order, and {attribute: {value: [min, max]}} for every value.
    attributes = models.JSONField(default=list)
    quotas = models.JSONField(default=dict)
    opens_at = models.DateTimeField(_("volunteering opens"))
    closes_at = models.DateTimeField(_("volunteering closes"))
    answer_days = models.PositiveSmallIntegerField(_("days to answer an invitation"), default=7)
    # The joint event whose citizen seats this pool draws ("event:12"; madang/people/seats.py), if any.
    event = models.CharField(_("event"), max_length=40, blank=True, default="", db_index=True)
    # Only citizens an identity broker verified (madang/identity) may volunteer, so be drawn.
    verified_only = models.BooleanField(_("verified citizens only"), default=False)
    state = models.CharField(max_length=10, choices=PoolState.choices, default=PoolState.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    drawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opens_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="pool_closes_after_opening"
            ),
            models.CheckConstraint(condition=models.Q(k__gte=1), name="pool_has_seats"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def subject(self) -> str:
        return f"pool:{self.pk}"


class Volunteering(models.Model):
    pool = models.ForeignKey(InvitationPool, on_delete=models.CASCADE, related_name="volunteerings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="volunteerings")
    created_at = models.DateTimeField(default=timezone.now)
    # The consented attributes as they were when the pool closed ({} until then, and after erasure).
    snapshot = models.JSONField(default=dict, blank=True)
    # False when, at close, an attribute the quotas use was missing: the person is not in the lottery.
    eligible = models.BooleanField(default=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["pool", "user"], name="one_volunteering_per_pool")]


class LotteryKind(models.TextChoices):
    INITIAL = "initial", _("Panel lottery")
    REPLACEMENT = "replacement", _("Replacement lottery")


class Lottery(models.Model):
    """A computed distribution over panels, then its commitment, then its draw.

    `people` is the anonymous instance (one list of attribute values per index, no names);
    `members` maps each index to a user id (None once that person erased their data)."""

    pool = models.ForeignKey(InvitationPool, on_delete=models.CASCADE, related_name="lotteries")
    kind = models.CharField(max_length=12, choices=LotteryKind.choices, default=LotteryKind.INITIAL)
    k = models.PositiveSmallIntegerField()
    attributes = models.JSONField(default=list)
    quotas = models.JSONField(default=dict)
    people = models.JSONField(default=list)
    members = models.JSONField(default=list)
    # Replacement lotteries: the indices kept (confirmed) and removed (declined) from the initial pool.
    kept = models.JSONField(default=list)
    removed = models.JSONField(default=list)
    panels = models.JSONField(default=list)
    # Exact hexadecimal floats, as in the committed serialisation.
    weights = models.JSONField(default=list)
    probabilities = models.JSONField(default=list)
    commitment = models.CharField(max_length=64)
    seconds = models.FloatField(default=0.0)
    computed_at = models.DateTimeField(default=timezone.now)
    committed_at = models.DateTimeField(null=True, blank=True)
    seed_source = models.CharField(_("where the public seed will come from"), max_length=300, blank=True)
    seed_source_salt = models.CharField(max_length=32, blank=True)
    # When the public seed is to be published (announced with the commitment): it must come after
    # the commitment, and the draw after it (the transparency page checks both).
    seed_due_at = models.DateTimeField(_("when the seed will be published"), null=True, blank=True)
    seed = models.CharField(_("public seed"), max_length=200, blank=True)
    panel = models.JSONField(default=list)
    panel_pseudonyms = models.JSONField(default=list)
    drawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["computed_at", "pk"]


class InvitationState(models.TextChoices):
    INVITED = "invited", _("Invited")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")
    REPLACED = "replaced", _("Replaced")


class Invitation(models.Model):
    pool = models.ForeignKey(InvitationPool, on_delete=models.CASCADE, related_name="invitations")
    lottery = models.ForeignKey(Lottery, on_delete=models.CASCADE, related_name="invitations")
    # None when the drawn person had erased their data before the draw: the seat is declined at once.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="invitations"
    )
    index = models.PositiveIntegerField()
    state = models.CharField(max_length=10, choices=InvitationState.choices, default=InvitationState.INVITED)
    invited_at = models.DateTimeField(default=timezone.now)
    answer_by = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    # Declined by the deadline passing (or by leaving), not by the person's answer.
    lapsed = models.BooleanField(default=False)

    class Meta:
        ordering = ["invited_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["pool", "index"], name="one_invitation_per_seat_holder")]
