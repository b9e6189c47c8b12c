"""Writes for the opinion map and the wiki survey, and the adapters between rows and the solvers.

Solvers see dense indices only; the order of statements (and ideas) follows the last snapshot,
with newcomers appended, so a refresh warm-starts from the previous result.

The duplicate clusters and the topic map of a call run as background jobs (madang.solvers.topics);
their results live in the job's `result` JSON, with proposal ids only, so the pages read titles
through the viewer's permissions. A merge from the duplicate view is the review app's merge.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from madang.calls.models import Call, Outcome, Proposal
from madang.core import ratelimit
from madang.core.errors import Conflict, DomainError, Forbidden, NotFound
from madang.core.texts import clean_text
from madang.insight import rules, selectors
from madang.insight.ledger_entries import InsightEntry
from madang.insight.models import (
    Choice,
    Idea,
    Moderation,
    Opinion,
    OpinionSnapshot,
    Pair,
    RankingSnapshot,
    Statement,
    StatementVote,
)
from madang.jobs import services as jobs
from madang.jobs.models import Job
from madang.ledger import services as ledger
from madang.people.models import User
from madang.review import services as review
from madang.review.models import Decision
from madang.solvers import korean, opinion, pairwise, topics
from madang.solvers.opinion.stats import group_counts

Progress = Callable[[int, int, str], None]

MAX_PENDING = 5  # suggestions one person may have waiting for approval at once
INLINE_RANKING_VOTES = 5000  # up to this many votes a refit runs inside the request
OPINION_JOB, RANKING_JOB = "insight.opinion_map", "insight.wiki_survey"


def _no_progress(done: int, total: int, message: str = "") -> None:
    return None


def _seed(*parts: int) -> int:
    # A stable seed per person and step: reloading the page shows the same statement or pair.
    digest = hashlib.sha256(":".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:4], "big")


def _short_text(value: str, *, field: str, limit: int) -> str:
    return clean_text(value, field=field, limit=limit, min_length=5, collapse=True)


def _require_vote(actor: User, call: Call) -> None:
    if not rules.can_vote(actor, call):
        raise Forbidden(_("Voting is open to signed-in participants while the call takes supports."))


def _require_manage(actor: User | None, call: Call) -> None:
    if actor is None or not rules.can_manage(actor, call):
        raise Forbidden(_("Only the innovation team can do this."))


# ---------------------------------------------------------------- opinion map: statements and votes


def add_statement(*, actor: User, call: Call, text: str) -> Statement:
    """The team's statements are live at once; a participant's wait for approval."""
    manager = rules.can_manage(actor, call)
    if not manager and not rules.can_suggest(actor, call):
        raise Forbidden(_("Voting is open to signed-in participants while the call takes supports."))
    text = _short_text(text, field="text", limit=280)
    if not manager:
        ratelimit.hit("statement", actor.pk)
    if Statement.objects.filter(call=call, text=text).exclude(state=Moderation.REJECTED).exists():
        raise DomainError(_("This statement is already there."), code="duplicate", field="text")
    if (
        not manager
        and Statement.objects.filter(call=call, author=actor, state=Moderation.PENDING).count() >= MAX_PENDING
    ):
        raise DomainError(_("Wait until the team has looked at your earlier suggestions."), code="too_many_pending")
    with transaction.atomic():
        state = Moderation.APPROVED if manager else Moderation.PENDING
        s = Statement.objects.create(
            call=call, text=text, author=actor, state=state, moderated_at=timezone.now() if manager else None
        )
        if manager:
            ledger.record(
                kind=InsightEntry.STATEMENT_ADDED,
                subject=f"call:{call.pk}",
                actor_id=actor.pk,
                data={"statement": s.pk},
                commitments={"text": text},
            )
    return s


def moderate_statement(*, actor: User, statement: Statement, approve: bool) -> Statement:
    _require_manage(actor, statement.call)
    with transaction.atomic():
        changed = Statement.objects.filter(pk=statement.pk).exclude(
            state=Moderation.APPROVED if approve else Moderation.REJECTED
        )
        state = Moderation.APPROVED if approve else Moderation.REJECTED
        if changed.update(state=state, moderated_at=timezone.now()):
            ledger.record(
                kind=InsightEntry.STATEMENT_MODERATED,
                subject=f"call:{statement.call_id}",
                actor_id=actor.pk,
                data={"statement": statement.pk, "state": str(state)},
                commitments={"text": statement.text},
            )
    statement.refresh_from_db()
    return statement


def vote_statement(*, actor: User, statement: Statement, value: int) -> StatementVote:
    """One vote per person per statement; voting again changes it."""
    _require_vote(actor, statement.call)
    if statement.state != Moderation.APPROVED:
        raise DomainError(_("This statement is not open for votes."), code="not_approved")
    if value not in Opinion.values:
        raise DomainError(_("Choose agree, disagree or pass."), code="bad_vote", field="value")
    ratelimit.hit("vote", actor.pk)
    now = timezone.now()
    with transaction.atomic():
        vote, created = StatementVote.objects.select_for_update().get_or_create(
            statement=statement, user=actor, defaults={"value": value, "created_at": now, "updated_at": now}
        )
        if not created and vote.value != value:
            vote.value, vote.updated_at = value, now
            vote.save(update_fields=["value", "updated_at"])
    return vote


def _statement_order(call: Call) -> list[int]:
    """Statement ids in solver index order: the last map's order, then newer approved ones."""
    snap = selectors.latest_opinion_map(call)
    order = list(snap.data.get("statements", [])) if snap else []
    existing = set(Statement.objects.filter(call=call, pk__in=order).values_list("pk", flat=True))
    order = [pk for pk in order if pk in existing]
    known = set(order)
    order += [pk for pk in selectors.approved_statements(call).values_list("pk", flat=True) if pk not in known]
    return order


