"""The demo's calls: 한빛도's finished 2026 call with its 25 proposals, and the open call.

Part of the demo scenario that madang/site/demo.py puts together. The finished call is created
with submission running, reviewed and decided by the review and followup parts, and then its
dates are moved weeks into the past (move_into_the_past), which a demo cannot wait for.
"""

import random
from datetime import datetime, timedelta

from madang.calls import services as calls
from madang.calls.models import Audience, Call, Comment, PhaseKind, Proposal, Support
from madang.calls.phases import phases_around, set_phase
from madang.people.demo import Province

# (title, problem, solution, expected effect, responsible department, category)
PROPOSALS = [
    (
        "민원 서류 한 번만 제출하기",
        "민원인이 같은 증빙 서류를 부서마다 다시 제출해야 합니다.",
        "행정정보 공동이용으로 부서 간 서류를 자동 조회합니다.",
        "제출 서류 40% 감축, 처리 기간 단축",
        "civil",
        "민원",
    ),
    (
        "버스 정류장 실시간 혼잡도 안내",
        "출퇴근 시간 정류장 혼잡으로 시민 불편이 큽니다.",
        "교통카드 데이터로 정류장별 혼잡도를 앱과 안내판에 표시합니다.",
        "대기 분산, 만족도 향상",
        "transport",
        "교통",
    ),
    (
        "복지 사각지대 자동 발굴",
        "위기 가구가 신청하지 않아 지원을 받지 못합니다.",
        "단전·단수·체납 정보를 연계해 위기 가구를 먼저 찾아갑니다.",
        "위기 가구 조기 발견",
        "welfare",
        "복지",
    ),
    (
        "회의 자료 종이 없는 보고",
        "내부 보고마다 출력물이 수백 장 쌓입니다.",
        "태블릿과 공유 문서로 보고하고 출력은 예외로 합니다.",
        "연간 종이 30만 장 절감",
        "budget",
        "업무혁신",
    ),
    (
        "어르신 키오스크 도우미",
        "무인 민원발급기 사용이 어려운 어르신이 많습니다.",
        "큰 글씨·음성 안내 모드와 주 2회 도우미 배치를 합니다.",
        "디지털 격차 완화",
        "civil",
        "민원",
    ),
    (
        "폭염 쉼터 위치 지도",
        "폭염 때 가까운 무더위 쉼터를 찾기 어렵습니다.",
        "쉼터 위치와 운영 시간을 지도 서비스로 공개합니다.",
        "온열 질환 예방",
        "safety",
        "안전",
    ),
    (
        "공공 주차장 공유",
        "관공서 주차장이 주말에 비어 있습니다.",
        "주말과 야간에 주민에게 개방하고 예약제로 운영합니다.",
        "주차난 완화",
        "transport",
        "교통",
    ),
    (
        "청년 창업 원스톱 창구",
        "창업 지원이 부서마다 흩어져 있습니다.",
        "한 창구에서 상담·공간·자금을 연계합니다.",
        "창업 성공률 향상",
        "economy",
        "경제",
    ),
    (
        "축제 쓰레기 다회용기 전환",
        "지역 축제마다 일회용품 쓰레기가 넘칩니다.",
        "다회용기 대여·회수 체계를 축제 조건으로 합니다.",
        "쓰레기 60% 감축",
        "environment",
        "환경",
    ),
    (
        "민원 처리 상황 문자 알림",
        "민원인은 처리 단계를 알 수 없어 전화로 문의합니다.",
        "접수·배정·완료 단계마다 문자로 알려 줍니다.",
        "문의 전화 감소",
        "civil",
        "민원",
    ),
    (
        "공무원 업무 인수인계 표준화",
        "인사 이동 때마다 업무가 끊깁니다.",
        "인수인계 양식과 체크리스트를 전산화합니다.",
        "업무 공백 최소화",
        "hr",
        "업무혁신",
    ),
    (
        "야간 약국 안내 통합",
        "밤에 문을 연 약국을 찾기 어렵습니다.",
        "야간·휴일 약국 정보를 한 화면에서 안내합니다.",
        "의료 접근성 향상",
        "health",
        "복지",
    ),
    (
        "관광 안내 다국어 QR",
        "외국인 관광객 안내판이 한국어 위주입니다.",
        "안내판에 QR을 붙여 5개 언어로 안내합니다.",
        "외국인 만족도 향상",
        "culture",
        "관광",
    ),
    (
        "재난 문자 지역 세분화",
        "재난 문자가 너무 넓은 지역에 발송됩니다.",
        "읍면동 단위로 발송 범위를 나눕니다.",
        "문자 피로도 감소",
        "safety",
        "안전",
    ),
    (
        "행정 데이터 개방 포털 정비",
        "공개 데이터 형식이 제각각입니다.",
        "표준 형식과 갱신 주기를 정해 공개합니다.",
        "민간 활용 증가",
        "it",
        "데이터",
    ),
    (
        "저상버스 예약 호출",
        "휠체어 이용자가 저상버스를 오래 기다립니다.",
        "앱으로 저상버스 탑승을 미리 알리는 호출 기능을 둡니다.",
        "교통약자 이동권 향상",
        "transport",
        "교통",
    ),
    (
        "1인 가구 안부 확인",
        "고독사 위험 1인 가구가 늘고 있습니다.",
        "전력 사용량 변화로 안부를 확인하는 서비스를 둡니다.",
        "고독사 예방",
        "welfare",
        "복지",
    ),
    (
        "예산 집행 현황 공개",
        "주민이 예산 집행을 알기 어렵습니다.",
        "사업별 집행률을 매월 공개합니다.",
        "재정 투명성 향상",
        "budget",
        "재정",
    ),
    (
        "공용 전기차 충전기 지도",
        "충전기 위치와 고장 여부를 알 수 없습니다.",
        "충전기 상태를 실시간 지도로 공개합니다.",
        "전기차 이용 편의",
        "environment",
        "환경",
    ),
    (
        "민원 서식 쉬운 말 바꾸기",
        "민원 서식의 한자어와 법률 용어가 어렵습니다.",
        "자주 쓰는 서식 50종을 쉬운 우리말로 고칩니다.",
        "작성 오류 감소",
        "civil",
        "민원",
    ),
    (
        "소상공인 지원금 신청 간소화",
        "지원금 신청 서류가 많고 복잡합니다.",
        "사업자 정보 연계로 신청서를 미리 채워 줍니다.",
        "신청 시간 단축",
        "economy",
        "경제",
    ),
    (
        "보건소 예약 온라인화",
        "보건소 진료를 전화로만 예약합니다.",
        "온라인 예약과 대기 순번 알림을 도입합니다.",
        "대기 시간 단축",
        "health",
        "복지",
    ),
    (
        "직원 아이디어 상시 제안함",
        "좋은 아이디어가 공모 기간에만 모입니다.",
        "상시 제안과 분기별 검토를 운영합니다.",
        "참여 문화 확산",
        "innovation",
        "업무혁신",
    ),
    (
        "산불 감시 드론 순찰",
        "산불 감시 인력이 부족합니다.",
        "취약 지역에 드론 순찰을 시범 운영합니다.",
        "초기 진화율 향상",
        "safety",
        "안전",
    ),
    (
        "도서관 상호대차 배송",
        "원하는 책이 다른 도서관에 있으면 빌리기 어렵습니다.",
        "도서관 간 상호대차와 가까운 곳 수령을 운영합니다.",
        "도서 이용 편의",
        "culture",
        "문화",
    ),
]

