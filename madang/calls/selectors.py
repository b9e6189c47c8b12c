"""Reads for calls and proposals. Views and the API reach objects only through `access_*`,
which answer "not found" both for what is missing and for what the user may not see."""

import functools
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Case, Exists, OuterRef, Prefetch, Q, QuerySet, When, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madang.calls import counters, meaning, privacy, rules, viewers
from madang.calls.models import (
    Attachment,
    Call,
    CallChange,
    CoauthorInvitation,
    Comment,
    InvitationState,
    Outcome,
    Proposal,
    Status,
    Support,
)
from madang.core import fulltext, pagecache, prepared, ratelimit, sqlnames
from madang.core.errors import NotFound
from madang.people import rules as people_rules
from madang.people.models import Organisation, OrgKind, Role, User
from madang.people.rules import is_authenticated, is_innovation_team
from madang.privacy import rules as privacy_rules
from madang.privacy import selectors as screening
from madang.solvers import korean
from madang.solvers.semantic import rank as semantic_rank


def access_call(user: Any, slug_or_id: str | int) -> Call:
    qs = Call.objects.select_related("organisation").prefetch_related(
        "phases", "categories", "criteria", "eligible_organisations"
    )
    key = {"pk": slug_or_id} if isinstance(slug_or_id, int) else {"slug": slug_or_id}
    call = qs.filter(**key).first()
    if call is None or not rules.can_view_call(user, call):
        raise NotFound()
    return call


def access_proposal(user: Any, proposal_id: int, *, for_update: bool = False) -> Proposal:
    qs = (
        counters.with_live(Proposal.objects.all())
        .select_related(
            "call__organisation",
            "author__department__parent",
            "suggested_department__parent",
            "category",
            "merged_into",
        )
        .prefetch_related("coauthors", "call__phases")
    )
    proposal = qs.filter(pk=proposal_id).first()
    if proposal is None or not rules.can_view_proposal(user, proposal):
        raise NotFound()
    return proposal


def _proposal_page_query(proposal: int, viewer: int | None = None) -> QuerySet[Proposal]:
    """`read_proposal`'s query: the proposal with its authors' departments and, as plain SQL
    (compiling these as ORM subqueries cost more than running them), whether it has co-authors
    or attachments, whether others were merged into it, whether the filter ever screened it,
    its live tally and, for a signed-in `viewer`, whether they support it."""
    own = sqlnames.pk(Proposal)
    qs = (
        Proposal.objects.defer("search_terms")
        .select_related("author__department__parent", "suggested_department__parent")
        .annotate(
            coauthored=sqlnames.exists(Proposal.coauthors.through, "proposal", own),
            attached=sqlnames.exists(Attachment, "proposal", own),
            merged_here=sqlnames.exists(Proposal, "merged_into", own),
            screened=screening.ever_screened(privacy.PROPOSAL, own),
            live_supports=counters.live_sql(),
        )
    )
    if viewer is not None:
        qs = qs.annotate(viewer_supports=sqlnames.exists(Support, "proposal", own, user=viewer))
    return qs.filter(pk=proposal).order_by()


_READ_PROPOSAL = prepared.Prepared(_proposal_page_query, proposal=int)
_READ_PROPOSAL_SIGNED_IN = prepared.Prepared(_proposal_page_query, proposal=int, viewer=int)


def read_proposal(user: Any, proposal_id: int) -> Proposal:
    """`access_proposal` for the proposal's page, which only reads it: the call comes from this
    process's copy (`call_copy`, as the list has it), and whether `user` supports the proposal
    (`viewer_supports`) comes with it in the same query. Not for a view that changes anything."""
    # (Not joined: the proposal it was merged into, which few have and is read when set, and
    # its category, which the call's copy holds.) Whether it has co-authors or attachments,
    # whether others were merged into it and whether the filter ever screened it come with it:
    # most proposals have none of these, and then none is asked for on its own. The query is
    # compiled once per connection (core.prepared): compiling it cost 1.1 ms a page, running
    # it 0.1 ms.
    if is_authenticated(user):
        found = _READ_PROPOSAL_SIGNED_IN.run(proposal=int(proposal_id), viewer=int(user.pk))
    else:
        found = _READ_PROPOSAL.run(proposal=int(proposal_id))
    proposal = found[0] if found else None
    call = call_copy(proposal.call_id) if proposal is not None else None
    if proposal is None or call is None:
        raise NotFound()
    if getattr(proposal, "coauthored", True):
        prefetch_related_objects([proposal], "coauthors")
    else:
        # None: recorded where a prefetch records what it found (as Call.ordered_phases reads
        # its phases), so reading them asks nothing. Django's prefetch machinery cost 0.67 ms
        # to find nothing even with an empty queryset, and reading `none()` the first time compiled
        # it (0.2 ms): it is marked read, as Django marks the empty querysets it makes itself.
        empty = User.objects.none()
        empty._result_cache = []  # (QuerySet's own record of its rows)
        empty._prefetch_done = True  # type: ignore[attr-defined]  # (and of its prefetches)
        proposal.__dict__.setdefault("_prefetched_objects_cache", {})["coauthors"] = empty
    proposal.call = call
    category = next((c for c in call.categories.all() if c.pk == proposal.category_id), None)
    if category is not None:
        Proposal.category.field.set_cached_value(proposal, category)
    if not rules.can_view_proposal(user, proposal):
        raise NotFound()
    return proposal


