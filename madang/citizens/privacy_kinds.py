"""The personal data of citizen members, for the privacy notice and the destruction job
(madang/privacy/registry.py).

Destruction keeps the ledger verifiable: a pool's lotteries keep their anonymous rows, panels,
weights, seeds and published pseudonyms (what the ledger's entries commit to), and only the
link from a row to a person (`Lottery.members`) and the attribute snapshot of each volunteer
go, as when a member erases their data (services._forget_in_lotteries). Invitations, which the
ledger's answers are checked against, are kept with the pool's record.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from madang.citizens.models import Consent, InvitationPool, Lottery, Volunteering
from madang.people.models import Kind, User
from madang.privacy import registry, selectors
from madang.privacy.models import Action
from madang.privacy.registry import DataKind, Destroyed

ACCOUNT = "citizens.account"
ATTRIBUTES = "citizens.attributes"
CONSENTS = "citizens.consents"
POOL_ATTRIBUTES = "citizens.pool_attributes"
INVITATIONS = "citizens.invitations"


def _days(name: str) -> int:
    kind = registry.get(name)
    return kind.days if kind is not None else 0


def destroy_deleted_accounts(now: datetime) -> Destroyed:
    """What a deleted account still holds (its volunteering in drawn pools, its last log-in time),
    once the period after the deletion has passed. The deletion's time is its access record."""
    cutoff = now - timedelta(days=_days(ACCOUNT))
    deleted = User.objects.filter(kind=Kind.CITIZEN, is_active=False, username__startswith="deleted-")
    left = set(deleted.filter(last_login__isnull=False).values_list("pk", flat=True))
    left |= set(Volunteering.objects.filter(user__in=deleted).values_list("user_id", flat=True))
    when = selectors.last_access(kind=ACCOUNT, action=Action.DELETE, subject_ids=left)
    due = [pk for pk in left if when.get(pk) is None or when[pk] <= cutoff]
    if not due:
        return Destroyed(0)
    Volunteering.objects.filter(user_id__in=due).delete()
    User.objects.filter(pk__in=due).update(last_login=None)
    return Destroyed(len(due))


def destroy_withdrawn_consents(now: datetime) -> Destroyed:
    due = Consent.objects.filter(withdrawn_at__isnull=False, withdrawn_at__lte=now - timedelta(days=_days(CONSENTS)))
    people = set(due.values_list("user_id", flat=True))
    if people:
        due.delete()
    return Destroyed(len(people))


def destroy_pool_attributes(now: datetime) -> Destroyed:
    """Pools whose every lottery was drawn more than the period ago: the volunteers' attribute
    snapshots and the lotteries' row-to-person maps (replacements can no longer be drawn)."""
    cutoff = now - timedelta(days=_days(POOL_ATTRIBUTES))
    pools = (
        InvitationPool.objects.filter(drawn_at__isnull=False)
        .exclude(lotteries__drawn_at__isnull=True)
        .annotate(last=Max("lotteries__drawn_at"))
        .filter(last__lte=cutoff)
    )
    count, scopes = 0, []
    for pool in pools:
        snapshots = Volunteering.objects.filter(pool=pool).exclude(snapshot={})
        lotteries = [m for m in Lottery.objects.filter(pool=pool) if any(x is not None for x in m.members)]
        people = set(snapshots.values_list("user_id", flat=True))
        people |= {x for m in lotteries for x in m.members if x is not None}
        if not people:
            continue
        snapshots.update(snapshot={})
        for made in lotteries:
            made.members = [None] * len(made.members)
            made.save(update_fields=["members"])
        count += len(people)
        scopes.append(pool.subject)
    return Destroyed(count, tuple(scopes))


KINDS = (
    DataKind(
        ACCOUNT,
        _("Citizen members' accounts"),
        _("Membership: signing in, proposing, supporting, following, being invited"),
        (_("username"), _("name"), _("e-mail"), _("language"), _("last log-in time")),
        _(
            "Until the member deletes the account (name and e-mail are erased at once); what remains of a deleted "
            "account is destroyed %(days)d days later"
        ),
        _("Personal Information Protection Act, Article 15(1)1: the member's consent on joining"),
        (_("No one; public contributions stay, without the name"),),
        days_setting="MADANG_PRIVACY_DELETED_ACCOUNT_DAYS",
        default_days=30,
        destroy=destroy_deleted_accounts,
        order=20,
    ),
    DataKind(
        ATTRIBUTES,
        _("Citizen members' attributes"),
        _("Fair shares of seats in invitation lotteries"),
        (_("gender"), _("age band"), _("region"), _("occupation"), _("fields of interest")),
        _("Until the member withdraws consent or deletes the account: erased at once"),
        _("Personal Information Protection Act, Article 15(1)1: separate consent for this purpose"),
        (_("No one; organisers see counts only"),),
        order=21,
    ),
    DataKind(
        CONSENTS,
        _("Consent records"),
        _("Showing when consent was given and withdrawn"),
        (_("purpose"), _("time granted"), _("time withdrawn")),
        _("While the consent holds; %(days)d days after it is withdrawn"),
        _("Personal Information Protection Act, Articles 15(1)1 and 22: consent and how it was obtained"),
        (_("No one"),),
        days_setting="MADANG_PRIVACY_CONSENT_DAYS",
        default_days=365,
        destroy=destroy_withdrawn_consents,
        order=22,
    ),
    DataKind(
        POOL_ATTRIBUTES,
        _("Lottery pool attributes"),
        _("Drawing a panel that meets the quotas, and drawing replacements for seats declined"),
        (_("attributes copied when volunteering closed"), _("which lottery row is which volunteer")),
        _("%(days)d days after the pool's last draw"),
        _("Personal Information Protection Act, Article 15(1)1: the member's consent to the attributes' use"),
        (_("No one; the lottery is published without names or attributes of a person"),),
        days_setting="MADANG_PRIVACY_POOL_DAYS",
        default_days=90,
        destroy=destroy_pool_attributes,
        order=23,
    ),
    DataKind(
        INVITATIONS,
        _("Invitations and answers"),
        _("Inviting the people drawn, and showing that the draw was followed"),
        (_("who was invited"), _("the answer and its time")),
        _("Kept with the pool's record under the agency's records schedule"),
        _("Personal Information Protection Act, Article 15(1)1; Public Records Management Act"),
        (_("The pool's organisers; the public ledger holds only pseudonyms"),),
        order=24,
    ),
)


def register() -> None:
    """Called from this app's AppConfig.ready()."""
    registry.register("citizens", KINDS)
