"""Property: on a generated history, any change to a committed field, a deleted row or an
inserted one is found by `madang ledger verify`, which names the entry (or record) and the field.

Two sides are tampered with: the entry rows themselves (any field of any entry, any new value),
and the live records each kind commits to (every verified field of every kind with a live
record in the scenario). Each example runs in a savepoint that is rolled back.
"""

import json
from collections.abc import Callable
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from madang.ledger import services as ledger
from madang.ledger.kinds import COMMON_FIELDS
from madang.ledger.models import Entry
from madang.ledger.tests.scenario import build_history
from madang.ledger.verify import verify_all

pytestmark = pytest.mark.django_db

FAST = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


class Rollback(Exception):
    pass


def found_after(change: Callable[[], object]) -> list:
    try:
        with transaction.atomic():
            change()
            findings = verify_all()
            raise Rollback
    except Rollback:
        return findings


@pytest.fixture
def story(cast):
    s = build_history(cast)
    assert verify_all() == []
    return s


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 10**6) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3),
    max_leaves=4,
)


@FAST
@given(data=st.data())
def test_it_names_the_entry_and_field_of_any_edited_entry_row(story, data):
    entries = list(Entry.objects.order_by("log_index"))
    entry = data.draw(st.sampled_from(entries), label="entry")
    body = ledger.body_of(entry)
    name = data.draw(st.sampled_from(sorted(set(body) - {"v"}) or ["kind"]), label="field")
    value = data.draw(JSON.filter(lambda v: v != body.get(name)), label="value")

    def change() -> None:
        Entry.objects.filter(pk=entry.pk).update(body=ledger.canonical({**body, name: value}))

    findings = found_after(change)
    assert any(f.where.startswith(f"entry {entry.log_index} ") and f.field == name for f in findings), findings


@FAST
@given(data=st.data())
def test_it_names_a_deleted_or_inserted_entry_row(story, data):
    entries = list(Entry.objects.order_by("log_index"))
    entry = data.draw(st.sampled_from(entries), label="entry")
    findings = found_after(lambda: Entry.objects.filter(pk=entry.pk).delete())
    assert any(f.where.startswith(f"entry {entry.log_index} ") for f in findings), findings

    body = {**ledger.body_of(entry), "at": "2030-01-01T00:00:00+00:00"}
    for name in set(body) - set(COMMON_FIELDS):
        if isinstance(body[name], int) and not isinstance(body[name], bool):
            body[name] += data.draw(st.integers(1000, 10**6), label="offset")
    if body == {**ledger.body_of(entry), "at": body["at"]}:
        body["subject"] = body["subject"].split(":")[0] + ":999999"
    forged = found_after(
        lambda: Entry.objects.create(kind=entry.kind, subject=body["subject"], body=ledger.canonical(body))
    )
    assert any(f.where.startswith("pending entry") and entry.kind in f.where for f in forged), forged