# The support action is the hot path of a national call: a popular proposal takes many supports
# a second. It reads the proposal's few columns the rules need and its co-authors in one plain
# query, and the call (with its organisation and phases) from a per-process copy that lives
# `CALL_COPY_SECONDS` and is dropped at once when this process saves a call or a phase; another
# process sees such a change within that time. Deadlines are exact either way (a phase's times
# are compared with the clock on every request); only an edit of the phases themselves may take
# that long to reach the other processes.
CALL_COPY_SECONDS = 5.0
_call_copies: dict[int, tuple[float, Call]] = {}
_SUPPORT_SQL = (
    "SELECT p.id, p.call_id, p.number, p.title, p.author_id, p.status, p.is_internal, p.hidden_at, p.hidden_by_id, "
    "c.user_id AS "
    "coauthor_id "
    "FROM calls_proposal p LEFT JOIN calls_proposal_coauthors c ON c.proposal_id = p.id WHERE p.id = %s"
)


_call_ids: dict[str, int] = {}


def call_copy(call_id: int) -> Call | None:
    """This process's recent copy of the call, for reads on the hot path (never to be saved)."""
    now = time.monotonic()
    hit = _call_copies.get(call_id)
    if hit is not None and hit[0] > now:
        return hit[1]
    return _copy_call(Q(pk=call_id), now)


def _copy_call(which: Q, now: float) -> Call | None:
    call = (
        Call.objects.select_related("organisation")
        .prefetch_related("phases", "categories", "criteria", "eligible_organisations")
        .filter(which)
        .first()
    )
    if call is not None:
        _call_copies[call.pk] = (now + CALL_COPY_SECONDS, call)
        _call_ids[call.slug] = call.pk
    return call


def read_call(user: Any, slug: str) -> Call:
    """`access_call` for a page that only reads the call (its list and search): this process's
    copy, as the support path has it (`call_copy`), so the busiest page asks nothing about the
    call itself. Not for a view that changes the call or passes it to a service."""
    now = time.monotonic()
    call_id = _call_ids.get(slug)
    hit = _call_copies.get(call_id) if call_id is not None else None
    call = hit[1] if hit is not None and hit[0] > now and hit[1].slug == slug else _copy_call(Q(slug=slug), now)
    if call is None or not rules.can_view_call(user, call):
        raise NotFound()
    return call


def forget_call_copies(**_kwargs: Any) -> None:
    _call_copies.clear()
    _call_ids.clear()


def proposal_for_support(user: Any, proposal_id: int) -> Proposal:
    """The proposal with just what the support rules read (other fields load when touched)."""
    rows = list(Proposal.objects.raw(_SUPPORT_SQL, [proposal_id]))
    call = call_copy(rows[0].call_id) if rows else None
    if call is None:
        raise NotFound()
    proposal = rows[0]
    proposal.call = call
    # Proposal.author_ids() reads this back from __dict__; coauthor_id is the raw query's extra column.
    coauthor_ids = (r.__dict__["coauthor_id"] for r in rows)
    proposal.__dict__["known_author_ids"] = {proposal.author_id, *(pk for pk in coauthor_ids if pk is not None)}
    if not rules.can_view_proposal(user, proposal):
        raise NotFound()
    return proposal


