"""The statutory suggestion system (제안 제도): an agency's desk, each suggestion from receipt to
implementation, and the stops, decisions and notices on the way.

A suggestion is a `calls.Proposal` (its title, text, author and visibility stay there) with a
`Suggestion` beside it, one to one. What the law counts is kept as dates (`DateField`): a period
in days runs from one day to another, whatever the hour (민법 제157조). The rule pack in force on the
day of receipt is stored with the suggestion and never changes afterwards (`pack_id`,
`pack_version`, and a digest of the rules it used, so an edited pack file is noticed).
"""

from datetime import date, datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madang.calls.models import Call, Proposal
from madang.people.models import Organisation


class SuggestionOffice(models.Model):
    """An organisation's suggestion desk: the packs its suggestions follow and its 상시제안 call."""

    organisation = models.OneToOneField(Organisation, on_delete=models.PROTECT, related_name="suggestion_office")
    citizen_pack = models.CharField(_("rules for citizens' suggestions"), max_length=64)
    official_pack = models.CharField(_("rules for officials' suggestions"), max_length=64, blank=True)
    # Suggestions outside a contest are proposals in this always-open call (상시제안).
    standing_call = models.OneToOneField(Call, on_delete=models.PROTECT, related_name="suggestion_office")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("suggestion office")

    def __str__(self) -> str:
        return self.organisation.name


class ReceiptCounter(models.Model):
    """The last receipt number given by an office in a year (numbers start again at 1 each year)."""

    office = models.ForeignKey(SuggestionOffice, on_delete=models.CASCADE, related_name="counters")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["office", "year"], name="one_receipt_counter_per_year")]


class SuggestionKind(models.TextChoices):
    STANDING = "standing", _("Standing suggestion")  # 상시제안
    CONTEST = "contest", _("Contest suggestion")  # 공모제안
    IMPLEMENTED = "implemented", _("Already-implemented suggestion")  # 실시제안


