"""Each step of a suggestion's life, who may take it (every other role is refused and nothing
changes), what it records and whom it tells."""

from datetime import date

import pytest

from madang.core.errors import DomainError, Forbidden
from madang.inbox.models import Notification, NotificationKind
from madang.inbox.services import describe
from madang.ledger.models import Entry
from madang.suggestions import services
from madang.suggestions.models import (
    DecisionOutcome,
    RulingKind,
    Stage,
    Suggestion,
    Transfer,
    TransferChannel,
)
from madang.suggestions.services import Adoption
from madang.suggestions.tests.conftest import RECEIVED, file

pytestmark = pytest.mark.django_db

ROLES = ["proposer", "official", "liaison", "other_liaison", "reviewer", "outsider", "team", "admin"]
PERSONA = {
    "proposer": "garam",
    "official": "seojun",
    "liaison": "sohee",
    "other_liaison": "sehun",
    "reviewer": "yuna",
    "outsider": "bada",
    "team": "doyun",
    "admin": "admin",
}


def refused(cast, allowed, act):
    """`act(user)` raises Forbidden for every role not in `allowed`."""
    for role in ROLES:
        if role in allowed:
            continue
        with pytest.raises(Forbidden):
            act(getattr(cast, PERSONA[role]))


def entries(kind):
    return Entry.objects.filter(kind=kind).count()


def told(user, step):
    return [
        n
        for n in Notification.objects.filter(user=user, kind=NotificationKind.SUGGESTION)
        if n.params.get("step") == step
    ]


def not_adopted(cast, s, on=date(2025, 3, 20)):
    return services.decide(
        actor=cast.doyun,
        suggestion=s,
        outcome=DecisionOutcome.NOT_ADOPT,
        ground="impracticable",
        explanation="예산과 인력 사정상 당장 적용하기 어렵습니다.",
        panel=[cast.yuna],
        today=on,
    )


def adopted(cast, s, on=date(2025, 3, 20), **kw):
    return services.decide(
        actor=cast.doyun,
        suggestion=s,
        outcome=DecisionOutcome.ADOPT,
        explanation="정류장 안내 개선에 채택합니다.",
        panel=[cast.yuna, cast.haneul],
        adoption=Adoption(department=cast.transport, **kw),
        today=on,
    )


def test_it_stops_the_decision_clock_while_a_supplement_is_out_and_runs_it_again_after(cast, citizen_suggestion):
    s = citizen_suggestion
    ask = dict(
        suggestion=s, question="정류장 위치를 알려 주십시오.", answer_by=date(2025, 3, 21), today=date(2025, 3, 14)
    )
    refused(cast, {"team", "admin"}, lambda u: services.request_supplement(actor=u, **ask))
    x = services.request_supplement(actor=cast.doyun, **ask)
    s.refresh_from_db()
    assert s.decision_due is None  # stopped
    assert told(cast.garam, "supplement_requested")
    with pytest.raises(DomainError) as e:
        services.request_supplement(actor=cast.doyun, **{**ask, "today": date(2025, 3, 15)})
    assert e.value.code == "open_request"
    refused(
        cast,
        {"proposer"},
        lambda u: services.answer_supplement(actor=u, supplement=x, answer="시청 앞", today=date(2025, 3, 19)),
    )
    services.answer_supplement(actor=cast.garam, supplement=x, answer="시청 앞 정류장입니다.", today=date(2025, 3, 19))
    s.refresh_from_db()
    # Stopped after the 14th up to and including the 19th: five days added to Thu 4-10 → Tue 4-15.
    assert s.decision_due == date(2025, 4, 15)
    assert entries("suggestion.supplement_requested") == entries("suggestion.supplement_closed") == 1
    assert told(cast.doyun, "supplement_answered")


