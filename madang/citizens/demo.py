"""The demo's citizen members: a finished invitation lottery and an open hackathon pool.

Part of the demo scenario that madang/site/demo.py puts together.
"""

import random
from datetime import timedelta

from django.utils import timezone

from madang.citizens import services as citizens
from madang.citizens.models import CitizenProfile, Invitation, InvitationPool, Purpose
from madang.ledger import services as ledger
from madang.ledger.models import Entry
from madang.people import services as people
from madang.people.demo import GIVEN, SURNAMES
from madang.people.models import Kind, Organisation, User

CITIZEN_REGIONS = ["대전", "세종", "충북", "충남"]


def load(rng: random.Random, team: User, citizen: User, province: Organisation, password_hash: str) -> None:
    """A citizen member pool: a finished invitation lottery (committed, drawn, answered, one seat
    replaced, both draws verifiable) and an open hackathon pool the demo citizen can join."""

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
    ages = ["19-29", "30-39", "40-49", "50-59", "60-69", "70+"]
    crowd = [
        member(
            f"member{i + 1:02d}",
            f"{rng.choice(SURNAMES)}{rng.choice(GIVEN)}",
            rng.choice(["female", "male"]),
            rng.choice(ages),
            rng.choice(CITIZEN_REGIONS),
        )
        for i in range(58)
    ]
    now = timezone.now()
    quotas = {
        "gender": {"female": [5, 7], "male": [5, 7], "other": [0, 1]},
        "age_band": {a: [1, 3] for a in ages},
        "region": {r: ([2, 4] if r in CITIZEN_REGIONS else [0, 0]) for r in citizens.REGIONS},
    }
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
    citizens.close_pool(actor=team, pool=pool)
    citizens.check_quotas(pool)
    citizens.run_distribution(pool_id=pool.pk)  # what the background job runs; the demo cannot wait for a worker
    pool.refresh_from_db()
    citizens.commit_distribution(
        actor=team, pool=pool, seed_source="2026년 11월 28일 제1200회 로또 6/45 당첨번호 (보너스 번호 포함)"
    )
    citizens.draw_panel(actor=team, pool=pool, seed="3 11 19 24 38 42 + 7")
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
    citizens.prepare_replacement(
        actor=team, pool=pool, seed_source="2026년 12월 5일 제1201회 로또 6/45 당첨번호 (보너스 번호 포함)"
    )
    citizens.draw_replacement(actor=team, pool=pool, seed="5 9 17 28 33 44 + 21")
    for inv in Invitation.objects.filter(pool=pool, state="invited").select_related("user"):
        citizens.answer_invitation(actor=inv.user, invitation=inv, accept=True)  # type: ignore[arg-type]  # Invitation.user is nullable (erased on withdrawal); the demo's fresh invitations all have one
    InvitationPool.objects.filter(pk=pool.pk).update(
        opens_at=now - timedelta(days=30), closes_at=now - timedelta(days=12), closed_at=now - timedelta(days=12)
    )
    pool.refresh_from_db()  # the pool's logged window moves into the past with it
    for entry in Entry.objects.filter(kind="citizens.pool_created", subject=pool.subject, log_index__isnull=True):
        ledger.restate_pending(entry, opens_at=pool.opens_at.isoformat(), closes_at=pool.closes_at.isoformat())

    hackathon = citizens.create_pool(
        actor=team,
        organisation=province,
        title="2026 겨울 도민·공무원 합동 해커톤",
        k=8,
        attributes=["gender", "age_band"],
        purpose="hackathon",
        opens_at=now - timedelta(days=2),
        closes_at=now + timedelta(days=12),
        answer_days=5,
        quotas={"gender": {"female": [3, 5], "male": [3, 5], "other": [0, 1]}, "age_band": {a: [0, 3] for a in ages}},
        description="교통약자 이동 문제를 이틀 동안 함께 풉니다. 도민 8명을 추첨으로 초대합니다.",
    )
    for user in crowd[:17]:
        citizens.volunteer(actor=user, pool=hackathon)