class ProposerKind(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    OFFICIAL = "official", _("Official")


class Stage(models.TextChoices):
    REVIEWING = "reviewing", _("Under review")  # 심사 중 (a supplement may be open)
    ADOPTED = "adopted", _("Adopted")  # 채택: implementation is tracked
    NOT_ADOPTED = "not_adopted", _("Not adopted")  # 불채택
    RETURNED = "returned", _("Returned")  # 반려
    TRANSFERRED = "transferred", _("Transferred")  # 이송 (민원 or another agency)
    REEXAMINING = "reexamining", _("Under re-examination")  # 재심사 중
    IMPLEMENTED = "implemented", _("Implemented")  # 실시 완료
    NOT_IMPLEMENTABLE = "not_implementable", _("Cannot be implemented")  # 실시 불가 인정


class Suggestion(models.Model):
    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="suggestion")
    office = models.ForeignKey(SuggestionOffice, on_delete=models.PROTECT, related_name="suggestions")
    kind = models.CharField(_("type"), max_length=12, choices=SuggestionKind.choices)
    proposer_kind = models.CharField(max_length=10, choices=ProposerKind.choices)
    # 실시제안: what the proposer already put in place, and since when.
    evidence = models.TextField(_("evidence of the improvement in place"), blank=True)
    in_place_since = models.DateField(_("in place since"), null=True, blank=True)
    pack_id = models.CharField(max_length=64, editable=False)
    pack_version = models.CharField(max_length=32, editable=False)
    pack_digest = models.CharField(max_length=64, editable=False)
    receipt_year = models.PositiveSmallIntegerField(editable=False)
    receipt_seq = models.PositiveIntegerField(editable=False)
    received_on = models.DateField(_("received on"))
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(default=timezone.now)
    # Until when the agency may ask for a supplement, and when the decision is due with the stops
    # so far; null when the pack sets no such period (or, for the decision, while a stop is open).
    supplement_until = models.DateField(null=True, blank=True)
    decision_due = models.DateField(null=True, blank=True)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.REVIEWING)
    # Implementation, once adopted: the department that carries it out, and the date it is
    # planned for now (the plan's date, or the last delay notice's new date).
    department = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("implementing department"),
    )
    plan_due = models.DateField(null=True, blank=True)
    implement_by = models.DateField(_("planned implementation date"), null=True, blank=True)
    # The date given at adoption, kept when delays or rulings move `implement_by`: without a plan it
    # is the date "on time" is measured against (report.yearly).
    adopted_implement_by = models.DateField(null=True, blank=True)
    implemented_on = models.DateField(null=True, blank=True)
    # Lineage (a declined idea reopened for refinement): the earlier proposal this one refines (a
    # suggestion not adopted, or a proposal declined in an ordinary call), and the day the idea was
    # first filed, which this suggestion keeps for any first-to-file question (국민 제안 규정 제6조제3항).
    refines = models.OneToOneField(
        Proposal, null=True, blank=True, on_delete=models.PROTECT, related_name="refined_as", editable=False
    )
    first_filed_on = models.DateField(_("first filed on"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-received_on", "-receipt_seq"]
        constraints = [
            models.UniqueConstraint(fields=["office", "receipt_year", "receipt_seq"], name="one_receipt_number"),
            models.CheckConstraint(condition=~Q(kind="implemented") | ~Q(evidence=""), name="implemented_has_evidence"),
            models.CheckConstraint(
                condition=Q(refines__isnull=True, first_filed_on__isnull=True)
                | Q(refines__isnull=False, first_filed_on__lte=models.F("received_on")),
                name="refined_keeps_an_earlier_filing_date",
            ),
            models.CheckConstraint(condition=~Q(refines=models.F("proposal")), name="refines_another_proposal"),
        ]
        indexes = [models.Index(fields=["office", "stage", "decision_due"])]

    def __str__(self) -> str:
        return self.receipt_number

    @property
    def receipt_number(self) -> str:
        return f"{self.receipt_year}-{self.receipt_seq:04d}"

    @property
    def pack_key(self) -> str:
        return f"{self.pack_id}@{self.pack_version}"

    @property
    def priority_date(self) -> date:
        """The day that counts when two suggestions say the same (the first filed has priority):
        the first filing of a refined idea, else the day of receipt."""
        return self.first_filed_on or self.received_on

    def first_filed_at(self) -> datetime:
        """The moment the idea was first filed, to order two filings of one day: the receipt of the
        first suggestion in its lineage, or the submission of the declined proposal it started as."""
        current, seen = self, {self.pk}
        while current.refines_id is not None:
            earlier = Suggestion.objects.filter(proposal_id=current.refines_id).first()
            if earlier is None:
                p = Proposal.objects.filter(pk=current.refines_id).only("submitted_at").first()
                return (p.submitted_at if p else None) or current.received_at
            if earlier.pk in seen:
                break
            seen.add(earlier.pk)
            current = earlier
        return current.received_at


class Supplement(models.Model):
    """A request to supplement the suggestion (보완 요청): the decision clock stops from the day
    after it went out until the day the answer came (or the suggestion was decided without one)."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.PROTECT, related_name="supplements")
    question = models.TextField(_("what needs supplementing"))
    asked_on = models.DateField()
    answer_by = models.DateField(_("answer by"))
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answer = models.TextField(_("supplement"), blank=True)
    answered_on = models.DateField(null=True, blank=True)
    # Decided while the request was still open: the stop ends that day, unanswered.
    lapsed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["asked_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(answer_by__gte=models.F("asked_on")), name="supplement_answer_after_asking"
            ),
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | Q(lapsed_on__isnull=True), name="supplement_closed_once"
            ),
            models.UniqueConstraint(
                fields=["suggestion"],
                condition=Q(answered_on__isnull=True, lapsed_on__isnull=True),
                name="one_open_supplement",
            ),
        ]

    @property
    def resumed_on(self) -> date | None:
        return self.answered_on or self.lapsed_on

    @property
    def is_open(self) -> bool:
        return self.answered_on is None and self.lapsed_on is None


class DecisionOutcome(models.TextChoices):
    ADOPT = "adopt", _("Adopted")  # 채택
    NOT_ADOPT = "not_adopt", _("Not adopted")  # 불채택
    RETURN = "return", _("Returned")  # 반려
    TRANSFER = "transfer", _("Transferred")  # 이송


class Round(models.TextChoices):
    FIRST = "first", _("Review")
    REEXAMINATION = "reexamination", _("Re-examination")


class Decision(models.Model):
    """A decision on a suggestion, by a panel, with the pack's coded ground and an explanation.
    The first review and a re-examination each have one; a re-examination's panel shares no one
    with the first."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.PROTECT, related_name="decisions")
    round = models.CharField(max_length=14, choices=Round.choices, default=Round.FIRST)
    outcome = models.CharField(_("decision"), max_length=10, choices=DecisionOutcome.choices)
    ground = models.CharField(_("ground"), max_length=40, blank=True)
    explanation = models.TextField(_("explanation"))
    decided_on = models.DateField()
    due = models.DateField(null=True, blank=True)
    on_time = models.BooleanField(null=True)
    panel = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("panel"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # Not adopted: until when the proposer may ask for re-examination (the pack's window).
    reexamination_until = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "round"], name="one_decision_per_round"),
            models.CheckConstraint(condition=Q(outcome="adopt") | ~Q(ground=""), name="decision_ground_unless_adopted"),
            models.CheckConstraint(condition=~Q(explanation=""), name="decision_has_explanation"),
        ]


