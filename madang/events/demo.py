"""The demo's events: a finished two-day inter-agency hackathon of 행정안전부 and one about to start.

Part of the demo scenario that madang/site/demo.py puts together. The finished hackathon's agreed
tasks go to the participating agencies as proposals of a follow-up call, and some of them answer.
"""

import io
import random
from datetime import datetime, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from madang.calls import services as calls
from madang.calls.models import PhaseKind
from madang.events import services as events
from madang.events.models import BoardKind, Day, Event, Interest, JudgingOf, Schedule, Session, SessionKind
from madang.events.selectors import judging_results, participating_agencies, receiving_department
from madang.followup import services as followup
from madang.followup.demo import restate_routings
from madang.followup.models import Routing
from madang.people import seats
from madang.people import services as people
from madang.people.demo import GIVEN, SURNAMES, TITLES
from madang.people.models import Organisation, OrgKind, Role, User

CENTRAL_AGENCIES = [
    "행정안전부",
    "기획재정부",
    "교육부",
    "과학기술정보통신부",
    "외교부",
    "통일부",
    "법무부",
    "국방부",
    "문화체육관광부",
    "농림축산식품부",
    "산업통상자원부",
    "보건복지부",
    "환경부",
    "고용노동부",
    "여성가족부",
    "국토교통부",
    "해양수산부",
    "중소벤처기업부",
    "경찰청",
    "소방청",
]
PROVINCES = [
    "서울특별시",
    "부산광역시",
    "대구광역시",
    "인천광역시",
    "광주광역시",
    "대전광역시",
    "울산광역시",
    "세종특별자치시",
    "경기도",
    "강원특별자치도",
    "충청북도",
    "충청남도",
    "전북특별자치도",
    "전라남도",
    "경상북도",
    "경상남도",
    "제주특별자치도",
]
CITIES = [
    ("경기도", "수원시"),
    ("경기도", "성남시"),
    ("경기도", "고양시"),
    ("경기도", "화성시"),
    ("강원특별자치도", "춘천시"),
    ("강원특별자치도", "원주시"),
    ("충청북도", "청주시"),
    ("충청북도", "충주시"),
    ("충청남도", "천안시"),
    ("충청남도", "공주시"),
    ("전북특별자치도", "전주시"),
    ("전북특별자치도", "군산시"),
    ("전라남도", "여수시"),
    ("전라남도", "순천시"),
    ("경상북도", "포항시"),
    ("경상북도", "안동시"),
    ("경상남도", "창원시"),
    ("경상남도", "진주시"),
    ("제주특별자치도", "제주시"),
    ("부산광역시", "해운대구"),
    ("서울특별시", "종로구"),
    ("대구광역시", "수성구"),
    ("인천광역시", "연수구"),
]
HACKATHON_TOPICS = [
    "민원 서류 없는 행정",
    "현장 공무원 목소리 전달",
    "데이터로 찾는 복지 사각지대",
    "재난 문자 피로 줄이기",
    "교통약자 이동권",
    "공공 주차장 함께 쓰기",
    "쉬운 말 공문서",
    "기관 간 칸막이 없애기",
    "청년 공무원 이직 줄이기",
    "주민 참여 예산 넓히기",
    "디지털 격차 해소",
    "현장 점검 모바일화",
    "탄소 줄이는 청사",
    "민원 응대 감정노동",
    "지역 소멸 대응",
]


