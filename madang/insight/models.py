"""Two ways of listening to many people at once, for a call.

An opinion map (after Pol.is): short statements, each voted agree / disagree / pass, one at a
time; the votes place people on a map of opinion groups. A wiki survey (after All Our Ideas):
"Which is better: A or B?" over the call's public proposals and ideas participants add.

Computed results are stored as snapshots (JSON), so pages never run the solvers.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madang.calls.models import Call, Proposal
from madang.privacy import exposure


class Moderation(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Not approved")


class Statement(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="statements")
    text = models.CharField(_("statement"), max_length=280)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=10, choices=Moderation.choices, default=Moderation.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    moderated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["call", "state"], name="insight_statement_state")]

    def __str__(self) -> str:
        return self.text


class Opinion(models.IntegerChoices):
    AGREE = 1, _("Agree")
    PASS = 0, _("Pass / unsure")
    DISAGREE = -1, _("Disagree")


class StatementVote(models.Model):
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    value = models.SmallIntegerField(choices=Opinion.choices)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["statement", "user"], name="one_opinion_per_statement"),
            models.CheckConstraint(condition=Q(value__in=[-1, 0, 1]), name="opinion_value_known"),
        ]


class OpinionSnapshot(models.Model):
    """One computed opinion map: what the page draws, plus the state the next run warm-starts from."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="opinion_snapshots")
    computed_at = models.DateTimeField(default=timezone.now)
    n_participants = models.PositiveIntegerField(default=0)
    n_votes = models.PositiveIntegerField(default=0)
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["-computed_at", "-pk"]


class Idea(models.Model):
    """One option of the wiki survey: a public proposal of the call, or an idea a participant added."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="survey_ideas")
    proposal = models.ForeignKey(Proposal, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(_("idea"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(max_length=10, choices=Moderation.choices, default=Moderation.PENDING)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "proposal"], condition=Q(proposal__isnull=False), name="one_idea_per_proposal"
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def shown_text(self) -> str:
        """As readers see it: what the exposure filter finds masked (a proposal's title, copied here)."""
        return exposure.shown(self.text)


class Choice(models.TextChoices):
    LEFT = "left", _("Left")
    RIGHT = "right", _("Right")
    TIE = "tie", _("I can't decide")


class Pair(models.Model):
    """A pair shown to one person; their answer is stored on it, so only shown pairs can be answered."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="survey_pairs")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    left = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="+")
    right = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="+")
    shown_at = models.DateTimeField(default=timezone.now)
    choice = models.CharField(max_length=5, choices=Choice.choices, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["call", "user", "answered_at"], name="insight_pair_open")]
        constraints = [
            models.CheckConstraint(condition=~Q(left=models.F("right")), name="pair_of_two_ideas"),
            models.CheckConstraint(condition=Q(choice="") | Q(answered_at__isnull=False), name="answer_has_time"),
        ]


class RankingSnapshot(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="ranking_snapshots")
    computed_at = models.DateTimeField(default=timezone.now)
    n_votes = models.PositiveIntegerField(default=0)
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["-computed_at", "-pk"]


class ProposalEmbedding(models.Model):
    """One sentence embedding per proposal (see madang.solvers.semantic), for similar ideas.

    Computed by the `insight.embed_proposals` job after a proposal is submitted or edited, and
    by `madang embed_proposals` for a backfill. `digest` is of the embedded text, so an edit
    that changes nothing the model reads is not embedded again. The call is copied here so a
    call's vectors load with one indexed query.
    """

    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, primary_key=True, related_name="embedding")
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="+")
    model = models.CharField(max_length=80)
    dim = models.PositiveSmallIntegerField()
    dtype = models.CharField(max_length=8, default="float16")
    vector = models.BinaryField()
    digest = models.CharField(max_length=64)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["call", "model", "updated_at"], name="insight_embedding_call")]