class DecisionExtension(models.Model):
    """The office extended the decision period (처리기간 연장) by the pack's extension period, counted
    from the due date it replaces, with its reason; the proposer is told. The pack says how many times."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.PROTECT, related_name="decision_extensions")
    reason = models.TextField(_("reason for the extension"))
    previous_due = models.DateField()
    new_due = models.DateField()
    extended_on = models.DateField()
    extended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(new_due__gt=models.F("previous_due")), name="decision_extension_moves_later"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="decision_extension_has_reason"),
        ]


class TransferChannel(models.TextChoices):
    CIVIL_COMPLAINT = "civil_complaint", _("The civil-complaint (민원) procedure")
    OTHER_AGENCY = "other_agency", _("Another agency")


class Transfer(models.Model):
    """A suggestion handed over: to the 민원 procedure (국민 제안 규정 제6조제5항) or to the agency
    whose business it is (제6조제6항)."""

    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="transfer")
    channel = models.CharField(max_length=16, choices=TransferChannel.choices)
    recipient = models.CharField(_("handed to"), max_length=200)
    reference = models.CharField(_("their reference number"), max_length=100, blank=True)
    transferred_on = models.DateField()


class Reexamination(models.Model):
    """The proposer's request to examine a suggestion again (재심사 요청), within the pack's window."""

    suggestion = models.OneToOneField(Suggestion, on_delete=models.PROTECT, related_name="reexamination")
    reason = models.TextField(_("why it should be examined again"))
    requested_on = models.DateField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due = models.DateField(null=True, blank=True)  # the pack's re-examination period, if it sets one
    decision = models.OneToOneField(Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)


class Plan(models.Model):
    """How and by when an adopted suggestion is to be implemented (실시 계획)."""

    suggestion = models.OneToOneField(Suggestion, on_delete=models.PROTECT, related_name="plan")
    text = models.TextField(_("implementation plan"))
    implement_by = models.DateField(_("planned implementation date"))
    planned_on = models.DateField()
    on_time = models.BooleanField(null=True)  # against the pack's implementation-plan period, if any
    planned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)


class DelayNotice(models.Model):
    """Implementation will be late: the reason and the new date, as the proposer is told."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.PROTECT, related_name="delays")
    reason = models.TextField(_("reason for the delay"))
    previous_date = models.DateField()
    new_date = models.DateField(_("new implementation date"))
    notified_on = models.DateField()
    notified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(new_date__gt=models.F("previous_date")), name="delay_moves_later")
        ]


