"""The demo scenario: 한빛도 (Hanbit Province) runs its 2026 call for proactive-administration ideas.

Everything is created through the services, as real users would, so the demo exercises
the same rules as production. Only timestamps are moved afterwards (the scenario spans
weeks that a demo cannot wait for): the finished call ran 13 May – 4 June, reviews in
June, decisions and routings in July, answers and execution reports since.

Each app loads its own part (madang/<app>/demo.py); this module tells the story in order and
lists the logins. The random draws are one stream, taken in the order below: change the order
and the demo's content changes.
"""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from madang.calls import demo as calls_demo
from madang.calls.models import Call, Proposal
from madang.citizens import demo as citizens_demo
from madang.events import demo as events_demo
from madang.events import seats as event_seats
from madang.followup import demo as followup_demo
from madang.insight import demo as insight_demo
from madang.labs import demo as labs_demo
from madang.people import demo as people_demo
from madang.people.demo import DEMO_PASSWORD
from madang.review import demo as review_demo
from madang.suggestions import demo as suggestions_demo

__all__ = ["DEMO_PASSWORD", "DemoLogins", "is_loaded", "load"]


@dataclass
class DemoLogins:
    rows: list[tuple[str, str, str]]


@transaction.atomic
def load(seed: int = 2026) -> DemoLogins:
    rng = random.Random(seed)
    now = timezone.now()
    hanbit = people_demo.load(rng)

    # ---- the finished call: created with submission running, then moved through its phases
    finished, proposals = calls_demo.load_finished_call(rng, hanbit, now)
    routed = review_demo.review_and_decide(rng, hanbit, finished, proposals)
    today = timezone.localdate()
    routings = followup_demo.answer_routings(rng, hanbit, routed, today)

    # ---- move the finished call's history into the past
    base = now - timedelta(days=190)
    calls_demo.move_into_the_past(rng, finished, proposals, base, now)
    review_demo.move_into_the_past(finished, base)
    followup_demo.move_into_the_past(finished, routings, base, today)

    team = hanbit.team
    labs_demo.load(rng, team, hanbit.officials, Proposal.objects.get(pk=proposals[0].pk), hanbit.province, hanbit.depts)
    citizens_demo.load(rng, team, hanbit.citizen, hanbit.province, hanbit.password_hash)
    events_demo.load(rng, team, hanbit.password_hash)
    # The joint hackathon's citizen seats come from its lottery, drawn before the event (no random draws).
    winter = events_demo.joint_event()
    start = event_seats.starts_at(winter)
    assert start is not None
    citizens_demo.draw_event_seats(team, hanbit.province, event_seats.subject_of(winter), start)
    events_demo.seat_lottery_winners(winter)
    suggestions_demo.load(hanbit, today)

    # ---- the open call, officials and citizens together
    open_call = calls_demo.load_open_call(rng, hanbit, now)
    insight_demo.load(rng, team, open_call, hanbit.password_hash)
    return DemoLogins(
        [
            ("admin", DEMO_PASSWORD, "관리자 / administrator"),
            ("team", DEMO_PASSWORD, "혁신팀 / innovation team"),
            ("reviewer", DEMO_PASSWORD, "심사위원 / reviewer"),
            ("liaison", DEMO_PASSWORD, "교통정책과 연락관 / liaison (Transport)"),
            ("official", DEMO_PASSWORD, "공무원 / official (7급, 민원봉사과)"),
            ("citizen", DEMO_PASSWORD, "시민 회원 / citizen member"),
            ("facilitator", DEMO_PASSWORD, "퍼실리테이터 / facilitator (행정안전부 해커톤)"),
        ]
    )


def is_loaded() -> bool:
    return Call.objects.filter(slug="hanbit-2026-ideas").exists()
