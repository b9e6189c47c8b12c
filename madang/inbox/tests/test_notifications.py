"""Who hears about what: followers of a proposal, never the actor, minus muted kinds."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone, translation

from madang.calls import services as calls
from madang.calls.models import PhaseKind
from madang.followup import services as followup
from madang.followup.models import AnswerKind, ExecutionState, Routing
from madang.inbox import services
from madang.inbox.models import Notification, NotificationKind
from madang.review import services as review
from madang.testing import set_phase


def told(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("user__username", flat=True))


@pytest.fixture
def followed(cast):
    """김민지's proposal, co-written with 박지훈 and supported by 이서준 and 정하늘."""
    p = cast.proposal(submit=False)
    cast.coauthor(p, cast.jihoon)
    p = calls.submit_proposal(actor=cast.minji, proposal=p)
    calls.support_proposal(actor=cast.seojun, proposal=p)
    calls.support_proposal(actor=cast.haneul, proposal=p)
    set_phase(cast.call, PhaseKind.SELECTION)
    return p


def test_it_tells_authors_and_supporters_about_a_decision(cast, followed):
    review.select_proposal(actor=cast.doyun, proposal=followed)
    assert told(NotificationKind.DECISION) == ["haneul", "jihoon", "minji", "seojun"]


def test_it_does_not_tell_the_actor_about_their_own_action(cast, followed):
    set_phase(cast.call, PhaseKind.REVIEW)
    calls.support_proposal(actor=cast.doyun, proposal=followed)
    review.select_proposal(actor=cast.doyun, proposal=followed)
    assert "doyun" not in told(NotificationKind.DECISION)
    calls.add_comment(actor=cast.seojun, proposal=followed, body="축하합니다")
    assert "seojun" not in told(NotificationKind.COMMENT)
    assert "minji" in told(NotificationKind.COMMENT)


def test_it_tells_followers_about_answers_and_execution(cast, followed):
    review.route_decision(
        actor=cast.doyun,
        proposal=followed,
        department=cast.transport,
        answer_due=timezone.localdate() + timedelta(days=10),
    )
    routing = Routing.objects.get()
    followup.answer_routing(actor=cast.sohee, routing=routing, kind=AnswerKind.ACCEPT)
    followup.post_execution_update(actor=cast.sohee, routing=routing, state=ExecutionState.IN_PROGRESS, percent=50)
    followers = ["haneul", "jihoon", "minji", "seojun"]
    assert told(NotificationKind.ROUTED) == sorted([*followers, "sohee"])
    assert told(NotificationKind.ANSWERED) == followers
    assert told(NotificationKind.EXECUTION) == followers


def test_it_respects_muted_kinds(cast, followed):
    services.set_preferences(actor=cast.seojun, email_mode="immediate", muted_kinds=["decision", "comment"])
    review.select_proposal(actor=cast.doyun, proposal=followed)
    calls.add_comment(actor=cast.jihoon, proposal=followed, body="감사합니다")
    assert "seojun" not in told(NotificationKind.DECISION)
    assert "seojun" not in told(NotificationKind.COMMENT)
    assert "haneul" in told(NotificationKind.DECISION)


def test_it_skips_deactivated_followers(cast, followed):
    cast.haneul.is_active = False
    cast.haneul.save(update_fields=["is_active"])
    review.select_proposal(actor=cast.doyun, proposal=followed)
    assert "haneul" not in told(NotificationKind.DECISION)


def test_it_describes_a_decision_in_the_readers_language(cast, followed):
    with translation.override("ko"):
        review.select_proposal(actor=cast.doyun, proposal=followed)
    note = Notification.objects.get(user=cast.minji, kind=NotificationKind.DECISION)
    with translation.override("en"):
        assert "Selected for a lab" in services.describe(note)
    with translation.override("ko"):
        assert "혁신랩 과제 선정" in services.describe(note)


def test_it_marks_notifications_read(cast, followed):
    review.select_proposal(actor=cast.doyun, proposal=followed)
    mine = Notification.objects.filter(user=cast.minji)
    assert services.mark_read(actor=cast.minji) == mine.count() == 1
    assert services.mark_read(actor=cast.minji) == 0
    assert Notification.objects.filter(user=cast.seojun, read_at__isnull=True).count() == 1


def test_every_page_shows_the_reader_their_own_unread_count(cast):
    """The header's badge counts the reader's unread notifications only (one plain COUNT a page)."""
    for read_at in (None, None, timezone.now()):
        Notification.objects.create(user=cast.minji, kind=NotificationKind.COMMENT, read_at=read_at)
    Notification.objects.create(user=cast.jihoon, kind=NotificationKind.COMMENT)
    c = Client()
    c.force_login(cast.minji)
    assert re.search(r'<span class="badge" aria-label="[^"]*2[^"]*">2</span>', c.get("/calls/").content.decode())
    Notification.objects.filter(user=cast.minji).update(read_at=timezone.now())
    assert 'class="badge"' not in c.get("/calls/").content.decode()
