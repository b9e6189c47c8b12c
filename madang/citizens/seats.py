"""The lottery drawn for a joint event's citizen seats, as the events app may know it (madang/people/seats.py)."""

from django.urls import reverse

from madang.citizens.models import InvitationPool, InvitationState
from madang.people import seats


def lottery_for(subject: str) -> seats.Draw | None:
    pool = InvitationPool.objects.filter(event=subject).order_by("-pk").first()
    if pool is None:
        return None
    confirmed = pool.invitations.filter(state=InvitationState.CONFIRMED, user__isnull=False).values_list(
        "user_id", flat=True
    )
    return seats.Draw(
        pool.pk,
        pool.title,
        reverse("citizens:pool", args=[pool.pk]),
        pool.closes_at,
        frozenset(uid for uid in confirmed if uid is not None),
    )


def register() -> None:
    """Called from this app's AppConfig.ready()."""
    seats.register_lotteries(lottery_for)