class CannotImplement(models.Model):
    """The implementing side declares that an adopted suggestion cannot be implemented; the
    office rules on it (`Ruling`)."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.PROTECT, related_name="cannot_implement")
    reason = models.TextField(_("why it cannot be implemented"))
    declared_on = models.DateField()
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]


class RulingKind(models.TextChoices):
    IMPLEMENTED = "implemented", _("Implemented")  # 실시 완료로 인정
    CANNOT_ACCEPTED = "cannot_accepted", _("Cannot be implemented: accepted")  # 실시 불가 인정
    CANNOT_REJECTED = "cannot_rejected", _("Cannot be implemented: not accepted")  # 실시 불가 불인정


class Ruling(models.Model):
    """The office's ruling on an adopted suggestion's implementation."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.PROTECT, related_name="rulings")
    kind = models.CharField(_("ruling"), max_length=16, choices=RulingKind.choices)
    declaration = models.OneToOneField(
        CannotImplement, null=True, blank=True, on_delete=models.PROTECT, related_name="ruling"
    )
    note = models.TextField(_("note"))
    ruled_on = models.DateField()
    new_date = models.DateField(null=True, blank=True)  # not accepted: the date it must now be implemented by
    ruled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="implemented") | Q(declaration__isnull=False), name="cannot_ruling_names_declaration"
            ),
            models.CheckConstraint(
                condition=~Q(kind="cannot_rejected") | Q(new_date__isnull=False), name="rejected_ruling_sets_date"
            ),
        ]


class ReminderStage(models.TextChoices):
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")


class Reminder(models.Model):
    """A notice sent to the office about a clock: once per clock, due date and stage, so a due
    date moved by a stop gets its own notices and none is sent twice."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="reminders")
    clock = models.CharField(max_length=32)  # decision, reexamination_decision, implementation
    due = models.DateField()
    stage = models.CharField(max_length=10, choices=ReminderStage.choices)
    sent_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "clock", "due", "stage"], name="one_reminder_per_stage")
        ]


# ---------------------------------------------------------------- effect, awards and personnel credit


class Measure(models.TextChoices):
    PROJECTED = "projected", _("Projected effect")  # 예상 효과
    ACTUAL = "actual", _("Actual effect")  # 실제 효과


def evidence_path(instance: "Effect", filename: str) -> str:
    # The stored name never comes from the user.
    return f"suggestions/{instance.suggestion_id}/{instance.evidence_token}{instance.evidence_extension}"


class Effect(models.Model):
    """What an adopted suggestion is expected to bring, or brought, with the evidence for it. One
    projected and one actual record per suggestion; the office records them."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.PROTECT, related_name="effects")
    measure = models.CharField(_("measure"), max_length=10, choices=Measure.choices)
    budget_saved_krw = models.BigIntegerField(_("budget saved (KRW)"), default=0)
    revenue_krw = models.BigIntegerField(_("revenue (KRW)"), default=0)
    citizen_hours = models.PositiveIntegerField(_("hours saved for citizens"), default=0)
    staff_hours = models.PositiveIntegerField(_("hours saved for staff"), default=0)
    other = models.TextField(_("non-financial effect"), blank=True)
    evidence = models.TextField(_("evidence"))
    evidence_file = models.FileField(upload_to=evidence_path, max_length=300, blank=True)
    evidence_token = models.CharField(max_length=32, blank=True, editable=False)
    evidence_extension = models.CharField(max_length=10, blank=True, editable=False)
    evidence_name = models.CharField(max_length=255, blank=True)
    evidence_sha256 = models.CharField(max_length=64, blank=True)
    recorded_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # A correction is a new record naming the one it replaces; the earlier figures stay, marked
    # superseded from the day of the correction, so the ledger's entries for both still verify.
    corrects = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="correction", editable=False
    )
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    superseded_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["measure", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "measure"],
                condition=Q(superseded_on__isnull=True),
                name="one_current_effect_per_measure",
            ),
            models.CheckConstraint(
                condition=Q(corrects__isnull=True) | ~Q(correction_reason=""), name="effect_correction_has_reason"
            ),
            models.CheckConstraint(condition=~Q(evidence=""), name="effect_has_evidence"),
            models.CheckConstraint(
                condition=Q(budget_saved_krw__gte=0) & Q(revenue_krw__gte=0), name="effect_amounts_not_negative"
            ),
        ]

    @property
    def is_current(self) -> bool:
        return self.superseded_on is None