def visible_proposals(user: Any, call: Call) -> QuerySet[Proposal]:
    """Everything in the call this user may see: the queryset twin of `rules.can_view_proposal`.

    Their own proposals in any state (drafts only to their authors); what the call shares with
    its readers (`Proposal.objects.shared()`); for the innovation team, also withdrawn, hidden
    and internal ones; for assigned reviewers and routed liaisons, the internal ones they work on
    (`viewers`: review and followup register them).
    """
    qs = Proposal.objects.filter(call=call)
    mine = Q(pk__in=[])
    if is_authenticated(user):
        coauthored = Proposal.coauthors.through.objects.filter(user_id=user.pk).values("proposal_id")
        mine = Q(author_id=user.pk) | Q(pk__in=coauthored)
    if not rules.can_view_call(user, call):
        return qs.filter(mine)
    if is_innovation_team(user, call):
        return qs.filter(mine | ~Q(status=Status.DRAFT))
    shared = _shared(call)
    if not is_authenticated(user):
        return qs.filter(shared)
    internal_ok = Q(status=Status.SUBMITTED, is_internal=True, hidden_at__isnull=True) & viewers.worked_on_by(user)
    if privacy_rules.can_moderate_exposures(user, call.organisation):
        mine |= Q(hidden_at__isnull=False, hidden_by__isnull=True) & ~Q(status=Status.DRAFT)  # held by the filter
    return qs.filter(shared | mine | internal_ok)


def _shared(call: Call) -> Q:
    """`Proposal.objects.shared()` for the proposals of `call` (the caller filters by call), as
    conditions on each row: a page then walks the call's index and tests each row it meets. As
    `pk IN (the call's shared proposals)`, SQLite listed all of them for every page: 100,000 in a
    national call, 160 ms of CPU a list page (issue 18)."""
    if not call.is_published:
        return Q(pk__in=[])
    return Q(status=Status.SUBMITTED, is_internal=False, hidden_at__isnull=True)


def plain_reader(user: Any, call: Call) -> bool:
    """Whether `visible_proposals(user, call)` is just what the call shares with every reader.

    True for anyone who may read the call and has nothing more to see in it: not on its
    innovation team, no moderator of its organisation, and every proposal in it of their own, as
    a co-author, or to work on (review, followup, the suggestion system) one the call shares
    anyway, never screened by the privacy filter (an author reads their own flagged text, the
    shared page masks it) and not changed within `settled_seconds()` (the shared page may be
    nearly that old, and an author sees their own change at once). Such readers' list and search results are
    the same page for all of them, so `calls.views.call_detail` renders it once and they share
    it for a few seconds (`madang.core.pagecache.shared_fragment`).

    The first at national scale: about one signed-in official in eight has a proposal of their
    own in the call, and their own list cost about five times a shared one (issue 18).
    """
    if not rules.can_view_call(user, call):
        return False
    if not is_authenticated(user):
        return True
    if is_innovation_team(user, call) or privacy_rules.can_moderate_exposures(user, call.organisation):
        return False
    # Whether they have anything of their own in the call is kept as long as a shared page part
    # lives (`pagecache.seconds()`). Kept too long, it can only hide: what a plain reader sees is a
    # part of what anyone may see in the call (the call's shared proposals, masked as for a
    # reader not signed in). Whether what they have is all shared and settled is asked each time.
    now, key = time.monotonic(), (user.pk, call.pk)
    hit = _plain_readers.get(key)
    if hit is not None and hit[0] > now:
        has_own = hit[1]
    else:
        has_own = _has_own(user, call)
        ttl = pagecache.seconds()
        if ttl > 0:
            if len(_plain_readers) >= PLAIN_READERS_KEPT:
                _plain_readers.clear()
            _plain_readers[key] = (now + ttl, has_own)
    if not has_own:
        return True
    settled = timezone.now() - timedelta(seconds=settled_seconds())
    own = sqlnames.pk(Proposal)
    like_anyone = _shared(call) & Q(updated_at__lt=settled, submitted_at__lt=settled, screened=False)
    more = _in_call(call).alias(screened=screening.ever_screened(privacy.PROPOSAL, own)).exclude(like_anyone)
    return not any(more.filter(way).exists() for way in _ways_in(user))


def _has_own(user: Any, call: Call) -> bool:
    """Whether `user` has a proposal in `call` by any of `_ways_in`: for most people in one query
    compiled once per connection, an EXISTS for each way side by side (each by its own index, as
    when asked one by one). Asked one by one, Django compiled four queries on each of a third of
    the list pages of a busy call: 2.5 ms (issue 18). A liaison's ways depend on their departments
    (`viewers.Workers`): theirs are asked one by one."""
    if people_rules.liaison_paths(user):
        return any(_in_call(call).filter(way).exists() for way in _ways_in(user))
    found: Any = _HAS_OWN.run(user=user.pk, call=call.pk)
    return bool(found) and any(found[0])


