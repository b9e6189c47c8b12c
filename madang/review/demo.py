"""The demo's review: three reviewers score the finished call, and the innovation team decides.

Part of the demo scenario that madang/site/demo.py puts together: one proposal is selected for a
lab, one merged into it, one not adopted, and every other one routed to its department.
"""

import random
from datetime import datetime, timedelta

from django.utils import timezone

from madang.calls import services as calls
from madang.calls.models import Call, PhaseKind, Proposal
from madang.calls.phases import set_phase
from madang.people.demo import Province
from madang.review import services as review
from madang.review.models import Assignment, Decision, Verdict


def review_and_decide(
    rng: random.Random, hanbit: Province, finished: Call, proposals: list[Proposal]
) -> list[Proposal]:
    """Scorecards from a strict, a neutral and a lenient reviewer, then the decisions. Returns the routed proposals."""
    team, reviewers, depts = hanbit.team, hanbit.reviewers, hanbit.depts
    set_phase(finished, PhaseKind.REVIEW)
    finished.refresh_from_db()
    review.assign_reviewers(actor=team, call=finished, reviewers=reviewers, per_proposal=2)
    criteria = list(finished.criteria.all())
    strictness = {reviewers[0].pk: -1, reviewers[1].pk: 0, reviewers[2].pk: 1}
    quality = {p.pk: rng.randint(2, 5) for p in proposals}
    quality[proposals[0].pk] = 5
    for a in Assignment.objects.filter(proposal__call=finished).select_related("proposal__call", "reviewer"):
        scores = {
            c.pk: max(0, min(c.max_score, quality[a.proposal_id] + strictness[a.reviewer_id] + rng.randint(-1, 1)))
            for c in criteria
        }
        verdict = (
            Verdict.FEASIBLE
            if quality[a.proposal_id] >= 4
            else (Verdict.CONDITIONAL if quality[a.proposal_id] == 3 else Verdict.INFEASIBLE)
        )
        review.submit_scorecard(
            actor=a.reviewer,
            assignment=a,
            scores=scores,
            verdict=verdict,
            comment="검토 의견: 추진 가능성을 확인했습니다.",
        )

    set_phase(finished, PhaseKind.SELECTION)
    finished.refresh_from_db()
    review.select_proposal(
        actor=team, proposal=proposals[0], reason="현장 파급력이 크고 부서 협업 과제로 적합해 G-Lab 과제로 선정합니다."
    )
    review.merge_proposal(
        actor=team, proposal=proposals[19], into=proposals[0], reason="같은 문제를 다루어 하나로 추진합니다."
    )
    review.reject_proposal(
        actor=team, proposal=proposals[22], reason="상시 제안 제도가 이미 운영 중이어서 별도 과제로 채택하지 않습니다."
    )
    calls.snapshot_support_tally(actor=team, call=finished)
    today = timezone.localdate()
    routed = proposals[1:19] + proposals[20:22] + proposals[23:]
    for p in routed:
        dept = p.suggested_department or depts["civil"]
        review.route_decision(actor=team, proposal=p, department=dept, answer_due=today + timedelta(days=1))
    return routed


def move_into_the_past(finished: Call, base: datetime) -> None:
    Decision.objects.filter(proposal__call=finished).update(decided_at=base + timedelta(days=50))
