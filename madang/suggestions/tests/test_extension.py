"""Extending the decision period (처리기간 연장): the extension the pack pinned at receipt allows (the test
version of 국민 제안 규정 of 2026: once, 15 days from the old due date), by the office only, while the clock
runs and before it is due, with a reason; the proposer is told, the ledger records it, the due date moves
for the page, the status page and the reminders."""

import json
import tomllib
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from madang.core.errors import DomainError, Forbidden
from madang.inbox.models import Notification, NotificationKind
from madang.inbox.services import describe
from madang.ledger.models import Entry
from madang.ledger.verify import verify_all
from madang.suggestions import selectors, services
from madang.suggestions.models import DecisionExtension, Reminder, Suggestion
from madang.suggestions.packs import PackError, parse
from madang.suggestions.tests.conftest import LATER_CITIZEN, fields, file, open_office

pytestmark = pytest.mark.django_db

# Received Fri 2026-07-10 under the later version: two months, counted from the 11th, end Thu 2026-09-10.
RECEIVED = date(2026, 7, 10)
DUE = date(2026, 9, 10)
# 15 days more, counted from Fri 09-11, end Fri 09-25, 추석 (24–26 Sep): the next working day is Mon 09-28.
EXTENDED = date(2026, 9, 28)


@pytest.fixture
def office(cast, later_packs):
    return open_office(cast, citizen="kr-citizen")


@pytest.fixture
def s(cast, office):
    return file(cast, office, on=RECEIVED)


def extend(cast, s, who=None, on=date(2026, 9, 1), reason="관계 기관 협의가 필요합니다"):
    return services.extend_decision(actor=who or cast.doyun, suggestion=s, reason=reason, today=on)


def refused_with(code, act):
    with pytest.raises(DomainError) as e:
        act()
    assert e.value.code == code
    return str(e.value.message)


def test_it_moves_the_due_date_by_the_packs_period_from_the_old_one_past_a_holiday(cast, s):
    assert s.decision_due == DUE
    x = extend(cast, s)
    s.refresh_from_db()
    assert (x.previous_due, x.new_due, s.decision_due) == (DUE, EXTENDED, EXTENDED)
    clock = selectors.running_clock(Suggestion.objects.get(pk=s.pk), date(2026, 9, 11))
    assert clock is not None and clock.due == EXTENDED and not clock.overdue
    # The decision is measured against the extended date: decided on 09-25 it is on time.
    d = services.decide(
        actor=cast.doyun,
        suggestion=s,
        outcome="adopt",
        explanation="좋은 제안",
        panel=[cast.yuna],
        today=date(2026, 9, 25),
    )
    assert (d.due, d.on_time) == (EXTENDED, True)


def test_it_tells_the_proposer_and_writes_a_ledger_entry_that_verifies(cast, s):
    extend(cast, s)
    notes = [
        n
        for n in Notification.objects.filter(user=cast.garam, kind=NotificationKind.SUGGESTION)
        if n.params.get("step") == "decision_extended"
    ]
    assert len(notes) == 1 and notes[0].params["date"] == EXTENDED.isoformat()
    assert "2026-09-28" in describe(notes[0])
    body = json.loads(bytes(Entry.objects.get(kind="suggestion.decision_extended").body))
    assert (body["previous_due"], body["new_due"]) == (DUE.isoformat(), EXTENDED.isoformat())
    assert [str(f) for f in verify_all()] == []
    DecisionExtension.objects.filter(suggestion=s).update(new_due=date(2026, 10, 30))
    assert any("suggestion.decision_extended" in str(f) for f in verify_all())


def test_only_the_office_may_extend(cast, s):
    for who in (cast.garam, cast.seojun, cast.yuna, cast.sohee, cast.bada):
        with pytest.raises(Forbidden):
            extend(cast, s, who=who)
    assert not DecisionExtension.objects.exists()


def test_it_refuses_a_second_extension_when_the_pack_allows_one(cast, s):
    extend(cast, s)
    message = refused_with("used_up", lambda: extend(cast, s, on=date(2026, 9, 2)))
    assert "1" in message


def test_it_refuses_after_the_due_date_and_after_a_decision(cast, s):
    refused_with("overdue", lambda: extend(cast, s, on=date(2026, 9, 11)))
    services.decide(actor=cast.doyun, suggestion=s, outcome="adopt", explanation="좋음", panel=[cast.yuna], today=DUE)
    refused_with("decided", lambda: extend(cast, s, on=DUE))


def test_it_needs_a_reason(cast, s):
    with pytest.raises(DomainError):
        extend(cast, s, reason="   ")


