"""The public ledger's entries about invitation pools and their lotteries.

Everyone in a pool (the organiser, the volunteers, the panel, the invited, their answers)
appears in one pseudonym context per pool, "pool:<id>/lottery": the draw can be recomputed and
followed from the log, but a participant cannot be linked to any other entry.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import UTC
from enum import StrEnum
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from madang.citizens import lottery
from madang.citizens.models import Invitation, InvitationPool, InvitationState, Lottery, LotteryKind
from madang.ledger import kinds
from madang.ledger import services as ledger
from madang.ledger.kinds import Finding, Kind, Logged, _show, compare
from madang.solvers import sortition
from madang.solvers.sortition.draw import FORMAT


class CitizenEntry(StrEnum):
    POOL_CREATED = "citizens.pool_created"
    QUOTAS_SET = "citizens.quotas_set"
    POOL_CLOSED = "citizens.pool_closed"
    LOTTERY_COMMITTED = "citizens.lottery_committed"
    REPLACEMENT_COMMITTED = "citizens.replacement_committed"
    PANEL_DRAWN = "citizens.panel_drawn"
    REPLACEMENT_DRAWN = "citizens.replacement_drawn"
    INVITATION_ANSWERED = "citizens.invitation_answered"


COMMITTED_ENTRY = {
    LotteryKind.INITIAL: CitizenEntry.LOTTERY_COMMITTED,
    LotteryKind.REPLACEMENT: CitizenEntry.REPLACEMENT_COMMITTED,
}
DRAWN_ENTRY = {LotteryKind.INITIAL: CitizenEntry.PANEL_DRAWN, LotteryKind.REPLACEMENT: CitizenEntry.REPLACEMENT_DRAWN}


def participant(pool_id: int, user_id: int | None) -> str:
    """A person's pseudonym in the pool's one context ("-" for a seat whose person erased their data)."""
    return ledger.pseudonym_for(CitizenEntry.PANEL_DRAWN, f"pool:{pool_id}", user_id) or "-"


def participant_opening(pool_id: int, user_id: int) -> str:
    return ledger.opening_for(CitizenEntry.PANEL_DRAWN, f"pool:{pool_id}", user_id)


def pool_body(pool: InvitationPool) -> dict[str, Any]:
    body = {
        "organisation": pool.organisation_id,
        "k": pool.k,
        "attributes": list(pool.attributes),
        "quotas": pool.quotas,
        "opens_at": pool.opens_at.isoformat(),
        "closes_at": pool.closes_at.isoformat(),
    }
    if pool.event:  # (only then: pools logged before events had lotteries have no such field)
        body["event"] = pool.event
    return body


def committed_body(made: Lottery) -> dict[str, Any]:
    body = {
        "lottery": made.pk,
        "commitment": made.commitment,
        "format": FORMAT,
        "n": len(made.people),
        "k": made.k,
        "quotas": made.quotas,
        "kept": made.kept,
        "removed": made.removed,
        "seed_source": ledger.commitment(made.seed_source, made.seed_source_salt)[1],
        "min_probability": min(made.probabilities) if made.probabilities else 0.0,
    }
    if made.seed_due_at is not None:  # (only then: lotteries committed before it was asked have none)
        body["seed_due"] = made.seed_due_at.astimezone(UTC).isoformat(
            timespec="seconds"
        )  # as the database gives it back
    return body


def drawn_body(made: Lottery, invitations: list[Invitation]) -> dict[str, Any]:
    return {
        "lottery": made.pk,
        "commitment": made.commitment,
        "seed": made.seed,
        "panel": made.panel,
        "panel_pseudonyms": made.panel_pseudonyms,
        "invited": [participant(made.pool_id, i.user_id) for i in invitations],
    }


def answered_body(invitation: Invitation) -> dict[str, Any]:
    return {
        "lottery": invitation.lottery_id,
        "invitation": invitation.pk,
        "who": participant(invitation.pool_id, invitation.user_id),
        "answer": str(invitation.state),
    }


# ---------------------------------------------------------------- checks


def check_pools(entries: list[Logged]) -> Iterator[Finding]:
    pools = InvitationPool.objects.in_bulk([e.subject_id for e in entries])
    quotas_changed = {int(x.subject.split(":")[1]) for x in ledger.entries_of(CitizenEntry.QUOTAS_SET)}
    for e in entries:
        pool = pools.get(e.subject_id)
        if pool is None:
            yield e.gone(f"pool {e.subject_id}")
            continue
        live = pool_body(pool)
        if pool.pk in quotas_changed:
            live.pop("quotas")
        yield from compare(e, live)


def check_quotas(entries: list[Logged]) -> Iterator[Finding]:
    latest: dict[int, Logged] = {}
    for e in entries:
        latest[e.subject_id] = e
    pools = InvitationPool.objects.in_bulk(list(latest))
    for pid, e in latest.items():
        pool = pools.get(pid)
        if pool is None:
            yield e.gone(f"pool {pid}")
        else:
            yield from compare(e, {"quotas": pool.quotas})


def missing_pools(entries: list[Logged]) -> Iterator[Finding]:
    logged = {e.subject_id for e in entries}
    for pk in InvitationPool.objects.exclude(pk__in=logged).values_list("pk", flat=True):
        yield Finding(f"pool:{pk}", f"pool {pk} has no {CitizenEntry.POOL_CREATED} entry", "record")


def check_closed(entries: list[Logged]) -> Iterator[Finding]:
    pools = InvitationPool.objects.in_bulk([e.subject_id for e in entries])
    for e in entries:
        pool = pools.get(e.subject_id)
        if pool is None or pool.closed_at is None:
            yield Finding(e.where, f"pool {e.subject_id} is not closed in the database", "state")


def missing_closed(entries: list[Logged]) -> Iterator[Finding]:
    logged = {e.subject_id for e in entries}
    for pk in (
        InvitationPool.objects.filter(closed_at__isnull=False).exclude(pk__in=logged).values_list("pk", flat=True)
    ):
        yield Finding(f"pool:{pk}", f"closed pool {pk} has no {CitizenEntry.POOL_CLOSED} entry", "record")


def _lotteries(entries: list[Logged]) -> dict[int, Lottery]:
    return Lottery.objects.in_bulk([e.get("lottery") for e in entries])


def _check_committed(kind: LotteryKind) -> Callable[[list[Logged]], Iterator[Finding]]:
    def check(entries: list[Logged]) -> Iterator[Finding]:
        rows = _lotteries(entries)
        for e in entries:
            made = rows.get(e.get("lottery"))
            if made is None or made.pool_id != e.subject_id or made.committed_at is None:
                yield e.gone(f"committed lottery {e.get('lottery')}")
                continue
            if made.kind != kind:
                yield Finding(e.where, f"lottery {made.pk} is '{made.kind}' in the database", "kind")
            yield from compare(e, committed_body(made))
            if sortition.commit(lottery.distribution_of(made)) != made.commitment:
                yield Finding(
                    e.where, f"lottery {made.pk}'s panels or weights no longer hash to its commitment", "commitment"
                )

    return check


def _missing_lotteries(kind: LotteryKind, drawn: bool) -> Callable[[list[Logged]], Iterator[Finding]]:
    def missing(entries: list[Logged]) -> Iterator[Finding]:
        logged = {e.get("lottery") for e in entries}
        rows = Lottery.objects.filter(kind=kind, **{"drawn_at__isnull" if drawn else "committed_at__isnull": False})
        entry = (DRAWN_ENTRY if drawn else COMMITTED_ENTRY)[kind]
        for pk, pid in rows.exclude(pk__in=logged).values_list("pk", "pool_id"):
            yield Finding(f"pool:{pid}", f"lottery {pk} has no {entry} entry", "record")

    return missing


def _check_drawn(kind: LotteryKind) -> Callable[[list[Logged]], Iterator[Finding]]:
    def check(entries: list[Logged]) -> Iterator[Finding]:
        rows = _lotteries(entries)
        invited: dict[int, list[Invitation]] = defaultdict(list)
        for inv in Invitation.objects.filter(lottery_id__in=list(rows)).order_by("pk"):
            invited[inv.lottery_id].append(inv)
        for e in entries:
            made = rows.get(e.get("lottery"))
            if made is None or made.pool_id != e.subject_id or made.drawn_at is None:
                yield e.gone(f"drawn lottery {e.get('lottery')}")
                continue
            yield from compare(e, drawn_body(made, invited.get(made.pk, [])) | {"panel_pseudonyms": panel_of(made)})
            if list(made.panel_pseudonyms) != panel_of(made):
                yield Finding(
                    e.where,
                    f"lottery {made.pk}'s published panel is {_show(made.panel_pseudonyms)} in the database",
                    "panel_pseudonyms",
                )
            # Anyone can redo this from the log: the committed lottery and the public seed give the panel.
            if list(sortition.draw(lottery.distribution_of(made), made.seed)) != list(made.panel):
                yield Finding(e.where, f"lottery {made.pk}'s panel is not the one its seed draws", "panel")

    return check


def check_answers(entries: list[Logged]) -> Iterator[Finding]:
    rows = Invitation.objects.in_bulk([e.get("invitation") for e in entries if "invitation" in e.body])
    for e in entries:
        if "invitation" not in e.body:
            continue  # a reissued v1 entry: checked against the lottery's draw only
        inv = rows.get(e.get("invitation"))
        if inv is None or inv.pool_id != e.subject_id:
            yield e.gone(f"invitation {e.get('invitation')}")
            continue
        state = str(inv.state)
        if e.get("answer") == InvitationState.DECLINED and state == InvitationState.REPLACED:
            state = InvitationState.DECLINED  # a declined seat is later replaced
        yield from compare(
            e, {"lottery": inv.lottery_id, "who": participant(inv.pool_id, inv.user_id), "answer": state}
        )


def missing_answers(entries: list[Logged]) -> Iterator[Finding]:
    logged = {e.get("invitation") for e in entries}
    v1_pools = {e.subject_id for e in entries if "invitation" not in e.body}
    rows = (
        Invitation.objects.filter(answered_at__isnull=False, lapsed=False)
        .exclude(pk__in=logged)
        .exclude(pool_id__in=v1_pools)
    )
    for pk, pid in rows.values_list("pk", "pool_id"):
        yield Finding(
            f"pool:{pid}", f"the answer to invitation {pk} has no {CitizenEntry.INVITATION_ANSWERED} entry", "record"
        )


def panel_of(made: Lottery) -> list[str]:
    """The panel's pseudonyms rebuilt from the lottery's members (a seat whose person erased
    their data since keeps the published value)."""
    published = list(made.panel_pseudonyms) + ["-"] * len(made.panel)
    return [
        participant(made.pool_id, made.members[i]) if made.members[i] is not None else published[n]
        for n, i in enumerate(made.panel)
    ]


def _reissue_drawn(body: dict[str, Any], v2: Callable[[Any], Any]) -> dict[str, Any]:
    """v1 wrote one pseudonym per person; the pool's context replaces it, in the entry and in
    the lottery's published panel."""
    made = Lottery.objects.filter(pk=int(body.get("lottery") or 0)).first()
    if made is not None:
        made.panel_pseudonyms = panel_of(made)
        made.save(update_fields=["panel_pseudonyms"])
        body["panel_pseudonyms"] = made.panel_pseudonyms
    return body