def _has_own_query(user: int, call: int) -> Any:
    # (A stand-in with this key and no role: the ways of anyone who is no liaison.)
    ways = _ways_in(User(pk=user))
    flags = {f"way{i}": Exists(_in_call(OuterRef("pk")).filter(way)) for i, way in enumerate(ways)}
    return Call.objects.filter(pk=call).order_by().annotate(**flags).values_list(*flags)


_HAS_OWN = prepared.Prepared(_has_own_query, user=int, call=int)


def _ways_in(user: Any) -> list[Q]:
    """The ways a user may see a proposal beyond what a call shares: their own, as a co-author, or
    to work on. One small question for each, each by its own index: asked as one OR, SQLite
    tested every proposal of the call against it (40 ms in a national call of 100,000). (Their
    own as a list of ids too: as `author_id = …` SQLite walked the call's index instead.)"""
    authored = Proposal.objects.filter(author_id=user.pk).values("pk")
    coauthored = Proposal.coauthors.through.objects.filter(user_id=user.pk).values("proposal_id")
    return [Q(pk__in=authored), Q(pk__in=coauthored), *viewers.worked_on_parts(user)]


def _in_call(call: Call | OuterRef) -> QuerySet[Proposal]:
    return Proposal.objects.filter(call=call).order_by()


def settled_seconds() -> float:
    """How long ago a reader's own proposal must have last changed for the shared page to show it
    as it is now: the page may be `pagecache.seconds()` old, and was asked for when the reader's
    answer above may have been that old too; and a second for the clocks of several servers."""
    return 2 * pagecache.seconds() + 1


PLAIN_READERS_KEPT = 20_000
_plain_readers: dict[tuple[int, int], tuple[float, bool]] = {}


def forget_plain_reader(user_id: int) -> None:
    """Drop this process's answers for a user who now has something of their own in a call."""
    for key in [k for k in _plain_readers if k[0] == user_id]:
        _plain_readers.pop(key, None)


def my_invitations(user: Any) -> QuerySet[CoauthorInvitation]:
    """The co-author invitations sent to this user, waiting ones first."""
    return (
        CoauthorInvitation.objects.filter(invitee=user)
        .select_related("proposal__call", "invited_by")
        .order_by(Case(When(state=InvitationState.PENDING, then=0), default=1), "-created_at", "-id")
    )


def access_invitation(user: Any, invitation_id: int) -> CoauthorInvitation:
    found = my_invitations(user).filter(pk=invitation_id).first() if is_authenticated(user) else None
    if found is None:
        raise NotFound()
    return found


def access_coauthor(proposal: Proposal, user_id: int) -> User:
    """A co-author of the proposal, or someone with a pending invitation to become one (else 404)."""
    found = (
        proposal.coauthors.filter(pk=user_id).first()
        or User.objects.filter(
            pk=user_id, coauthor_invitations__proposal=proposal, coauthor_invitations__state=InvitationState.PENDING
        ).first()
    )
    if found is None:
        raise NotFound()
    return found


def readable_calls(user: Any) -> QuerySet[Call]:
    """The calls this user may read (a few dozen rows: checked one by one by the rule)."""
    calls = Call.objects.select_related("organisation").prefetch_related("eligible_organisations")
    return Call.objects.filter(pk__in=[c.pk for c in calls if rules.can_view_call(user, c)])


def routable_departments(call: Call) -> QuerySet[Organisation]:
    """The departments a proposal of this call may be suggested for, routed or transferred to.

    Active departments under the call's organiser or one of its eligible organisations; a call of
    a central ministry or agency (범정부, e.g. a hackathon's tasks sent to every agency that took
    part) may reach any active department. Used by the forms and the API, enforced by
    `followup.services.route_proposal` and `calls.services` for the suggested department.
    """
    departments = Organisation.objects.filter(kind=OrgKind.DEPARTMENT, is_active=True).select_related("parent")
    if call.organisation.kind == OrgKind.MINISTRY:
        return departments
    within = Q()
    for path in {call.organisation.path, *(o.path for o in call.eligible_organisations.all())}:
        within |= Q(path__startswith=path)
    return departments.filter(within)


def _of_category_and_outcome(qs: QuerySet[Proposal], category: int | None, outcome: str | None) -> QuerySet[Proposal]:
    if category:
        qs = qs.filter(category_id=category)
    if outcome in Outcome.values:
        qs = qs.filter(outcome=outcome)
    return qs


