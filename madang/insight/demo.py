"""The demo's collective intelligence on the open call: an opinion map, a wiki survey, resubmitted
ideas for the duplicate view, and the topic map of both calls.

Part of the demo scenario that madang/site/demo.py puts together.
"""

import random

from django.utils import timezone

from madang.calls import services as calls
from madang.calls.models import Call
from madang.insight import services as insight
from madang.jobs import services as jobs
from madang.jobs.models import Job, State
from madang.people import services as people
from madang.people.demo import GIVEN, SURNAMES
from madang.people.models import Kind, User

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
INSIGHT_IDEAS = [
    "민원실에 아이 돌봄 공간 마련",
    "읍면동 찾아가는 민원 버스",
    "도정 소식 쉬운 말 뉴스레터",
    "공공 와이파이 확대",
    "청년 정책 한 화면 안내",
]


def load(rng: random.Random, team: User, call: Call, password_hash: str) -> None:
    """An opinion map with three groups and a wiki survey with a ranking, on the open call."""
    call = Call.objects.prefetch_related("phases").select_related("organisation").get(pk=call.pk)
    voters = []
    for i in range(40):
        u = people.create_user(
            actor=None,
            username=f"voter{i + 1:02d}",
            display_name=f"{rng.choice(SURNAMES)}{rng.choice(GIVEN)}",
            email=f"voter{i + 1:02d}@hanbit.example.kr",
            kind=Kind.CITIZEN,
        )
        User.objects.filter(pk=u.pk).update(password=password_hash)
        voters.append(u)
    statements = [insight.add_statement(actor=team, call=call, text=t) for t, _s in INSIGHT_STATEMENTS]
    insight.add_statement(
        actor=voters[0], call=call, text="도청 민원실에 수어 통역사를 상시 배치해야 한다"
    )  # waits for approval
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
    (
        "민원실 대기번호 모바일로 받기",
        "민원실에서 너무 오래 서서 기다립니다.",
        "모바일로 대기번호를 받고 차례가 되면 알림을 받게 해 주세요.",
        "대기 불편 해소",
        "민원",
    ),
    (
        "교통약자 콜택시 호출 통합",
        "교통약자 콜택시 번호가 시군마다 달라 헷갈립니다.",
        "도 단위로 통합된 호출 번호를 운영합니다.",
        "대기 시간 단축",
        "교통",
    ),
    (
        "버스 정류장 온열 의자",
        "겨울철 버스 정류장에서 기다리기가 너무 춥습니다.",
        "주요 정류장에 온열 의자와 바람막이를 설치합니다.",
        "이용객 건강 보호",
        "교통",
    ),
    (
        "공원 쓰레기통 넘침 알림",
        "주말마다 공원 쓰레기통이 넘쳐 악취가 납니다.",
        "쓰레기통에 센서를 달아 가득 차면 수거 차량에 알립니다.",
        "공원 환경 개선",
        "환경",
    ),
    (
        "하천 산책로 쓰레기 수거",
        "하천 산책로에 쓰레기가 쌓여 있습니다.",
        "주민 자원봉사와 수거 일정을 연계해 쓰레기를 치웁니다.",
        "하천 환경 개선",
        "환경",
    ),
]


def _load_duplicates_and_topics(team: User, call: Call, people_: list[User]) -> None:
    """Resubmitted ideas on the open call, then the duplicate check and the topic map on both calls,
    run at once so the pages have results as soon as the demo starts."""
    categories = {c.name: c for c in call.categories.all()}
    for i, (title, problem, solution, effect, cat) in enumerate(RESUBMITTED):
        author = people_[10 + i]
        p = calls.create_proposal(
            actor=author,
            call=call,
            fields=calls.ProposalFields(
                title=title,
                problem=f"<p>{problem}</p>",
                solution=f"<p>{solution}</p>",
                expected_effect=f"<p>{effect}</p>",
                category=categories.get(cat),
            ),
        )
        calls.submit_proposal(actor=author, proposal=p)
    finished = Call.objects.prefetch_related("phases").select_related("organisation").get(slug="hanbit-2026-ideas")
    for target in (call, finished):
        for job in (
            insight.request_duplicates(actor=team, call=target),
            insight.request_topics(actor=team, call=target),
        ):
            if job.state == State.QUEUED:  # not eager: run it here rather than wait for a worker
                Job.objects.filter(pk=job.pk, state=State.QUEUED).update(
                    state=State.RUNNING, attempts=1, started_at=timezone.now()
                )
                job.refresh_from_db()
                jobs.run_claimed(job, heartbeat=False)