_COMMITTED_FIELDS = {
    "lottery": "the lottery's id",
    "commitment": "SHA-256 of the lottery's canonical serialisation (panels and weights)",
    "format": "that serialisation's format",
    "n": "people in the lottery",
    "k": "seats",
    "quotas": "the quotas",
    "kept": "indices kept (replacement)",
    "removed": "indices removed (replacement)",
    "seed_source": "salted commitment of where the public seed will come from",
    "min_probability": "the smallest selection probability",
    "seed_due": "when the public seed is to be published (after this entry's `at`), when it was announced",
}
_DRAWN_FIELDS = {
    "lottery": "the lottery's id",
    "commitment": "its commitment",
    "seed": "the public seed",
    "panel": "the indices drawn",
    "panel_pseudonyms": "the panel's pseudonyms in the pool's context",
    "invited": "the pseudonyms invited by this draw",
}

KINDS = (
    Kind(
        CitizenEntry.POOL_CREATED,
        "lottery",
        "an invitation pool was opened",
        {
            "organisation": "the organisation's id",
            "k": "seats",
            "attributes": "the attributes the quotas use",
            "quotas": "{attribute: {value: [min, max]}}",
            "opens_at": "volunteering opens",
            "closes_at": "volunteering closes",
            "event": 'the joint event whose citizen seats it draws ("event:<id>"), when it draws for one',
        },
        check=check_pools,
        missing=missing_pools,
        checked=("organisation", "k", "attributes", "quotas", "opens_at", "closes_at"),
        unique="subject",
    ),
    Kind(
        CitizenEntry.QUOTAS_SET,
        "lottery",
        "the pool's quotas were changed (no live record marks a change, so none implies this entry: quotas changed "
        "without it differ from the pool's `citizens.pool_created` entry)",
        {"quotas": "the new quotas"},
        check=check_quotas,
        checked=("quotas",),
    ),
    Kind(
        CitizenEntry.POOL_CLOSED,
        "lottery",
        "volunteering closed",
        {"volunteers": "volunteers at closing", "in_lottery": "of them, in the lottery"},
        check=check_closed,
        missing=missing_closed,
        unique="subject",
    ),
    Kind(
        CitizenEntry.LOTTERY_COMMITTED,
        "lottery",
        "the panel lottery was committed before its seed existed",
        _COMMITTED_FIELDS,
        check=_check_committed(LotteryKind.INITIAL),
        missing=_missing_lotteries(LotteryKind.INITIAL, drawn=False),
        checked=tuple(_COMMITTED_FIELDS),
        unique="lottery",
    ),
    Kind(
        CitizenEntry.REPLACEMENT_COMMITTED,
        "lottery",
        "a replacement lottery was committed",
        _COMMITTED_FIELDS,
        check=_check_committed(LotteryKind.REPLACEMENT),
        missing=_missing_lotteries(LotteryKind.REPLACEMENT, drawn=False),
        checked=tuple(_COMMITTED_FIELDS),
        unique="lottery",
    ),
    Kind(
        CitizenEntry.PANEL_DRAWN,
        "lottery",
        "the panel was drawn with the public seed and invited",
        _DRAWN_FIELDS,
        check=_check_drawn(LotteryKind.INITIAL),
        missing=_missing_lotteries(LotteryKind.INITIAL, drawn=True),
        checked=tuple(_DRAWN_FIELDS),
        pseudonym_fields=("invited",),
        reissue_body=_reissue_drawn,
        unique="lottery",
    ),
    Kind(
        CitizenEntry.REPLACEMENT_DRAWN,
        "lottery",
        "a replacement was drawn and invited",
        _DRAWN_FIELDS,
        check=_check_drawn(LotteryKind.REPLACEMENT),
        missing=_missing_lotteries(LotteryKind.REPLACEMENT, drawn=True),
        checked=tuple(_DRAWN_FIELDS),
        pseudonym_fields=("invited",),
        reissue_body=_reissue_drawn,
        unique="lottery",
    ),
    Kind(
        CitizenEntry.INVITATION_ANSWERED,
        "lottery",
        "an invited person confirmed or declined",
        {
            "lottery": "the lottery's id",
            "invitation": "the invitation's id",
            "who": "their pseudonym in the pool's context",
            "answer": "confirmed or declined",
        },
        check=check_answers,
        missing=missing_answers,
        checked=("lottery", "invitation", "who", "answer"),
        pseudonym_fields=("who",),
        unique="invitation",
    ),
)


LABELS = {
    CitizenEntry.POOL_CREATED: _("Invitation pool opened"),
    CitizenEntry.QUOTAS_SET: _("Lottery quotas set"),
    CitizenEntry.POOL_CLOSED: _("Volunteering closed"),
    CitizenEntry.LOTTERY_COMMITTED: _("Panel lottery committed"),
    CitizenEntry.REPLACEMENT_COMMITTED: _("Replacement lottery committed"),
    CitizenEntry.PANEL_DRAWN: _("Panel drawn"),
    CitizenEntry.REPLACEMENT_DRAWN: _("Replacement drawn"),
    CitizenEntry.INVITATION_ANSWERED: _("Invitation answered"),
}


def public_pools(ids: list[int]) -> dict[int, tuple[str, str]]:
    # Every pool's page is public (selectors.access_pool).
    return {
        p.pk: (p.title, reverse("citizens:pool", args=[p.pk]))
        for p in InvitationPool.objects.filter(pk__in=ids).only("pk", "title")
    }


def register() -> None:
    """Called from this app's AppConfig.ready()."""
    kinds.register("citizens", KINDS, labels=LABELS)
    kinds.register_subject("pool", _("Invitation pool"), public_pools, owner="citizens")
