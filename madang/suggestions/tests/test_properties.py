"""Random histories driven through the lifecycle under each pack, checked against an independent
reading of the rules: the decision's due date counted day by day with the supplement stops left out
and moved off Saturdays and holidays (asked of the `holidays` package directly, not of legalclock),
the supplement and re-examination windows, the clocks the desk shows (never negative), a notice to
the proposer and a ledger entry for every step, and the office's reminders (none skipped, none twice).

Each history runs inside a savepoint that is rolled back, on one cast and office per test.
"""

import calendar as cal
import itertools
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

import holidays
import pytest
from django.core.cache import cache as django_cache
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from madang.core.errors import DomainError
from madang.inbox.models import Notification, NotificationKind
from madang.ledger.models import Entry
from madang.ledger.verify import verify_records
from madang.suggestions import selectors, services
from madang.suggestions.models import Reexamination, Reminder, Stage, Suggestion
from madang.suggestions.services import Adoption
from madang.suggestions.tests.conftest import file, open_office

pytestmark = pytest.mark.django_db

# The packs as read (docs/suggestions.md), restated here as plain numbers for the oracle:
# decision months, supplement-window days, re-examination-window days (None: no such period).
RULES = {
    ("kr-citizen", "2023-08-01"): (1, 7, 15),
    ("kr-sejong", "2023-07-20"): (1, 7, 15),
    ("kr-citizen", "2026-01-01"): (2, None, 30),  # the tests' later version (conftest.LATER_CITIZEN)
    ("kr-official", "2023-08-01"): (None, None, None),
}


@cache
def _kr(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("KR", years=year))


def working(d: date) -> bool:
    return d.weekday() < 5 and d not in _kr(d.year)


def roll(d: date) -> date:
    while not working(d):
        d += timedelta(days=1)
    return d


def month_end(received: date, months: int) -> date:
    """민법 제157조, 제160조 as plain calendar arithmetic (no legalclock)."""
    first = received + timedelta(days=1)
    y, m = divmod(first.month - 1 + months, 12)
    y += first.year
    last_day = cal.monthrange(y, m + 1)[1]
    if first.day == 1:
        y2, m2 = divmod(first.month - 1 + months - 1, 12)
        return date(first.year + y2, m2 + 1, cal.monthrange(first.year + y2, m2 + 1)[1])
    if first.day > last_day:
        return date(y, m + 1, last_day)
    return date(y, m + 1, first.day) - timedelta(days=1)


def stopped(d: date, stops: list[tuple[date, date]]) -> bool:
    return any(a < d <= b for a, b in stops)


def decision_due(received: date, months: int, stops: list[tuple[date, date]]) -> date:
    """Walk day by day from the day after receipt, counting only days outside every stop."""
    need = (month_end(received, months) - received).days
    d, counted = received, 0
    while counted < need:
        d += timedelta(days=1)
        if not stopped(d, stops):
            counted += 1
    return roll(d)


def working_days_between(a: date, b: date) -> int:
    return sum(1 for i in range(1, (b - a).days + 1) if working(a + timedelta(days=i)))


# ---------------------------------------------------------------- histories


@dataclass
class Model:
    """What the oracle expects of one suggestion."""

    received: date
    rules: tuple[int | None, int | None, int | None]
    stops: list[tuple[date, date]] = field(default_factory=list)
    open_since: date | None = None
    notices: int = 0  # notices the proposer must have had
    entries: int = 1


ACTIONS = ["supplement", "answer", "decide", "reexamine", "decide_again", "plan", "delay", "cannot", "rule", "tick"]


@st.composite
def histories(draw: st.DrawFn) -> list[tuple[str, int, int]]:
    """A lifecycle in its usual order (supplements, a decision, perhaps re-examination, implementation)
    with steps left out at random, office reminders ("tick") anywhere, and a few steps at random
    places, which the services must refuse or take exactly as the rules say."""
    gap = st.integers(min_value=0, max_value=12)
    pick = st.integers(min_value=0, max_value=3)
    h: list[tuple[str, int, int]] = []
    for _ in range(draw(st.integers(min_value=0, max_value=2))):
        h.append(("supplement", draw(st.integers(min_value=0, max_value=8)), draw(pick)))
        if draw(st.booleans()):
            h.append(("answer", draw(gap), 0))
    again = draw(st.booleans())
    # adopt and not adopt more often than return and transfer; not adopted when it is to be examined again
    outcome = 1 if again else draw(st.sampled_from([0, 0, 1, 1, 2, 3]))
    h.append(("decide", draw(st.integers(min_value=0, max_value=40)), outcome))
    if again:
        h += [("reexamine", draw(gap), 0), ("decide_again", draw(st.integers(min_value=0, max_value=40)), draw(pick))]
    for step in ("plan", "delay", "cannot", "rule", "delay", "rule"):
        if draw(st.booleans()):
            h.append((step, draw(st.integers(min_value=0, max_value=60)), draw(pick)))
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        h.insert(draw(st.integers(min_value=0, max_value=len(h))), ("tick", draw(gap), 0))
    for _ in range(draw(st.integers(min_value=0, max_value=2))):
        h.insert(
            draw(st.integers(min_value=0, max_value=len(h))), (draw(st.sampled_from(ACTIONS)), draw(gap), draw(pick))
        )
    return h


