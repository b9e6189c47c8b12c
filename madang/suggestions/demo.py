"""The demo's suggestion office: 한빛도 runs the statutory suggestion system under the 세종 pack for
citizens (the national 국민 제안 규정 with the city's contest type) and the 공무원 제안 규정 for officials.

Part of the demo scenario that madang/site/demo.py puts together. Seven suggestions, each in a
different state, all through the services with the day each step happened: received; a supplement
asked for; not adopted (the re-examination window open); adopted with an implementation plan;
implemented with its projected and actual effect, the actual one corrected once late reports came
in; and a declined idea reopened, refined, as a new suggestion that keeps its first filing date.
None is awarded: no shipped pack has a grade table (the amounts could not be confirmed in the
primary texts, see docs/suggestions.md), and the demo does not invent one.
"""

from datetime import date, timedelta

from madang.calls import services as calls
from madang.people.demo import Province
from madang.people.models import User
from madang.suggestions import services
from madang.suggestions.models import Suggestion, SuggestionOffice
from madang.suggestions.services import Adoption, EffectFigures


def _fields(title: str, problem: str, solution: str) -> calls.ProposalFields:
    return calls.ProposalFields(title=title, problem=f"<p>{problem}</p>", solution=f"<p>{solution}</p>")


def load(hanbit: Province, today: date) -> SuggestionOffice:
    team, citizen, official = hanbit.team, hanbit.citizen, hanbit.officials[0]
    reviewer, liaison, transport = hanbit.reviewers[0], hanbit.liaisons["transport"], hanbit.depts["transport"]
    office = services.open_office(
        actor=team, organisation=hanbit.province, citizen_pack="kr-sejong", official_pack="kr-official"
    )

    def file(who: User, title: str, problem: str, solution: str, days_ago: int) -> Suggestion:
        return services.file_suggestion(
            actor=who,
            office=office,
            fields=_fields(title, problem, solution),
            today=today - timedelta(days=days_ago),
        )

    file(
        citizen,
        "버스 도착 안내 음성 지원",
        "정류장 안내판이 글자로만 되어 있어 시각장애인이 도착 정보를 알 수 없습니다.",
        "안내판에 버튼식 음성 안내를 붙입니다.",
        2,
    )

    asked = file(
        citizen,
        "공공 자전거 반납 구역 확대",
        "반납 구역이 부족해 자전거가 길에 방치됩니다.",
        "환승 정류장마다 반납 구역을 둡니다.",
        6,
    )
    services.request_supplement(
        actor=team,
        suggestion=asked,
        question="반납 구역이 부족한 정류장을 알려 주십시오.",
        answer_by=today + timedelta(days=10),
        today=today - timedelta(days=4),
    )

    refused = file(
        citizen,
        "모든 도로에 지붕 설치",
        "비 오는 날 걷기가 불편합니다.",
        "도 전역의 보도에 지붕을 씌웁니다.",
        30,
    )
    services.decide(
        actor=team,
        suggestion=refused,
        outcome="not_adopt",
        ground="impracticable",
        explanation="비용과 관리 부담이 커서 일반 통념상 적용하기 어렵습니다. 주요 정류장 차양은 별도로 검토합니다.",
        panel=[reviewer],
        today=today - timedelta(days=5),
    )

    planned = file(
        official,
        "민원 서류 전자 제출 확대",
        "민원인이 같은 서류를 여러 번 종이로 냅니다.",
        "행정정보 공동이용으로 확인 가능한 서류는 제출을 면제합니다.",
        45,
    )
    services.decide(
        actor=team,
        suggestion=planned,
        outcome="adopt",
        explanation="민원 처리 시간을 줄이는 효과가 커 채택합니다.",
        panel=[reviewer],
        adoption=Adoption(department=transport),
        today=today - timedelta(days=30),
    )
    services.plan_implementation(
        actor=liaison,
        suggestion=planned,
        text="3개 민원부터 시범 면제 후 확대합니다.",
        implement_by=today + timedelta(days=60),
        today=today - timedelta(days=20),
    )

    done = file(
        citizen,
        "횡단보도 보행 신호 연장",
        "노인 보행자가 신호 안에 다 건너지 못합니다.",
        "노인보호구역 횡단보도의 보행 신호를 5초 늘립니다.",
        120,
    )
    services.decide(
        actor=team,
        suggestion=done,
        outcome="adopt",
        explanation="안전 효과가 확인되어 채택합니다.",
        panel=[reviewer],
        adoption=Adoption(department=transport, implement_by=today - timedelta(days=40)),
        today=today - timedelta(days=100),
    )
    services.record_effect(
        actor=team,
        suggestion=done,
        measure="projected",
        figures=EffectFigures(citizen_hours=1_200, other="노인 보행자 사고 감소 기대"),
        evidence="노인보호구역 32곳의 보행량 조사",
        today=today - timedelta(days=95),
    )
    services.rule_on_implementation(
        actor=team, suggestion=done, kind="implemented", note="32곳 신호 조정 완료", today=today - timedelta(days=42)
    )
    actual = services.record_effect(
        actor=team,
        suggestion=done,
        measure="actual",
        figures=EffectFigures(budget_saved_krw=0, citizen_hours=950, staff_hours=40, other="보행 중 사고 신고 감소"),
        evidence="시행 후 한 달 보행 신호 위반·사고 신고 집계",
        today=today - timedelta(days=10),
    )
    # Two districts reported late: the actual effect is corrected, and the first record stays, superseded.
    services.correct_effect(
        actor=team,
        effect=actual,
        figures=EffectFigures(budget_saved_krw=0, citizen_hours=1_130, staff_hours=46, other="보행 중 사고 신고 감소"),
        evidence="시행 후 한 달 보행 신호 위반·사고 신고 집계 (32곳 전체)",
        reason="집계에서 빠졌던 2개 구역의 보고를 반영했습니다.",
        today=today - timedelta(days=3),
    )

    # A declined idea, reopened by its proposer in other words: its own number and clocks, its first filing date.
    lights = file(
        citizen,
        "공원 전체 야간 조명 설치",
        "밤에 공원이 어두워 산책하기 무섭습니다.",
        "도내 모든 공원에 가로등을 새로 세웁니다.",
        70,
    )
    services.decide(
        actor=team,
        suggestion=lights,
        outcome="not_adopt",
        ground="impracticable",
        explanation="모든 공원에 가로등을 세우기에는 예산이 부족합니다. 이용이 많은 곳부터 검토할 만합니다.",
        panel=[reviewer],
        today=today - timedelta(days=50),
    )
    services.refile_suggestion(
        actor=citizen,
        earlier=lights.proposal,
        fields=_fields(
            "주요 산책로 야간 조명 단계적 설치",
            "밤에 이용이 많은 산책로가 어두워 넘어지는 사고가 납니다.",
            "야간 이용이 많은 산책로 10곳부터 저전력 조명을 달고, 효과를 본 뒤 넓힙니다.",
        ),
        today=today - timedelta(days=20),
    )
    return office
