"""The opinion map, the wiki survey, and the team's duplicate clusters and topic map over JSON.

Same rules and services as the pages: the map and the ranking are read by whoever may see the call;
voting needs a login and an open phase; duplicates and topics answer "not found" to everyone but the
call's innovation team and site administrators.
"""

from datetime import datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema, Status

from madang.calls.models import Call, Proposal
from madang.core.errors import Forbidden
from madang.insight import charts, rules, selectors, services
from madang.insight.models import Idea, Pair, Statement
from madang.jobs.models import Job
from madang.jobs.selectors import latest as latest_job
from madang.people.api_auth import ERRORS, PUBLIC, PUBLIC_OPENAPI, Id, Input, api_user, api_visitor

router = Router(tags=["insight"])
Slug = Annotated[str, Field(max_length=80, pattern=r"^[-a-zA-Z0-9_]+$")]


class InsightStatementOut(Schema):
    id: int
    text: str


class InsightGroupStatementOut(Schema):
    statement: int
    text: str
    direction: str
    agree: int = Field(..., description="percent of the group who agree")
    disagree: int


class InsightGroupOut(Schema):
    id: int
    letter: str
    size: int
    representative: list[InsightGroupStatementOut]


class InsightOpinionMapOut(Schema):
    computed_at: datetime | None
    participants: int
    votes: int
    statements: int
    groups: list[InsightGroupOut]
    consensus: list[InsightGroupStatementOut] = Field(
        ..., description="statements every group agrees (or disagrees) with"
    )


class InsightNextStatementOut(Schema):
    statement: InsightStatementOut | None = Field(..., description="null once this person has voted on every statement")


class InsightOpinionVoteIn(Input):
    statement: Id
    value: Literal[-1, 0, 1] = Field(..., description="1 agree, -1 disagree, 0 pass")


class InsightOpinionVoteOut(Schema):
    statement: int
    value: int
    next: InsightStatementOut | None


class InsightIdeaOut(Schema):
    id: int
    text: str
    proposal: int | None


class InsightRankRowOut(Schema):
    idea: InsightIdeaOut
    score: float = Field(..., description="chance of beating a randomly chosen other idea, 0–1")
    lower: float
    upper: float
    wins: int
    losses: int
    ties: int


class InsightRankingOut(Schema):
    computed_at: datetime | None
    votes: int
    rows: list[InsightRankRowOut]


class InsightPairOut(Schema):
    id: int
    left: InsightIdeaOut
    right: InsightIdeaOut


class InsightNextPairOut(Schema):
    pair: InsightPairOut | None = Field(..., description="null while the survey has fewer than two ideas")


class InsightPairVoteIn(Input):
    pair: Id
    choice: Literal["left", "right", "tie"]


class InsightPairVoteOut(Schema):
    pair: int
    choice: str
    next: InsightPairOut | None


class InsightJobOut(Schema):
    id: int
    kind: str
    state: str
    percent: int | None
    message: str
    error: str


class InsightProposalRefOut(Schema):
    id: int
    number: int | None
    title: str
    outcome: str


class InsightDuplicateOut(Schema):
    proposal: InsightProposalRefOut
    similarity: float = Field(..., description="weighted cosine of the index terms with the kept proposal, 0–1")
    shared: list[str] = Field(..., description="words it shares with the kept proposal, most telling first")
    can_merge: bool


class InsightClusterOut(Schema):
    keep: InsightProposalRefOut
    min_similarity: float
    members: list[InsightDuplicateOut]


class InsightDuplicatesOut(Schema):
    computed_at: datetime | None
    proposals: int
    threshold: float | None
    clusters: list[InsightClusterOut]
    job: InsightJobOut | None = Field(..., description="the latest run, finished or not")


class InsightThemeOut(Schema):
    id: int
    size: int
    words: list[str]
    x: float
    y: float
    cohesion: float
    top: list[InsightProposalRefOut]


class InsightTopicsOut(Schema):
    computed_at: datetime | None
    proposals: int
    k: int
    themes: list[InsightThemeOut]
    job: InsightJobOut | None


def _call(request: HttpRequest, slug: str, perm: str = "view") -> Call:
    return selectors.access_call(api_visitor(request), slug, perm=perm)


def _statement(s: Statement | None) -> InsightStatementOut | None:
    return None if s is None else InsightStatementOut(id=s.pk, text=s.text)


def _idea(i: Idea) -> InsightIdeaOut:
    return InsightIdeaOut(id=i.pk, text=i.shown_text, proposal=i.proposal_id)


def _pair(p: Pair | None) -> InsightPairOut | None:
    return None if p is None else InsightPairOut(id=p.pk, left=_idea(p.left), right=_idea(p.right))