def _stored_map(snap: OpinionSnapshot) -> opinion.OpinionMap | None:
    """Rebuild the part of a stored map that choosing statements and warm starts read."""
    st = snap.data.get("state")
    if not st:
        return None
    m = len(snap.data["statements"])
    arr = np.asarray
    return opinion.OpinionMap(
        projection=np.zeros((0, 2)),
        labels=np.zeros(0, dtype=np.int32),
        groups=(),
        consensus_agree=(),
        consensus_disagree=(),
        k=int(snap.data.get("k", 1)),
        silhouette=0.0,
        silhouette_by_k={},
        components=arr(st["components"], dtype=float).reshape(-1, m),
        center=arr(st["center"], dtype=float),
        variance=arr(st["variance"], dtype=float),
        base_centers=arr(st["base_centers"], dtype=float).reshape(-1, 2),
        base_labels=np.zeros(0, dtype=np.int32),
        group_of_base=np.zeros(0, dtype=np.int32),
        group_centers=arr(st["group_centers"], dtype=float).reshape(-1, 2),
        n_seen=arr(st["n_seen"], dtype=np.int64),
        n_agree=arr(st["n_agree"], dtype=np.int64),
        n_disagree=arr(st["n_disagree"], dtype=np.int64),
        gac_agree=np.zeros(m),
        gac_disagree=np.zeros(m),
        active=arr(st["active"], dtype=bool),
        pca_iterations=0,
    )


def choose_statement(*, user: Any, call: Call) -> Statement | None:
    """The next statement for this person (Polis's priority draw), or None when they have seen all.

    Before the first map exists, statements with the fewest votes come first."""
    if not rules.is_authenticated(user):
        return selectors.approved_statements(call).first()
    voted = set(StatementVote.objects.filter(user=user, statement__call=call).values_list("statement_id", flat=True))
    approved = set(selectors.approved_statements(call).values_list("pk", flat=True))
    if not approved - voted:
        return None
    snap = selectors.latest_opinion_map(call)
    order = _statement_order(call)
    stored = _stored_map(snap) if snap and order[: len(snap.data["statements"])] == snap.data["statements"] else None
    if stored is None:
        fresh = selectors.approved_statements(call).exclude(pk__in=voted).annotate(n=Count("votes")).order_by("n", "pk")
        return fresh.first()
    index = {pk: i for i, pk in enumerate(order)}
    seen = sorted({index[pk] for pk in voted if pk in index} | {i for pk, i in index.items() if pk not in approved})
    pick = opinion.next_statement(stored, seen, seed=_seed(user.pk, call.pk, len(voted)), n_statements=len(order))
    return None if pick is None else Statement.objects.get(pk=order[pick])