def search_proposals(
    user: Any,
    call: Call,
    *,
    query: str = "",
    category: int | None = None,
    outcome: str | None = None,
    status: str | None = None,
    order: str = "recent",
    shared_only: bool = False,
) -> QuerySet[Proposal]:
    """The call's proposals `user` may see that match, in `order`. With `shared_only`, what the
    call shares with every reader (`plain_reader`), as an anonymous reader's query has it."""
    base = Proposal.objects.filter(call=call).filter(_shared(call)) if shared_only else visible_proposals(user, call)
    qs = base.select_related(*LIST_RELATED)
    if status in Status.values:
        qs = qs.filter(status=status)
    else:
        qs = qs.exclude(status=Status.DRAFT) if shared_only or not is_authenticated(user) else qs
    qs = _of_category_and_outcome(qs, category, outcome)
    terms = korean.search_terms(query)[:12]
    qs = fulltext.matching(qs, terms, paged=order not in ("support", "comments"))  # (those sort every match)
    if order == "relevance":
        return fulltext.by_relevance(qs, terms)
    if order == "support":
        return qs.order_by("-support_count", "-submitted_at", "-id")
    if order == "comments":
        return qs.order_by("-comment_count", "-submitted_at", "-id")
    return qs.order_by("-submitted_at", "-id")


# What a list of proposals joins to each row (`search_proposals`); the shared list reads its rows
# by key with SQL compiled once (`shared_rows`).
LIST_RELATED = ("author__department__parent", "category", "call")
_SHARED_ROWS: dict[int, prepared.Prepared[Proposal]] = {}


def shared_rows(qs: QuerySet[Proposal]) -> Any:
    """A reader of `qs`'s page rows by key for `CappedPaginator(rows=...)`, or None when `qs` is
    not the plain shape it reads (the rows of `search_proposals`, nothing annotated or deferred).

    For a page of the shared list, Django built and compiled the rows' query (five tables) anew on
    every page made: about 1.1 of 2.7 ms (issue 18). This reads the same rows with the same joins,
    compiled once per connection and page size."""
    query = qs.query
    plain = (
        qs.model is Proposal
        and not query.annotations
        and not query.extra
        and query.deferred_loading == (frozenset(), True)
        and not qs._prefetch_related_lookups  # type: ignore[attr-defined]  # (QuerySet's own record of them)
        and query.select_related == _list_related_shape()
    )
    return _read_shared_rows if plain else None


@functools.cache
def _list_related_shape() -> Any:
    return Proposal.objects.select_related(*LIST_RELATED).query.select_related


def _read_shared_rows(keys: list[Any]) -> list[Proposal]:
    if not keys or not all(type(k) is int for k in keys):
        return list(Proposal.objects.select_related(*LIST_RELATED).filter(pk__in=keys))
    read = _SHARED_ROWS.get(len(keys))
    if read is None:
        names = [f"k{i:03d}" for i in range(len(keys))]

        def build(**values: int) -> QuerySet[Proposal]:
            return Proposal.objects.select_related(*LIST_RELATED).filter(pk__in=[values[n] for n in names])

        kinds: dict[str, Any] = dict.fromkeys(names, int)
        read = _SHARED_ROWS.setdefault(len(keys), prepared.Prepared(build, **kinds))
    return read.run(**{f"k{i:03d}": k for i, k in enumerate(keys)})


def search_comments(
    user: Any,
    call: Call,
    *,
    query: str = "",
    category: int | None = None,
    outcome: str | None = None,
    order: str = "recent",
) -> QuerySet[Comment]:
    """The call's comments this user may read (on proposals they may see, not hidden) that
    match `query`, newest first or best match first. Filters apply to the comment's proposal."""
    proposals = _of_category_and_outcome(visible_proposals(user, call).exclude(status=Status.DRAFT), category, outcome)
    # Correlated, so each matching comment's proposal is checked by its key: SQLite would
    # otherwise list the visible proposals first, reading every proposal of a national call
    # (1.9 s at 100,000; PostgreSQL makes a hashed semi-join of either form, as fast).
    visible = Exists(proposals.filter(pk=OuterRef("proposal_id")).order_by().values("pk"))
    qs = Comment.objects.filter(visible, hidden_at=None).select_related("author", "proposal__call")
    terms = korean.search_terms(query)[:12]
    qs = fulltext.matching(qs, terms, paged=True)
    if order == "relevance":
        return fulltext.by_relevance(qs, terms)
    return qs.order_by(*fulltext.newest(Comment))