starts = st.tuples(
    st.sampled_from(["kr-citizen", "kr-sejong", "kr-official"]),
    st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31)),
)


@pytest.fixture
def world(cast, later_packs):
    # One office; each history sets the pack its citizens' suggestions follow (rolled back after).
    return cast, open_office(cast, citizen="kr-sejong", official="kr-official")


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(start=starts, history=histories())
def test_it_keeps_every_deadline_stop_and_notice_the_pack_sets(world, start, history):
    cast, office = world
    pid, received = start
    django_cache.clear()  # (the proposal rate limit counts every history's filing)
    with transaction.atomic():
        try:
            _run(cast, office, pid, received, history)
        finally:
            transaction.set_rollback(True)


def _run(cast, office, pid, received, history):
    office.citizen_pack = "kr-citizen" if pid == "kr-citizen" else "kr-sejong"
    office.save()
    proposer = cast.minji if pid == "kr-official" else cast.garam
    s = file(cast, office, proposer, on=received)
    version = "2026-01-01" if pid == "kr-citizen" and received >= date(2026, 1, 1) else s.pack_version
    expected_pack = ("kr-official" if pid == "kr-official" else office.citizen_pack, version)
    assert (s.pack_id, s.pack_version) == expected_pack, "the pack in force on the day of receipt"
    model = Model(received, RULES[expected_pack])
    months, window, _ = model.rules
    if months is not None:
        assert s.decision_due == decision_due(received, months, [])
    assert s.supplement_until == (roll(received + timedelta(days=window)) if window else None)
    today = received
    for action, gap, extra in history:
        today += timedelta(days=gap)
        s.refresh_from_db()
        before = (Entry.objects.count(), _notices(proposer), _notices(cast.doyun))
        ok = _act(cast, s, model, action, today, extra)
        s.refresh_from_db()
        after = (Entry.objects.count(), _notices(proposer), _notices(cast.doyun))
        if ok and action in ("answer", "reexamine", "cannot"):
            assert after[2] > before[2], f"{action} on {today} told the office nothing"
        elif ok and action != "tick":
            assert after[1] > before[1], f"{action} on {today} told the proposer nothing"
        if ok and action != "tick":
            assert after[0] > before[0], f"{action} on {today} wrote no ledger entry"
        if not ok:
            assert after == before, f"a refused {action} changed something"
        _check(s, model, today)
    assert verify_records() == []


def _notices(user) -> int:
    return Notification.objects.filter(user=user, kind=NotificationKind.SUGGESTION).count()


