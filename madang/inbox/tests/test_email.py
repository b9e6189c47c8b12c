"""E-mail: immediately after commit, or one daily digest, in the recipient's language."""

from datetime import timedelta

import pytest
from django.utils import timezone

from madang.calls import services as calls
from madang.calls.models import PhaseKind
from madang.core.errors import DomainError
from madang.inbox import services
from madang.inbox.models import Notification
from madang.people import services as people
from madang.review import services as review
from madang.testing import set_phase


@pytest.fixture
def proposal(cast):
    p = cast.proposal()
    calls.support_proposal(actor=cast.seojun, proposal=p)
    set_phase(cast.call, PhaseKind.SELECTION)
    return p


def test_it_mails_immediately_after_commit(cast, proposal, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as pending:
        review.select_proposal(actor=cast.doyun, proposal=proposal)
        assert mailoutbox == []
    assert mailoutbox == []  # nothing leaves before the transaction commits
    for callback in pending:
        callback()
    assert sorted(m.to[0] for m in mailoutbox) == ["minji@example.kr", "seojun@example.kr"]
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_it_mails_nothing_when_the_decision_rolls_back(cast, proposal, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError):
        review.route_decision(
            actor=cast.doyun,
            proposal=proposal,
            department=cast.transport,
            answer_due=timezone.localdate() - timedelta(days=1),
        )
    assert mailoutbox == []
    assert not Notification.objects.exists()


def test_it_writes_in_the_recipients_language(cast, proposal, mailoutbox, django_capture_on_commit_callbacks):
    people.set_language(actor=cast.seojun, language="en")
    services.set_preferences(actor=cast.seojun, email_mode="immediate", muted_kinds=[])
    with django_capture_on_commit_callbacks(execute=True):
        review.select_proposal(actor=cast.doyun, proposal=proposal)
    by_to = {m.to[0]: m for m in mailoutbox}
    korean, english = by_to["minji@example.kr"], by_to["seojun@example.kr"]
    assert "김민지 님, 안녕하세요." in korean.body
    assert "혁신랩 과제 선정" in korean.body
    assert "Hello 이서준," in english.body
    assert "Selected for a lab" in english.body
    assert "혁신" not in english.body
    assert english.subject.startswith("[Madang] ")


def test_it_sends_no_immediate_mail_to_digest_or_silent_users(
    cast, proposal, mailoutbox, django_capture_on_commit_callbacks
):
    services.set_preferences(actor=cast.minji, email_mode="daily", muted_kinds=[])
    services.set_preferences(actor=cast.seojun, email_mode="none", muted_kinds=[])
    with django_capture_on_commit_callbacks(execute=True):
        review.select_proposal(actor=cast.doyun, proposal=proposal)
    assert mailoutbox == []
    assert Notification.objects.count() == 2


def test_it_groups_a_daily_digest_per_user_and_marks_it_sent(
    cast, proposal, mailoutbox, django_capture_on_commit_callbacks
):
    for person in (cast.minji, cast.seojun):
        services.set_preferences(actor=person, email_mode="daily", muted_kinds=[])
    people.set_language(actor=cast.jihoon, language="en")
    services.set_preferences(actor=cast.jihoon, email_mode="daily", muted_kinds=[])
    set_phase(cast.call, PhaseKind.REVIEW)
    calls.support_proposal(actor=cast.jihoon, proposal=proposal)
    with django_capture_on_commit_callbacks(execute=True):
        calls.add_comment(actor=cast.yuna, proposal=proposal, body="좋은 제안입니다")
        calls.add_comment(actor=cast.haneul, proposal=proposal, body="동의합니다")
        review.select_proposal(actor=cast.doyun, proposal=proposal)
    assert mailoutbox == []

    assert services.send_daily_digests(now=timezone.now() + timedelta(minutes=1)) == 3

    by_to = {m.to[0]: m for m in mailoutbox}
    assert set(by_to) == {"minji@example.kr", "seojun@example.kr", "jihoon@example.kr"}
    assert by_to["minji@example.kr"].subject == "[마당] 하루 모음 메일: 새 소식 3건"
    assert by_to["minji@example.kr"].body.count("\n- ") == 3
    assert by_to["jihoon@example.kr"].subject == "[Madang] Your daily digest: 3 updates"
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    assert services.send_daily_digests(now=timezone.now() + timedelta(minutes=2)) == 0
    assert len(mailoutbox) == 3


def test_it_leaves_old_and_future_notifications_out_of_the_digest(cast, proposal, mailoutbox):
    services.set_preferences(actor=cast.minji, email_mode="daily", muted_kinds=[])
    review.select_proposal(actor=cast.doyun, proposal=proposal)
    assert services.send_daily_digests(now=timezone.now() + timedelta(days=3)) == 0
    assert services.send_daily_digests(now=timezone.now() - timedelta(hours=1)) == 0
    assert services.send_daily_digests(now=timezone.now() + timedelta(minutes=1)) == 1
