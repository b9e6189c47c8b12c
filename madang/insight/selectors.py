"""Reads for the opinion map and the wiki survey. `access_*` answer "not found" both for what is
missing and for what the user may not see."""

from typing import Any

from django.db.models import Count, Q, QuerySet

from madang.calls.models import Call, Proposal, Status
from madang.calls.selectors import access_call as _access_call
from madang.core.errors import NotFound
from madang.insight import rules
from madang.insight.models import (
    Idea,
    Moderation,
    OpinionSnapshot,
    Pair,
    RankingSnapshot,
    Statement,
    StatementVote,
)


def access_call(user: Any, slug: str, *, perm: str = "view") -> Call:
    call = _access_call(user, slug)
    if perm == "manage" and not rules.can_manage(user, call):
        raise NotFound()
    return call


def access_statement(user: Any, call: Call, statement_id: str | int) -> Statement:
    pk = int(statement_id) if str(statement_id).isdigit() else 0
    s = Statement.objects.filter(call=call, pk=pk).first()
    if s is None or (s.state != Moderation.APPROVED and not rules.can_manage(user, call) and s.author_id != getattr(user, "pk", None)):
        raise NotFound()
    s.call = call
    return s


def access_idea(user: Any, call: Call, idea_id: str | int) -> Idea:
    pk = int(idea_id) if str(idea_id).isdigit() else 0
    idea = Idea.objects.filter(call=call, pk=pk).first()
    if idea is None or (idea.state != Moderation.APPROVED and not rules.can_manage(user, call)):
        raise NotFound()
    idea.call = call
    return idea


def access_pair(user: Any, call: Call, pair_id: str | int) -> Pair:
    """Only the person a pair was shown to can reach it."""
    pk = int(pair_id) if str(pair_id).isdigit() else 0
    pair = Pair.objects.select_related("left", "right").filter(call=call, pk=pk).first()
    if pair is None or pair.user_id != getattr(user, "pk", None):
        raise NotFound()
    pair.call = call
    return pair


def public_proposals(call: Call) -> QuerySet[Proposal]:
    return Proposal.objects.filter(call=call, status=Status.SUBMITTED, is_internal=False, hidden_at__isnull=True)


def approved_statements(call: Call) -> QuerySet[Statement]:
    return Statement.objects.filter(call=call, state=Moderation.APPROVED)


def pending_statements(call: Call) -> QuerySet[Statement]:
    return Statement.objects.filter(call=call, state=Moderation.PENDING).select_related("author")


def my_votes(user: Any, call: Call) -> QuerySet[StatementVote]:
    if not rules.is_authenticated(user):
        return StatementVote.objects.none()
    return StatementVote.objects.filter(user=user, statement__call=call, statement__state=Moderation.APPROVED).select_related("statement").order_by("-updated_at")


def statement_tallies(call: Call) -> QuerySet[Statement]:
    return approved_statements(call).annotate(
        n_agree=Count("votes", filter=Q(votes__value=1)), n_disagree=Count("votes", filter=Q(votes__value=-1)),
        n_votes=Count("votes"),
    )


def latest_opinion_map(call: Call) -> OpinionSnapshot | None:
    return OpinionSnapshot.objects.filter(call=call).first()


def latest_ranking(call: Call) -> RankingSnapshot | None:
    return RankingSnapshot.objects.filter(call=call).first()


def active_ideas(call: Call) -> QuerySet[Idea]:
    """Approved ideas whose proposal, if any, is still submitted and public."""
    public = public_proposals(call).values("pk")
    return Idea.objects.filter(call=call, state=Moderation.APPROVED).filter(Q(proposal__isnull=True) | Q(proposal__in=public))


def pending_ideas(call: Call) -> QuerySet[Idea]:
    return Idea.objects.filter(call=call, state=Moderation.PENDING).select_related("author")


def answered_pairs(call: Call) -> QuerySet[Pair]:
    return Pair.objects.filter(call=call, answered_at__isnull=False)