def compute_opinion_map(
    *, actor: User | None, call: Call, progress: Progress = _no_progress, seed: int = 0
) -> OpinionSnapshot:
    """Run the opinion-map solver over every vote and store the result (the job's work)."""
    progress(0, 3, str(_("Reading votes")))
    order = _statement_order(call)
    if not order:
        raise DomainError(_("There are no statements yet."), code="no_statements")
    index = {pk: i for i, pk in enumerate(order)}
    approved = set(selectors.approved_statements(call).values_list("pk", flat=True))
    rows = list(
        StatementVote.objects.filter(statement_id__in=order)
        .order_by("user_id", "statement_id")
        .values_list("user_id", "statement_id", "value")
    )
    users = sorted({u for u, _s, _v in rows})
    who = {u: i for i, u in enumerate(users)}
    votes = opinion.VoteMatrix.from_votes(
        np.array([who[u] for u, _s, _v in rows], dtype=np.int64),
        np.array([index[s] for _u, s, _v in rows], dtype=np.int64),
        np.array([v for _u, _s, v in rows], dtype=np.int64),
        n_participants=len(users),
        n_statements=len(order),
    )
    excluded = [i for pk, i in index.items() if pk not in approved]
    snap_before = selectors.latest_opinion_map(call)
    previous = _stored_map(snap_before) if snap_before else None
    progress(1, 3, str(_("Computing the map")))
    try:
        result = opinion.opinion_map(votes, seed=seed, excluded_statements=excluded, previous=previous)
    except opinion.OpinionError as exc:
        raise DomainError(
            _("Not enough votes yet to draw a map: at least two people need to vote on several statements."),
            code="too_few_votes",
        ) from exc
    progress(2, 3, str(_("Saving the map")))
    data = _map_data(result, votes, order)
    with transaction.atomic():
        snap = OpinionSnapshot.objects.create(call=call, n_participants=len(users), n_votes=len(rows), data=data)
        ledger.record(
            kind=InsightEntry.OPINION_MAP,
            subject=f"call:{call.pk}",
            actor_id=actor.pk if actor else None,
            data={
                "snapshot": snap.pk,
                "participants": len(users),
                "votes": len(rows),
                "statements": len(order),
                "groups": [g["size"] for g in data["groups"]],
            },
        )
    progress(3, 3, str(_("Done")))
    return snap