def _act(cast, s: Suggestion, model: Model, action: str, today: date, extra: int) -> bool:
    months, window, reexamine_days = model.rules
    try:
        if action == "supplement":
            allowed = (
                s.stage == Stage.REVIEWING
                and model.open_since is None
                and today >= model.received
                and (window is None or today <= roll(model.received + timedelta(days=window)))
                and (not model.stops or today >= model.stops[-1][1])
            )
            try:
                services.request_supplement(
                    actor=cast.doyun,
                    suggestion=s,
                    question="보완해 주십시오",
                    answer_by=today + timedelta(days=extra + 1),
                    today=today,
                )
            except DomainError:
                assert not allowed, f"a supplement on {today} was refused though the window and the stops allow it"
                raise
            assert allowed, f"a supplement on {today} was taken outside the window or over an open one"
            model.open_since = today
        elif action == "answer":
            x = s.supplements.filter(answered_on__isnull=True, lapsed_on__isnull=True).first()
            if x is None:
                return False
            services.answer_supplement(actor=s.proposal.author, supplement=x, answer="보완합니다", today=today)
            model.stops.append((x.asked_on, today))
            model.open_since = None
        elif action == "decide":
            outcome = ["adopt", "not_adopt", "return", "transfer"][extra]
            ground = {
                "adopt": "",
                "not_adopt": "impracticable",
                "return": "mere_complaint",
                "transfer": "civil_complaint",
            }[outcome]
            if s.pack_id == "kr-official" and outcome == "transfer":
                outcome, ground = "return", "mere_complaint"
            services.decide(
                actor=cast.doyun,
                suggestion=s,
                outcome=outcome,
                ground=ground,
                explanation="판단 사유",
                panel=[cast.yuna],
                transfer_to="민원 창구",
                adoption=Adoption(department=cast.transport),
                today=today,
            )
            if model.open_since is not None:
                model.stops.append((model.open_since, today))
                model.open_since = None
            d = s.decisions.get(round="first")
            if months is not None:
                assert d.due == decision_due(model.received, months, model.stops)
                assert d.on_time == (today <= d.due)
            expected_window = (
                roll(today + timedelta(days=reexamine_days)) if reexamine_days and outcome == "not_adopt" else None
            )
            assert d.reexamination_until == expected_window
        elif action == "reexamine":
            first = s.decisions.filter(round="first").first()
            allowed = (
                s.stage == Stage.NOT_ADOPTED
                and first is not None
                and first.reexamination_until is not None
                and today <= first.reexamination_until
                and not Reexamination.objects.filter(suggestion=s).exists()
            )
            try:
                services.request_reexamination(
                    actor=s.proposal.author, suggestion=s, reason="다시 봐 주십시오", today=today
                )
            except DomainError:
                assert not allowed, f"re-examination refused on {today} inside its window"
                raise
            assert allowed, f"re-examination taken on {today}, outside its window"
        elif action == "decide_again":
            services.decide_reexamination(
                actor=cast.doyun,
                suggestion=s,
                outcome=["adopt", "not_adopt"][extra % 2],
                ground="" if extra % 2 == 0 else "impracticable",
                explanation="재심사 판단",
                panel=[cast.haneul],
                adoption=Adoption(department=cast.transport),
                today=today,
            )
        elif action == "plan":
            services.plan_implementation(
                actor=cast.sohee,
                suggestion=s,
                text="계획",
                implement_by=today + timedelta(days=30 * (extra + 1)),
                today=today,
            )
        elif action == "delay":
            new = (s.implement_by or today) + timedelta(days=10 * (extra + 1))
            services.notify_delay(actor=cast.sohee, suggestion=s, reason="지연 사유", new_date=new, today=today)
        elif action == "cannot":
            services.declare_cannot_implement(actor=cast.sohee, suggestion=s, reason="불가 사유", today=today)
        elif action == "rule":
            kind = ["implemented", "cannot_accepted", "cannot_rejected", "implemented"][extra]
            services.rule_on_implementation(
                actor=cast.doyun, suggestion=s, kind=kind, note="판단", today=today, new_date=today + timedelta(days=60)
            )
        elif action == "tick":
            services.send_reminders(today=today)
            _check_reminders(s, today)
    except DomainError:
        return False
    return True


def _check(s: Suggestion, model: Model, today: date) -> None:
    months = model.rules[0]
    stops = [x for x in s.supplements.all()]
    assert all(x.resumed_on is None or x.resumed_on >= x.asked_on for x in stops), "a stop ends before it starts"
    assert sum(1 for x in stops if x.is_open) <= 1, "two stops open at once"
    for a, b in itertools.pairwise(stops):
        assert a.resumed_on is not None and b.asked_on >= a.resumed_on, "stops overlap"
    if s.stage == Stage.REVIEWING and months is not None:
        if model.open_since is None:
            assert s.decision_due == decision_due(model.received, months, model.stops)
        else:
            assert s.decision_due is None, "the decision clock runs while a supplement is out"
    clock = selectors.running_clock(s, today)
    if clock is not None:
        assert clock.working_days_left >= 0 and clock.overdue_days >= 0, "a clock went negative"
        if clock.due is not None:
            assert clock.overdue == (today > clock.due)


def _check_reminders(s: Suggestion, today: date) -> None:
    clock = selectors.running_clock(s, today)
    sent = set(Reminder.objects.filter(suggestion=s).values_list("clock", "due", "stage"))
    if clock is None or clock.due is None:
        return
    soon = today > clock.due or working_days_between(today, clock.due) <= 3
    if soon:
        assert (clock.name, clock.due, "due_soon") in sent, f"no notice before {clock.name} was due on {clock.due}"
    else:
        assert (clock.name, clock.due, "due_soon") not in sent, "a notice went out too early"
    assert ((clock.name, clock.due, "overdue") in sent) == (today > clock.due)