@dataclass(frozen=True)
class SimilarMatch:
    """Why an existing proposal resembles a draft (the fields of korean.Match, and more)."""

    key: int
    score: float  # fused (lexical only when there is no embedding)
    shared: tuple[str, ...]
    lexical: float
    semantic: float | None  # E5 cosine, None without an embedding
    almost_same: bool
    reason_codes: tuple[tuple[str, str], ...]

    @property
    def reasons(self) -> list[str]:
        return [explain_reason(code, detail) for code, detail in self.reason_codes]


class SimilarList(list):
    """The matches, and whether meaning (embeddings) took part or only words did."""

    semantic: bool = False


# A match is shown when its words match as the lexical ranking always asked, or when the fused
# score is high: E5 puts unrelated Korean proposals around 0.3-0.45 on this scale (bench/semantic.md).
SHOW_FUSED = 0.45
SHOW_LEXICAL = 0.12
SHOW_TITLE = 0.2
ANN_NEIGHBOURS = 50


def explain_reason(code: str, detail: str) -> str:
    messages = {
        "embedding_close": _("Close in meaning (%(value)s)"),
        "embedding_far": _("Not close enough in meaning to be the same (%(value)s)"),
        "no_embedding": _("Compared by words only"),
        "words_shared": _("Most words in common (%(value)s)"),
        "few_words_shared": _("Not enough words in common to be the same (%(value)s)"),
        "no_conflict": _("No differing numbers, places, agencies, target groups or actions"),
        "conflict_number": _("Different numbers: %(value)s"),
        "conflict_place": _("Different places: %(value)s"),
        "conflict_agency": _("Different agencies: %(value)s"),
        "conflict_group": _("Different target groups: %(value)s"),
        "conflict_action": _("Opposite actions: %(value)s"),
    }
    message = messages.get(code)
    return str(message) % {"value": detail} if message is not None else code


SIMILAR_TEXT_CHARS = 1_000


def check_similar_budget(request: Any) -> None:
    """Anyone may ask for similar proposals, page or API, so each client has one budget for both."""
    ratelimit.hit("similar", ratelimit.client(request))


def similar_proposals(call: Call, text: str, *, exclude: int | None = None, limit: int = 5) -> SimilarList:
    """Existing submitted proposals that resemble `text`, best first, with why they match.

    Candidates come from the full-text index (and the newest proposals), plus the nearest
    stored embeddings when the packaged model is there; they are ranked by a fused lexical and
    semantic score, and flagged "almost the same" only when meaning, words and specifics all
    agree (madang.solvers.semantic.evidence). Without the model it is the lexical ranking alone.
    Only the first SIMILAR_TEXT_CHARS characters of `text` are compared: the title and the opening
    of the problem tell a duplicate, and the cost of ranking grows with the text (5,000 characters
    took about 2.2 s of CPU).
    """
    text = text[:SIMILAR_TEXT_CHARS]
    found = SimilarList()
    if len(text.strip()) < 4:
        return found
    qs = Proposal.objects.filter(call=call).shared()
    if exclude:
        qs = qs.exclude(pk=exclude)
    terms = korean.query_terms(text)
    if not terms:
        return found
    # Prefilter in the full-text index (any term may match, best first), then rank exactly in Python.
    # The newest proposals come too: term weights (idf) need a corpus wider than the matches alone.
    ids = set(fulltext.candidates(qs, terms[:24], limit=400)) | set(
        qs.order_by("-id").values_list("pk", flat=True)[:400]
    )
    embeddings = meaning.source()
    model = embeddings.embedder() if embeddings is not None else None
    stored = (
        embeddings.call_vectors(call.pk, model.name, model.dim)
        if embeddings is not None and model is not None
        else None
    )
    query_vector = None
    if model is not None and stored is not None:
        query_vector = model.queries([meaning.proposal_text(text, "", "")])[0]
        ids |= {key for key, _cos in stored.index.search(query_vector, ANN_NEIGHBOURS)}
        found.semantic = True
    candidates = list(fulltext.by_key(qs, ids).order_by("pk").values_list("pk", "title", "problem", "solution"))
    # A near-identical title is the plainest sign of a duplicate, but the long problem and solution
    # texts of existing proposals dilute it in the whole-text score; so titles are also ranked on their
    # own (a short title needs a higher bar against one shared ending) and the better score is kept.
    lexical = semantic_rank.lexical_matches(
        text, [(pk, f"{t} {p} {s}") for pk, t, p, s in candidates], min_score=SHOW_LEXICAL
    )
    for m in semantic_rank.lexical_matches(
        text, [(pk, t) for pk, t, _p, _s in candidates], min_score=SHOW_TITLE
    ).values():
        if m.key not in lexical or m.score > lexical[m.key].score:
            lexical[m.key] = m
    vectors = {}
    if stored is not None:
        vectors = {pk: v for pk, *_rest in candidates if (v := stored.vector(pk)) is not None}
    ranked = semantic_rank.rank(
        text,
        [(pk, meaning.proposal_text(t, p, s)) for pk, t, p, s in candidates],
        query_vector=query_vector,
        vectors=vectors,
        lexical=lexical,
        limit=4 * limit + 20,
        min_score=-1.0,
    )
    shown = [
        r for r in ranked if r.score >= (SHOW_FUSED if r.cosine is not None else SHOW_LEXICAL) or r.key in lexical
    ][:limit]
    by_id = Proposal.objects.in_bulk([r.key for r in shown])
    for r in shown:
        if r.key in by_id:
            match = SimilarMatch(
                r.key, r.score, r.shared, r.lexical, r.cosine, r.verdict.almost_same, r.verdict.reasons
            )
            found.append((by_id[r.key], match))
    return found