def _ref(p: Proposal) -> InsightProposalRefOut:
    return InsightProposalRefOut(id=p.pk, number=p.number, title=p.shown_title, outcome=p.outcome)


def _job(job: Job) -> InsightJobOut:
    return InsightJobOut(
        id=job.pk, kind=job.kind, state=job.state, percent=job.percent, message=job.progress_message, error=job.error
    )


def _maybe_job(job: Job | None) -> InsightJobOut | None:
    return None if job is None else _job(job)


def _when(job: Job | None) -> datetime | None:
    return parse_datetime(job.result.get("computed_at", "")) if job and job.result else None


# ---------------------------------------------------------------- opinion map


@router.get(
    "/insight/{slug}/opinion", auth=PUBLIC, openapi_extra=PUBLIC_OPENAPI, response={200: InsightOpinionMapOut, **ERRORS}
)
def opinion_map(request: HttpRequest, slug: Slug) -> InsightOpinionMapOut:
    """The latest opinion map: groups, what sets each apart, and the statements all groups share."""
    call = _call(request, slug)
    snap = selectors.latest_opinion_map(call)
    n_statements = selectors.approved_statements(call).count()
    if snap is None:
        return InsightOpinionMapOut(
            computed_at=None, participants=0, votes=0, statements=n_statements, groups=[], consensus=[]
        )
    texts = dict(Statement.objects.filter(call=call).values_list("pk", "text"))
    groups = [
        InsightGroupOut(
            id=g["id"],
            letter=charts.group_letter(g["id"]),
            size=g["size"],
            representative=[
                InsightGroupStatementOut(
                    statement=r["statement"],
                    text=texts.get(r["statement"], ""),
                    direction=r["direction"],
                    agree=r["agree"],
                    disagree=r["disagree"],
                )
                for r in g["representative"]
            ],
        )
        for g in snap.data["groups"]
    ]
    consensus = [
        InsightGroupStatementOut(
            statement=c["statement"],
            text=texts.get(c["statement"], ""),
            direction=d,
            agree=c["agree"],
            disagree=c["disagree"],
        )
        for d in ("agree", "disagree")
        for c in snap.data[f"consensus_{d}"]
    ]
    return InsightOpinionMapOut(
        computed_at=snap.computed_at,
        participants=snap.n_participants,
        votes=snap.n_votes,
        statements=n_statements,
        groups=groups,
        consensus=consensus,
    )


@router.get("/insight/{slug}/opinion/next", response={200: InsightNextStatementOut, **ERRORS})
def next_statement(request: HttpRequest, slug: Slug) -> InsightNextStatementOut:
    """The statement this person should vote on next, chosen to be informative."""
    call = _call(request, slug)
    if not rules.can_vote(api_user(request), call):
        raise Forbidden(_("Voting is open to signed-in participants while the call takes supports."))
    return InsightNextStatementOut(statement=_statement(services.choose_statement(user=api_user(request), call=call)))


@router.post("/insight/{slug}/opinion/votes", response={200: InsightOpinionVoteOut, **ERRORS})
def vote_statement(request: HttpRequest, slug: Slug, payload: InsightOpinionVoteIn) -> InsightOpinionVoteOut:
    """Agree, disagree or pass on one statement; voting again changes the vote. Answers with the next statement."""
    user = api_user(request)
    call = _call(request, slug)
    statement = selectors.access_statement(user, call, payload.statement)
    vote = services.vote_statement(actor=user, statement=statement, value=payload.value)
    return InsightOpinionVoteOut(
        statement=statement.pk, value=vote.value, next=_statement(services.choose_statement(user=user, call=call))
    )


# ---------------------------------------------------------------- wiki survey


@router.get(
    "/insight/{slug}/survey/ranking",
    auth=PUBLIC,
    openapi_extra=PUBLIC_OPENAPI,
    response={200: InsightRankingOut, **ERRORS},
)
def ranking(request: HttpRequest, slug: Slug) -> InsightRankingOut:
    """The latest ranking, best first: each idea's score with its likely range."""
    call = _call(request, slug)
    snap = selectors.latest_ranking(call)
    if snap is None:
        return InsightRankingOut(computed_at=None, votes=0, rows=[])
    ideas = {i.pk: i for i in selectors.active_ideas(call)}
    rows = sorted((r for r in snap.data["rows"] if r["idea_id"] in ideas), key=lambda r: -r["score"])
    return InsightRankingOut(
        computed_at=snap.computed_at,
        votes=snap.n_votes,
        rows=[
            InsightRankRowOut(
                idea=_idea(ideas[r["idea_id"]]),
                score=r["score"],
                lower=r["lower"],
                upper=r["upper"],
                wins=r["wins"],
                losses=r["losses"],
                ties=r["ties"],
            )
            for r in rows
        ],
    )


