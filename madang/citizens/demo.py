"""The demo's citizen members: a finished invitation lottery, the lottery that drew the citizen
seats of the joint hackathon starting tomorrow, and an open pool the demo citizen can join.

Part of the demo scenario that madang/site/demo.py puts together. Every step goes through the
services as it happens today; then, as elsewhere in the demo, only the times are moved into the
past, in the order the transparency page claims: the lottery computed, its commitment published,
the public seed published at the time the commitment announced, the panel drawn, the answers.
"""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from django.utils import timezone

from madang.citizens import services as citizens
from madang.citizens.models import (
    CitizenProfile,
    Invitation,
    InvitationPool,
    InvitationState,
    Lottery,
    Purpose,
)
from madang.ledger import services as ledger
from madang.ledger.models import Entry
from madang.people import services as people
from madang.people.demo import GIVEN, SURNAMES
from madang.people.models import Kind, Organisation, User

CITIZEN_REGIONS = ["대전", "세종", "충북", "충남"]
AGES = ["19-29", "30-39", "40-49", "50-59", "60-69", "70+"]
MEMBER_PREFIX = "member"


@dataclass
class Draw:
    """When one lottery's steps happened, in the story."""

    computed: datetime
    committed: datetime
    seed_due: datetime  # the public seed's publication (a Saturday's 6/45 draw, 20:45)
    drawn: datetime


def _saturday_draw(after: datetime) -> datetime:
    """The first Saturday 6/45 draw (20:45 local) after `after`."""
    local = timezone.localtime(after)
    day = local.date() + timedelta(days=(5 - local.weekday()) % 7)
    at = timezone.make_aware(datetime.combine(day, time(20, 45)))
    return at if at > after else at + timedelta(days=7)


def _plan(start: datetime) -> Draw:
    computed = start + timedelta(hours=2)
    committed = computed + timedelta(hours=1)
    due = _saturday_draw(committed)
    return Draw(computed, committed, due, due + timedelta(hours=13, minutes=15))  # drawn the next morning


def _seed_source(draw: Draw) -> str:
    return f"{timezone.localtime(draw.seed_due):%Y년 %m월 %d일} 로또 6/45 당첨번호 (보너스 번호 포함)"


def _soon() -> datetime:
    """A seed time just ahead of the clock, for the commitment the services record today (moved afterwards)."""
    return timezone.now() + timedelta(hours=1)


def _entries(kind: str, pool: InvitationPool, **field: object) -> list[Entry]:
    rows = Entry.objects.filter(kind=kind, subject=pool.subject, log_index__isnull=True).order_by("seq")
    return [e for e in rows if all(ledger.body_of(e).get(k) == v for k, v in field.items())]


def _restate(entries: list[Entry], at: datetime, **changes: object) -> None:
    for entry in entries:
        ledger.restate_pending(entry, at=at.isoformat(timespec="seconds"), **changes)
        Entry.objects.filter(pk=entry.pk).update(created_at=at)


def _move_lottery(pool: InvitationPool, made: Lottery, draw: Draw, answer_days: int) -> None:
    """The lottery, its invitations and its ledger entries, at the times of `draw`."""
    Lottery.objects.filter(pk=made.pk).update(
        computed_at=draw.computed, committed_at=draw.committed, seed_due_at=draw.seed_due, drawn_at=draw.drawn
    )
    kind = "citizens.lottery_committed" if made.kind == "initial" else "citizens.replacement_committed"
    _restate(
        _entries(kind, pool, lottery=made.pk),
        draw.committed,
        seed_due=draw.seed_due.astimezone(UTC).isoformat(timespec="seconds"),
    )
    kind = "citizens.panel_drawn" if made.kind == "initial" else "citizens.replacement_drawn"
    _restate(_entries(kind, pool, lottery=made.pk), draw.drawn)
    made.invitations.update(invited_at=draw.drawn, answer_by=draw.drawn + timedelta(days=answer_days))


def _move_answer(pool: InvitationPool, invitation: Invitation, at: datetime) -> None:
    Invitation.objects.filter(pk=invitation.pk).update(answered_at=at)
    _restate(_entries("citizens.invitation_answered", pool, invitation=invitation.pk), at)