def calls_for(user: Any) -> list[Call]:
    calls = (
        Call.objects.select_related("organisation")
        .prefetch_related("phases", "eligible_organisations")
        .order_by("-created_at")
    )
    return [c for c in calls if rules.can_view_call(user, c)]


def call_changes(call: Call) -> list[CallChange]:
    """The call's history of changes after opening, newest first, with who made them."""
    return list(CallChange.objects.filter(call=call).select_related("changed_by"))


def managed_calls(user: Any) -> list[Call]:
    """The calls this user runs as their innovation team (or every call, for a site admin)."""
    if not (people_rules.is_site_admin(user) or people_rules.has_any_role(user, Role.INNOVATION_TEAM)):
        return []
    calls = Call.objects.select_related("organisation").prefetch_related("phases")
    return [c for c in calls if people_rules.is_innovation_team(user, c)]


# ---------------------------------------------------------------- flagged text (calls/privacy.py)

PROPOSAL_TEXT = ("problem", "solution", "expected_effect")


def shown_proposal(user: Any, proposal: Proposal) -> Proposal:
    """The proposal as `user` reads it: text its author published with a confirmation is masked
    for everyone but its authors and its moderators (docs/privacy-filter.md). In memory only."""
    if getattr(proposal, "screened", True):  # (read_proposal says when it never was)
        screening.mask_for_reader(user, privacy.PROPOSAL, [proposal], ["title"], rich_fields=PROPOSAL_TEXT)
    return proposal


def shown_comments(user: Any, comments: Any) -> list[Comment]:
    """Comments with flagged text masked as for `user`, with the replies `comment_window` put
    on each (`first_replies`)."""
    tops = list(comments)
    everything = [c for top in tops for c in (top, *getattr(top, "first_replies", ()))]
    # (`screened` is False on a comment comment_window knows was never screened.)
    flagged = [c for c in everything if getattr(c, "screened", True)]
    if flagged:
        screening.mask_for_reader(user, privacy.COMMENT, flagged, ["body"])
    return tops


# A proposal's comments come a page at a time: a popular proposal of a national call gathers
# thousands (one generated at 1 % of national scale had 6,967, a 9.8 MB page). A page holds
# COMMENTS_PER_PAGE top-level comments, oldest first, each with its first REPLIES_SHOWN replies;
# a thread with more is read on its own page, REPLIES_PER_PAGE replies at a time.
COMMENTS_PER_PAGE = 30
REPLIES_SHOWN = 10
REPLIES_PER_PAGE = 50
MAX_COMMENT_PAGE = 100_000