def test_it_lets_the_office_ask_for_a_supplement_only_within_the_packs_window(cast, citizen_suggestion):
    with pytest.raises(DomainError) as e:
        services.request_supplement(
            actor=cast.doyun,
            suggestion=citizen_suggestion,
            question="더 알려 주십시오",
            answer_by=date(2025, 3, 25),
            today=date(2025, 3, 18),
        )
    assert e.value.code == "window_closed"
    with pytest.raises(DomainError) as e:
        services.request_supplement(
            actor=cast.doyun,
            suggestion=citizen_suggestion,
            question="더 알려 주십시오",
            answer_by=date(2025, 3, 17),
            today=date(2025, 3, 17),
        )
    assert e.value.field == "answer_by"


def test_it_decides_with_a_ground_of_the_pack_and_tells_the_proposer_the_window_to_ask_again(cast, citizen_suggestion):
    s = citizen_suggestion
    refused(
        cast,
        {"team", "admin"},
        lambda u: services.decide(
            actor=u,
            suggestion=s,
            outcome="not_adopt",
            ground="impracticable",
            explanation="사유",
            panel=[cast.yuna],
            today=RECEIVED,
        ),
    )
    with pytest.raises(DomainError) as e:  # a ground of another outcome
        services.decide(
            actor=cast.doyun,
            suggestion=s,
            outcome="not_adopt",
            ground="mere_complaint",
            explanation="사유",
            panel=[cast.yuna],
            today=RECEIVED,
        )
    assert e.value.field == "ground"
    with pytest.raises(DomainError) as e:  # the proposer cannot review it
        services.decide(
            actor=cast.doyun,
            suggestion=s,
            outcome="not_adopt",
            ground="impracticable",
            explanation="사유",
            panel=[cast.garam],
            today=RECEIVED,
        )
    assert e.value.field == "panel"
    d = not_adopted(cast, s)
    s.refresh_from_db()
    assert s.stage == Stage.NOT_ADOPTED and d.on_time is True
    # 15 days from the notice of Thu 3-20, counting from the 21st: Fri 4-4.
    assert d.reexamination_until == date(2025, 4, 4)
    [note] = told(cast.garam, "not_adopt")
    assert "2025-04-04" in describe(note) and "일반 통념상" in describe(note)
    with pytest.raises(DomainError) as e:
        not_adopted(cast, s)
    assert e.value.code == "decided"


def test_it_hands_a_civil_complaint_to_the_minwon_channel_with_a_transfer_record(cast, citizen_suggestion):
    s = citizen_suggestion
    with pytest.raises(DomainError) as e:
        services.decide(
            actor=cast.doyun,
            suggestion=s,
            outcome="transfer",
            ground="civil_complaint",
            explanation="민원입니다",
            panel=[cast.yuna],
            today=RECEIVED,
        )
    assert e.value.field == "transfer_to"
    services.decide(
        actor=cast.doyun,
        suggestion=s,
        outcome="transfer",
        ground="civil_complaint",
        explanation="개별 정류장 고장 신고로 민원 처리 절차에 따릅니다.",
        panel=[cast.yuna],
        transfer_to="한빛도 교통과 민원 창구",
        transfer_reference="민원-2025-0311",
        today=RECEIVED,
    )
    t = Transfer.objects.get()
    assert (t.channel, t.recipient, t.transferred_on) == (
        TransferChannel.CIVIL_COMPLAINT,
        "한빛도 교통과 민원 창구",
        RECEIVED,
    )
    s.refresh_from_db()
    assert s.stage == Stage.TRANSFERRED
    assert entries("suggestion.transferred") == 1 and told(cast.garam, "transfer")