class Award(models.Model):
    """The office's grade for an adopted suggestion (시상), from the grades of the pack version the
    suggestion keeps; one per idea (a proposal merged into another shares its award). The
    implementer may be recognised with it; the office may recommend it upward as 자체우수제안."""

    suggestion = models.OneToOneField(Suggestion, on_delete=models.PROTECT, related_name="award")
    grade = models.CharField(_("grade"), max_length=32)
    grade_label = models.CharField(max_length=100)
    rank = models.PositiveSmallIntegerField()
    amount_krw = models.BigIntegerField(null=True, blank=True)  # the pack's amount; null when it sets none
    pack_key = models.CharField(max_length=100)
    note = models.TextField(_("reasons for the grade"))
    implementer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("implementer recognised"),
    )
    implementer_note = models.TextField(_("recognition of the implementer"), blank=True)
    awarded_on = models.DateField()
    awarded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Recommended upward (자체우수제안 → 중앙우수제안 review).
    recommended_on = models.DateField(null=True, blank=True)
    recommendation_note = models.TextField(_("recommendation package"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(recommended_on__isnull=True) | ~Q(recommendation_note=""),
                name="recommendation_has_note",
            ),
            models.CheckConstraint(
                condition=Q(implementer__isnull=False) | Q(implementer_note=""), name="recognition_names_implementer"
            ),
        ]

    @property
    def recommended(self) -> bool:
        return self.recommended_on is not None


class CreditKind(models.TextChoices):
    SPECIAL_PROMOTION = "special_promotion", _("Special promotion")  # 특별승진
    SPECIAL_STEP = "special_step", _("Special pay-step increase")  # 특별승급
    MERIT_POINTS = "merit_points", _("Merit points")  # 실적 가점


class PersonnelCredit(models.Model):
    """A personnel credit for an awarded suggestion (인사상 특전), kept apart from the award for the
    HR office, which exports them."""

    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="credits")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("credit"), max_length=20, choices=CreditKind.choices)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2, null=True, blank=True)
    note = models.TextField(_("note"))
    recorded_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["award", "person", "kind"], name="one_credit_per_kind"),
            models.CheckConstraint(
                condition=~Q(kind="merit_points") | Q(points__gt=0), name="merit_points_have_points"
            ),
        ]


# ---------------------------------------------------------------- first to file, across agencies


class ReceiptFingerprint(models.Model):
    """The fingerprint of a suggestion's text as received: a keyed MinHash signature of its Korean terms
    (`madang/solvers/fingerprint`), made when MADANG_FINGERPRINT_KEY is set and committed to in the
    suggestion's `suggestion.received` ledger entry, so that agencies sharing the key can check each
    other's filings for the same idea, and which came first, without seeing its text
    (docs/suggestions.md, "First to file, across agencies")."""

    suggestion = models.OneToOneField(Suggestion, on_delete=models.CASCADE, related_name="fingerprint")
    value = models.CharField(max_length=400)  # fingerprint.Fingerprint.encode()
    created_at = models.DateTimeField(default=timezone.now)