def _move_pool(pool: InvitationPool, opens_at: datetime, closes_at: datetime, drawn_at: datetime) -> None:
    InvitationPool.objects.filter(pk=pool.pk).update(
        created_at=opens_at - timedelta(days=1),
        opens_at=opens_at,
        closes_at=closes_at,
        closed_at=closes_at,
        drawn_at=drawn_at,
    )
    pool.refresh_from_db()  # the pool's logged window moves into the past with it
    _restate(
        _entries("citizens.pool_created", pool),
        pool.created_at,
        opens_at=pool.opens_at.isoformat(),
        closes_at=pool.closes_at.isoformat(),
    )
    _restate(_entries("citizens.pool_closed", pool), closes_at)
    pool.volunteerings.update(created_at=opens_at + timedelta(hours=9))


def _draw_now(team: User, pool: InvitationPool, draw: Draw, seed: str) -> Lottery:
    """Close, compute, commit and draw as the services do today (then moved to `draw`'s times)."""
    citizens.close_pool(actor=team, pool=pool)
    citizens.check_quotas(pool)
    citizens.run_distribution(pool_id=pool.pk)  # what the background job runs; the demo cannot wait for a worker
    pool.refresh_from_db()
    citizens.commit_distribution(actor=team, pool=pool, seed_source=_seed_source(draw), seed_due_at=_soon())
    return citizens.draw_panel(actor=team, pool=pool, seed=seed)


def load(rng: random.Random, team: User, citizen: User, province: Organisation, password_hash: str) -> None:
    """A citizen member pool: a finished invitation lottery (committed, drawn, answered, one seat
    replaced, both draws verifiable, each step in its order) and an open pool the demo citizen can join."""

    def member(username: str, name: str, gender: str, age: str, region: str) -> User:
        user = people.create_user(
            actor=None, username=username, display_name=name, email=f"{username}@citizen.example.kr", kind=Kind.CITIZEN
        )
        User.objects.filter(pk=user.pk).update(password=password_hash)
        CitizenProfile.objects.get_or_create(user=user, defaults={"email_verified_at": timezone.now()})
        for purpose in (Purpose.ATTRIBUTES, Purpose.INVITATIONS):
            citizens.grant_consent(actor=user, purpose=purpose)
        citizens.update_attributes(actor=user, gender=gender, age_band=age, region=region)
        return user

    CitizenProfile.objects.get_or_create(user=citizen, defaults={"email_verified_at": timezone.now()})
    citizens.grant_consent(actor=citizen, purpose=Purpose.ATTRIBUTES)
    citizens.update_attributes(actor=citizen, gender="male", age_band="30-39", region="충남", interests=["transport"])
    crowd = [
        member(
            f"{MEMBER_PREFIX}{i + 1:02d}",
            f"{rng.choice(SURNAMES)}{rng.choice(GIVEN)}",
            rng.choice(["female", "male"]),
            rng.choice(AGES),
            rng.choice(CITIZEN_REGIONS),
        )
        for i in range(58)
    ]
    now = timezone.now()
    quotas = {
        "gender": {"female": [5, 7], "male": [5, 7], "other": [0, 1]},
        "age_band": {a: [1, 3] for a in AGES},
        "region": {r: ([2, 4] if r in CITIZEN_REGIONS else [0, 0]) for r in citizens.REGIONS},
    }
    # The story: volunteering closed 30 days ago; the panel lottery was committed that evening and
    # drawn with the next Saturday's 6/45 numbers; one invitee declined, and a replacement lottery
    # was committed after the answers and drawn with the following Saturday's numbers.
    closed = now - timedelta(days=30)
    first = _plan(closed)
    pool = citizens.create_pool(
        actor=team,
        organisation=province,
        title="2027 한빛도 도민 전략회의",
        k=12,
        attributes=["gender", "age_band", "region"],
        quotas=quotas,
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=1),
        answer_days=7,
        description="도정 중기 전략을 도민 12명과 함께 정합니다. 성별, 연령대, 지역이 고르게 섞이도록 공정한 추첨으로 "
        "초대합니다.",
    )
    for user in [citizen, *crowd]:
        citizens.volunteer(actor=user, pool=pool)
    made = _draw_now(team, pool, first, "3 11 19 24 38 42 + 7")
    invited = list(Invitation.objects.filter(pool=pool).select_related("user").order_by("index"))
    # One invitee declines, and a replacement is drawn. The panel depends on the draw, so the one
    # who declines is the first whose place another volunteer of the very same gender, age band
    # and region could take: a replacement is then always possible (the quotas stay met).
    profiles = {
        row[0]: tuple(row[1:])
        for row in CitizenProfile.objects.filter(user__in=[citizen, *crowd]).values_list(
            "user_id", "gender", "age_band", "region"
        )
    }
    invited_ids = {inv.user_id for inv in invited}
    spare = {p for user_id, p in profiles.items() if user_id not in invited_ids}
    decliner = next((inv for inv in invited if inv.user_id in profiles and profiles[inv.user_id] in spare), invited[0])
    for inv in invited:
        if inv is not decliner:
            citizens.answer_invitation(actor=inv.user, invitation=inv, accept=True)  # type: ignore[arg-type]  # Invitation.user is nullable (erased on withdrawal); the demo's fresh invitations all have one
    citizens.answer_invitation(actor=decliner.user, invitation=decliner, accept=False)  # type: ignore[arg-type]  # Invitation.user is nullable (erased on withdrawal); the demo's fresh invitations all have one
    second = _plan(first.drawn + timedelta(days=3))  # after the answers
    replacement = citizens.prepare_replacement(
        actor=team, pool=pool, seed_source=_seed_source(second), seed_due_at=_soon()
    )
    citizens.draw_replacement(actor=team, pool=pool, seed="5 9 17 28 33 44 + 21")
    later = list(Invitation.objects.filter(pool=pool, lottery=replacement, state="invited").select_related("user"))
    for inv in later:
        citizens.answer_invitation(actor=inv.user, invitation=inv, accept=True)  # type: ignore[arg-type]  # Invitation.user is nullable (erased on withdrawal); the demo's fresh invitations all have one

    _move_pool(pool, closed - timedelta(days=14), closed, first.drawn)
    _move_lottery(pool, made, first, pool.answer_days)
    for i, inv in enumerate(invited):
        _move_answer(pool, inv, first.drawn + timedelta(hours=20 + 3 * i))
    _move_lottery(pool, replacement, second, pool.answer_days)
    for i, inv in enumerate(later):
        _move_answer(pool, inv, second.drawn + timedelta(hours=6 + 2 * i))

    # Open now, for the demo citizen to volunteer in.
    spring = citizens.create_pool(
        actor=team,
        organisation=province,
        title="2027 봄 도민 정책 토론회",
        k=10,
        attributes=["gender", "age_band"],
        opens_at=now - timedelta(days=2),
        closes_at=now + timedelta(days=12),
        answer_days=5,
        quotas={"gender": {"female": [4, 6], "male": [4, 6], "other": [0, 1]}, "age_band": {a: [1, 3] for a in AGES}},
        description="교통약자 이동권을 주제로 도민 10명과 정책 토론회를 엽니다. 추첨으로 초대합니다.",
    )
    for user in crowd[17:30]:
        citizens.volunteer(actor=user, pool=spring)


