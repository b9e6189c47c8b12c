"""The demo scenario: 한빛도 (Hanbit Province) runs its 2026 call for proactive-administration ideas.

Everything is created through the services, as real users would, so the demo exercises
the same rules as production. Only timestamps are moved afterwards (the scenario spans
weeks that a demo cannot wait for): the finished call ran 13 May – 4 June, reviews in
June, decisions and routings in July, answers and execution reports since.
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from madang.calls import services as calls
from madang.calls.models import Audience, Call, PhaseKind, Proposal
from madang.followup import services as followup
from madang.followup.models import Routing
from madang.people import services as people
from madang.people.models import Kind, Organisation, OrgKind, Role, User
from madang.review import services as review
from madang.review.models import Assignment, Verdict
from madang.testing import phases_around, set_phase

DEMO_PASSWORD = "madang-demo-2026"  # noqa: S105 (published in the README on purpose)

DEPARTMENTS = [
    ("innovation", "혁신담당관", "Innovation Office"),
    ("budget", "기획예산과", "Planning and Budget"),
    ("civil", "민원봉사과", "Civil Service Desk"),
    ("transport", "교통정책과", "Transport Policy"),
    ("welfare", "복지정책과", "Welfare Policy"),
    ("environment", "환경정책과", "Environment Policy"),
    ("economy", "일자리경제과", "Jobs and Economy"),
    ("culture", "문화관광과", "Culture and Tourism"),
    ("safety", "재난안전과", "Disaster and Safety"),
    ("it", "정보통신과", "Information and Communications"),
    ("hr", "인사과", "Human Resources"),
    ("health", "보건정책과", "Health Policy"),
]

SURNAMES = "김이박최정강조윤장임한오서신권황안송류홍"
GIVEN = ["민지", "서준", "지훈", "유나", "하늘", "도윤", "소희", "세훈", "가람", "지우", "현우", "수빈", "예린", "준호", "다은",
         "태희", "성민", "은비", "재원", "나연", "승우", "하린", "동현", "지민", "채원", "우진", "서연", "민재", "윤아", "건우"]
TITLES = {4: "서기관", 5: "사무관", 6: "주무관", 7: "주무관", 8: "주무관", 9: "주무관"}

# (title, problem, solution, expected effect, responsible department, category)
PROPOSALS = [
    ("민원 서류 한 번만 제출하기", "민원인이 같은 증빙 서류를 부서마다 다시 제출해야 합니다.", "행정정보 공동이용으로 부서 간 서류를 자동 조회합니다.", "제출 서류 40% 감축, 처리 기간 단축", "civil", "민원"),
    ("버스 정류장 실시간 혼잡도 안내", "출퇴근 시간 정류장 혼잡으로 시민 불편이 큽니다.", "교통카드 데이터로 정류장별 혼잡도를 앱과 안내판에 표시합니다.", "대기 분산, 만족도 향상", "transport", "교통"),
    ("복지 사각지대 자동 발굴", "위기 가구가 신청하지 않아 지원을 받지 못합니다.", "단전·단수·체납 정보를 연계해 위기 가구를 먼저 찾아갑니다.", "위기 가구 조기 발견", "welfare", "복지"),
    ("회의 자료 종이 없는 보고", "내부 보고마다 출력물이 수백 장 쌓입니다.", "태블릿과 공유 문서로 보고하고 출력은 예외로 합니다.", "연간 종이 30만 장 절감", "budget", "업무혁신"),
    ("어르신 키오스크 도우미", "무인 민원발급기 사용이 어려운 어르신이 많습니다.", "큰 글씨·음성 안내 모드와 주 2회 도우미 배치를 합니다.", "디지털 격차 완화", "civil", "민원"),
    ("폭염 쉼터 위치 지도", "폭염 때 가까운 무더위 쉼터를 찾기 어렵습니다.", "쉼터 위치와 운영 시간을 지도 서비스로 공개합니다.", "온열 질환 예방", "safety", "안전"),
    ("공공 주차장 공유", "관공서 주차장이 주말에 비어 있습니다.", "주말과 야간에 주민에게 개방하고 예약제로 운영합니다.", "주차난 완화", "transport", "교통"),
    ("청년 창업 원스톱 창구", "창업 지원이 부서마다 흩어져 있습니다.", "한 창구에서 상담·공간·자금을 연계합니다.", "창업 성공률 향상", "economy", "경제"),
    ("축제 쓰레기 다회용기 전환", "지역 축제마다 일회용품 쓰레기가 넘칩니다.", "다회용기 대여·회수 체계를 축제 조건으로 합니다.", "쓰레기 60% 감축", "environment", "환경"),
    ("민원 처리 상황 문자 알림", "민원인은 처리 단계를 알 수 없어 전화로 문의합니다.", "접수·배정·완료 단계마다 문자로 알려 줍니다.", "문의 전화 감소", "civil", "민원"),
    ("공무원 업무 인수인계 표준화", "인사 이동 때마다 업무가 끊깁니다.", "인수인계 양식과 체크리스트를 전산화합니다.", "업무 공백 최소화", "hr", "업무혁신"),
    ("야간 약국 안내 통합", "밤에 문을 연 약국을 찾기 어렵습니다.", "야간·휴일 약국 정보를 한 화면에서 안내합니다.", "의료 접근성 향상", "health", "복지"),
    ("관광 안내 다국어 QR", "외국인 관광객 안내판이 한국어 위주입니다.", "안내판에 QR을 붙여 5개 언어로 안내합니다.", "외국인 만족도 향상", "culture", "관광"),
    ("재난 문자 지역 세분화", "재난 문자가 너무 넓은 지역에 발송됩니다.", "읍면동 단위로 발송 범위를 나눕니다.", "문자 피로도 감소", "safety", "안전"),
    ("행정 데이터 개방 포털 정비", "공개 데이터 형식이 제각각입니다.", "표준 형식과 갱신 주기를 정해 공개합니다.", "민간 활용 증가", "it", "데이터"),
    ("저상버스 예약 호출", "휠체어 이용자가 저상버스를 오래 기다립니다.", "앱으로 저상버스 탑승을 미리 알리는 호출 기능을 둡니다.", "교통약자 이동권 향상", "transport", "교통"),
    ("1인 가구 안부 확인", "고독사 위험 1인 가구가 늘고 있습니다.", "전력 사용량 변화로 안부를 확인하는 서비스를 둡니다.", "고독사 예방", "welfare", "복지"),
    ("예산 집행 현황 공개", "주민이 예산 집행을 알기 어렵습니다.", "사업별 집행률을 매월 공개합니다.", "재정 투명성 향상", "budget", "재정"),
    ("공용 전기차 충전기 지도", "충전기 위치와 고장 여부를 알 수 없습니다.", "충전기 상태를 실시간 지도로 공개합니다.", "전기차 이용 편의", "environment", "환경"),
    ("민원 서식 쉬운 말 바꾸기", "민원 서식의 한자어와 법률 용어가 어렵습니다.", "자주 쓰는 서식 50종을 쉬운 우리말로 고칩니다.", "작성 오류 감소", "civil", "민원"),
    ("소상공인 지원금 신청 간소화", "지원금 신청 서류가 많고 복잡합니다.", "사업자 정보 연계로 신청서를 미리 채워 줍니다.", "신청 시간 단축", "economy", "경제"),
    ("보건소 예약 온라인화", "보건소 진료를 전화로만 예약합니다.", "온라인 예약과 대기 순번 알림을 도입합니다.", "대기 시간 단축", "health", "복지"),
    ("직원 아이디어 상시 제안함", "좋은 아이디어가 공모 기간에만 모입니다.", "상시 제안과 분기별 검토를 운영합니다.", "참여 문화 확산", "innovation", "업무혁신"),
    ("산불 감시 드론 순찰", "산불 감시 인력이 부족합니다.", "취약 지역에 드론 순찰을 시범 운영합니다.", "초기 진화율 향상", "safety", "안전"),
    ("도서관 상호대차 배송", "원하는 책이 다른 도서관에 있으면 빌리기 어렵습니다.", "도서관 간 상호대차와 가까운 곳 수령을 운영합니다.", "도서 이용 편의", "culture", "문화"),
]

OPEN_CALL_PROPOSALS = [
    ("민원실 대기 번호 모바일 발급", "민원실에서 오래 서서 기다립니다.", "모바일로 대기 번호를 받고 차례가 되면 알림을 받습니다.", "대기 불편 해소", "civil", "민원"),
    ("민원 서류 한 번 제출 확대", "부서마다 같은 서류를 또 냅니다.", "공동이용 대상 서류를 늘립니다.", "서류 감축", "civil", "민원"),
    ("교통약자 택시 호출 통합", "교통약자 콜택시 번호가 시군마다 다릅니다.", "도 단위 통합 호출 번호를 운영합니다.", "대기 시간 단축", "transport", "교통"),
]

COMMENTS = [
    "현장에서 정말 필요한 아이디어입니다.", "비슷한 불편을 매일 겪고 있습니다. 꼭 추진되면 좋겠어요.",
    "개인정보 문제는 어떻게 해결하나요?", "예산은 얼마나 들까요?", "우리 부서에서도 협조할 수 있습니다.",
    "시범 지역부터 해 보면 어떨까요?", "법령 개정이 필요한지 검토가 필요합니다.",
]


@dataclass
class DemoLogins:
    rows: list[tuple[str, str, str]]


def _restate_ledger() -> None:
    """The history above was written today and then moved into the past; so must its ledger
    entries be, before they are sequenced (load() is one transaction, sequencing runs after it)."""
    from collections import defaultdict

    from madang.followup.models import Answer, ExecutionUpdate
    from madang.ledger import services as ledger
    from madang.ledger.models import Entry

    routings = {r.pk: r for r in Routing.objects.all()}
    for entry in Entry.objects.filter(kind__in=["followup.routed", "decision.route"], log_index__isnull=True):
        routing = routings[ledger.body_of(entry)["routing"]]
        ledger.restate_pending(entry, answer_due=routing.answer_due.isoformat(), at=routing.routed_at.isoformat(timespec="seconds"))
    on_time = dict(Answer.objects.values_list("routing_id", "on_time"))
    for entry in Entry.objects.filter(kind="followup.answered", log_index__isnull=True):
        ledger.restate_pending(entry, on_time=on_time[ledger.body_of(entry)["routing"]])
    updates: dict[int, list[ExecutionUpdate]] = defaultdict(list)
    for u in ExecutionUpdate.objects.order_by("pk"):
        updates[u.routing_id].append(u)
    seen: dict[int, int] = defaultdict(int)
    for entry in Entry.objects.filter(kind="followup.execution", log_index__isnull=True).order_by("seq"):
        routing_id = ledger.body_of(entry)["routing"]
        u = updates[routing_id][seen[routing_id]]
        seen[routing_id] += 1
        ledger.restate_pending(entry, on=u.happened_on.isoformat(), at=u.posted_at.isoformat(timespec="seconds"))


def _shift(model: type, pk: int, **fields: datetime) -> None:
    model.objects.filter(pk=pk).update(**fields)  # type: ignore[attr-defined]


@transaction.atomic
def load(seed: int = 2026) -> DemoLogins:
    rng = random.Random(seed)
    now = timezone.now()
    province = people.create_organisation(actor=None, code="hanbit", name="한빛도", name_en="Hanbit Province", kind=OrgKind.PROVINCE)
    depts: dict[str, Organisation] = {}
    for code, name, en in DEPARTMENTS:
        depts[code] = people.create_organisation(actor=None, code=f"hanbit-{code}", name=name, name_en=en, kind=OrgKind.DEPARTMENT, parent=province)
    neighbour = people.create_organisation(actor=None, code="saebyeok", name="새벽시", name_en="Saebyeok City", kind=OrgKind.LOCAL, parent=province)
    depts["saebyeok-civil"] = people.create_organisation(actor=None, code="saebyeok-civil", name="민원과", kind=OrgKind.DEPARTMENT, parent=neighbour)

    from django.contrib.auth.hashers import make_password

    # One hash for every demo account: hashing is deliberately slow, and it is the same password.
    password_hash = make_password(DEMO_PASSWORD)

    def person(username: str, name: str, dept: Organisation | None, grade: int | None, kind: str = Kind.OFFICIAL) -> User:
        user = people.create_user(
            actor=None, username=username, display_name=name, email=f"{username}@hanbit.example.kr",
            kind=kind, department=dept, grade=grade, title=TITLES.get(grade or 0, ""),
        )
        User.objects.filter(pk=user.pk).update(password=password_hash)
        return user

    admin = person("admin", "관리자", depts["innovation"], 4)
    people.grant_role(actor=None, user=admin, role=Role.ADMINISTRATOR)
    team = person("team", "강도윤", depts["innovation"], 5)
    people.grant_role(actor=None, user=team, role=Role.INNOVATION_TEAM, organisation=province)
    reviewers = [person("reviewer", "최유나", depts["budget"], 5), person("reviewer2", "정하늘", depts["it"], 6), person("reviewer3", "문서윤", depts["hr"], 5)]
    for r in reviewers:
        people.grant_role(actor=None, user=r, role=Role.REVIEWER, organisation=province)
    liaisons: dict[str, User] = {}
    for code in ("civil", "transport", "welfare", "budget", "environment", "economy", "culture", "safety", "it", "hr", "health", "innovation"):
        u = person(f"liaison-{code}", f"{rng.choice(SURNAMES)}{rng.choice(GIVEN)}", depts[code], 6)
        people.grant_role(actor=None, user=u, role=Role.LIAISON, organisation=depts[code])
        liaisons[code] = u
    liaisons["transport"].username = "liaison"
    liaisons["transport"].save(update_fields=["username"])
    official = person("official", "김민지", depts["civil"], 7)
    officials = [official]
    codes = [c for c, _n, _e in DEPARTMENTS]
    for i in range(23):
        grade = rng.choice([5, 6, 6, 7, 7, 7, 8, 8, 9])
        officials.append(person(f"staff{i + 1:02d}", f"{rng.choice(SURNAMES)}{rng.choice(GIVEN)}", depts[codes[i % len(codes)]], grade))
    citizen = person("citizen", "한가람", None, None, kind=Kind.CITIZEN)

    # ---- the finished call: created with submission running, then moved through its phases
    finished = calls.create_call(
        actor=team, slug="hanbit-2026-ideas", title="2026 한빛도 적극행정 아이디어 공모",
        description="<p>현장에서 일하는 모든 직원의 아이디어로 도정을 바꿉니다. 선정된 과제는 자율 혁신랩(G-Lab)에서 3~6개월 동안 추진하고, "
                    "나머지 제안은 담당 부서가 검토해 답변하고 추진 상황을 공개합니다.</p>",
        organisation=province, audience=Audience.OFFICIALS, phases=phases_around(now),
        categories=sorted({p[5] for p in PROPOSALS}),
        criteria=[calls.CriterionSpec("실현 가능성", 2, 5), calls.CriterionSpec("기대 효과", 2, 5), calls.CriterionSpec("창의성", 1, 5)],
        required_fields=["problem", "solution"], hide_authors=True,
    )
    categories = {c.name: c for c in finished.categories.all()}
    proposals: list[Proposal] = []
    for i, (title, problem, solution, effect, dept, cat) in enumerate(PROPOSALS):
        author = officials[i % len(officials)]
        p = calls.create_proposal(actor=author, call=finished, fields=calls.ProposalFields(
            title=title, problem=f"<p>{problem}</p>", solution=f"<p>{solution}</p>", expected_effect=f"<p>{effect}</p>",
            suggested_department=depts[dept], category=categories[cat],
        ))
        proposals.append(calls.submit_proposal(actor=author, proposal=p))
    everyone = officials + reviewers + [team] + list(liaisons.values())
    for p in proposals:
        for supporter in rng.sample(everyone, rng.randint(2, 14)):
            if supporter.pk not in p.author_ids():
                calls.support_proposal(actor=supporter, proposal=p)
        for _k in range(rng.randint(0, 3)):
            calls.add_comment(actor=rng.choice(officials), proposal=p, body=rng.choice(COMMENTS))

    set_phase(finished, PhaseKind.REVIEW)
    finished.refresh_from_db()
    review.assign_reviewers(actor=team, call=finished, reviewers=reviewers, per_proposal=2)
    criteria = list(finished.criteria.all())
    strictness = {reviewers[0].pk: -1, reviewers[1].pk: 0, reviewers[2].pk: 1}
    quality = {p.pk: rng.randint(2, 5) for p in proposals}
    quality[proposals[0].pk] = 5
    for a in Assignment.objects.filter(proposal__call=finished).select_related("proposal__call", "reviewer"):
        scores = {c.pk: max(0, min(c.max_score, quality[a.proposal_id] + strictness[a.reviewer_id] + rng.randint(-1, 1))) for c in criteria}
        verdict = Verdict.FEASIBLE if quality[a.proposal_id] >= 4 else (Verdict.CONDITIONAL if quality[a.proposal_id] == 3 else Verdict.INFEASIBLE)
        review.submit_scorecard(actor=a.reviewer, assignment=a, scores=scores, verdict=verdict, comment="검토 의견: 추진 가능성을 확인했습니다.")

    set_phase(finished, PhaseKind.SELECTION)
    finished.refresh_from_db()
    review.select_proposal(actor=team, proposal=proposals[0], reason="현장 파급력이 크고 부서 협업 과제로 적합해 G-Lab 과제로 선정합니다.")
    review.merge_proposal(actor=team, proposal=proposals[19], into=proposals[0], reason="같은 문제를 다루어 하나로 추진합니다.")
    review.reject_proposal(actor=team, proposal=proposals[22], reason="상시 제안 제도가 이미 운영 중이어서 별도 과제로 채택하지 않습니다.")
    # (Logged after the merge: the demo dates every support, carried ones too, before this snapshot.)
    calls.snapshot_support_tally(actor=team, call=finished)
    today = timezone.localdate()
    routings: list[Routing] = []
    for p in proposals[1:19] + proposals[20:22] + proposals[23:]:
        dept = p.suggested_department or depts["civil"]
        review.route_decision(actor=team, proposal=p, department=dept, answer_due=today + timedelta(days=1))
        routings.append(Routing.objects.get(proposal=p))

    # Answers in every state: on time, late, declined, transferred, executing, done, stopped, overdue, waiting.
    plan = ["done", "done", "executing", "executing", "planned", "partial", "decline", "transfer", "stopped", "late",
            "done", "executing", "overdue", "overdue", "waiting", "decline", "done", "executing", "overdue", "waiting", "executing"]
    for routing, what in zip(routings, plan, strict=False):
        code = next(c for c, d in depts.items() if d.pk == routing.department_id)
        liaison = liaisons.get(code) or liaisons["civil"]
        if what in ("overdue", "waiting"):
            continue
        if what == "decline":
            followup.answer_routing(actor=liaison, routing=routing, kind="decline", reason="관련 법령상 현재는 추진이 어렵습니다. 법 개정 후 다시 검토하겠습니다.")
            continue
        if what == "transfer":
            target = depts["it"] if code != "it" else depts["civil"]
            followup.answer_routing(actor=liaison, routing=routing, kind="transfer", reason="시스템 구축 과제여서 정보통신과 소관입니다.", transfer_to=target)
            continue
        kind = "partial" if what == "partial" else "accept"
        followup.answer_routing(actor=liaison, routing=routing, kind=kind, reason="" if kind == "accept" else "일부 지역부터 시범 추진합니다.")
        if what == "late":
            routing.answer.__class__.objects.filter(routing=routing).update(on_time=False)
        if what in ("planned", "executing", "done", "stopped", "late", "partial"):
            followup.post_execution_update(actor=liaison, routing=routing, state="planned", note="추진 계획을 수립했습니다.", happened_on=today)
        if what in ("executing", "done", "stopped"):
            followup.post_execution_update(actor=liaison, routing=routing, state="in_progress", percent=rng.choice([30, 50, 70]), note="시범 운영 중입니다.", happened_on=today)
        if what == "done":
            followup.post_execution_update(actor=liaison, routing=routing, state="done", note="전 지역으로 확대해 완료했습니다.", happened_on=today)
        if what == "stopped":
            followup.post_execution_update(actor=liaison, routing=routing, state="stopped", note="예산 미확보로 내년에 다시 추진합니다.", happened_on=today)

    # ---- move the finished call's history into the past
    base = now - timedelta(days=190)
    set_phase(finished, PhaseKind.FOLLOW_THROUGH)
    finished.phases.filter(kind=PhaseKind.SUBMISSION).update(starts_at=base, ends_at=base + timedelta(days=22))
    finished.phases.filter(kind=PhaseKind.REVIEW).update(starts_at=base + timedelta(days=22), ends_at=base + timedelta(days=40))
    finished.phases.filter(kind=PhaseKind.SELECTION).update(starts_at=base + timedelta(days=40), ends_at=base + timedelta(days=55))
    finished.phases.filter(kind=PhaseKind.FOLLOW_THROUGH).update(starts_at=base + timedelta(days=55), ends_at=now + timedelta(days=120))
    for i, p in enumerate(proposals):
        _shift(Proposal, p.pk, submitted_at=base + timedelta(days=i * 22 / 25, hours=rng.randint(9, 17)), created_at=base + timedelta(days=i * 22 / 25))
    from madang.calls.models import Comment, Support
    from madang.review.models import Decision

    for p in Proposal.objects.filter(call=finished).only("pk", "submitted_at"):
        for model in (Comment, Support):
            for pk in model.objects.filter(proposal=p).values_list("pk", flat=True):
                model.objects.filter(pk=pk).update(created_at=p.submitted_at + timedelta(days=rng.randint(1, 20), minutes=rng.randint(0, 600)))

    Decision.objects.filter(proposal__call=finished).update(decided_at=base + timedelta(days=50))
    for routing in Routing.objects.filter(proposal__call=finished):
        _shift(Routing, routing.pk, routed_at=base + timedelta(days=52))
        due = (base + timedelta(days=66)).date()
        Routing.objects.filter(pk=routing.pk).update(answer_due=due)
    from madang.followup.models import Answer, ExecutionUpdate

    Answer.objects.filter(routing__proposal__call=finished).update(answered_at=base + timedelta(days=60))
    Answer.objects.filter(routing__proposal__call=finished, on_time=False).update(answered_at=base + timedelta(days=71))
    waiting = [r.pk for r, what in zip(routings, plan, strict=False) if what == "waiting"]
    Routing.objects.filter(pk__in=waiting).update(answer_due=today + timedelta(days=10))
    for i, u in enumerate(ExecutionUpdate.objects.filter(routing__proposal__call=finished).order_by("id")):
        when = base + timedelta(days=70 + (i % 5) * 20)
        ExecutionUpdate.objects.filter(pk=u.pk).update(posted_at=when, happened_on=when.date())
    _restate_ledger()
    followup.escalate_overdue()

    _load_labs(rng, team, officials, Proposal.objects.get(pk=proposals[0].pk), province, depts)
    _load_lottery(rng, team, citizen, province, password_hash)
    _load_events(rng, team, password_hash)

    # ---- the open call, officials and citizens together
    open_call = calls.create_call(
        actor=team, slug="hanbit-2026-citizens", title="도민과 함께하는 2026 하반기 혁신 아이디어",
        description="<p>공무원과 도민이 함께 제안하는 공모입니다. 비슷한 제안이 이미 있는지 먼저 검색해 보세요.</p>",
        organisation=province, audience=Audience.BOTH, phases=phases_around(now),
        categories=["민원", "교통", "복지", "환경"],
        criteria=[calls.CriterionSpec("실현 가능성", 2, 5), calls.CriterionSpec("기대 효과", 2, 5)],
    )
    oc = {c.name: c for c in open_call.categories.all()}
    for i, (title, problem, solution, effect, dept, cat) in enumerate(OPEN_CALL_PROPOSALS):
        author = [officials[3], citizen, officials[5]][i]
        p = calls.create_proposal(actor=author, call=open_call, fields=calls.ProposalFields(
            title=title, problem=f"<p>{problem}</p>", solution=f"<p>{solution}</p>", expected_effect=f"<p>{effect}</p>",
            suggested_department=depts[dept], category=oc[cat],
        ))
        p = calls.submit_proposal(actor=author, proposal=p)
        for supporter in rng.sample(officials, 5):
            if supporter.pk not in p.author_ids():
                calls.support_proposal(actor=supporter, proposal=p)
    _load_insight(rng, team, open_call, password_hash)
    return DemoLogins([
        ("admin", DEMO_PASSWORD, "관리자 / administrator"),
        ("team", DEMO_PASSWORD, "혁신팀 / innovation team"),
        ("reviewer", DEMO_PASSWORD, "심사위원 / reviewer"),
        ("liaison", DEMO_PASSWORD, "교통정책과 연락관 / liaison (Transport)"),
        ("official", DEMO_PASSWORD, "공무원 / official (7급, 민원봉사과)"),
        ("citizen", DEMO_PASSWORD, "시민 회원 / citizen member"),
        ("facilitator", DEMO_PASSWORD, "퍼실리테이터 / facilitator (행정안전부 해커톤)"),
    ])


def _load_labs(rng: random.Random, team: User, officials: list[User], selected: Proposal, province: Organisation,
               depts: dict[str, Organisation]) -> None:
    """A running lab on this year's selected task, and last year's finished lab."""
    from madang.labs import services as labs
    from madang.labs.models import LabDecision

    today = timezone.localdate()
    lab = labs.create_lab(actor=team, proposal=selected, slug="one-submission-lab", title="한 번 제출 랩",
                          home=province, starts_on=today - timedelta(days=40), ends_on=today + timedelta(days=110),
                          mission="민원인이 같은 서류를 두 번 내지 않는 도정을 만든다.")
    crew = [officials[0], officials[4], officials[9]]
    for member in crew:
        m = labs.apply_to_lab(actor=member, lab=lab, motivation="현장에서 매일 겪는 불편을 직접 풀고 싶습니다.")
        labs.confirm_member(actor=team, membership=m)
    labs.start_lab(actor=team, lab=lab)
    labs.set_released_duties(actor=crew[0], lab=lab, duties=["weekly_reports", "meeting_papers"])
    labs.set_released_duties(actor=crew[1], lab=lab, duties=["budget"])
    for days, body in [(35, "민원실 현장 관찰: 서류 재제출 사례 42건 기록"), (21, "부서 담당자 6명 인터뷰, 공동이용 가능한 서류 목록 작성"),
                       (7, "시범 서식 초안을 민원봉사과와 함께 검토")]:
        labs.add_journal_entry(actor=rng.choice(crew), lab=lab, body=body, happened_on=today - timedelta(days=days))
    passed = labs.propose_decision(actor=crew[1], lab=lab, title="시범 지역은 새벽시", body="민원 건수가 많고 담당 부서가 협조적입니다.", consent_days=1)
    objection = labs.object_to(actor=crew[2], decision=passed, reason="읍면 지역도 하나 포함해야 합니다.")
    labs.resolve_objection(actor=crew[2], objection=objection, resolution="읍면 1곳을 추가하기로 했습니다.")
    LabDecision.objects.filter(pk=passed.pk).update(consent_until=timezone.now() - timedelta(days=1))
    passed.refresh_from_db()
    labs.settle_decision(decision=passed)
    labs.propose_decision(actor=crew[0], lab=lab, title="격주 금요일 회고", body="2주마다 배운 점을 정리합니다.", consent_days=3)
    labs.add_milestone(actor=crew[0], lab=lab, title="현장 조사 완료", due_on=today - timedelta(days=20))
    labs.complete_milestone(actor=crew[0], milestone=lab.milestones.get())
    labs.add_milestone(actor=crew[1], lab=lab, title="시범 운영 시작", due_on=today + timedelta(days=20))
    labs.record_experiment(actor=crew[2], lab=lab, hypothesis="무인 발급기 음성 안내가 어르신 이용을 늘린다", state="failed",
                           result="소음 때문에 안내를 듣기 어려웠음", lesson="큰 글씨 화면과 도우미 배치가 더 효과적이다")
    labs.submit_report(actor=crew[0], lab=lab, kind="midterm", body="현장 조사와 시범 서식 설계를 마쳤습니다. 다음 단계는 새벽시 시범 운영입니다.")

    last_year = calls.create_call(
        actor=team, slug="hanbit-2025-ideas", title="2025 한빛도 혁신 아이디어 공모", organisation=province,
        phases=phases_around(timezone.now()), criteria=[calls.CriterionSpec("실현 가능성", 1, 5)],
    )
    old = calls.create_proposal(actor=officials[2], call=last_year, fields=calls.ProposalFields(
        title="모바일 민원 대기표", problem="<p>민원실 대기가 깁니다.</p>", solution="<p>모바일 대기표와 알림</p>"))
    old = calls.submit_proposal(actor=officials[2], proposal=old)
    set_phase(last_year, PhaseKind.SELECTION)
    last_year.refresh_from_db()
    review.select_proposal(actor=team, proposal=old, reason="2025 랩 과제")
    old.refresh_from_db()
    done = labs.create_lab(actor=team, proposal=old, slug="mobile-queue-lab", title="모바일 대기표 랩", home=province,
                           starts_on=today - timedelta(days=300), ends_on=today - timedelta(days=150))
    for member in (officials[2], officials[7]):
        labs.confirm_member(actor=team, membership=labs.apply_to_lab(actor=member, lab=done, motivation="참여합니다"))
    labs.start_lab(actor=team, lab=done)
    labs.submit_report(actor=officials[2], lab=done, kind="final", body="3개 시군 민원실에 모바일 대기표를 도입해 평균 대기 시간이 18분에서 6분으로 줄었습니다.")
    labs.submit_report(actor=officials[7], lab=done, kind="retrospective", body="현장 직원과 매주 만난 것이 가장 큰 힘이었습니다.")
    labs.close_lab(actor=officials[2], lab=done, outcome="adopted", note="도 전역 민원실 표준 서비스로 채택")
    last_year.phases.update(starts_at=timezone.now() - timedelta(days=400), ends_at=timezone.now() - timedelta(days=380))
    for i, ph in enumerate(last_year.ordered_phases()):
        last_year.phases.filter(pk=ph.pk).update(starts_at=timezone.now() - timedelta(days=420 - 15 * i),
                                                 ends_at=timezone.now() - timedelta(days=405 - 15 * i))


CITIZEN_REGIONS = ["대전", "세종", "충북", "충남"]


def _load_lottery(rng: random.Random, team: User, citizen: User, province: Organisation, password_hash: str) -> None:
    """A citizen member pool: a finished invitation lottery (committed, drawn, answered, one seat
    replaced, both draws verifiable) and an open hackathon pool the demo citizen can join."""
    from madang.citizens import services as citizens
    from madang.citizens.models import CitizenProfile, Invitation, InvitationPool, Purpose

    def member(username: str, name: str, gender: str, age: str, region: str) -> User:
        user = people.create_user(actor=None, username=username, display_name=name, email=f"{username}@citizen.example.kr",
                                  kind=Kind.CITIZEN)
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
    crowd = [member(f"member{i + 1:02d}", f"{rng.choice(SURNAMES)}{rng.choice(GIVEN)}", rng.choice(["female", "male"]),
                    rng.choice(ages), rng.choice(CITIZEN_REGIONS)) for i in range(58)]
    now = timezone.now()
    quotas = {
        "gender": {"female": [5, 7], "male": [5, 7], "other": [0, 1]},
        "age_band": {a: [1, 3] for a in ages},
        "region": {r: ([2, 4] if r in CITIZEN_REGIONS else [0, 0]) for r in citizens.REGIONS},
    }
    pool = citizens.create_pool(
        actor=team, organisation=province, title="2027 한빛도 도민 전략회의", k=12, attributes=["gender", "age_band", "region"],
        quotas=quotas, opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=1), answer_days=7,
        description="도정 중기 전략을 도민 12명과 함께 정합니다. 성별, 연령대, 지역이 고르게 섞이도록 공정한 추첨으로 초대합니다.",
    )
    for user in [citizen, *crowd]:
        citizens.volunteer(actor=user, pool=pool)
    citizens.close_pool(actor=team, pool=pool)
    citizens.check_quotas(pool)
    citizens.run_distribution(pool_id=pool.pk)  # what the background job runs; the demo cannot wait for a worker
    pool.refresh_from_db()
    citizens.commit_distribution(actor=team, pool=pool, seed_source="2026년 11월 28일 제1200회 로또 6/45 당첨번호 (보너스 번호 포함)")
    citizens.draw_panel(actor=team, pool=pool, seed="3 11 19 24 38 42 + 7")
    invited = list(Invitation.objects.filter(pool=pool).select_related("user").order_by("index"))
    # One invitee declines, and a replacement is drawn. The panel depends on the draw, so the one
    # who declines is the first whose place another volunteer of the very same gender, age band
    # and region could take: a replacement is then always possible (the quotas stay met).
    profiles = {row[0]: tuple(row[1:]) for row in CitizenProfile.objects.filter(user__in=[citizen, *crowd])
                .values_list("user_id", "gender", "age_band", "region")}
    invited_ids = {inv.user_id for inv in invited}
    spare = {p for user_id, p in profiles.items() if user_id not in invited_ids}
    decliner = next((inv for inv in invited if profiles.get(inv.user_id) in spare), invited[0])
    for inv in invited:
        if inv is not decliner:
            citizens.answer_invitation(actor=inv.user, invitation=inv, accept=True)  # type: ignore[arg-type]
    citizens.answer_invitation(actor=decliner.user, invitation=decliner, accept=False)  # type: ignore[arg-type]
    citizens.prepare_replacement(actor=team, pool=pool, seed_source="2026년 12월 5일 제1201회 로또 6/45 당첨번호 (보너스 번호 포함)")
    citizens.draw_replacement(actor=team, pool=pool, seed="5 9 17 28 33 44 + 21")
    for inv in Invitation.objects.filter(pool=pool, state="invited").select_related("user"):
        citizens.answer_invitation(actor=inv.user, invitation=inv, accept=True)  # type: ignore[arg-type]
    InvitationPool.objects.filter(pk=pool.pk).update(opens_at=now - timedelta(days=30), closes_at=now - timedelta(days=12),
                                                     closed_at=now - timedelta(days=12))
    from madang.ledger import services as ledger
    from madang.ledger.models import Entry

    pool.refresh_from_db()
    for entry in Entry.objects.filter(kind="citizens.pool_created", subject=pool.subject, log_index__isnull=True):
        ledger.restate_pending(entry, opens_at=pool.opens_at.isoformat(), closes_at=pool.closes_at.isoformat())

    hackathon = citizens.create_pool(
        actor=team, organisation=province, title="2026 겨울 도민·공무원 합동 해커톤", k=8, attributes=["gender", "age_band"],
        purpose="hackathon", opens_at=now - timedelta(days=2), closes_at=now + timedelta(days=12), answer_days=5,
        quotas={"gender": {"female": [3, 5], "male": [3, 5], "other": [0, 1]}, "age_band": {a: [0, 3] for a in ages}},
        description="교통약자 이동 문제를 이틀 동안 함께 풉니다. 도민 8명을 추첨으로 초대합니다.",
    )
    for user in crowd[:17]:
        citizens.volunteer(actor=user, pool=hackathon)


def is_loaded() -> bool:
    return Call.objects.filter(slug="hanbit-2026-ideas").exists()


# ---- events: a finished two-day inter-agency hackathon and one about to start

CENTRAL_AGENCIES = ["행정안전부", "기획재정부", "교육부", "과학기술정보통신부", "외교부", "통일부", "법무부", "국방부", "문화체육관광부",
                    "농림축산식품부", "산업통상자원부", "보건복지부", "환경부", "고용노동부", "여성가족부", "국토교통부", "해양수산부",
                    "중소벤처기업부", "경찰청", "소방청"]
PROVINCES = ["서울특별시", "부산광역시", "대구광역시", "인천광역시", "광주광역시", "대전광역시", "울산광역시", "세종특별자치시", "경기도",
             "강원특별자치도", "충청북도", "충청남도", "전북특별자치도", "전라남도", "경상북도", "경상남도", "제주특별자치도"]
CITIES = [("경기도", "수원시"), ("경기도", "성남시"), ("경기도", "고양시"), ("경기도", "화성시"), ("강원특별자치도", "춘천시"),
          ("강원특별자치도", "원주시"), ("충청북도", "청주시"), ("충청북도", "충주시"), ("충청남도", "천안시"), ("충청남도", "공주시"),
          ("전북특별자치도", "전주시"), ("전북특별자치도", "군산시"), ("전라남도", "여수시"), ("전라남도", "순천시"),
          ("경상북도", "포항시"), ("경상북도", "안동시"), ("경상남도", "창원시"), ("경상남도", "진주시"), ("제주특별자치도", "제주시"),
          ("부산광역시", "해운대구"), ("서울특별시", "종로구"), ("대구광역시", "수성구"), ("인천광역시", "연수구")]
HACKATHON_TOPICS = ["민원 서류 없는 행정", "현장 공무원 목소리 전달", "데이터로 찾는 복지 사각지대", "재난 문자 피로 줄이기",
                    "교통약자 이동권", "공공 주차장 함께 쓰기", "쉬운 말 공문서", "기관 간 칸막이 없애기", "청년 공무원 이직 줄이기",
                    "주민 참여 예산 넓히기", "디지털 격차 해소", "현장 점검 모바일화", "탄소 줄이는 청사", "민원 응대 감정노동",
                    "지역 소멸 대응"]


def _load_events(rng: random.Random, team: User, password_hash: str) -> User:
    """Two events of 행정안전부: a finished two-day hackathon of 120 officials from 60 agencies
    (groups, a World Cafe re-planned after no-shows, an Open Space schedule, all published) and
    one about to start tomorrow with registration open. Returns the demo facilitator."""
    from madang.events import services as events
    from madang.events.models import Day, Event, Schedule, Session, SessionKind

    def agency(code: str, name: str, kind: str, parent: Organisation | None = None) -> Organisation:
        org = people.create_organisation(actor=None, code=code, name=name, kind=kind, parent=parent)
        return people.create_organisation(actor=None, code=f"{code}-inno", name="혁신담당관실", kind=OrgKind.DEPARTMENT, parent=org)

    depts = [agency(f"gov-c{i:02d}", n, OrgKind.POLICE if n == "경찰청" else OrgKind.FIRE if n == "소방청" else OrgKind.MINISTRY)
             for i, n in enumerate(CENTRAL_AGENCIES)]
    provinces = {}
    for i, n in enumerate(PROVINCES):
        provinces[n] = agency(f"gov-p{i:02d}", n, OrgKind.PROVINCE)
        depts.append(provinces[n])
    for i, (prov, n) in enumerate(CITIES):
        depts.append(agency(f"gov-l{i:02d}", n, OrgKind.LOCAL, provinces[prov].parent))
    mois = depts[0].parent
    assert mois is not None

    def official(username: str, dept: Organisation, grade: int) -> User:
        return people.create_user(actor=None, username=username, display_name=f"{rng.choice(SURNAMES)}{rng.choice(GIVEN)}",
                                  email=f"{username}@gov.example.kr", department=dept, grade=grade, title=TITLES.get(grade, ""))

    facilitator = official("facilitator", depts[0], 5)
    User.objects.filter(pk=facilitator.pk).update(display_name="송하람")
    facilitator.refresh_from_db()
    people.grant_role(actor=None, user=facilitator, role=Role.FACILITATOR, organisation=mois)
    people.grant_role(actor=None, user=team, role=Role.FACILITATOR, organisation=mois)
    crowd: list[User] = []
    for i, dept in enumerate(depts):
        for k in range(2):
            grade = rng.choice([6, 7, 7, 8, 9]) if k == 0 else rng.choice([4, 5, 5, 6, 7])
            crowd.append(official(f"hk{2 * i + k + 1:03d}", dept, grade))
    User.objects.filter(pk__in=[u.pk for u in [facilitator, *crowd]]).update(password=password_hash)

    def programme(event: Event, first: datetime) -> None:
        d1 = events.add_day(actor=facilitator, event=event, date=first.date(), title="첫째 날: 공통 질문과 과제 발굴")
        d2 = events.add_day(actor=facilitator, event=event, date=(first + timedelta(days=1)).date(), title="둘째 날: 공유와 선정")
        hall = events.add_room(actor=facilitator, event=event, name="대강당", capacity=140)
        for name in ("세미나실 A", "세미나실 B", "세미나실 C", "세미나실 D", "라운지"):
            events.add_room(actor=facilitator, event=event, name=name, capacity=rng.choice([20, 25, 30]))
        events.add_tables(actor=facilitator, event=event, count=12, capacity=11, room=hall)
        for day, title, kind, start, hours in [
            (d1, "여는 마당", SessionKind.PLENARY, 9, 1), (d1, "분임 토의: 공통 질문", SessionKind.GROUPS, 10, 2),
            (d1, "월드카페: 과제 발굴", SessionKind.CAFE, 13, 1.5), (d1, "오픈 스페이스 1", SessionKind.OPEN_SPACE, 15, 1),
            (d1, "오픈 스페이스 2", SessionKind.OPEN_SPACE, 16, 1), (d2, "분임 결과 공유", SessionKind.SHARING, 9, 2),
            (d2, "심사와 시상", SessionKind.JUDGING, 13, 2),
        ]:
            starts = datetime.combine(day.date, datetime.min.time(), tzinfo=first.tzinfo).replace(hour=start)
            events.add_session(actor=facilitator, event=event, day=day, title=title, kind=kind, starts_at=starts,
                               ends_at=starts + timedelta(hours=hours), room=hall)

    now = timezone.localtime()
    first = now.replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=21)
    done = events.create_event(
        actor=facilitator, organisation=mois, slug="gov-hackathon-2026", title="2026 범정부 적극행정 해커톤", capacity=120,
        max_per_agency=2, junior_grade=6, junior_min_percent=50,
        description="60개 중앙부처와 자치단체에서 두 명씩, 현장에서 시민을 만나는 공무원들이 이틀 동안 함께 과제를 찾고 다듬었습니다.")
    programme(done, first)
    events.set_event_state(actor=facilitator, event=done, state="open")
    order = crowd[:]
    rng.shuffle(order)
    regs = [events.register(actor=u, event=done, gender=rng.choice(["female", "male", ""]),
                            job_family=rng.choice(["administration", "administration", "technical", "welfare", "safety"]))
            for u in order]
    confirmed = [r for r in regs if r.state == "confirmed"]
    for table, reg in zip(done.tables.order_by("number"), confirmed[:12], strict=False):
        events.set_table_host(actor=facilitator, table=table, host=reg.user)
    for reg in confirmed[3:]:
        events.check_in(actor=facilitator, registration=reg)
    sessions = {s.kind: s for s in Session.objects.filter(event=done).order_by("-starts_at")}
    groups_session, cafe = sessions[SessionKind.GROUPS], sessions[SessionKind.CAFE]
    events.record_no_shows(actor=facilitator, session=groups_session, absent=confirmed[:3])
    grouping = events.configure_grouping(actor=facilitator, session=groups_session, group_count=12, seconds=0.6,
                                         attributes=["agency", "level", "grade_band", "region", "gender", "job_family"])
    events.compute_groups(grouping_id=grouping.pk)  # what the background job runs; the demo cannot wait for a worker
    grouping.refresh_from_db()
    events.publish_groups(actor=facilitator, grouping=grouping)
    events.record_no_shows(actor=facilitator, session=cafe, absent=confirmed[:3])  # they came late
    rotation = events.configure_rotation(actor=facilitator, session=cafe, rounds=3, round_minutes=25, seconds=0.8)
    events.compute_rotation(rotation_id=rotation.pk)
    rotation.refresh_from_db()
    events.publish_rotation(actor=facilitator, rotation=rotation)
    events.start_round(actor=facilitator, rotation=rotation, round_no=0)
    late = confirmed[:3]
    seated = {p for t in rotation.plan[0] for p in t}
    gone = [r for r in confirmed[12:] if r.pk in seated][:2]
    events.compute_replan(rotation_id=rotation.pk, from_round=1, absent=[r.pk for r in gone],
                          arrived=[r.pk for r in late if r.pk not in seated], actor_id=facilitator.pk)
    topics = []
    for title, convener in zip(HACKATHON_TOPICS, rng.sample(confirmed[3:], len(HACKATHON_TOPICS)), strict=True):
        topics.append(events.post_topic(actor=convener.user, event=done, title=title))
    for reg in confirmed[3:75]:
        for topic in rng.sample(topics, rng.randint(2, 4)):
            if topic.convener_id != reg.user_id:
                events.toggle_interest(actor=reg.user, topic=topic, interested=True)
    schedule, _new = Schedule.objects.get_or_create(event=done, defaults={"seconds": 0.5})
    events.compute_schedule(schedule_id=schedule.pk)
    schedule.refresh_from_db()
    events.publish_schedule(actor=facilitator, schedule=schedule)
    from madang.events.models import Interest

    wanted: dict[int, int] = {}
    for user_id, topic_id in Interest.objects.filter(topic__event=done).order_by("pk").values_list("user_id", "topic_id"):
        if str(topic_id) in schedule.placements:
            wanted.setdefault(user_id, topic_id)
    by_pk = {t.pk: t for t in topics}
    for reg in confirmed[3:40]:
        if reg.user_id in wanted:
            events.check_in_to_topic(actor=reg.user, topic=by_pk[wanted[reg.user_id]])
    _load_event_outputs(rng, facilitator, done, confirmed[3:], grouping.groups)
    events.set_event_state(actor=facilitator, event=done, state="closed")
    events.set_event_state(actor=facilitator, event=done, state="finished")
    Event.objects.filter(pk=done.pk).update(created_at=now - timedelta(days=60))

    soon = events.create_event(
        actor=facilitator, organisation=mois, slug="gov-hackathon-winter", title="2026 겨울 도민·공무원 합동 해커톤", capacity=120,
        audience="joint", max_per_agency=2, junior_grade=6, junior_min_percent=50,
        description="내일 시작합니다. 교통약자 이동 문제를 공무원과 시민 회원이 함께 이틀 동안 풉니다. 체크인 코드는 현장 화면에 나옵니다.")
    programme(soon, now.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1))
    events.set_event_state(actor=facilitator, event=soon, state="open")
    for u in crowd[1::3]:
        events.register(actor=u, event=soon)
    official_demo = User.objects.get(username="official")
    events.register(actor=official_demo, event=soon, region="한빛도")
    confirmed_soon = [r for r in soon.registrations.filter(state="confirmed").select_related("user")]
    for title, reg in zip(HACKATHON_TOPICS[:4], confirmed_soon[:4], strict=False):
        events.post_topic(actor=reg.user, event=soon, title=title)
    assert Day.objects.filter(event=soon).count() == 2
    return facilitator


REVERSE_BOARDS = [
    ("민원인이 서류를 더 많이 떼게 만들려면?", ["기관마다 같은 서류를 따로 요구한다", "온라인 발급을 막고 방문만 받는다", "처리 상황을 알려 주지 않는다"],
     ["행정정보 공동이용으로 한 번 낸 서류는 다시 받지 않는다", "모바일 전자증명서를 모든 창구에서 받는다", "처리 단계마다 알림톡을 보낸다"]),
    ("현장 공무원의 목소리가 위에 닿지 않게 하려면?", ["보고는 종이로만 받는다", "제안하면 일이 늘어나게 한다", "결과를 알려 주지 않는다"],
     ["현장 제안 창구를 모바일로 연다", "채택된 제안자에게 업무를 덜어 준다", "제안마다 처리 결과를 공개한다"]),
    ("재난 문자를 아무도 읽지 않게 하려면?", ["모든 지역에 같은 문자를 보낸다", "새벽에도 소리 나게 보낸다", "행동 요령 없이 상황만 알린다"],
     ["읍면동 단위로 좁혀 보낸다", "긴급도에 따라 알림 방식을 나눈다", "문자마다 할 일 한 가지를 적는다"]),
]
EVENT_TASKS = [("행정정보 공동이용으로 '서류 없는 민원' 전면 확대", "같은 서류를 기관마다 다시 내지 않도록 공동이용 대상 서류를 넓힙니다."),
               ("현장 공무원 모바일 제안 창구", "현장의 불편을 그 자리에서 사진과 함께 제안하고, 처리 결과를 공개합니다."),
               ("읍면동 단위 맞춤 재난 문자", "재난 문자를 좁은 지역에 보내고 행동 요령 한 가지를 꼭 넣습니다."),
               ("쉬운 말 공문서 표준", "주민에게 가는 공문서를 쉬운 말 기준으로 다시 씁니다.")]


def _load_event_outputs(rng: random.Random, facilitator: User, event: Any, regs: list[Any], groups: list[list[int]]) -> None:
    """The finished hackathon's results: boards of every method, a day-two gallery, judging of the
    best tasks and groups with awards, and the agreed tasks sent to every participating agency,
    answered by a few of them in several ways."""
    import io as _io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageDraw

    from madang.events import services as events
    from madang.events.models import BoardKind, JudgingOf, Session, SessionKind
    from madang.events.selectors import judging_results

    sessions = {s.kind: s for s in Session.objects.filter(event=event)}
    groups_session, cafe, sharing = sessions[SessionKind.GROUPS], sessions[SessionKind.CAFE], sessions[SessionKind.SHARING]
    by_pk = {r.pk: r for r in regs}
    members = [[by_pk[p] for p in g if p in by_pk] for g in groups]
    reverse = []
    for g, (prompt, worse, fixes) in enumerate(REVERSE_BOARDS):
        board = events.create_board(actor=facilitator, session=groups_session, kind=BoardKind.REVERSE, group=g + 1,
                                    title=f"{g + 1}분임 역발상 게임", prompt=prompt)
        people_here = members[g] or regs
        for k, (w, f) in enumerate(zip(worse, fixes, strict=True)):
            item = events.post_item(actor=people_here[k % len(people_here)].user, board=board, text=w, anonymous=k == 1)
            events.post_item(actor=people_here[(k + 1) % len(people_here)].user, board=board, text=f, turns=item)
        reverse.append(board)
    for g in range(2):
        jam = events.create_board(actor=facilitator, session=groups_session, kind=BoardKind.JAM, group=g + 1, title=f"{g + 1}분임 그래픽 잼")
        img = Image.new("RGB", (480, 320), "#f6f1e7")
        draw = ImageDraw.Draw(img)
        for i in range(6):
            draw.ellipse((30 + i * 70, 120 - i * 8, 90 + i * 70, 180 + i * 8), outline=["#0b5cad", "#e8a33d", "#1a7f37"][i % 3], width=6)
        buf = _io.BytesIO()
        img.save(buf, "PNG")
        who = (members[g] or regs)[0]
        events.add_photo(actor=who.user, board=jam, upload=SimpleUploadedFile("jam.png", buf.getvalue()),
                         caption=f"{g + 1}분임이 그린 '민원인의 하루'")
    for t, table in enumerate(event.tables.order_by("number")[:4]):
        harvest = events.create_board(actor=facilitator, session=cafe, kind=BoardKind.HARVEST, table=table, round_no=1,
                                      title=f"{table.number}번 테이블 1라운드 수확")
        for k in range(2):
            events.post_item(actor=regs[(t * 5 + k) % len(regs)].user, board=harvest, text=rng.choice(
                ["주민은 기관을 구분하지 않는다", "한 번 낸 정보는 다시 묻지 말자", "현장 사진 한 장이 보고서보다 빠르다",
                 "결과를 알려 주면 다시 제안한다"]), anonymous=k == 1)
    dots = events.create_board(actor=facilitator, session=sharing, kind=BoardKind.DOTS, title="둘째 날 과제 고르기", dots_per_person=3)
    items = [events.post_item(actor=facilitator, board=dots, text=title) for title, _d in EVENT_TASKS]
    for i, reg in enumerate(regs[:60]):
        for k in range(3):
            events.place_dot(actor=reg.user, item=items[min(int(rng.random() ** 1.6 * len(items)), len(items) - 1) if k else i % 2])
    for i, board in enumerate(reverse):
        events.add_supplement(actor=regs[-1 - i].user, board=board, body="우리 기관도 비슷한 문제를 겪었습니다. 시범 지역을 함께 정하면 좋겠습니다.",
                              anonymous=i == 0)
    tasks = []
    for i, (title, description) in enumerate(EVENT_TASKS):
        # Each task was picked on the dot-voting board; the first three grew out of a group's reverse game.
        tasks.append(events.create_task(actor=facilitator, event=event, title=title, description=description, board=dots,
                                        item=items[i], group=reverse[i].group if i < len(reverse) else None))
    judging_session = sessions[SessionKind.JUDGING]
    jury = [r.user for r in regs[-3:]]
    for of, title in [(JudgingOf.TASKS, "최우수 과제"), (JudgingOf.GROUPS, "최우수 분임")]:
        judging = events.create_judging(actor=facilitator, event=event, of=of, title=title, session=judging_session, jury_percent=60,
                                        votes_per_person=2, criteria=[events.CriterionIn("실현 가능성", 3, 5),
                                                                      events.CriterionIn("기대 효과", 3, 5), events.CriterionIn("확산 가능성", 2, 5)])
        events.assign_jurors(actor=facilitator, judging=judging, users=jury)
        cands = list(judging.candidates.all())
        for juror in jury:
            for c in cands:
                events.score_candidate(actor=juror, candidate=c, values={k.pk: rng.randint(2, 5) for k in judging.criteria.all()})
        for reg in regs[:80]:
            for c in rng.sample(cands, min(2, len(cands))):
                events.cast_vote(actor=reg.user, candidate=c)
        events.publish_results(actor=facilitator, judging=judging)
        best = judging_results(judging)[0]
        events.give_award(actor=facilitator, judging=judging, candidate=judging.candidates.get(pk=best.candidate), title="대상")
    # The agreed tasks become proposals of the ministry's follow-up call, routed to every agency.
    mois = event.organisation
    people.grant_role(actor=None, user=facilitator, role=Role.INNOVATION_TEAM, organisation=mois)
    now = timezone.now()
    call = calls.create_call(actor=facilitator, slug="gov-hackathon-2026-tasks", title="2026 범정부 해커톤 합의 과제", organisation=mois,
                       description="<p>해커톤에서 합의한 과제를 참가 기관에 보내고 답변을 받습니다.</p>",
                       phases=[calls.PhaseSpec(PhaseKind.SUBMISSION, now - timedelta(days=20), now + timedelta(days=60))])
    agencies = events.participating_agencies(event)
    answering = agencies[:5]
    liaisons = {}
    for agency in answering:
        dept = events.receiving_department(agency)
        person = next(r.user for r in regs if r.agency_id == agency.pk)
        people.grant_role(actor=None, user=person, role=Role.LIAISON, organisation=dept)
        liaisons[agency.pk] = person
    for task in tasks[:3]:
        events.agree_task(actor=facilitator, task=task)
        routings = events.send_task(actor=facilitator, task=task, call=call, answer_due=timezone.localdate() + timedelta(days=14))
        by_agency = {r.department.agency().pk: r for r in routings}
        plan = [("accept", ""), ("partial", "예산 범위에서 일부 서류부터 시작합니다."), ("decline", "이미 같은 사업을 추진하고 있습니다."),
                ("accept", ""), (None, "")]
        for agency, (kind, reason) in zip(answering, plan, strict=True):
            if kind is None:
                continue
            routing = by_agency[agency.pk]
            followup.answer_routing(actor=liaisons[agency.pk], routing=routing, kind=kind, reason=reason)
            if kind == "accept":
                followup.post_execution_update(actor=liaisons[agency.pk], routing=routing, state="in_progress", percent=rng.choice([20, 40, 60]))
        # Some agencies let the deadline pass: a third of the silent ones are overdue.
        silent = [r.pk for a, r in by_agency.items() if a not in {x.pk for x in answering[:4]}]
        late = silent[::3]
        Routing.objects.filter(pk__in=late).update(answer_due=timezone.localdate() - timedelta(days=2))
        _restate_routings(late)


def _restate_routings(pks: list[int]) -> None:
    """Deadlines moved into the past after routing: the pending ledger entries must say so too."""
    from madang.ledger import services as ledger
    from madang.ledger.models import Entry

    routings = Routing.objects.in_bulk(pks)
    for entry in Entry.objects.filter(kind__in=["followup.routed", "decision.route"], log_index__isnull=True).order_by("-seq")[:2000]:
        routing = routings.get(ledger.body_of(entry)["routing"])
        if routing is not None:
            ledger.restate_pending(entry, answer_due=routing.answer_due.isoformat())


INSIGHT_STATEMENTS = [
    # (statement, stance of groups A, B, C: 1 agree, -1 disagree, 0 pass)
    ("민원 서류는 온라인으로만 받아도 된다", (1, -1, 1)),
    ("민원실 운영 시간을 저녁 8시까지 늘려야 한다", (-1, 1, 1)),
    ("버스 노선 개편은 주민 투표로 정해야 한다", (1, 1, -1)),
    ("공공 주차장은 주말에 주민에게 개방해야 한다", (1, 1, 1)),
    ("복지 예산을 교통 예산보다 먼저 늘려야 한다", (-1, 1, 0)),
    ("재난 문자는 읍면동 단위로만 보내야 한다", (1, 1, 1)),
    ("행정 데이터는 원칙적으로 모두 공개해야 한다", (1, -1, 0)),
    ("키오스크보다 창구 직원을 늘려야 한다", (-1, 1, -1)),
    ("도민 제안은 분기마다 결과를 공개해야 한다", (1, 1, 1)),
    ("축제 예산을 줄여 생활 민원에 써야 한다", (0, 1, -1)),
    ("전기차 충전기 설치를 서둘러야 한다", (1, -1, 1)),
    ("도청 회의는 모두 온라인으로 중계해야 한다", (1, -1, -1)),
]
INSIGHT_IDEAS = ["민원실에 아이 돌봄 공간 마련", "읍면동 찾아가는 민원 버스", "도정 소식 쉬운 말 뉴스레터", "공공 와이파이 확대", "청년 정책 한 화면 안내"]


def _load_insight(rng: random.Random, team: User, call: Call, password_hash: str) -> None:
    """An opinion map with three groups and a wiki survey with a ranking, on the open call."""
    from madang.insight import services as insight

    call = Call.objects.prefetch_related("phases").select_related("organisation").get(pk=call.pk)
    voters = []
    for i in range(40):
        u = people.create_user(actor=None, username=f"voter{i + 1:02d}", display_name=f"{rng.choice(SURNAMES)}{rng.choice(GIVEN)}",
                               email=f"voter{i + 1:02d}@hanbit.example.kr", kind=Kind.CITIZEN)
        User.objects.filter(pk=u.pk).update(password=password_hash)
        voters.append(u)
    statements = [insight.add_statement(actor=team, call=call, text=t) for t, _s in INSIGHT_STATEMENTS]
    insight.add_statement(actor=voters[0], call=call, text="도청 민원실에 수어 통역사를 상시 배치해야 한다")  # waits for approval
    for n, voter in enumerate(voters):
        group = (0, 0, 1, 1, 2)[n % 5]  # groups of 16, 16 and 8
        for s, (_t, stance) in rng.sample(list(zip(statements, INSIGHT_STATEMENTS, strict=True)), 10):
            value = stance[group] if rng.random() < 0.85 else rng.choice((1, 0, -1))
            insight.vote_statement(actor=voter, statement=s, value=value)
    insight.compute_opinion_map(actor=team, call=call)

    for text in INSIGHT_IDEAS:
        insight.add_idea(actor=team, call=call, text=text)
    insight.add_idea(actor=voters[1], call=call, text="민원 처리 기간 단축 목표제")  # waits for approval
    strength: dict[str, float] = {}
    for k in range(300):
        voter = voters[k % len(voters)]
        pair = insight.show_pair(actor=voter, call=call)
        if pair is None:
            break
        a, b = (strength.setdefault(i.text, rng.gauss(0, 1)) for i in (pair.left, pair.right))
        choice = "tie" if rng.random() < 0.08 else ("left" if rng.random() < 1 / (1 + 2.718 ** (b - a)) else "right")
        insight.answer_pair(actor=voter, pair=pair, choice=choice)
    insight.refit_ranking(actor=team, call=call)
    _load_duplicates_and_topics(team, call, voters)


# People resubmit ideas that are already there, in their own words: the duplicate view finds them.
RESUBMITTED = [
    ("민원실 대기번호 모바일로 받기", "민원실에서 너무 오래 서서 기다립니다.", "모바일로 대기번호를 받고 차례가 되면 알림을 받게 해 주세요.", "대기 불편 해소", "민원"),
    ("교통약자 콜택시 호출 통합", "교통약자 콜택시 번호가 시군마다 달라 헷갈립니다.", "도 단위로 통합된 호출 번호를 운영합니다.", "대기 시간 단축", "교통"),
    ("버스 정류장 온열 의자", "겨울철 버스 정류장에서 기다리기가 너무 춥습니다.", "주요 정류장에 온열 의자와 바람막이를 설치합니다.", "이용객 건강 보호", "교통"),
    ("공원 쓰레기통 넘침 알림", "주말마다 공원 쓰레기통이 넘쳐 악취가 납니다.", "쓰레기통에 센서를 달아 가득 차면 수거 차량에 알립니다.", "공원 환경 개선", "환경"),
    ("하천 산책로 쓰레기 수거", "하천 산책로에 쓰레기가 쌓여 있습니다.", "주민 자원봉사와 수거 일정을 연계해 쓰레기를 치웁니다.", "하천 환경 개선", "환경"),
]


def _load_duplicates_and_topics(team: User, call: Call, people_: list[User]) -> None:
    """Resubmitted ideas on the open call, then the duplicate check and the topic map on both calls,
    run at once so the pages have results as soon as the demo starts."""
    from madang.insight import services as insight
    from madang.jobs import services as jobs
    from madang.jobs.models import Job, State

    categories = {c.name: c for c in call.categories.all()}
    for i, (title, problem, solution, effect, cat) in enumerate(RESUBMITTED):
        author = people_[10 + i]
        p = calls.create_proposal(actor=author, call=call, fields=calls.ProposalFields(
            title=title, problem=f"<p>{problem}</p>", solution=f"<p>{solution}</p>", expected_effect=f"<p>{effect}</p>",
            category=categories.get(cat)))
        calls.submit_proposal(actor=author, proposal=p)
    finished = Call.objects.prefetch_related("phases").select_related("organisation").get(slug="hanbit-2026-ideas")
    for target in (call, finished):
        for job in (insight.request_duplicates(actor=team, call=target), insight.request_topics(actor=team, call=target)):
            if job.state == State.QUEUED:  # not eager: run it here rather than wait for a worker
                Job.objects.filter(pk=job.pk, state=State.QUEUED).update(state=State.RUNNING, attempts=1, started_at=timezone.now())
                job.refresh_from_db()
                jobs.run_claimed(job, heartbeat=False)
