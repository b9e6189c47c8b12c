"""Invitation pools over JSON: read a pool and its transparency data, volunteer or withdraw,
answer an invitation. Same rules and services as the pages; organising stays on the pages."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from madang.citizens import lottery, rules, selectors, services
from madang.citizens.models import Invitation, InvitationPool
from madang.people.api_auth import ERRORS, PUBLIC, PUBLIC_OPENAPI, Id, Input, api_user, api_visitor

router = Router(tags=["citizens"])


class InvitationOut(Schema):
    id: int
    pool_id: int
    state: str
    answer_by: datetime
    answered_at: datetime | None


class MyStatusOut(Schema):
    volunteered: bool
    volunteered_at: datetime | None
    invitation: InvitationOut | None


class PoolOut(Schema):
    id: int
    title: str
    description: str
    purpose: str
    organisation: str
    k: int
    attributes: list[str]
    quotas: dict[str, dict[str, list[int]]]
    opens_at: datetime
    closes_at: datetime
    state: str
    drawn_at: datetime | None
    volunteer_count: int
    can_volunteer: bool
    me: MyStatusOut | None


class LotteryOut(Schema):
    id: int
    kind: str
    n: int
    k: int
    kept: list[int]
    removed: list[int]
    probabilities_sorted: list[float]
    uniform: float
    commitment: str
    committed_at: datetime | None
    seed_due_at: datetime | None
    drawn_at: datetime | None
    in_order: bool
    order_problems: list[str]
    seed_source: str
    seed: str | None
    panel: list[int]
    panel_pseudonyms: list[str]
    verified: bool
    quotas_met_in_every_panel: bool
    reason: str
    serialised: str


class TransparencyOut(Schema):
    pool_id: int
    state: str
    k: int
    attributes: list[str]
    quotas: dict[str, dict[str, list[int]]]
    lotteries: list[LotteryOut]


class VolunteerIn(Input):
    email_me: bool = False


class AnswerIn(Input):
    accept: bool


def _pool_out(user: Any, pool: InvitationPool) -> PoolOut:
    me = None
    if rules.is_authenticated(user):
        v = selectors.my_volunteering(user, pool)
        inv = selectors.my_invitation(user, pool)
        me = MyStatusOut(
            volunteered=v is not None,
            volunteered_at=v.created_at if v else None,
            invitation=InvitationOut.model_validate(inv) if inv else None,
        )
    return PoolOut(
        id=pool.pk,
        title=pool.title,
        description=pool.description,
        purpose=pool.purpose,
        organisation=pool.organisation.name,
        k=pool.k,
        attributes=pool.attributes,
        quotas=pool.quotas,
        opens_at=pool.opens_at,
        closes_at=pool.closes_at,
        state=pool.state,
        drawn_at=pool.drawn_at,
        volunteer_count=pool.volunteerings.count(),
        can_volunteer=rules.can_volunteer(user, pool),
        me=me,
    )


@router.get("/citizens/pools", auth=PUBLIC, openapi_extra=PUBLIC_OPENAPI, response=list[PoolOut])
def list_pools(request: HttpRequest) -> list[PoolOut]:
    return [_pool_out(api_visitor(request), p) for p in selectors.pools()[:200]]


@router.get("/citizens/pools/{pk}", auth=PUBLIC, openapi_extra=PUBLIC_OPENAPI, response={200: PoolOut, **ERRORS})
def pool_detail(request: HttpRequest, pk: Id) -> PoolOut:
    user = api_visitor(request)
    return _pool_out(user, selectors.access_pool(user, pk))


@router.get(
    "/citizens/pools/{pk}/transparency",
    auth=PUBLIC,
    openapi_extra=PUBLIC_OPENAPI,
    response={200: TransparencyOut, **ERRORS},
)
def transparency(request: HttpRequest, pk: Id) -> TransparencyOut:
    """Quotas, every volunteer's probability (anonymous, sorted), the commitment, the seed, the
    panel as pseudonyms, and the server's re-run of the verification."""
    pool = selectors.access_pool(api_visitor(request), pk)
    out = []
    for made in pool.lotteries.filter(committed_at__isnull=False).order_by("computed_at", "pk"):
        data, check, order = lottery.published(made), lottery.verify(made), lottery.order_of(made)
        out.append(
            LotteryOut(
                id=made.pk,
                kind=made.kind,
                n=data["n"],
                k=made.k,
                kept=made.kept,
                removed=made.removed,
                probabilities_sorted=data["probabilities_sorted"],
                uniform=made.k / data["n"] if data["n"] else 0.0,
                commitment=made.commitment,
                committed_at=made.committed_at,
                seed_due_at=made.seed_due_at,
                drawn_at=made.drawn_at,
                in_order=order.ok,
                order_problems=[str(p) for p in order.problems],
                seed_source=made.seed_source,
                seed=made.seed or None,
                panel=made.panel,
                panel_pseudonyms=made.panel_pseudonyms,
                verified=check.ok,
                quotas_met_in_every_panel=check.quotas_ok,
                reason=str(check.reason),
                serialised=data["serialised"],
            )
        )
    return TransparencyOut(
        pool_id=pool.pk, state=pool.state, k=pool.k, attributes=pool.attributes, quotas=pool.quotas, lotteries=out
    )


@router.post("/citizens/pools/{pk}/volunteer", response={200: PoolOut, **ERRORS})
def volunteer(request: HttpRequest, pk: Id, payload: VolunteerIn | None = None) -> PoolOut:
    user = api_user(request)
    pool = selectors.access_pool(user, pk)
    services.volunteer(actor=user, pool=pool, email_me=bool(payload and payload.email_me))
    return _pool_out(user, pool)


@router.delete("/citizens/pools/{pk}/volunteer", response={200: PoolOut, **ERRORS})
def withdraw(request: HttpRequest, pk: Id) -> PoolOut:
    user = api_user(request)
    pool = selectors.access_pool(user, pk)
    services.withdraw_volunteering(actor=user, pool=pool)
    return _pool_out(user, pool)


@router.get("/citizens/invitations", response=list[InvitationOut])
def my_invitations(request: HttpRequest) -> list[Invitation]:
    return list(Invitation.objects.filter(user=api_user(request)).order_by("-invited_at"))


@router.post("/citizens/invitations/{pk}/answer", response={200: InvitationOut, **ERRORS})
def answer(request: HttpRequest, pk: Id, payload: AnswerIn) -> Invitation:
    user = api_user(request)
    return services.answer_invitation(
        actor=user, invitation=selectors.access_invitation(user, pk), accept=payload.accept
    )