def test_it_lapses_an_open_supplement_when_the_office_decides_without_the_answer(cast, citizen_suggestion):
    s = citizen_suggestion
    x = services.request_supplement(
        actor=cast.doyun,
        suggestion=s,
        question="사진을 보내 주십시오",
        answer_by=date(2025, 3, 20),
        today=date(2025, 3, 12),
    )
    services.decide(
        actor=cast.doyun,
        suggestion=s,
        outcome="return",
        ground="mere_complaint",
        explanation="보완이 없어 반려합니다.",
        panel=[cast.yuna],
        today=date(2025, 4, 1),
    )
    x.refresh_from_db()
    assert x.lapsed_on == date(2025, 4, 1) and x.answered_on is None
    with pytest.raises(DomainError):
        services.answer_supplement(actor=cast.garam, supplement=x, answer="늦었습니다", today=date(2025, 4, 2))


def test_it_takes_a_reexamination_request_only_from_the_proposer_within_the_window(cast, citizen_suggestion):
    s = citizen_suggestion
    not_adopted(cast, s)
    refused(
        cast,
        {"proposer"},
        lambda u: services.request_reexamination(actor=u, suggestion=s, reason="다시", today=date(2025, 4, 1)),
    )
    with pytest.raises(DomainError) as e:
        services.request_reexamination(
            actor=cast.garam, suggestion=s, reason="다시 봐 주십시오", today=date(2025, 4, 5)
        )
    assert e.value.code == "window_closed"
    r = services.request_reexamination(
        actor=cast.garam, suggestion=s, reason="비용 자료를 더했습니다", today=date(2025, 4, 4)
    )
    s.refresh_from_db()
    assert s.stage == Stage.REEXAMINING and r.due is None  # the pack sets no re-examination period
    with pytest.raises(DomainError):
        services.request_reexamination(actor=cast.garam, suggestion=s, reason="한 번 더", today=date(2025, 4, 4))


def test_it_reexamines_by_a_panel_that_shares_no_one_with_the_first(cast, citizen_suggestion):
    s = citizen_suggestion
    not_adopted(cast, s)
    services.request_reexamination(
        actor=cast.garam, suggestion=s, reason="비용 자료를 더했습니다", today=date(2025, 4, 1)
    )
    go = dict(suggestion=s, outcome="adopt", explanation="보완된 비용 자료로 채택합니다.", today=date(2025, 4, 10))
    refused(cast, {"team", "admin"}, lambda u: services.decide_reexamination(actor=u, panel=[cast.haneul], **go))
    with pytest.raises(DomainError) as e:
        services.decide_reexamination(actor=cast.doyun, panel=[cast.haneul, cast.yuna], **go)
    assert e.value.code == "same_panel"
    d = services.decide_reexamination(actor=cast.doyun, panel=[cast.haneul, cast.jihoon], **go)
    s.refresh_from_db()
    assert s.stage == Stage.ADOPTED and d.round == "reexamination"
    assert told(cast.garam, "reexamination_adopt")