def _map_data(result: opinion.OpinionMap, votes: opinion.VoteMatrix, order: list[int]) -> dict[str, Any]:
    counts = group_counts(votes, result.labels, result.k)  # [group, statement, (seen, agree, disagree)]

    def share(n: float, of: float) -> int:
        return round(100 * n / of) if of else 0

    groups = []
    for g in result.groups:
        reps = [
            {
                "statement": order[r.statement],
                "direction": r.direction,
                "agree": share(counts[g.id, r.statement, 1], counts[g.id, r.statement, 0]),
                "disagree": share(counts[g.id, r.statement, 2], counts[g.id, r.statement, 0]),
                "seen": int(counts[g.id, r.statement, 0]),
            }
            for r in g.representative
        ]
        groups.append({"id": g.id, "size": g.size, "representative": reps})

    def consensus(stats: tuple[opinion.ConsensusStat, ...]) -> list[dict[str, Any]]:
        return [
            {
                "statement": order[c.statement],
                "agree": share(result.n_agree[c.statement], result.n_seen[c.statement]),
                "disagree": share(result.n_disagree[c.statement], result.n_seen[c.statement]),
            }
            for c in stats
        ]

    r4 = lambda a: np.round(np.asarray(a, dtype=float), 5).tolist()  # noqa: E731
    return {
        "statements": order,
        "k": result.k,
        "silhouette": round(float(result.silhouette), 4),
        # No user ids: the page draws dots, never people.
        "points": [
            [round(float(x), 4), round(float(y), 4), int(label)]
            for (x, y), label in zip(result.projection, result.labels, strict=True)
        ],
        "groups": groups,
        "consensus_agree": consensus(result.consensus_agree),
        "consensus_disagree": consensus(result.consensus_disagree),
        "state": {
            "components": r4(result.components.ravel()),
            "center": r4(result.center),
            "variance": r4(result.variance),
            "base_centers": r4(result.base_centers.ravel()),
            "group_centers": r4(result.group_centers.ravel()),
            "n_seen": result.n_seen.astype(int).tolist(),
            "n_agree": result.n_agree.astype(int).tolist(),
            "n_disagree": result.n_disagree.astype(int).tolist(),
            "active": result.active.astype(bool).tolist(),
        },
    }


def _running_job(kind: str, subject: str) -> Job | None:
    return Job.objects.filter(kind=kind, subject=subject, state__in=["queued", "running"]).order_by("-pk").first()


def request_opinion_map(*, actor: User, call: Call) -> Job:
    """Start the map computation in the background (or return the run already under way)."""
    _require_manage(actor, call)
    subject = f"insight-map:{call.pk}"
    return _running_job(OPINION_JOB, subject) or jobs.enqueue(
        kind=OPINION_JOB, params={"call_id": call.pk}, actor=actor, subject=subject
    )


# ---------------------------------------------------------------- wiki survey


def sync_ideas(*, call: Call) -> int:
    """Every submitted, public proposal of the call is an idea of its survey."""
    have = set(Idea.objects.filter(call=call, proposal__isnull=False).values_list("proposal_id", flat=True))
    new = [
        Idea(call=call, proposal=p, text=p.shown_title[:200], author=None, state=Moderation.APPROVED)
        for p in selectors.public_proposals(call).exclude(pk__in=have).only("pk", "title")
    ]
    Idea.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def add_idea(*, actor: User, call: Call, text: str) -> Idea:
    manager = rules.can_manage(actor, call)
    if not manager and not rules.can_suggest(actor, call):
        raise Forbidden(_("Voting is open to signed-in participants while the call takes supports."))
    text = _short_text(text, field="text", limit=200)
    if not manager:
        ratelimit.hit("statement", actor.pk)
    if Idea.objects.filter(call=call, text=text).exclude(state=Moderation.REJECTED).exists():
        raise DomainError(_("This idea is already there."), code="duplicate", field="text")
    if not manager and Idea.objects.filter(call=call, author=actor, state=Moderation.PENDING).count() >= MAX_PENDING:
        raise DomainError(_("Wait until the team has looked at your earlier suggestions."), code="too_many_pending")
    return Idea.objects.create(
        call=call, text=text, author=actor, state=Moderation.APPROVED if manager else Moderation.PENDING
    )


def moderate_idea(*, actor: User, idea: Idea, approve: bool) -> Idea:
    _require_manage(actor, idea.call)
    if idea.proposal_id is not None:
        raise DomainError(_("Proposals are moderated on the call's own pages."), code="proposal_idea")
    with transaction.atomic():
        state = Moderation.APPROVED if approve else Moderation.REJECTED
        if Idea.objects.filter(pk=idea.pk).exclude(state=state).update(state=state):
            ledger.record(
                kind=InsightEntry.IDEA_MODERATED,
                subject=f"call:{idea.call_id}",
                actor_id=actor.pk,
                data={"idea": idea.pk, "state": str(state)},
                commitments={"text": idea.text},
            )
    idea.refresh_from_db()
    return idea