def _live_changes(s: SimpleNamespace) -> list[tuple[str, str, Callable[[int], object]]]:
    """(kind, field, change given a random positive number) for every verified field with a live record."""
    from madang.calls.models import Call, Outcome, Proposal, Status, Support
    from madang.citizens.models import Invitation, InvitationPool, InvitationState, Lottery
    from madang.events.models import Award, Event, Judging, Score
    from madang.followup.models import Answer, ExecutionUpdate, Routing
    from madang.labs.models import Lab, LabDecision, Membership
    from madang.review.models import Decision, Scorecard
    from madang.review.models import Score as ReviewScore

    c = s.cast
    p, r = s.routed, s.routing

    def upd(model, pk, **fields):
        return lambda n: model.objects.filter(pk=pk).update(
            **{k: (v(n) if callable(v) else v) for k, v in fields.items()}
        )

    return [
        ("call.opened", "title", upd(Call, c.call.pk, title=lambda n: f"바뀐 공모 {n}")),
        ("call.support_tally", "tally", upd(Proposal, p.pk, support_count=lambda n: n + 10)),
        ("call.support_tally", "tally", lambda n: Support.objects.filter(proposal=p).delete()),
        ("proposal.submitted", "author", upd(Proposal, p.pk, author=c.sehun)),
        ("proposal.submitted", "number", upd(Proposal, p.pk, number=lambda n: n + 100)),
        ("proposal.submitted", "status", upd(Proposal, p.pk, status=Status.DRAFT)),
        ("proposal.edited", "content", upd(Proposal, p.pk, solution=lambda n: f"몰래 {n}")),
        (
            "review.scorecard",
            "scores",
            lambda n: ReviewScore.objects.filter(scorecard__assignment__proposal=p).update(value=0),
        ),
        (
            "review.scorecard",
            "verdict",
            lambda n: Scorecard.objects.filter(assignment__proposal=p).update(verdict="infeasible"),
        ),
        (
            "review.scorecard",
            "total",
            lambda n: Scorecard.objects.filter(assignment__proposal=p).update(total=n % 100 + 0.5),
        ),
        ("decision.reject", "outcome", upd(Proposal, s.rejected.pk, outcome=Outcome.SELECTED)),
        (
            "decision.reject",
            "reason",
            lambda n: Decision.objects.filter(proposal=s.rejected).update(reason=f"다른 이유 {n}"),
        ),
        ("decision.route", "department", lambda n: Decision.objects.filter(proposal=p).update(department=c.welfare)),
        (
            "decision.route",
            "answer_due",
            upd(Routing, r.pk, answer_due=lambda n: r.answer_due + timedelta(days=n % 300 + 1)),
        ),
        ("decision.merge", "merged_into", lambda n: Decision.objects.filter(proposal=s.merged).update(merged_into=p)),
        ("decision.select", "kind", lambda n: Decision.objects.filter(proposal=s.selected).update(kind="reject")),
        ("followup.answered", "answer", lambda n: Answer.objects.filter(routing=r).update(kind="decline")),
        ("followup.answered", "on_time", lambda n: Answer.objects.filter(routing=r).update(on_time=False)),
        ("followup.answered", "state", upd(Routing, r.pk, state="transferred")),
        ("followup.answered", "reason", lambda n: Answer.objects.filter(routing=r).update(reason=f"바뀐 답 {n}")),
        (
            "followup.execution",
            "percent",
            lambda n: ExecutionUpdate.objects.filter(routing=r).update(percent=n % 60 + 41),
        ),
        ("followup.execution", "state", lambda n: ExecutionUpdate.objects.filter(routing=r).update(state="done")),
        (
            "followup.execution",
            "note",
            lambda n: ExecutionUpdate.objects.filter(routing=r).update(note=f"바뀐 메모 {n}"),
        ),
        (
            "lab.created",
            "starts_on",
            upd(Lab, s.lab.pk, starts_on=lambda n: s.lab.starts_on - timedelta(days=n % 300 + 1)),
        ),
        (
            "lab.member_joined",
            "member",
            lambda n: Membership.objects.filter(lab=s.lab, user=c.minji).update(user=c.sehun),
        ),
        ("lab.decision_passed", "title", upd(LabDecision, s.lab_decision.pk, title=lambda n: f"바뀐 결정 {n}")),
        ("lab.decision_passed", "state", upd(LabDecision, s.lab_decision.pk, state="withdrawn")),
        ("citizens.pool_created", "k", upd(InvitationPool, s.pool.pk, k=lambda n: n % 50 + 3)),
        (
            "citizens.lottery_committed",
            "commitment",
            upd(Lottery, s.lottery.pk, commitment=lambda n: f"{n:064x}"[-64:]),
        ),
        (
            "citizens.lottery_committed",
            "seed_source",
            upd(Lottery, s.lottery.pk, seed_source=lambda n: f"다른 출처 {n}"),
        ),
        ("citizens.panel_drawn", "seed", upd(Lottery, s.lottery.pk, seed=lambda n: f"{n}")),
        ("citizens.panel_drawn", "panel_pseudonyms", upd(Lottery, s.lottery.pk, panel_pseudonyms=["-", "-"])),
        (
            "citizens.invitation_answered",
            "answer",
            lambda n: Invitation.objects.filter(pool=s.pool, state=InvitationState.CONFIRMED).update(
                state=InvitationState.DECLINED
            ),
        ),
        (
            "events.created",
            "capacity",
            lambda n: Event.objects.filter(pk=s.judging.event_id).update(capacity=n % 90 + 11),
        ),
        (
            "events.judging_published",
            "scores",
            lambda n: Score.objects.filter(candidate__judging=s.judging).update(value=0),
        ),
        ("events.judging_published", "jury_percent", upd(Judging, s.judging.pk, jury_percent=lambda n: n % 99)),
        ("events.award", "award", lambda n: Award.objects.filter(judging=s.judging).update(title=f"상 {n}")),
    ]


def test_it_covers_every_kind_the_scenario_writes(story):
    written = set(Entry.objects.values_list("kind", flat=True))
    mutated = {k for k, _f, _c in _live_changes(story)}
    # Kinds whose entry is a log of an act with nothing left to rebuild but its record's existence.
    existence_only = {
        "proposal.withdrawn",
        "citizens.pool_closed",
        "lab.started",
        "decision.route",
        "followup.routed",
        "citizens.quotas_set",
        "events.judging_opened",
        "lab.created",
    }
    assert written - mutated - existence_only <= {"call.opened", "citizens.pool_created", "events.created"} | mutated


@FAST
@given(data=st.data())
def test_it_names_the_entry_and_field_of_any_changed_record(story, data):
    changes = _live_changes(story)
    kind, field, change = data.draw(st.sampled_from(changes), label="change")
    n = data.draw(st.integers(1, 10**6), label="n")
    findings = found_after(lambda: change(n))
    matches = [
        f
        for f in findings
        if (f"({kind}," in f.where and (f.field == field or f.field.startswith(field + "[")))
        or (
            f.field in ("record", "kind", "status", "outcome", "state")
            and field in ("kind", "status", "outcome", "state")
            and kind.split(".")[0] in f.what + f.where
        )
    ]
    assert matches, (kind, field, [str(f) for f in findings])


@FAST
@given(data=st.data())
def test_it_finds_records_deleted_or_inserted_without_an_entry(story, data):
    from madang.followup.models import ExecutionUpdate
    from madang.labs.models import DecisionState, LabDecision
    from madang.review.models import Decision

    c = story.cast
    choice = data.draw(st.sampled_from(["forge decision", "forge execution", "forge lab decision", "delete execution"]))

    def change() -> None:
        if choice == "forge decision":
            Decision.objects.create(proposal=story.rejected, kind="select", decided_by=c.doyun)
        elif choice == "forge execution":
            ExecutionUpdate.objects.create(
                routing=story.routing,
                state="done",
                percent=100,
                happened_on=story.routing.answer_due,
                posted_by=c.sohee,
            )
        elif choice == "forge lab decision":
            LabDecision.objects.create(
                lab=story.lab,
                title="위조",
                body="위조",
                proposed_by=c.minji,
                consent_until=story.lab_decision.consent_until,
                state=DecisionState.PASSED,
            )
        else:
            ExecutionUpdate.objects.filter(routing=story.routing).delete()

    findings = found_after(change)
    assert any(f.field == "record" for f in findings), (choice, [str(f) for f in findings])
    assert json.dumps([str(f) for f in findings])  # every finding prints