def load(rng: random.Random, team: User, password_hash: str) -> User:
    """Two events of 행정안전부: a finished two-day hackathon of 120 officials from 60 agencies
    (groups, a World Cafe re-planned after no-shows, an Open Space schedule, all published) and
    one about to start tomorrow with registration open. Returns the demo facilitator."""

    def agency(code: str, name: str, kind: str, parent: Organisation | None = None) -> Organisation:
        org = people.create_organisation(actor=None, code=code, name=name, kind=kind, parent=parent)
        return people.create_organisation(
            actor=None, code=f"{code}-inno", name="혁신담당관실", kind=OrgKind.DEPARTMENT, parent=org
        )

    depts = [
        agency(
            f"gov-c{i:02d}", n, OrgKind.POLICE if n == "경찰청" else OrgKind.FIRE if n == "소방청" else OrgKind.MINISTRY
        )
        for i, n in enumerate(CENTRAL_AGENCIES)
    ]
    provinces = {}
    for i, n in enumerate(PROVINCES):
        provinces[n] = agency(f"gov-p{i:02d}", n, OrgKind.PROVINCE)
        depts.append(provinces[n])
    for i, (prov, n) in enumerate(CITIES):
        depts.append(agency(f"gov-l{i:02d}", n, OrgKind.LOCAL, provinces[prov].parent))
    mois = depts[0].parent
    assert mois is not None

    def official(username: str, dept: Organisation, grade: int) -> User:
        return people.create_user(
            actor=None,
            username=username,
            display_name=f"{rng.choice(SURNAMES)}{rng.choice(GIVEN)}",
            email=f"{username}@gov.example.kr",
            department=dept,
            grade=grade,
            title=TITLES.get(grade, ""),
        )

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
        d2 = events.add_day(
            actor=facilitator, event=event, date=(first + timedelta(days=1)).date(), title="둘째 날: 공유와 선정"
        )
        hall = events.add_room(actor=facilitator, event=event, name="대강당", capacity=140)
        for name in ("세미나실 A", "세미나실 B", "세미나실 C", "세미나실 D", "라운지"):
            events.add_room(actor=facilitator, event=event, name=name, capacity=rng.choice([20, 25, 30]))
        events.add_tables(actor=facilitator, event=event, count=12, capacity=11, room=hall)
        for day, title, kind, start, hours in [
            (d1, "여는 마당", SessionKind.PLENARY, 9, 1),
            (d1, "분임 토의: 공통 질문", SessionKind.GROUPS, 10, 2),
            (d1, "월드카페: 과제 발굴", SessionKind.CAFE, 13, 1.5),
            (d1, "오픈 스페이스 1", SessionKind.OPEN_SPACE, 15, 1),
            (d1, "오픈 스페이스 2", SessionKind.OPEN_SPACE, 16, 1),
            (d2, "분임 결과 공유", SessionKind.SHARING, 9, 2),
            (d2, "심사와 시상", SessionKind.JUDGING, 13, 2),
        ]:
            starts = datetime.combine(day.date, datetime.min.time(), tzinfo=first.tzinfo).replace(hour=start)
            events.add_session(
                actor=facilitator,
                event=event,
                day=day,
                title=title,
                kind=kind,
                starts_at=starts,
                ends_at=starts + timedelta(hours=hours),
                room=hall,
            )

    now = timezone.localtime()
    first = now.replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=21)
    done = events.create_event(
        actor=facilitator,
        organisation=mois,
        slug="gov-hackathon-2026",
        title="2026 범정부 적극행정 해커톤",
        capacity=120,
        max_per_agency=2,
        junior_grade=6,
        junior_min_percent=50,
        description=(
            "60개 중앙부처와 자치단체에서 두 명씩, 현장에서 시민을 만나는 공무원들이 "
            "이틀 동안 함께 과제를 찾고 다듬었습니다."
        ),
    )
    programme(done, first)
    events.set_event_state(actor=facilitator, event=done, state="open")
    order = crowd[:]
    rng.shuffle(order)
    regs = [
        events.register(
            actor=u,
            event=done,
            gender=rng.choice(["female", "male", ""]),
            job_family=rng.choice(["administration", "administration", "technical", "welfare", "safety"]),
        )
        for u in order
    ]
    confirmed = [r for r in regs if r.state == "confirmed"]
    for table, reg in zip(done.tables.order_by("number"), confirmed[:12], strict=False):
        events.set_table_host(actor=facilitator, table=table, host=reg.user)
    for reg in confirmed[3:]:
        events.check_in(actor=facilitator, registration=reg)
    sessions = {s.kind: s for s in Session.objects.filter(event=done).order_by("-starts_at")}
    groups_session, cafe = sessions[SessionKind.GROUPS], sessions[SessionKind.CAFE]
    events.record_no_shows(actor=facilitator, session=groups_session, absent=confirmed[:3])
    grouping = events.configure_grouping(
        actor=facilitator,
        session=groups_session,
        group_count=12,
        seconds=0.6,
        attributes=["agency", "level", "grade_band", "region", "gender", "job_family"],
    )
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
    events.compute_replan(
        rotation_id=rotation.pk,
        from_round=1,
        absent=[r.pk for r in gone],
        arrived=[r.pk for r in late if r.pk not in seated],
        actor_id=facilitator.pk,
    )
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
    wanted: dict[int, int] = {}
    for user_id, topic_id in (
        Interest.objects.filter(topic__event=done).order_by("pk").values_list("user_id", "topic_id")
    ):
        if str(topic_id) in schedule.placements:
            wanted.setdefault(user_id, topic_id)
    by_pk = {t.pk: t for t in topics}
    for reg in confirmed[3:40]:
        if reg.user_id in wanted:
            events.check_in_to_topic(actor=reg.user, topic=by_pk[wanted[reg.user_id]])
    _load_outputs(rng, facilitator, done, confirmed[3:], grouping.groups)
    events.set_event_state(actor=facilitator, event=done, state="closed")
    events.set_event_state(actor=facilitator, event=done, state="finished")
    Event.objects.filter(pk=done.pk).update(created_at=now - timedelta(days=60))

    soon = events.create_event(
        actor=facilitator,
        organisation=mois,
        slug="gov-hackathon-winter",
        title="2026 겨울 도민·공무원 합동 해커톤",
        capacity=120,
        audience="joint",
        max_per_agency=2,
        junior_grade=6,
        junior_min_percent=50,
        description=(
            "내일 시작합니다. 교통약자 이동 문제를 공무원과 시민 회원이 함께 이틀 동안 풉니다. "
            "체크인 코드는 현장 화면에 나옵니다."
        ),
    )
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
    (
        "민원인이 서류를 더 많이 떼게 만들려면?",
        ["기관마다 같은 서류를 따로 요구한다", "온라인 발급을 막고 방문만 받는다", "처리 상황을 알려 주지 않는다"],
        [
            "행정정보 공동이용으로 한 번 낸 서류는 다시 받지 않는다",
            "모바일 전자증명서를 모든 창구에서 받는다",
            "처리 단계마다 알림톡을 보낸다",
        ],
    ),
    (
        "현장 공무원의 목소리가 위에 닿지 않게 하려면?",
        ["보고는 종이로만 받는다", "제안하면 일이 늘어나게 한다", "결과를 알려 주지 않는다"],
        ["현장 제안 창구를 모바일로 연다", "채택된 제안자에게 업무를 덜어 준다", "제안마다 처리 결과를 공개한다"],
    ),
    (
        "재난 문자를 아무도 읽지 않게 하려면?",
        ["모든 지역에 같은 문자를 보낸다", "새벽에도 소리 나게 보낸다", "행동 요령 없이 상황만 알린다"],
        ["읍면동 단위로 좁혀 보낸다", "긴급도에 따라 알림 방식을 나눈다", "문자마다 할 일 한 가지를 적는다"],
    ),
]
EVENT_TASKS = [
    (
        "행정정보 공동이용으로 '서류 없는 민원' 전면 확대",
        "같은 서류를 기관마다 다시 내지 않도록 공동이용 대상 서류를 넓힙니다.",
    ),
    ("현장 공무원 모바일 제안 창구", "현장의 불편을 그 자리에서 사진과 함께 제안하고, 처리 결과를 공개합니다."),
    ("읍면동 단위 맞춤 재난 문자", "재난 문자를 좁은 지역에 보내고 행동 요령 한 가지를 꼭 넣습니다."),
    ("쉬운 말 공문서 표준", "주민에게 가는 공문서를 쉬운 말 기준으로 다시 씁니다."),
]


