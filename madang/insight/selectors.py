"""Reads for the opinion map and the wiki survey. `access_*` answer "not found" both for what is
missing and for what the user may not see."""

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from madang.calls import counters
from madang.calls.models import Call, Outcome, Proposal, Status
from madang.calls.rules import can_view_proposal
from madang.calls.selectors import access_call as _access_call
from madang.core import params
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
from madang.jobs.models import Job, State

_PERMS = {"manage": rules.can_manage, "duplicates": rules.can_see_duplicates, "topics": rules.can_see_topics}


def access_call(user: Any, slug: str, *, perm: str = "view") -> Call:
    call = _access_call(user, slug)
    if perm != "view" and not _PERMS[perm](user, call):
        raise NotFound()
    return call


def access_statement(user: Any, call: Call, statement_id: str | int) -> Statement:
    pk = params.id_or_zero(statement_id)
    s = Statement.objects.filter(call=call, pk=pk).first()
    if s is None or (
        s.state != Moderation.APPROVED and not rules.can_manage(user, call) and s.author_id != getattr(user, "pk", None)
    ):
        raise NotFound()
    s.call = call
    return s


def access_idea(user: Any, call: Call, idea_id: str | int) -> Idea:
    pk = params.id_or_zero(idea_id)
    idea = Idea.objects.filter(call=call, pk=pk).first()
    if idea is None or (idea.state != Moderation.APPROVED and not rules.can_manage(user, call)):
        raise NotFound()
    idea.call = call
    return idea


def access_pair(user: Any, call: Call, pair_id: str | int) -> Pair:
    """Only the person a pair was shown to can reach it."""
    pk = params.id_or_zero(pair_id)
    pair = Pair.objects.select_related("left", "right").filter(call=call, pk=pk).first()
    if pair is None or pair.user_id != getattr(user, "pk", None):
        raise NotFound()
    pair.call = call
    return pair


def public_proposals(call: Call) -> QuerySet[Proposal]:
    """What the call shares with its readers (the one definition: ProposalQuerySet.shared)."""
    return Proposal.objects.filter(call=call).shared()


def approved_statements(call: Call) -> QuerySet[Statement]:
    return Statement.objects.filter(call=call, state=Moderation.APPROVED)


def pending_statements(call: Call) -> QuerySet[Statement]:
    return Statement.objects.filter(call=call, state=Moderation.PENDING).select_related("author")


def my_votes(user: Any, call: Call) -> QuerySet[StatementVote]:
    if not rules.is_authenticated(user):
        return StatementVote.objects.none()
    return (
        StatementVote.objects.filter(user=user, statement__call=call, statement__state=Moderation.APPROVED)
        .select_related("statement")
        .order_by("-updated_at")
    )


def statement_tallies(call: Call) -> QuerySet[Statement]:
    return approved_statements(call).annotate(
        n_agree=Count("votes", filter=Q(votes__value=1)),
        n_disagree=Count("votes", filter=Q(votes__value=-1)),
        n_votes=Count("votes"),
    )


def latest_opinion_map(call: Call) -> OpinionSnapshot | None:
    return OpinionSnapshot.objects.filter(call=call).first()


def latest_ranking(call: Call) -> RankingSnapshot | None:
    return RankingSnapshot.objects.filter(call=call).first()


def active_ideas(call: Call) -> QuerySet[Idea]:
    """Approved ideas whose proposal, if any, is still submitted and public."""
    public = public_proposals(call).values("pk")
    return Idea.objects.filter(call=call, state=Moderation.APPROVED).filter(
        Q(proposal__isnull=True) | Q(proposal__in=public)
    )


def pending_ideas(call: Call) -> QuerySet[Idea]:
    return Idea.objects.filter(call=call, state=Moderation.PENDING).select_related("author")


def answered_pairs(call: Call) -> QuerySet[Pair]:
    return Pair.objects.filter(call=call, answered_at__isnull=False)


# ---------------------------------------------------------------- duplicate clusters and topic map


def analysed_proposals(call: Call) -> QuerySet[Proposal]:
    """What the duplicate check and the topic map read: every submitted proposal still standing,
    internal ones included (only the team sees the results), hidden and merged ones left out."""
    return Proposal.objects.filter(call=call, status=Status.SUBMITTED, hidden_at__isnull=True).exclude(
        outcome=Outcome.MERGED
    )


def latest_result(call: Call, kind: str) -> Job | None:
    """The last finished run of a duplicate check or topic map: its result JSON is what pages show."""
    return (
        Job.objects.filter(kind=kind, subject=result_subject(kind, call), state=State.DONE)
        .order_by("-finished_at", "-pk")
        .first()
    )


def result_subject(kind: str, call: Call) -> str:
    return f"insight-{kind.removeprefix('insight.')}:{call.pk}"


def proposals_for(user: Any, call: Call, pks: Iterable[int]) -> dict[int, Proposal]:
    """The proposals of this call among `pks` that this user may see (never another call's)."""
    found = (
        Proposal.objects.filter(call=call, pk__in=list(pks))
        .select_related("author", "merged_into")
        .prefetch_related("coauthors")
    )
    out = {}
    for p in found:
        p.call = call
        if can_view_proposal(user, p):
            out[p.pk] = p
    return out


def access_call_proposal(user: Any, call: Call, pk: str | int) -> Proposal:
    pk = params.id_or_zero(pk)
    found = proposals_for(user, call, [pk]) if pk else {}
    if pk not in found:
        raise NotFound()
    return found[pk]


def duplicate_clusters(user: Any, call: Call, result: dict[str, Any]) -> list[dict[str, Any]]:
    """The stored clusters with today's proposals: what was merged or withdrawn since is shown as such,
    and nothing the viewer may not see is shown at all."""
    pks = {m["proposal"] for c in result.get("clusters", []) for m in c["members"]}
    found = proposals_for(user, call, pks)
    counters.attach_live(found.values())  # the figures shown are the live tallies
    taking = call.is_taking_submissions()
    # While the call still takes submissions a proposal is submitted, not under review yet.
    label = {
        pk: _("Submitted")
        if taking and found_p.outcome == Outcome.PENDING and found_p.status == Status.SUBMITTED
        else str(found_p.get_outcome_display())
        for pk, found_p in found.items()
    }
    may_merge = rules.can_merge(user, call)
    out = []
    for c in result.get("clusters", []):
        keep = found.get(c["keep"])
        if keep is None:
            continue
        keep_open = keep.status == Status.SUBMITTED and keep.outcome != Outcome.MERGED
        members = []
        for m in c["members"][1:]:
            p = found.get(m["proposal"])
            if p is None:
                continue
            open_ = p.status == Status.SUBMITTED and p.outcome == Outcome.PENDING
            members.append(
                {
                    **m,
                    "p": p,
                    "label": label[p.pk],
                    "percent": round(100 * m["similarity"]),
                    "can_merge": may_merge and keep_open and open_ and p.hidden_at is None,
                }
            )
        if members:
            out.append(
                {
                    "keep": keep,
                    "keep_label": label[keep.pk],
                    "keep_open": keep_open,
                    "members": members,
                    "min_similarity": c["min_similarity"],
                    "min_percent": round(100 * c["min_similarity"]),
                }
            )
    return out