@router.get("/insight/{slug}/survey/pair", response={200: InsightNextPairOut, **ERRORS})
def show_pair(request: HttpRequest, slug: Slug) -> InsightNextPairOut:
    """This person's open pair, or a new one chosen adaptively (the same until it is answered)."""
    call = _call(request, slug)
    return InsightNextPairOut(pair=_pair(services.show_pair(actor=api_user(request), call=call)))


@router.post("/insight/{slug}/survey/votes", response={200: InsightPairVoteOut, **ERRORS})
def vote_pair(request: HttpRequest, slug: Slug, payload: InsightPairVoteIn) -> InsightPairVoteOut:
    """Answer a pair shown to this person (once). Answers with the next pair."""
    user = api_user(request)
    call = _call(request, slug)
    pair = selectors.access_pair(user, call, payload.pair)
    services.answer_pair(actor=user, pair=pair, choice=payload.choice)
    return InsightPairVoteOut(
        pair=pair.pk, choice=payload.choice, next=_pair(services.show_pair(actor=user, call=call))
    )


# ---------------------------------------------------------------- duplicates and topics (the team)


@router.get("/insight/{slug}/duplicates", response={200: InsightDuplicatesOut, **ERRORS})
def duplicates(request: HttpRequest, slug: Slug) -> InsightDuplicatesOut:
    """The latest duplicate clusters of the call, each with the proposal to keep and why the others match."""
    user = api_user(request)
    call = _call(request, slug, "duplicates")
    done = selectors.latest_result(call, services.DUPLICATES_JOB)
    result: dict[str, Any] = done.result if done and done.result else {}
    clusters = [
        InsightClusterOut(
            keep=_ref(c["keep"]),
            min_similarity=c["min_similarity"],
            members=[
                InsightDuplicateOut(
                    proposal=_ref(m["p"]), similarity=m["similarity"], shared=m["shared"], can_merge=m["can_merge"]
                )
                for m in c["members"]
            ],
        )
        for c in selectors.duplicate_clusters(user, call, result)
    ]
    job = latest_job(subject=selectors.result_subject(services.DUPLICATES_JOB, call), kind=services.DUPLICATES_JOB)
    return InsightDuplicatesOut(
        computed_at=_when(done),
        proposals=result.get("proposals", 0),
        threshold=result.get("threshold"),
        clusters=clusters,
        job=_maybe_job(job),
    )


@router.post("/insight/{slug}/duplicates/compute", response={202: InsightJobOut, **ERRORS})
def compute_duplicates(request: HttpRequest, slug: Slug) -> Status[InsightJobOut]:
    """Start the duplicate check in the background; follow it at /api/jobs/{id}."""
    call = _call(request, slug, "duplicates")
    return Status(202, _job(services.request_duplicates(actor=api_user(request), call=call)))


@router.get("/insight/{slug}/topics", response={200: InsightTopicsOut, **ERRORS})
def topics(request: HttpRequest, slug: Slug) -> InsightTopicsOut:
    """The latest topic map: themes with their label words, sizes, map positions and most typical proposals."""
    user = api_user(request)
    call = _call(request, slug, "topics")
    done = selectors.latest_result(call, services.TOPICS_JOB)
    result: dict[str, Any] = done.result if done and done.result else {}
    stored = result.get("themes", [])
    found = selectors.proposals_for(user, call, {pk for t in stored for pk in t["top"]})
    themes = [
        InsightThemeOut(
            id=t["id"],
            size=t["size"],
            words=t["words"],
            x=t["x"],
            y=t["y"],
            cohesion=t["cohesion"],
            top=[_ref(found[pk]) for pk in t["top"] if pk in found],
        )
        for t in stored
    ]
    job = latest_job(subject=selectors.result_subject(services.TOPICS_JOB, call), kind=services.TOPICS_JOB)
    return InsightTopicsOut(
        computed_at=_when(done),
        proposals=result.get("proposals", 0),
        k=result.get("k", 0),
        themes=themes,
        job=_maybe_job(job),
    )


@router.post("/insight/{slug}/topics/compute", response={202: InsightJobOut, **ERRORS})
def compute_topics(request: HttpRequest, slug: Slug) -> Status[InsightJobOut]:
    """Start the topic map in the background; follow it at /api/jobs/{id}."""
    call = _call(request, slug, "topics")
    return Status(202, _job(services.request_topics(actor=api_user(request), call=call)))