def test_it_tracks_implementation_plan_delays_and_the_offices_ruling(cast, citizen_suggestion):
    s = citizen_suggestion
    adopted(cast, s)
    plan = dict(suggestion=s, text="1단계: 시범 정류장 10곳", implement_by=date(2025, 9, 30), today=date(2025, 4, 1))
    refused(cast, {"team", "admin", "liaison"}, lambda u: services.plan_implementation(actor=u, **plan))
    services.plan_implementation(actor=cast.sohee, **plan)
    s.refresh_from_db()
    assert s.implement_by == date(2025, 9, 30) and told(cast.garam, "planned")
    with pytest.raises(DomainError) as e:
        services.notify_delay(
            actor=cast.sohee, suggestion=s, reason="예산 이월", new_date=date(2025, 9, 1), today=date(2025, 8, 1)
        )
    assert e.value.field == "new_date"
    services.notify_delay(
        actor=cast.sohee,
        suggestion=s,
        reason="장비 조달이 늦어졌습니다",
        new_date=date(2025, 12, 15),
        today=date(2025, 8, 1),
    )
    s.refresh_from_db()
    assert s.implement_by == date(2025, 12, 15)
    [note] = told(cast.garam, "delayed")
    assert "2025-12-15" in describe(note) and "장비 조달" in describe(note)
    services.declare_cannot_implement(
        actor=cast.sohee, suggestion=s, reason="안내판 제조사 폐업", today=date(2025, 11, 3)
    )
    with pytest.raises(DomainError) as e:
        services.rule_on_implementation(
            actor=cast.doyun, suggestion=s, kind=RulingKind.IMPLEMENTED, note="완료", today=date(2025, 11, 4)
        )
    assert e.value.code == "pending"
    rule = dict(
        suggestion=s,
        kind=RulingKind.CANNOT_REJECTED,
        note="다른 제조사로 진행",
        new_date=date(2026, 3, 31),
        today=date(2025, 11, 10),
    )
    refused(cast, {"team", "admin"}, lambda u: services.rule_on_implementation(actor=u, **rule))
    services.rule_on_implementation(actor=cast.doyun, **rule)
    services.rule_on_implementation(
        actor=cast.doyun, suggestion=s, kind=RulingKind.IMPLEMENTED, note="전 정류장 설치", today=date(2026, 3, 20)
    )
    s.refresh_from_db()
    assert (s.stage, s.implemented_on) == (Stage.IMPLEMENTED, date(2026, 3, 20))
    assert [
        entries(k)
        for k in (
            "suggestion.implementation_planned",
            "suggestion.delay_notified",
            "suggestion.cannot_implement",
            "suggestion.implementation_ruled",
        )
    ] == [1, 1, 1, 2]


def test_it_ends_an_adopted_suggestion_the_office_accepts_cannot_be_implemented(cast, citizen_suggestion):
    s = citizen_suggestion
    adopted(cast, s, implement_by=date(2025, 6, 30))
    services.declare_cannot_implement(
        actor=cast.doyun, suggestion=s, reason="법령 개정이 필요합니다", today=date(2025, 5, 1)
    )
    services.rule_on_implementation(
        actor=cast.doyun,
        suggestion=s,
        kind=RulingKind.CANNOT_ACCEPTED,
        note="법령 개정 건의로 대신",
        today=date(2025, 5, 2),
    )
    s.refresh_from_db()
    assert s.stage == Stage.NOT_IMPLEMENTABLE
    with pytest.raises(Forbidden):
        services.notify_delay(
            actor=cast.doyun, suggestion=s, reason="x", new_date=date(2025, 8, 1), today=date(2025, 5, 3)
        )


def test_it_reminds_the_office_before_the_decision_is_due_and_once_it_is_overdue_never_twice(cast, citizen_suggestion):
    assert citizen_suggestion.decision_due == date(2025, 4, 10)  # a Thursday
    assert services.send_reminders(today=date(2025, 4, 3)) == []  # 5 working days left
    [soon] = services.send_reminders(today=date(2025, 4, 7))  # 3 working days left
    assert (soon.stage, soon.due, soon.suggestion_id) == ("due_soon", date(2025, 4, 10), citizen_suggestion.pk)
    assert services.send_reminders(today=date(2025, 4, 8)) == []
    [late] = services.send_reminders(today=date(2025, 4, 11))
    assert late.stage == "overdue" and entries("suggestion.overdue") == 1
    assert services.send_reminders(today=date(2025, 4, 14)) == []
    notes = Notification.objects.filter(user=cast.doyun, kind=NotificationKind.SUGGESTION_DUE)
    assert sorted(n.params["stage"] for n in notes) == ["due_soon", "overdue"]
    assert not Notification.objects.filter(user=cast.garam, kind=NotificationKind.SUGGESTION_DUE).exists()


def test_it_sends_a_missed_notice_late_rather_than_skip_it(cast, office):
    s = file(cast, office)
    sent = services.send_reminders(today=date(2025, 4, 15))  # the worker was down for a week
    assert [r.stage for r in sent] == ["due_soon", "overdue"]
    assert Suggestion.objects.get(pk=s.pk).stage == Stage.REVIEWING
