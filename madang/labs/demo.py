"""The demo's labs: a running lab on this year's selected proposal, and last year's finished one.

Part of the demo scenario that madang/site/demo.py puts together.
"""

import random
from datetime import timedelta

from django.utils import timezone

from madang.calls import services as calls
from madang.calls.models import PhaseKind, Proposal
from madang.calls.phases import phases_around, set_phase
from madang.labs import services as labs
from madang.labs.models import LabDecision
from madang.people.models import Organisation, User
from madang.review import services as review


def load(
    rng: random.Random,
    team: User,
    officials: list[User],
    selected: Proposal,
    province: Organisation,
    depts: dict[str, Organisation],
) -> None:
    """A running lab on this year's selected task, and last year's finished lab."""
    today = timezone.localdate()
    lab = labs.create_lab(
        actor=team,
        proposal=selected,
        slug="one-submission-lab",
        title="한 번 제출 랩",
        home=province,
        starts_on=today - timedelta(days=40),
        ends_on=today + timedelta(days=110),
        mission="민원인이 같은 서류를 두 번 내지 않는 도정을 만든다.",
    )
    crew = [officials[0], officials[4], officials[9]]
    for member in crew:
        m = labs.apply_to_lab(actor=member, lab=lab, motivation="현장에서 매일 겪는 불편을 직접 풀고 싶습니다.")
        labs.confirm_member(actor=team, membership=m)
    labs.start_lab(actor=team, lab=lab)
    labs.set_released_duties(actor=crew[0], lab=lab, duties=["weekly_reports", "meeting_papers"])
    labs.set_released_duties(actor=crew[1], lab=lab, duties=["budget"])
    for days, body in [
        (35, "민원실 현장 관찰: 서류 재제출 사례 42건 기록"),
        (21, "부서 담당자 6명 인터뷰, 공동이용 가능한 서류 목록 작성"),
        (7, "시범 서식 초안을 민원봉사과와 함께 검토"),
    ]:
        labs.add_journal_entry(actor=rng.choice(crew), lab=lab, body=body, happened_on=today - timedelta(days=days))
    passed = labs.propose_decision(
        actor=crew[1],
        lab=lab,
        title="시범 지역은 새벽시",
        body="민원 건수가 많고 담당 부서가 협조적입니다.",
        consent_days=1,
    )
    objection = labs.object_to(actor=crew[2], decision=passed, reason="읍면 지역도 하나 포함해야 합니다.")
    labs.resolve_objection(actor=crew[2], objection=objection, resolution="읍면 1곳을 추가하기로 했습니다.")
    LabDecision.objects.filter(pk=passed.pk).update(consent_until=timezone.now() - timedelta(days=1))
    passed.refresh_from_db()
    labs.settle_decision(decision=passed)
    labs.propose_decision(
        actor=crew[0], lab=lab, title="격주 금요일 회고", body="2주마다 배운 점을 정리합니다.", consent_days=3
    )
    labs.add_milestone(actor=crew[0], lab=lab, title="현장 조사 완료", due_on=today - timedelta(days=20))
    labs.complete_milestone(actor=crew[0], milestone=lab.milestones.get())
    labs.add_milestone(actor=crew[1], lab=lab, title="시범 운영 시작", due_on=today + timedelta(days=20))
    labs.record_experiment(
        actor=crew[2],
        lab=lab,
        hypothesis="무인 발급기 음성 안내가 어르신 이용을 늘린다",
        state="failed",
        result="소음 때문에 안내를 듣기 어려웠음",
        lesson="큰 글씨 화면과 도우미 배치가 더 효과적이다",
    )
    labs.submit_report(
        actor=crew[0],
        lab=lab,
        kind="midterm",
        body="현장 조사와 시범 서식 설계를 마쳤습니다. 다음 단계는 새벽시 시범 운영입니다.",
    )

    last_year = calls.create_call(
        actor=team,
        slug="hanbit-2025-ideas",
        title="2025 한빛도 혁신 아이디어 공모",
        organisation=province,
        phases=phases_around(timezone.now()),
        criteria=[calls.CriterionSpec("실현 가능성", 1, 5)],
    )
    old = calls.create_proposal(
        actor=officials[2],
        call=last_year,
        fields=calls.ProposalFields(
            title="모바일 민원 대기표", problem="<p>민원실 대기가 깁니다.</p>", solution="<p>모바일 대기표와 알림</p>"
        ),
    )
    old = calls.submit_proposal(actor=officials[2], proposal=old)
    set_phase(last_year, PhaseKind.SELECTION)
    last_year.refresh_from_db()
    review.select_proposal(actor=team, proposal=old, reason="2025 랩 과제")
    old.refresh_from_db()
    done = labs.create_lab(
        actor=team,
        proposal=old,
        slug="mobile-queue-lab",
        title="모바일 대기표 랩",
        home=province,
        starts_on=today - timedelta(days=300),
        ends_on=today - timedelta(days=150),
    )
    for member in (officials[2], officials[7]):
        labs.confirm_member(actor=team, membership=labs.apply_to_lab(actor=member, lab=done, motivation="참여합니다"))
    labs.start_lab(actor=team, lab=done)
    labs.submit_report(
        actor=officials[2],
        lab=done,
        kind="final",
        body="3개 시군 민원실에 모바일 대기표를 도입해 평균 대기 시간이 18분에서 6분으로 줄었습니다.",
    )
    labs.submit_report(
        actor=officials[7], lab=done, kind="retrospective", body="현장 직원과 매주 만난 것이 가장 큰 힘이었습니다."
    )
    labs.close_lab(actor=officials[2], lab=done, outcome="adopted", note="도 전역 민원실 표준 서비스로 채택")
    last_year.phases.update(
        starts_at=timezone.now() - timedelta(days=400), ends_at=timezone.now() - timedelta(days=380)
    )
    for i, ph in enumerate(last_year.ordered_phases()):
        last_year.phases.filter(pk=ph.pk).update(
            starts_at=timezone.now() - timedelta(days=420 - 15 * i),
            ends_at=timezone.now() - timedelta(days=405 - 15 * i),
        )