def test_it_refuses_while_a_supplement_stops_the_clock(cast, s):
    services.request_supplement(
        actor=cast.doyun, suggestion=s, question="사진", answer_by=date(2026, 7, 20), today=date(2026, 7, 13)
    )
    refused_with("clock_stopped", lambda: extend(cast, s, on=date(2026, 7, 14)))


def test_the_pack_pinned_at_receipt_governs(cast, office):
    """Received in 2025 under the shipped pack, which allows no extension: the later version changes nothing."""
    earlier = file(cast, office, title="개정 전의 제안", on=date(2025, 12, 1))
    message = refused_with("no_extension", lambda: extend(cast, earlier, on=date(2025, 12, 10)))
    assert "kr-citizen@2023-08-01" in message


def test_reminders_count_the_new_due_date(cast, s):
    extend(cast, s)
    # Three working days before the old date nothing is due yet; before the new one, it is.
    assert services.send_reminders(today=date(2026, 9, 8)) == []
    sent = services.send_reminders(today=date(2026, 9, 22))
    assert [(r.clock, r.due) for r in sent] == [("decision", EXTENDED)]
    assert not Reminder.objects.filter(due=DUE).exists()


def test_the_status_page_shows_the_extension(cast, s):
    extend(cast, s)
    steps = selectors.timeline_steps(s.proposal)
    found = [e for e in steps if e.kind == "suggestion.decision_extended"]
    assert len(found) == 1 and "2026-09-28" in str(found[0].title)


def _pack(extra: str) -> str:
    return LATER_CITIZEN.replace("[clocks.reexamination_request]", extra + "\n[clocks.reexamination_request]", 1)


def test_a_pack_is_checked_for_its_extension():
    base = LATER_CITIZEN
    start = base.index("[clocks.decision_extension]")
    end = base.index("[clocks.reexamination_request]")
    without = base[:start] + base[end:]
    good = parse(tomllib.loads(base), where="t.toml")
    assert good.clocks["decision_extension"].times == 1
    assert "decision_extension" not in parse(tomllib.loads(without), where="t.toml").clocks
    cases = {
        'times = 1\narticle = ""': "no article citation",
        'times = 0\narticle = "제10조제2항"': "how many times",
        'times = 1\nlength = -3\narticle = "제10조제2항"': "decision_extension",
    }
    for body, expected in cases.items():
        bad = without.replace(
            "[clocks.reexamination_request]",
            '[clocks.decision_extension]\nunit = "days"\nfrom = "decision_due"\nbasis = "primary"\nsource = "test"\n'
            + ("" if "length" in body else "length = 15\n")
            + body
            + "\n\n[clocks.reexamination_request]",
            1,
        )
        with pytest.raises(PackError) as e:
            parse(tomllib.loads(bad), where="t.toml")
        assert expected in str(e.value)


def client(user):
    c = Client(HTTP_ACCEPT_LANGUAGE="ko")
    c.force_login(user)
    return c


@pytest.fixture
def today_s(cast, office):
    return services.file_suggestion(actor=cast.garam, office=office, fields=fields())


def test_the_page_offers_the_form_to_the_office_only_and_extends(cast, today_s):
    url = reverse("suggestions:detail", args=[today_s.pk])
    action = reverse("suggestions:action", args=[today_s.pk, "extend"])
    assert action in client(cast.doyun).get(url).content.decode()
    assert action not in client(cast.garam).get(url).content.decode()
    r = client(cast.garam).post(action, {"reason": "협의 필요"})
    assert r.status_code == 403
    assert not DecisionExtension.objects.exists()
    r = client(cast.doyun).post(action, {"reason": "협의 필요"})
    assert r.status_code == 302
    assert DecisionExtension.objects.filter(suggestion=today_s).count() == 1
    assert "협의 필요" in client(cast.garam).get(url).content.decode()


def test_the_api_extends_for_the_office_only(cast, today_s):
    path = f"/api/suggestions/{today_s.pk}/decision-extensions"
    r = client(cast.garam).post(path, {"reason": "협의"}, content_type="application/json")
    assert r.status_code == 403
    r = client(cast.doyun).post(path, {"reason": "협의"}, content_type="application/json")
    assert r.status_code == 201
    body = r.json()
    assert len(body["decision_extensions"]) == 1
    assert body["decision_extensions"][0]["previous_due"] < body["decision_extensions"][0]["new_due"]
    r = client(cast.doyun).post(path, {"reason": "또"}, content_type="application/json")
    assert r.status_code == 400