def _idea_order(call: Call, snap: RankingSnapshot | None) -> list[int]:
    order = list(snap.data.get("ideas", [])) if snap else []
    existing = set(Idea.objects.filter(call=call, pk__in=order).values_list("pk", flat=True))
    order = [pk for pk in order if pk in existing]
    known = set(order)
    return order + [pk for pk in Idea.objects.filter(call=call).values_list("pk", flat=True) if pk not in known]


def _stored_fit(snap: RankingSnapshot | None, order: list[int]) -> pairwise.Fit:
    if snap is not None and snap.data.get("theta") and order[: len(snap.data["ideas"])] == snap.data["ideas"]:
        theta = np.asarray(snap.data["theta"], dtype=float)
        var = np.asarray(snap.data["variance"], dtype=float)
    else:
        theta, var = np.zeros(0), np.zeros(0)
    return pairwise.Fit(
        theta=theta,
        variance=var,
        prior_precision=pairwise.DEFAULT_PRIOR_PRECISION,
        ties="half",
        newton_steps=0,
        cg_steps=0,
        converged=True,
        gradient_norm=0.0,
    )


def show_pair(*, actor: User, call: Call) -> Pair | None:
    """The pair this person should answer next (their open one, or a fresh adaptive pick), or None
    when fewer than two ideas are in the survey."""
    _require_vote(actor, call)
    with transaction.atomic():
        sync_ideas(call=call)
        active_ids = set(selectors.active_ideas(call).values_list("pk", flat=True))
        if len(active_ids) < 2:
            return None
        open_pair = (
            Pair.objects.filter(call=call, user=actor, answered_at__isnull=True).select_related("left", "right").last()
        )
        if open_pair and open_pair.left_id in active_ids and open_pair.right_id in active_ids:
            open_pair.call = call  # keep the caller's call, phases prefetched
            return open_pair
        snap = selectors.latest_ranking(call)
        order = _idea_order(call, snap)
        index = {pk: i for i, pk in enumerate(order)}
        shown = np.zeros(len(order), dtype=np.int64)
        for row in selectors.answered_pairs(call).values("left_id", "right_id").annotate(n=Count("pk")):
            shown[index[row["left_id"]]] += row["n"]
            shown[index[row["right_id"]]] += row["n"]
        active = np.array([pk in active_ids for pk in order])
        n_answered = Pair.objects.filter(call=call, user=actor).count()
        fit = _stored_fit(snap, order)
        # The misorder rule: fewer votes to a good order than the solver's default (0.73–0.77 of
        # uniform pairs' votes against 0.76–0.82 at 100 and 1,000 ideas, bench/pairwise.md), for
        # about 0.1 ms of choosing a pair.
        left, right = pairwise.next_pairs(
            fit, 1, seed=_seed(actor.pk, call.pk, n_answered), shown=shown, active=active, method="misorder"
        )[0]
        return Pair.objects.create(call=call, user=actor, left_id=order[int(left)], right_id=order[int(right)])


def answer_pair(*, actor: User, pair: Pair, choice: str) -> Pair:
    """Record the answer to a pair that was shown to this person; each pair is answered once."""
    if pair.user_id != actor.pk:
        raise NotFound()
    _require_vote(actor, pair.call)
    if choice not in Choice.values:
        raise DomainError(_('Choose one of the two ideas, or "I can\'t decide".'), code="bad_choice", field="choice")
    ratelimit.hit("vote", actor.pk)
    active = set(
        selectors.active_ideas(pair.call).filter(pk__in=[pair.left_id, pair.right_id]).values_list("pk", flat=True)
    )
    if len(active) < 2:
        raise DomainError(_("One of these ideas has left the survey; here is a new pair."), code="idea_gone")
    now = timezone.now()
    with transaction.atomic():
        # Compare-and-set: two quick clicks (or two tabs) cannot answer the same pair twice.
        if not Pair.objects.filter(pk=pair.pk, answered_at__isnull=True).update(choice=choice, answered_at=now):
            raise Conflict(_("You have already answered this pair."), code="answered")
    pair.choice, pair.answered_at = choice, now
    return pair


