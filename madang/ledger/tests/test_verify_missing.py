"""A live record that implies an entry but has none is found (issue 12 §2, the kinds that lacked a `missing` check).

The story of scenario.py (김민지's proposals, a pool drawn by lot, a hackathon judged); then someone
inserts or edits rows in the database without going through the services, so no entry is written.
"""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from madang.citizens import services as citizens
from madang.citizens.models import InvitationPool
from madang.events.models import (
    Day,
    Grouping,
    Judging,
    PlanState,
    Rotation,
    Schedule,
    Session,
    SessionKind,
    Task,
)
from madang.insight.models import Idea, Moderation, OpinionSnapshot, RankingSnapshot, Statement
from madang.ledger.tests.scenario import build_history
from madang.ledger.verify import verify_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(cast):
    return build_history(cast)


def missing_records(findings):
    return [f.what for f in findings if f.field == "record"]


def assert_found(text):
    found = missing_records(verify_all())
    assert any(text in what for what in found), found


def test_it_finds_nothing_missing_in_the_untouched_story(story):
    assert missing_records(verify_all()) == []


def test_it_finds_a_pool_closed_behind_the_ledgers_back(story):
    now = timezone.now()
    pool = citizens.create_pool(
        actor=story.cast.doyun,
        organisation=story.cast.province,
        title="두 번째 풀",
        k=2,
        attributes=["gender"],
        quotas={},
        opens_at=now,
        closes_at=now + timedelta(days=3),
    )
    InvitationPool.objects.filter(pk=pool.pk).update(closed_at=now)
    assert_found(f"closed pool {pool.pk} has no citizens.pool_closed entry")


def test_it_finds_a_task_marked_agreed_without_an_entry(story):
    task = Task.objects.filter(event=story.judging.event, agreed_at__isnull=True).first()
    Task.objects.filter(pk=task.pk).update(agreed_at=timezone.now())
    assert_found(f"agreed task {task.pk} has no events.task_agreed entry")


def test_it_finds_a_task_marked_sent_without_an_entry(story):
    task = Task.objects.filter(event=story.judging.event).first()
    Task.objects.filter(pk=task.pk).update(proposal=story.routed)
    assert_found(f"task {task.pk} was sent as a proposal and has no events.task_sent entry")


def test_it_finds_a_judging_inserted_without_an_entry(story):
    j = Judging.objects.get(pk=story.judging.pk)
    j.pk = None
    j.save()
    assert_found(f"judging {j.pk} has no events.judging_opened entry")


def test_it_finds_plans_published_without_entries(story):
    event = story.judging.event
    day = Day.objects.create(event=event, date=date(2026, 12, 24))
    start = timezone.now()
    groups, cafe = (
        Session.objects.create(
            event=event, day=day, title=t, kind=k, starts_at=start, ends_at=start + timedelta(hours=1)
        )
        for t, k in (("분임", SessionKind.GROUPS), ("월드카페", SessionKind.CAFE))
    )
    Grouping.objects.create(session=groups, state=PlanState.PUBLISHED, groups=[[1, 2]])
    Rotation.objects.create(session=cafe, state=PlanState.PUBLISHED, plan=[[[1, 2]]])
    Schedule.objects.create(event=event, state=PlanState.PUBLISHED)
    assert_found(f"of session {groups.pk} has no events.groups_formed entry")
    assert_found(f"of session {cafe.pk} has no events.rotation_published entry")
    assert_found(f"of event {event.pk} has no events.schedule_published entry")


def test_it_finds_moderation_and_snapshots_without_entries(story):
    call, minji = story.cast.call, story.cast.minji
    statement = Statement.objects.create(call=call, text="몰래 승인된 의견", author=minji, state=Moderation.APPROVED)
    idea = Idea.objects.create(call=call, text="몰래 거절된 아이디어", author=minji, state=Moderation.REJECTED)
    opinions = OpinionSnapshot.objects.create(call=call, n_participants=1, n_votes=1, data={})
    ranking = RankingSnapshot.objects.create(call=call, n_votes=1, data={})
    found = missing_records(verify_all())
    assert any(f"moderated statement {statement.pk} has no insight.statement_moderated entry" in w for w in found), (
        found
    )
    assert any(f"rejected idea {idea.pk} has no insight.idea_moderated entry" in w for w in found), found
    assert any(f"snapshot {opinions.pk} has no insight.opinion_map entry" in w for w in found), found
    assert any(f"snapshot {ranking.pk} has no insight.wiki_ranking entry" in w for w in found), found


def test_it_accepts_moderation_done_through_the_services(story):
    from madang.insight import services as insight

    call, doyun = story.cast.call, story.cast.doyun
    insight.add_statement(actor=doyun, call=call, text="팀이 올린 의견")
    idea = insight.add_idea(actor=doyun, call=call, text="팀이 올린 아이디어")
    insight.moderate_idea(actor=doyun, idea=idea, approve=False)
    assert missing_records(verify_all()) == []
