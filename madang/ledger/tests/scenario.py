"""A small history written through the services, with at least one entry of each main kind:
a call, proposals and an edit, a support tally, scorecards, decisions (route, reject, select,
merge), an answer and execution, a lab with members and a passed decision, a lottery drawn and
answered, and a hackathon's judging with an award. Everything ends up in the log."""

from datetime import timedelta
from types import SimpleNamespace

from django.utils import timezone

from madang.calls import services as calls
from madang.calls.models import PhaseKind
from madang.citizens import services as citizens
from madang.citizens.models import CitizenProfile, InvitationState, Purpose
from madang.events import services as events
from madang.events.models import JudgingOf
from madang.followup import services as followup
from madang.followup.models import AnswerKind, ExecutionState
from madang.labs import services as labs
from madang.ledger import services as ledger
from madang.people import services as people
from madang.people.models import Kind
from madang.review import services as review
from madang.review.models import Verdict
from madang.testing import PASSWORD, set_phase

CITIZENS = [
    ("nuri", "female", "30-39"),
    ("harin", "female", "19-29"),
    ("junho", "male", "50-59"),
    ("taehee", "male", "19-29"),
    ("yerin", "female", "60-69"),
    ("woojin", "male", "60-69"),
]


def _citizen(username: str, gender: str, age: str):
    user = people.create_user(
        actor=None,
        username=username,
        display_name=username,
        password=PASSWORD,
        email=f"{username}@example.kr",
        kind=Kind.CITIZEN,
    )
    CitizenProfile.objects.create(user=user, email_verified_at=timezone.now())
    citizens.grant_consent(actor=user, purpose=Purpose.ATTRIBUTES)
    citizens.update_attributes(actor=user, gender=gender, age_band=age, region="충남")
    return user


def build_history(cast):
    today = timezone.localdate()
    routed = cast.proposal(title="민원 서류 간소화")
    rejected = cast.proposal(author=cast.seojun, title="서류 없는 민원")
    selected = cast.proposal(author=cast.jihoon, title="현장 혁신 랩")
    merged = cast.proposal(author=cast.seojun, title="같은 문제")
    calls.update_proposal(
        actor=cast.minji,
        proposal=routed,
        fields=calls.ProposalFields(
            title="민원 서류 간소화", problem="같은 서류를 여러 번 냅니다.", solution="한 번만 내게 합니다."
        ),
    )
    calls.support_proposal(actor=cast.jihoon, proposal=routed)
    calls.support_proposal(actor=cast.yuna, proposal=rejected)
    calls.snapshot_support_tally(actor=cast.doyun, call=cast.call)

    set_phase(cast.call, PhaseKind.REVIEW)
    cast.call.refresh_from_db()
    criteria = list(cast.call.criteria.all())
    for p, value in ((routed, 4), (rejected, 2)):
        a = review.assign_reviewer(actor=cast.doyun, proposal=p, reviewer=cast.yuna)
        review.submit_scorecard(
            actor=cast.yuna,
            assignment=a,
            scores={c.pk: value for c in criteria},
            verdict=Verdict.FEASIBLE,
            comment="검토",
        )

    set_phase(cast.call, PhaseKind.SELECTION)
    cast.call.refresh_from_db()
    review.route_decision(
        actor=cast.doyun,
        proposal=routed,
        department=cast.transport,
        answer_due=today + timedelta(days=14),
        reason="교통과 소관",
    )
    review.reject_proposal(actor=cast.doyun, proposal=rejected, reason="예산 부족")
    review.select_proposal(actor=cast.doyun, proposal=selected, reason="랩 과제")
    review.merge_proposal(actor=cast.doyun, proposal=merged, into=selected, reason="같은 문제")
    routing = routed.routings.get()
    followup.answer_routing(actor=cast.sohee, routing=routing, kind=AnswerKind.ACCEPT, reason="내년 예산에 반영")
    followup.post_execution_update(
        actor=cast.sohee,
        routing=routing,
        state=ExecutionState.IN_PROGRESS,
        percent=40,
        note="시범 운영",
        happened_on=today,
    )

    selected.refresh_from_db()
    lab = labs.create_lab(
        actor=cast.doyun,
        proposal=selected,
        slug="field-lab",
        title="현장 혁신 랩",
        home=cast.province,
        starts_on=today,
        ends_on=today + timedelta(days=120),
        mission="현장을 바꾼다",
    )
    for who in (cast.minji, cast.jihoon):
        m = labs.apply_to_lab(actor=who, lab=lab, motivation="현장 경험")
        labs.confirm_member(actor=cast.doyun, membership=m)
    lab = labs.start_lab(actor=cast.doyun, lab=lab)
    decision = labs.propose_decision(actor=cast.minji, lab=lab, title="주 1회 현장 방문", body="매주 수요일에 갑니다.")
    decision = labs.settle_decision(decision=decision, now=timezone.now() + timedelta(days=4))

    now = timezone.now()
    pool = citizens.create_pool(
        actor=cast.doyun,
        organisation=cast.province,
        title="도민 회의",
        k=2,
        attributes=["gender"],
        quotas={"gender": {"female": [1, 1], "male": [1, 1], "other": [0, 0]}},
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=7),
    )
    crowd = [_citizen(*row) for row in CITIZENS]
    for user in crowd:
        citizens.volunteer(actor=user, pool=pool)
    citizens.close_pool(actor=cast.doyun, pool=pool)
    citizens.compute_distribution(actor=cast.doyun, pool=pool)
    pool.refresh_from_db()
    citizens.commit_distribution(actor=cast.doyun, pool=pool, seed_source="2026-12-05 로또 6/45")
    pool.refresh_from_db()
    made = citizens.draw_panel(actor=cast.doyun, pool=pool, seed="3 11 19")
    invitation = pool.invitations.filter(state=InvitationState.INVITED).select_related("user").first()
    citizens.answer_invitation(actor=invitation.user, invitation=invitation, accept=True)
    made.refresh_from_db()

    event = events.create_event(actor=cast.doyun, organisation=cast.province, slug="hack", title="해커톤", capacity=10)
    for title in ("서류 없는 민원", "쉬운 공문서"):
        events.create_task(actor=cast.doyun, event=event, title=title)
    judging = events.create_judging(
        actor=cast.doyun,
        event=event,
        of=JudgingOf.TASKS,
        title="최우수 과제",
        criteria=[events.CriterionIn("효과", 3, 5)],
        jury_percent=100,
        votes_per_person=1,
    )
    events.assign_jurors(actor=cast.doyun, judging=judging, users=[cast.yuna, cast.haneul])
    k = judging.criteria.get()
    for juror, values in ((cast.yuna, (5, 3)), (cast.haneul, (4, 2))):
        for candidate, v in zip(judging.candidates.order_by("pk"), values, strict=True):
            events.score_candidate(actor=juror, candidate=candidate, values={k.pk: v})
    judging = events.publish_results(actor=cast.doyun, judging=judging)
    events.give_award(
        actor=cast.doyun, judging=judging, candidate=judging.candidates.order_by("pk").first(), title="대상"
    )

    ledger.sequence()
    return SimpleNamespace(
        cast=cast,
        routed=routed,
        rejected=rejected,
        selected=selected,
        merged=merged,
        routing=routing,
        lab=lab,
        lab_decision=decision,
        pool=pool,
        lottery=made,
        judging=judging,
    )