def draw_event_seats(team: User, province: Organisation, event_subject: str, event_start: datetime) -> InvitationPool:
    """The lottery that drew the citizen seats of the joint hackathon (`event_subject`, starting at
    `event_start`): volunteering closed ten days before, the draw used the next Saturday's numbers,
    and the eight people drawn confirmed. Called once the event exists (madang/site/demo.py)."""
    now = timezone.now()
    crowd = list(User.objects.filter(username__startswith=MEMBER_PREFIX).order_by("username")[:17])
    closed = min(now - timedelta(days=10), event_start - timedelta(days=10))
    draw = _plan(closed)
    pool = citizens.create_pool(
        actor=team,
        organisation=province,
        title="2026 겨울 도민·공무원 합동 해커톤 도민 참가자",
        k=8,
        attributes=["gender", "age_band"],
        opens_at=now - timedelta(hours=1),
        closes_at=min(now + timedelta(minutes=10), event_start - timedelta(seconds=1)),
        answer_days=5,
        event=event_subject,
        quotas={"gender": {"female": [3, 5], "male": [3, 5], "other": [0, 1]}, "age_band": {a: [0, 3] for a in AGES}},
        description="교통약자 이동 문제를 공무원과 함께 이틀 동안 풉니다. 도민 참가자 8명은 이 추첨으로만 정합니다.",
    )
    for user in crowd:
        citizens.volunteer(actor=user, pool=pool)
    made = _draw_now(team, pool, draw, "8 14 21 30 36 41 + 2")
    invited = list(
        Invitation.objects.filter(pool=pool, state=InvitationState.INVITED).select_related("user").order_by("index")
    )
    for inv in invited:
        citizens.answer_invitation(actor=inv.user, invitation=inv, accept=True)  # type: ignore[arg-type]  # Invitation.user is nullable (erased on withdrawal); the demo's fresh invitations all have one
    _move_pool(pool, closed - timedelta(days=14), closed, draw.drawn)
    _move_lottery(pool, made, draw, pool.answer_days)
    for i, inv in enumerate(invited):
        _move_answer(pool, inv, draw.drawn + timedelta(hours=5 + 2 * i))
    return pool