def refit_ranking(*, actor: User | None, call: Call, progress: Progress = _no_progress) -> RankingSnapshot:
    """Fit the Bradley–Terry model to every answer and store scores and bands (job or inline)."""
    progress(0, 3, str(_("Reading votes")))
    sync_ideas(call=call)
    previous = selectors.latest_ranking(call)
    order = _idea_order(call, previous)
    if len(order) < 2:
        raise DomainError(_("The survey needs at least two ideas."), code="too_few_ideas")
    index = {pk: i for i, pk in enumerate(order)}
    rows = list(selectors.answered_pairs(call).values_list("left_id", "right_id", "choice"))
    winner = np.array([index[r if c == Choice.RIGHT else left] for left, r, c in rows], dtype=np.int64)
    loser = np.array([index[left if c == Choice.RIGHT else r] for left, r, c in rows], dtype=np.int64)
    tie = np.array([c == Choice.TIE for _l, _r, c in rows], dtype=bool)
    counts = pairwise.aggregate(len(order), winner, loser, tie)
    init = np.asarray(previous.data.get("theta", []), dtype=float) if previous else None
    progress(1, 3, str(_("Fitting the model")))
    model = pairwise.fit(counts, init=init if init is not None and init.size else None)
    table = pairwise.score(model, counts)
    progress(2, 3, str(_("Saving the ranking")))
    rows_out = [{**row, "idea_id": order[int(row["idea"])]} for row in table.rows()]
    data = {
        "ideas": order,
        "theta": np.round(model.theta, 6).tolist(),
        "variance": np.round(model.variance, 6).tolist(),
        "rows": rows_out,
    }
    with transaction.atomic():
        snap = RankingSnapshot.objects.create(call=call, n_votes=len(rows), data=data)
        top = sorted(rows_out, key=lambda r: -float(r["score"]))[:10]
        ledger.record(
            kind=InsightEntry.WIKI_RANKING,
            subject=f"call:{call.pk}",
            actor_id=actor.pk if actor else None,
            data={
                "snapshot": snap.pk,
                "votes": len(rows),
                "ideas": len(order),
                "top": [[r["idea_id"], round(100 * float(r["score"]), 1)] for r in top],
            },
        )
    progress(3, 3, str(_("Done")))
    return snap


def request_ranking(*, actor: User, call: Call) -> Job | RankingSnapshot:
    """Refit at once when the survey is small; otherwise in the background."""
    _require_manage(actor, call)
    if selectors.answered_pairs(call).count() <= INLINE_RANKING_VOTES:
        return refit_ranking(actor=actor, call=call)
    subject = f"insight-survey:{call.pk}"
    return _running_job(RANKING_JOB, subject) or jobs.enqueue(
        kind=RANKING_JOB, params={"call_id": call.pk}, actor=actor, subject=subject
    )


def survey_counts(call: Call) -> dict[str, int]:
    agg = Pair.objects.filter(call=call).aggregate(
        shown=Count("pk"),
        answered=Count("pk", filter=Q(answered_at__isnull=False)),
        people=Count("user", distinct=True),
    )
    return {k: int(v or 0) for k, v in agg.items()}


# ---------------------------------------------------------------- duplicate clusters and topic map

DUPLICATES_JOB, TOPICS_JOB = "insight.duplicates", "insight.topics"
RESULT_VERSION = 1


def _docs(call: Call) -> list[topics.Doc]:
    """The call's proposals as plain solver input: index terms, readable text, and what picks the kept one."""
    rows = (
        selectors.analysed_proposals(call)
        .order_by("submitted_at", "pk")
        .values_list(
            "pk", "title", "problem", "solution", "expected_effect", "search_terms", "support_count", "outcome"
        )
    )
    docs = []
    for n, (pk, title, problem, solution, effect, terms, support, outcome) in enumerate(rows):
        text = " ".join([title, strip_tags(problem), strip_tags(solution), strip_tags(effect)])
        docs.append(
            topics.Doc(
                key=pk,
                terms=(terms or korean.index_terms(text)).split(),
                text=text,
                title=title,
                support=support,
                order=float(n),
                fixed=outcome != Outcome.PENDING,
            )
        )
    return docs