def _load_outputs(rng: random.Random, facilitator: User, event: Any, regs: list[Any], groups: list[list[int]]) -> None:
    """The finished hackathon's results: boards of every method, a day-two gallery, judging of the
    best tasks and groups with awards, and the agreed tasks sent to every participating agency,
    answered by a few of them in several ways."""

    sessions = {s.kind: s for s in Session.objects.filter(event=event)}
    groups_session, cafe, sharing = (
        sessions[SessionKind.GROUPS],
        sessions[SessionKind.CAFE],
        sessions[SessionKind.SHARING],
    )
    by_pk = {r.pk: r for r in regs}
    members = [[by_pk[p] for p in g if p in by_pk] for g in groups]
    reverse = []
    for g, (prompt, worse, fixes) in enumerate(REVERSE_BOARDS):
        board = events.create_board(
            actor=facilitator,
            session=groups_session,
            kind=BoardKind.REVERSE,
            group=g + 1,
            title=f"{g + 1}분임 역발상 게임",
            prompt=prompt,
        )
        people_here = members[g] or regs
        for k, (w, f) in enumerate(zip(worse, fixes, strict=True)):
            item = events.post_item(actor=people_here[k % len(people_here)].user, board=board, text=w, anonymous=k == 1)
            events.post_item(actor=people_here[(k + 1) % len(people_here)].user, board=board, text=f, turns=item)
        reverse.append(board)
    for g in range(2):
        jam = events.create_board(
            actor=facilitator, session=groups_session, kind=BoardKind.JAM, group=g + 1, title=f"{g + 1}분임 그래픽 잼"
        )
        img = Image.new("RGB", (480, 320), "#f6f1e7")
        draw = ImageDraw.Draw(img)
        for i in range(6):
            draw.ellipse(
                (30 + i * 70, 120 - i * 8, 90 + i * 70, 180 + i * 8),
                outline=["#0b5cad", "#e8a33d", "#1a7f37"][i % 3],
                width=6,
            )
        buf = io.BytesIO()
        img.save(buf, "PNG")
        who = (members[g] or regs)[0]
        events.add_photo(
            actor=who.user,
            board=jam,
            upload=SimpleUploadedFile("jam.png", buf.getvalue()),
            caption=f"{g + 1}분임이 그린 '민원인의 하루'",
        )
    for t, table in enumerate(event.tables.order_by("number")[:4]):
        harvest = events.create_board(
            actor=facilitator,
            session=cafe,
            kind=BoardKind.HARVEST,
            table=table,
            round_no=1,
            title=f"{table.number}번 테이블 1라운드 수확",
        )
        for k in range(2):
            events.post_item(
                actor=regs[(t * 5 + k) % len(regs)].user,
                board=harvest,
                text=rng.choice(
                    [
                        "주민은 기관을 구분하지 않는다",
                        "한 번 낸 정보는 다시 묻지 말자",
                        "현장 사진 한 장이 보고서보다 빠르다",
                        "결과를 알려 주면 다시 제안한다",
                    ]
                ),
                anonymous=k == 1,
            )
    dots = events.create_board(
        actor=facilitator, session=sharing, kind=BoardKind.DOTS, title="둘째 날 과제 고르기", dots_per_person=3
    )
    items = [events.post_item(actor=facilitator, board=dots, text=title) for title, _d in EVENT_TASKS]
    for i, reg in enumerate(regs[:60]):
        for k in range(3):
            events.place_dot(
                actor=reg.user, item=items[min(int(rng.random() ** 1.6 * len(items)), len(items) - 1) if k else i % 2]
            )
    for i, board in enumerate(reverse):
        events.add_supplement(
            actor=regs[-1 - i].user,
            board=board,
            body="우리 기관도 비슷한 문제를 겪었습니다. 시범 지역을 함께 정하면 좋겠습니다.",
            anonymous=i == 0,
        )
    tasks = []
    for i, (title, description) in enumerate(EVENT_TASKS):
        # Each task was picked on the dot-voting board; the first three grew out of a group's reverse game.
        tasks.append(
            events.create_task(
                actor=facilitator,
                event=event,
                title=title,
                description=description,
                board=dots,
                item=items[i],
                group=reverse[i].group if i < len(reverse) else None,
            )
        )
    judging_session = sessions[SessionKind.JUDGING]
    jury = [r.user for r in regs[-3:]]
    for of, title in [(JudgingOf.TASKS, "최우수 과제"), (JudgingOf.GROUPS, "최우수 분임")]:
        judging = events.create_judging(
            actor=facilitator,
            event=event,
            of=of,
            title=title,
            session=judging_session,
            jury_percent=60,
            votes_per_person=2,
            criteria=[
                events.CriterionIn("실현 가능성", 3, 5),
                events.CriterionIn("기대 효과", 3, 5),
                events.CriterionIn("확산 가능성", 2, 5),
            ],
        )
        events.assign_jurors(actor=facilitator, judging=judging, users=jury)
        cands = list(judging.candidates.all())
        for juror in jury:
            for c in cands:
                events.score_candidate(
                    actor=juror, candidate=c, values={k.pk: rng.randint(2, 5) for k in judging.criteria.all()}
                )
        for reg in regs[:80]:
            for c in rng.sample(cands, min(2, len(cands))):
                events.cast_vote(actor=reg.user, candidate=c)
        events.publish_results(actor=facilitator, judging=judging)
        best = judging_results(judging)[0]
        events.give_award(
            actor=facilitator, judging=judging, candidate=judging.candidates.get(pk=best.candidate), title="대상"
        )
    # The agreed tasks become proposals of the ministry's follow-up call, routed to every agency.
    mois = event.organisation
    people.grant_role(actor=None, user=facilitator, role=Role.INNOVATION_TEAM, organisation=mois)
    now = timezone.now()
    call = calls.create_call(
        actor=facilitator,
        slug="gov-hackathon-2026-tasks",
        title="2026 범정부 해커톤 합의 과제",
        organisation=mois,
        description="<p>해커톤에서 합의한 과제를 참가 기관에 보내고 답변을 받습니다.</p>",
        phases=[calls.PhaseSpec(PhaseKind.SUBMISSION, now - timedelta(days=20), now + timedelta(days=60))],
    )
    agencies = participating_agencies(event)
    answering = agencies[:5]
    liaisons = {}
    for agency in answering:
        dept = receiving_department(agency)
        person = next(r.user for r in regs if r.agency_id == agency.pk)
        people.grant_role(actor=None, user=person, role=Role.LIAISON, organisation=dept)
        liaisons[agency.pk] = person
    for task in tasks[:3]:
        events.agree_task(actor=facilitator, task=task)
        routings = events.send_task(
            actor=facilitator, task=task, call=call, answer_due=timezone.localdate() + timedelta(days=14)
        )
        by_agency = {r.department.agency().pk: r for r in routings}
        plan = [
            ("accept", ""),
            ("partial", "예산 범위에서 일부 서류부터 시작합니다."),
            ("decline", "이미 같은 사업을 추진하고 있습니다."),
            ("accept", ""),
            (None, ""),
        ]
        for agency, (kind, reason) in zip(answering, plan, strict=True):
            if kind is None:
                continue
            routing = by_agency[agency.pk]
            followup.answer_routing(actor=liaisons[agency.pk], routing=routing, kind=kind, reason=reason)
            if kind == "accept":
                followup.post_execution_update(
                    actor=liaisons[agency.pk], routing=routing, state="in_progress", percent=rng.choice([20, 40, 60])
                )
        # Some agencies let the deadline pass: a third of the silent ones are overdue.
        silent = [r.pk for a, r in by_agency.items() if a not in {x.pk for x in answering[:4]}]
        late = silent[::3]
        Routing.objects.filter(pk__in=late).update(answer_due=timezone.localdate() - timedelta(days=2))
        restate_routings(late)


def joint_event() -> Event:
    """The joint hackathon that starts tomorrow (its citizen seats are drawn by madang/citizens/demo.py)."""
    return Event.objects.get(slug="gov-hackathon-winter")


def seat_lottery_winners(event: Event) -> int:
    """The citizen members who confirmed a seat drawn by the event's lottery register for it."""
    draw = seats.lottery_for(f"event:{event.pk}")
    winners = list(User.objects.filter(pk__in=draw.confirmed).order_by("pk")) if draw is not None else []
    for user in winners:
        events.register(actor=user, event=event)
    return len(winners)
