"""Reads for calls and proposals. Views and the API reach objects only through `access_*`,
which answer "not found" both for what is missing and for what the user may not see."""

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from madang.calls import counters, fulltext, rules
from madang.calls.models import Call, Outcome, Proposal, Status
from madang.core.errors import NotFound
from madang.people.rules import is_authenticated, is_innovation_team, liaison_paths
from madang.solvers import korean


def access_call(user: Any, slug_or_id: str | int) -> Call:
    qs = Call.objects.select_related("organisation").prefetch_related("phases", "categories", "criteria")
    key = {"pk": slug_or_id} if isinstance(slug_or_id, int) else {"slug": slug_or_id}
    call = qs.filter(**key).first()
    if call is None or not rules.can_view_call(user, call):
        raise NotFound()
    return call


def access_proposal(user: Any, proposal_id: int, *, for_update: bool = False) -> Proposal:
    qs = counters.with_live(Proposal.objects).select_related(
        "call__organisation", "author__department__parent", "suggested_department__parent", "category", "merged_into"
    ).prefetch_related("coauthors", "call__phases", "routings__department")
    proposal = qs.filter(pk=proposal_id).first()
    if proposal is None or not rules.can_view_proposal(user, proposal):
        raise NotFound()
    return proposal


def visible_proposals(user: Any, call: Call) -> QuerySet[Proposal]:
    """Everything in the call this user may see (including their own drafts)."""
    qs = Proposal.objects.filter(call=call)
    if is_innovation_team(user, call):
        return qs.exclude(Q(status=Status.DRAFT) & ~Q(author=user))
    public = Q(status__in=[Status.SUBMITTED], is_internal=False, hidden_at__isnull=True)
    if is_authenticated(user):
        # Subqueries, not joins: joins would need DISTINCT over every visible proposal, which is
        # what makes a page slow at a national call's size.
        from madang.followup.models import Routing
        from madang.review.models import Assignment

        coauthored = Proposal.coauthors.through.objects.filter(user_id=user.pk).values("proposal_id")
        mine = Q(author_id=user.pk) | Q(pk__in=coauthored)
        reviewing = Q(pk__in=Assignment.objects.filter(reviewer=user).values("proposal_id"))
        paths = liaison_paths(user)
        if paths:
            routed = Routing.objects.filter(Q(*[Q(department__path__startswith=p) for p in paths], _connector=Q.OR))
            reviewing |= Q(pk__in=routed.values("proposal_id"))
        internal_ok = Q(status=Status.SUBMITTED, is_internal=True, hidden_at__isnull=True) & reviewing
        return qs.filter(public | mine | internal_ok)
    return qs.filter(public)


def search_proposals(
    user: Any,
    call: Call,
    *,
    query: str = "",
    category: int | None = None,
    outcome: str | None = None,
    status: str | None = None,
    order: str = "recent",
) -> QuerySet[Proposal]:
    qs = visible_proposals(user, call).select_related("author__department__parent", "category", "call")
    if status in Status.values:
        qs = qs.filter(status=status)
    else:
        qs = qs.exclude(status=Status.DRAFT) if not is_authenticated(user) else qs
    if category:
        qs = qs.filter(category_id=category)
    if outcome in Outcome.values:
        qs = qs.filter(outcome=outcome)
    terms = korean.query_terms(query)[:12]
    qs = fulltext.matching(qs, terms)
    if order == "relevance":
        return fulltext.by_relevance(qs, terms)
    if order == "support":
        return qs.order_by("-support_count", "-submitted_at", "-id")
    if order == "comments":
        return qs.order_by("-comment_count", "-submitted_at", "-id")
    return qs.order_by("-submitted_at", "-id")


def similar_proposals(call: Call, text: str, *, exclude: int | None = None, limit: int = 5) -> list[tuple[Proposal, korean.Match]]:
    """Existing submitted proposals that resemble `text`, best first, with the shared terms."""
    if len(text.strip()) < 4:
        return []
    qs = Proposal.objects.filter(call=call, status=Status.SUBMITTED, is_internal=False, hidden_at__isnull=True)
    if exclude:
        qs = qs.exclude(pk=exclude)
    terms = korean.query_terms(text)
    if not terms:
        return []
    # Prefilter in the full-text index (any term may match, best first), then rank exactly in Python.
    # The newest proposals come too: term weights (idf) need a corpus wider than the matches alone.
    ids = set(fulltext.candidates(qs, terms[:24], limit=400)) | set(qs.order_by("-id").values_list("pk", flat=True)[:400])
    candidates = list(qs.filter(pk__in=ids).values_list("pk", "title", "problem", "solution"))
    matches = korean.similar(text, [(pk, f"{t} {t} {p} {s}") for pk, t, p, s in candidates], limit=limit)
    # A near-identical title is the plainest sign of a duplicate, but the long problem and solution
    # texts of existing proposals dilute it in the whole-text score; so titles are also ranked on their
    # own (a short title needs a higher bar against one shared ending) and the better score is kept.
    by_title = korean.similar(text, [(pk, t) for pk, t, _p, _s in candidates], limit=limit, min_score=0.2)
    best: dict[int, korean.Match] = {}
    for m in [*matches, *by_title]:
        if m.key not in best or m.score > best[m.key].score:
            best[m.key] = m
    ranked = sorted(best.values(), key=lambda m: (-m.score, m.key))[:limit]
    by_id = Proposal.objects.in_bulk([m.key for m in ranked])
    return [(by_id[m.key], m) for m in ranked if m.key in by_id]


def open_calls(user: Any) -> QuerySet[Call]:
    now = timezone.now()
    return Call.objects.filter(is_published=True, phases__kind="submission", phases__starts_at__lte=now, phases__ends_at__gt=now)


def calls_for(user: Any) -> list[Call]:
    calls = Call.objects.select_related("organisation").prefetch_related("phases").order_by("-created_at")
    return [c for c in calls if rules.can_view_call(user, c)]