def find_duplicates(*, call: Call, progress: Progress = _no_progress) -> dict[str, Any]:
    """The duplicate clusters of a call as the JSON a job stores (proposal ids only: pages read the
    titles at display time, through the viewer's permissions)."""
    progress(0, 5, str(_("Reading proposals")))
    docs = _docs(call)
    steps = {
        "terms": str(_("Reading proposals")),
        "minhash": str(_("Finding candidate pairs")),
        "verify": str(_("Comparing candidates")),
        "cluster": str(_("Grouping duplicates")),
        "done": str(_("Done")),
    }
    found = topics.near_duplicates(docs, progress=lambda d, t, m: progress(d + 1, t + 1, steps.get(m, m)))
    return {
        "version": RESULT_VERSION,
        "computed_at": timezone.now().isoformat(),
        "proposals": found.n_docs,
        "threshold": found.threshold,
        "candidate_pairs": found.candidate_pairs,
        "verified_pairs": found.verified_pairs,
        "clusters": [
            {
                "keep": c.keep,
                "min_similarity": c.min_similarity,
                "members": [
                    {"proposal": m.key, "similarity": m.similarity, "shared": list(m.shared)} for m in c.members
                ],
            }
            for c in found.clusters
        ],
    }


def map_topics(*, call: Call, progress: Progress = _no_progress, seed: int = 0) -> dict[str, Any]:
    """The topic map of a call as the JSON a job stores."""
    progress(0, 6, str(_("Reading proposals")))
    docs = _docs(call)
    steps = {
        "terms": str(_("Reading proposals")),
        "choose k": str(_("Choosing the number of themes")),
        "themes": str(_("Grouping proposals into themes")),
        "labels": str(_("Naming the themes")),
        "done": str(_("Done")),
    }
    found = topics.topic_map(docs, seed=seed, progress=lambda d, t, m: progress(d + 1, t + 1, steps.get(m, m)))
    return {
        "version": RESULT_VERSION,
        "computed_at": timezone.now().isoformat(),
        "proposals": len(docs),
        "k": found.k,
        "silhouette": found.silhouette,
        "seed": seed,
        "themes": [
            {
                "id": t.id,
                "size": t.size,
                "words": list(t.words),
                "x": t.x,
                "y": t.y,
                "top": list(t.top),
                "cohesion": t.cohesion,
            }
            for t in found.themes
        ],
    }


def _request(kind: str, *, actor: User, call: Call) -> Job:
    if not (rules.can_see_duplicates if kind == DUPLICATES_JOB else rules.can_see_topics)(actor, call):
        raise Forbidden(_("Only the innovation team can do this."))
    subject = selectors.result_subject(kind, call)
    return _running_job(kind, subject) or jobs.enqueue(
        kind=kind, params={"call_id": call.pk}, actor=actor, subject=subject
    )


def request_duplicates(*, actor: User, call: Call) -> Job:
    """Start the duplicate check in the background (or return the run already under way)."""
    return _request(DUPLICATES_JOB, actor=actor, call=call)


def request_topics(*, actor: User, call: Call) -> Job:
    """Start the topic map in the background (or return the run already under way)."""
    return _request(TOPICS_JOB, actor=actor, call=call)


def merge_duplicate(*, actor: User, call: Call, proposal: Proposal, into: Proposal, reason: str = "") -> Decision:
    """One click of the duplicate view: the foundation's merge, with its rules and ledger entry."""
    if proposal.call_id != call.pk or into.call_id != call.pk:
        raise DomainError(_("Proposals can only be merged within one call."), code="other_call")
    reason = reason.strip() or str(
        _("Merged by the innovation team as a near-duplicate of a proposal on the same idea.")
    )
    return review.merge_proposal(actor=actor, proposal=proposal, into=into, reason=reason)
