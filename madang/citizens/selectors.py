"""Reads for invitation pools. `access_*` answers "not found" both for what is missing and for
what the user may not reach."""

from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from madang.calls import selectors as calls_selectors
from madang.calls.models import Audience, Call
from madang.citizens import rules
from madang.citizens.models import (
    CitizenProfile,
    Invitation,
    InvitationPool,
    Lottery,
    LotteryKind,
    Volunteering,
)
from madang.core.errors import NotFound


def access_pool(user: Any, pool_id: int, *, perm: str = "view") -> InvitationPool:
    pool = InvitationPool.objects.select_related("organisation", "organiser").filter(pk=pool_id).first()
    if pool is None or (perm == "organise" and not rules.can_organise(user, pool)):
        raise NotFound()
    return pool


def access_invitation(user: Any, invitation_id: int) -> Invitation:
    inv = Invitation.objects.select_related("pool__organisation", "lottery").filter(pk=invitation_id).first()
    if inv is None or not rules.is_authenticated(user) or inv.user_id != user.pk:
        raise NotFound()
    return inv


def open_pools() -> QuerySet[InvitationPool]:
    """Pools taking volunteers now, soonest closing first."""
    now = timezone.now()
    return pools().filter(opens_at__lte=now, closes_at__gt=now).order_by("closes_at")


def calls_open_to_citizens(user: Any) -> list[Call]:
    """Calls citizens take part in that this reader may see, newest first."""
    audience = [Audience.CITIZENS, Audience.BOTH]
    return [c for c in calls_selectors.calls_for(user) if c.audience in audience][:20]


def pools() -> QuerySet[InvitationPool]:
    return InvitationPool.objects.select_related("organisation").annotate(
        volunteer_count=Count("volunteerings", distinct=True)
    )


def my_volunteering(user: Any, pool: InvitationPool) -> Volunteering | None:
    if not rules.is_authenticated(user):
        return None
    return pool.volunteerings.filter(user=user).first()


def my_invitation(user: Any, pool: InvitationPool) -> Invitation | None:
    if not rules.is_authenticated(user):
        return None
    return pool.invitations.filter(user=user).first()


def initial_lottery(pool: InvitationPool) -> Lottery | None:
    return pool.lotteries.filter(kind=LotteryKind.INITIAL).first()


def replacement_lotteries(pool: InvitationPool) -> list[Lottery]:
    return list(pool.lotteries.filter(kind=LotteryKind.REPLACEMENT).order_by("computed_at", "pk"))


def pending_replacement(pool: InvitationPool) -> Lottery | None:
    return pool.lotteries.filter(kind=LotteryKind.REPLACEMENT, drawn_at__isnull=True).first()


def value_counts(pool: InvitationPool) -> dict[str, dict[str, int]]:
    """How many volunteers have each value (aggregates only: organisers see no one's attributes)."""
    counts: dict[str, dict[str, int]] = {a: {} for a in pool.attributes}
    if pool.closed_at:  # the snapshot the lottery uses
        rows: list[dict[str, Any]] = [v.snapshot for v in pool.volunteerings.filter(eligible=True)]
    else:
        rows = [p.attributes() for p in CitizenProfile.objects.filter(user__volunteerings__pool=pool)]
    for row in rows:
        for a in pool.attributes:
            value = str(row.get(a) or "")
            if value:
                counts[a][value] = counts[a].get(value, 0) + 1
    return counts


def invitations_of(pool: InvitationPool) -> QuerySet[Invitation]:
    return pool.invitations.select_related("user", "lottery").order_by("invited_at", "pk")