OPEN_CALL_PROPOSALS = [
    (
        "민원실 대기 번호 모바일 발급",
        "민원실에서 오래 서서 기다립니다.",
        "모바일로 대기 번호를 받고 차례가 되면 알림을 받습니다.",
        "대기 불편 해소",
        "civil",
        "민원",
    ),
    (
        "민원 서류 한 번 제출 확대",
        "부서마다 같은 서류를 또 냅니다.",
        "공동이용 대상 서류를 늘립니다.",
        "서류 감축",
        "civil",
        "민원",
    ),
    (
        "교통약자 택시 호출 통합",
        "교통약자 콜택시 번호가 시군마다 다릅니다.",
        "도 단위 통합 호출 번호를 운영합니다.",
        "대기 시간 단축",
        "transport",
        "교통",
    ),
]

COMMENTS = [
    "현장에서 정말 필요한 아이디어입니다.",
    "비슷한 불편을 매일 겪고 있습니다. 꼭 추진되면 좋겠어요.",
    "개인정보 문제는 어떻게 해결하나요?",
    "예산은 얼마나 들까요?",
    "우리 부서에서도 협조할 수 있습니다.",
    "시범 지역부터 해 보면 어떨까요?",
    "법령 개정이 필요한지 검토가 필요합니다.",
]


