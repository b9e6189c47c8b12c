import pytest

from madang.calls import services
from madang.calls.models import Comment, PhaseKind, Report
from madang.core.errors import DomainError, Forbidden
from madang.inbox.models import Notification, NotificationKind
from madang.inbox.services import describe
from madang.testing import set_phase


def test_it_counts_comments_and_replies(cast):
    p = cast.proposal()
    first = services.add_comment(actor=cast.seojun, proposal=p, body="좋은 생각입니다")
    reply = services.add_comment(actor=cast.minji, proposal=p, body="감사합니다", parent=first)
    p.refresh_from_db()
    assert p.comment_count == 2
    assert reply.parent == first
    assert list(first.replies.all()) == [reply]


def test_it_keeps_replies_one_level_deep(cast):
    p = cast.proposal()
    first = services.add_comment(actor=cast.seojun, proposal=p, body="질문이 있습니다")
    reply = services.add_comment(actor=cast.minji, proposal=p, body="답변입니다", parent=first)
    deeper = services.add_comment(actor=cast.jihoon, proposal=p, body="저도 궁금합니다", parent=reply)
    assert deeper.parent == first
    assert first.replies.count() == 2


def test_it_refuses_a_reply_to_another_proposals_comment(cast):
    p = cast.proposal()
    other = cast.proposal(author=cast.jihoon, title="교통 신호 개선")
    elsewhere = services.add_comment(actor=cast.seojun, proposal=other, body="의견")
    with pytest.raises(DomainError) as err:
        services.add_comment(actor=cast.seojun, proposal=p, body="답글", parent=elsewhere)
    assert err.value.code == "bad_parent"
    p.refresh_from_db()
    assert p.comment_count == 0


def test_it_refuses_empty_and_overlong_comments(cast):
    p = cast.proposal()
    with pytest.raises(DomainError) as err:
        services.add_comment(actor=cast.seojun, proposal=p, body="   ")
    assert err.value.code == "required"
    with pytest.raises(DomainError) as err:
        services.add_comment(actor=cast.seojun, proposal=p, body="가" * 4001)
    assert err.value.code == "too_long"
    assert not Comment.objects.exists()


def test_it_keeps_comments_open_after_the_submission_phase(cast):
    p = cast.proposal()
    set_phase(cast.call, PhaseKind.FOLLOW_THROUGH)
    services.add_comment(actor=cast.jihoon, proposal=p, body="진행 상황이 궁금합니다")
    p.refresh_from_db()
    assert p.comment_count == 1


def test_it_refuses_comments_on_drafts(cast):
    p = cast.proposal(submit=False)
    with pytest.raises(DomainError) as err:
        services.add_comment(actor=cast.minji, proposal=p, body="메모")
    assert err.value.code == "closed"


def test_it_tells_the_author_but_not_the_commenter(cast):
    p = cast.proposal()
    services.add_comment(actor=cast.seojun, proposal=p, body="좋습니다")
    assert list(Notification.objects.values_list("user__username", "kind")) == [("minji", NotificationKind.COMMENT)]


def test_it_hides_a_reported_comment_and_tells_its_author_why(cast):
    p = cast.proposal()
    rude = services.add_comment(actor=cast.seojun, proposal=p, body="쓸데없는 제안")
    report = services.report_content(actor=cast.jihoon, comment=rude, reason="비방")
    assert report.proposal is None
    assert report.comment == rude

    services.hide_comment(actor=cast.doyun, comment=rude, reason="비방성 표현")

    rude.refresh_from_db()
    report.refresh_from_db()
    assert rude.is_hidden
    assert rude.hidden_reason == "비방성 표현"
    assert rude.hidden_by == cast.doyun
    assert report.resolved_by == cast.doyun
    assert report.resolved_at is not None
    note = Notification.objects.get(user=cast.seojun, kind=NotificationKind.MODERATED)
    assert note.params == {"reason": "비방성 표현", "what": "comment"}
    assert "비방성 표현" in describe(note)


def test_it_lets_only_the_team_hide_comments(cast):
    p = cast.proposal()
    c = services.add_comment(actor=cast.seojun, proposal=p, body="의견")
    for person in (cast.minji, cast.jihoon, cast.yuna):
        with pytest.raises(Forbidden):
            services.hide_comment(actor=person, comment=c, reason="싫어요")
    c.refresh_from_db()
    assert not c.is_hidden


def test_it_needs_a_reason_to_hide(cast):
    p = cast.proposal()
    c = services.add_comment(actor=cast.seojun, proposal=p, body="의견")
    with pytest.raises(DomainError) as err:
        services.hide_comment(actor=cast.doyun, comment=c, reason=" ")
    assert err.value.code == "required"
    with pytest.raises(DomainError):
        services.hide_proposal(actor=cast.doyun, proposal=p, reason="")
    c.refresh_from_db()
    p.refresh_from_db()
    assert not c.is_hidden
    assert p.hidden_at is None


def test_it_needs_a_reason_to_report(cast):
    p = cast.proposal()
    with pytest.raises(DomainError) as err:
        services.report_content(actor=cast.jihoon, proposal=p, reason="")
    assert err.value.code == "required"
    assert not Report.objects.exists()


def test_it_refuses_reports_on_what_the_reporter_cannot_see(cast):
    p = cast.proposal(submit=False)
    with pytest.raises(DomainError) as err:
        services.report_content(actor=cast.jihoon, proposal=p, reason="스팸")
    assert err.value.code == "forbidden"


def test_it_hides_a_proposal_from_everyone_but_its_author_and_the_team(cast):
    from madang.calls import selectors
    from madang.core.errors import NotFound

    p = cast.proposal()
    services.report_content(actor=cast.jihoon, proposal=p, reason="개인정보 노출")
    services.hide_proposal(actor=cast.doyun, proposal=p, reason="개인정보가 포함되어 있습니다")

    with pytest.raises(NotFound):
        selectors.access_proposal(cast.jihoon, p.pk)
    assert p not in selectors.visible_proposals(cast.jihoon, cast.call)
    assert selectors.access_proposal(cast.minji, p.pk).hidden_reason == "개인정보가 포함되어 있습니다"
    assert selectors.access_proposal(cast.doyun, p.pk) == p
    assert Report.objects.get().resolved_by == cast.doyun
    note = Notification.objects.get(user=cast.minji, kind=NotificationKind.MODERATED)
    assert "개인정보가 포함되어 있습니다" in describe(note)