@dataclass
class CommentWindow:
    """One page of a proposal's comments (or of one thread's replies), counted no further than
    "is there a next page": counting every comment of a popular proposal costs more than the page."""

    comments: list[Comment]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def comment_window(user: Any, proposal: Proposal, number: int = 1, *, thread: Comment | None = None) -> CommentWindow:
    """Page `number` of the proposal's top-level comments, each with its first replies
    (`first_replies`, and `more_replies` when the thread has more), or of `thread`'s replies.
    Flagged text is masked as for `user`; a page past the end is "not found" (but the first)."""
    per = COMMENTS_PER_PAGE if thread is None else REPLIES_PER_PAGE
    number = max(1, min(int(number), MAX_COMMENT_PAGE))
    # `comment_count` counts every comment of the proposal, replies and hidden ones too: it is
    # raised in the transaction that writes one (services.add_comment), so with 0 there is none,
    # and a first page that holds that many top-level comments holds them all and no reply.
    if thread is None and proposal.comment_count == 0:
        if number > 1:
            raise NotFound()
        return CommentWindow([], 1, False)
    if thread is None and number == 1:  # (most pages: compiled once per connection, core.prepared)
        found = _FIRST_COMMENTS.run(proposal=int(proposal.pk))
        for c in found:
            Comment.proposal.field.set_cached_value(c, proposal)  # (as proposal.comments does)
    else:
        rows = proposal.comments.filter(parent=thread) if thread is not None else proposal.comments.filter(parent=None)
        found = list(_comment_rows(rows)[(number - 1) * per : number * per + 1])
    if not found and number > 1:
        raise NotFound()
    if thread is None and not (number == 1 and len(found) == proposal.comment_count):
        first = _comment_rows(Comment.objects.all())
        if proposal.comment_count > REPLIES_SHOWN:  # (else no thread can hold more: no per-thread limit to ask)
            first = first[: REPLIES_SHOWN + 1]
        prefetch_related_objects(found, Prefetch("replies", first, to_attr="first_replies"))
    for c in found:
        replies = getattr(c, "first_replies", [])
        # (Set on the page's objects for the template and the API, as Prefetch's to_attr does.)
        c.more_replies = len(replies) > REPLIES_SHOWN  # type: ignore[attr-defined]  # Comment declares no such field
        c.first_replies = replies[:REPLIES_SHOWN]  # type: ignore[attr-defined]  # nor this one: the page's own
    return CommentWindow(shown_comments(user, found[:per]), number, len(found) > per)


def _comment_rows(rows: QuerySet[Comment]) -> QuerySet[Comment]:
    """Comments as a page shows them, oldest first, each saying whether the privacy filter ever
    screened it (`screened`: most never were, and a page of such asks no more about it)."""
    own = sqlnames.pk(Comment)
    return (
        rows.defer("search_terms")
        .select_related("author__department__parent")
        .annotate(screened=screening.ever_screened(privacy.COMMENT, own))
        .order_by("created_at", "id")
    )


def _first_comments(proposal: int) -> QuerySet[Comment]:
    """The first page of a proposal's top-level comments, and whether there is a next one."""
    return _comment_rows(Comment.objects.filter(proposal=proposal, parent=None))[: COMMENTS_PER_PAGE + 1]


_FIRST_COMMENTS = prepared.Prepared(_first_comments, proposal=int)


def _earlier(rows: QuerySet[Comment], c: Comment) -> int:
    return rows.filter(Q(created_at__lt=c.created_at) | Q(created_at=c.created_at, id__lt=c.pk)).count()


def comment_place(comment: Comment) -> tuple[int | None, int]:
    """Where a comment is shown: (None, page) on its proposal's page `page` of comments, or
    (thread id, page) on that page of its thread, for a reply beyond the first REPLIES_SHOWN."""
    if comment.parent_id is not None:
        before = _earlier(Comment.objects.filter(parent_id=comment.parent_id), comment)
        if before >= REPLIES_SHOWN:
            return comment.parent_id, before // REPLIES_PER_PAGE + 1
        top = comment.parent
        assert top is not None
    else:
        top = comment
    before = _earlier(Comment.objects.filter(proposal_id=top.proposal_id, parent=None), top)
    return None, before // COMMENTS_PER_PAGE + 1


def is_held(proposal: Proposal) -> bool:
    """Held by the exposure filter for a moderator (hidden, by no one): its authors are told so."""
    return (
        proposal.hidden_at is not None
        and proposal.hidden_by_id is None
        and screening.is_held(privacy.PROPOSAL, proposal.pk)
    )


def mask_proposal_titles(user: Any, proposals: list[Proposal]) -> None:
    """A list of proposals: flagged titles masked as for `user` (the text is masked on each proposal's page)."""
    screening.mask_for_reader(user, privacy.PROPOSAL, proposals, ["title"])


def mask_comment_hits(user: Any, comments: list[Comment]) -> None:
    """Search results: flagged comment text masked as for `user` (held comments are not found at all)."""
    screening.mask_for_reader(user, privacy.COMMENT, comments, ["body"])


def visible_attachments(user: Any, proposal: Proposal) -> list[Attachment]:
    """The proposal's attachments but those held by the filter, which only their uploader and the moderators see."""
    if not getattr(proposal, "attached", True):  # (read_proposal says when it has none)
        return []
    rows = list(proposal.attachments.all())
    seen = screening.visible_to(user, privacy.ATTACHMENT, [a.pk for a in rows])
    return [a for a in rows if a.pk in seen]