def load_finished_call(rng: random.Random, hanbit: Province, now: datetime) -> tuple[Call, list[Proposal]]:
    """The 2026 call, still in submission: proposals, supports, comments and the tally."""
    team, officials, depts = hanbit.team, hanbit.officials, hanbit.depts
    finished = calls.create_call(
        actor=team,
        slug="hanbit-2026-ideas",
        title="2026 한빛도 적극행정 아이디어 공모",
        description="<p>현장에서 일하는 모든 직원의 아이디어로 도정을 바꿉니다. 선정된 과제는 자율 혁신랩(G-Lab)에서 "
        "3~6개월 동안 추진하고, "
        "나머지 제안은 담당 부서가 검토해 답변하고 추진 상황을 공개합니다.</p>",
        organisation=hanbit.province,
        audience=Audience.OFFICIALS,
        phases=phases_around(now),
        categories=sorted({p[5] for p in PROPOSALS}),
        criteria=[
            calls.CriterionSpec("실현 가능성", 2, 5),
            calls.CriterionSpec("기대 효과", 2, 5),
            calls.CriterionSpec("창의성", 1, 5),
        ],
        required_fields=["problem", "solution"],
        hide_authors=True,
    )
    categories = {c.name: c for c in finished.categories.all()}
    proposals: list[Proposal] = []
    for i, (title, problem, solution, effect, dept, cat) in enumerate(PROPOSALS):
        author = officials[i % len(officials)]
        p = calls.create_proposal(
            actor=author,
            call=finished,
            fields=calls.ProposalFields(
                title=title,
                problem=f"<p>{problem}</p>",
                solution=f"<p>{solution}</p>",
                expected_effect=f"<p>{effect}</p>",
                suggested_department=depts[dept],
                category=categories[cat],
            ),
        )
        proposals.append(calls.submit_proposal(actor=author, proposal=p))
    everyone = officials + hanbit.reviewers + [team] + list(hanbit.liaisons.values())
    for p in proposals:
        for supporter in rng.sample(everyone, rng.randint(2, 14)):
            if supporter.pk not in p.author_ids():
                calls.support_proposal(actor=supporter, proposal=p)
        for _k in range(rng.randint(0, 3)):
            calls.add_comment(actor=rng.choice(officials), proposal=p, body=rng.choice(COMMENTS))
    # (The support tally is logged after the merge, in review/demo.py: the demo dates every
    # support, carried ones too, before it, and verify holds older supports to the tally.)
    return finished, proposals


def move_into_the_past(
    rng: random.Random, finished: Call, proposals: list[Proposal], base: datetime, now: datetime
) -> None:
    """The call's phases, submissions, supports and comments, as if the call had opened at `base`."""
    set_phase(finished, PhaseKind.FOLLOW_THROUGH)
    finished.phases.filter(kind=PhaseKind.SUBMISSION).update(starts_at=base, ends_at=base + timedelta(days=22))
    finished.phases.filter(kind=PhaseKind.REVIEW).update(
        starts_at=base + timedelta(days=22), ends_at=base + timedelta(days=40)
    )
    finished.phases.filter(kind=PhaseKind.SELECTION).update(
        starts_at=base + timedelta(days=40), ends_at=base + timedelta(days=55)
    )
    finished.phases.filter(kind=PhaseKind.FOLLOW_THROUGH).update(
        starts_at=base + timedelta(days=55), ends_at=now + timedelta(days=120)
    )
    for i, p in enumerate(proposals):
        Proposal.objects.filter(pk=p.pk).update(
            submitted_at=base + timedelta(days=i * 22 / 25, hours=rng.randint(9, 17)),
            created_at=base + timedelta(days=i * 22 / 25),
        )
    for p in Proposal.objects.filter(call=finished).only("pk", "submitted_at"):
        if p.submitted_at is None:  # a draft: no supports or comments to date
            continue
        for model in (Comment, Support):
            for pk in model.objects.filter(proposal=p).values_list("pk", flat=True):
                model.objects.filter(pk=pk).update(
                    created_at=p.submitted_at + timedelta(days=rng.randint(1, 20), minutes=rng.randint(0, 600))
                )


def load_open_call(rng: random.Random, hanbit: Province, now: datetime) -> Call:
    """The second call, open now to officials and citizens together."""
    team, officials, depts, citizen = hanbit.team, hanbit.officials, hanbit.depts, hanbit.citizen
    open_call = calls.create_call(
        actor=team,
        slug="hanbit-2026-citizens",
        title="도민과 함께하는 2026 하반기 혁신 아이디어",
        description="<p>공무원과 도민이 함께 제안하는 공모입니다. 비슷한 제안이 이미 있는지 먼저 검색해 보세요.</p>",
        organisation=hanbit.province,
        audience=Audience.BOTH,
        phases=phases_around(now),
        categories=["민원", "교통", "복지", "환경"],
        criteria=[calls.CriterionSpec("실현 가능성", 2, 5), calls.CriterionSpec("기대 효과", 2, 5)],
    )
    oc = {c.name: c for c in open_call.categories.all()}
    for i, (title, problem, solution, effect, dept, cat) in enumerate(OPEN_CALL_PROPOSALS):
        author = [officials[3], citizen, officials[5]][i]
        p = calls.create_proposal(
            actor=author,
            call=open_call,
            fields=calls.ProposalFields(
                title=title,
                problem=f"<p>{problem}</p>",
                solution=f"<p>{solution}</p>",
                expected_effect=f"<p>{effect}</p>",
                suggested_department=depts[dept],
                category=oc[cat],
            ),
        )
        p = calls.submit_proposal(actor=author, proposal=p)
        for supporter in rng.sample(officials, 5):
            if supporter.pk not in p.author_ids():
                calls.support_proposal(actor=supporter, proposal=p)
    return open_call
