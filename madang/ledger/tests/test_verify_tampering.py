"""Each change the outside probe made on a copy of the demo (issue 12 §2) is now found, by entry and field.

A story: 김민지's proposal is routed, 이서준's is not adopted, a lab decides, citizens are drawn
by lot and a hackathon's jury scores; then someone edits the database or the tile directory.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from madang.calls.models import Outcome, PhaseKind, Proposal, Status
from madang.followup.models import Routing, RoutingState
from madang.inbox.models import Notification
from madang.ledger import services as ledger
from madang.ledger.models import Entry
from madang.ledger.tests.scenario import build_history
from madang.ledger.verify import verify_all
from madang.review import services as review
from madang.review.models import Decision, DecisionKind
from madang.solvers import tlog
from madang.testing import set_phase

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(cast):
    return build_history(cast)


def fields_named(findings):
    return {(f.where.split(" (")[1].split(",")[0] if " (" in f.where else f.where, f.field) for f in findings}


def test_it_finds_nothing_wrong_with_the_untouched_story(story):
    assert [str(f) for f in verify_all()] == []


def test_it_finds_a_changed_outcome(story):
    Proposal.objects.filter(pk=story.rejected.pk).update(outcome=Outcome.SELECTED)
    assert ("decision.reject", "outcome") in fields_named(verify_all())


def test_it_finds_a_changed_author(story):
    Proposal.objects.filter(pk=story.routed.pk).update(author=story.cast.jihoon)
    assert ("proposal.submitted", "author") in fields_named(verify_all())


def test_it_finds_a_changed_status(story):
    Proposal.objects.filter(pk=story.routed.pk).update(status=Status.WITHDRAWN)
    assert ("proposal", "record") in {(f.where.split(":")[0], f.field) for f in verify_all()}
    Proposal.objects.filter(pk=story.routed.pk).update(status=Status.DRAFT)
    assert ("proposal.submitted", "status") in fields_named(verify_all())


def test_it_finds_a_changed_support_count(story):
    Proposal.objects.filter(pk=story.routed.pk).update(support_count=99)
    assert any(f.field.startswith("tally[") and "call.support_tally" in f.where for f in verify_all())


def test_it_finds_a_changed_lab_decision(story):
    story.lab_decision.__class__.objects.filter(pk=story.lab_decision.pk).update(title="몰래 바꾼 결정")
    assert ("lab.decision_passed", "title") in fields_named(verify_all())


def test_it_finds_a_changed_published_panel(story):
    made = story.lottery
    made.__class__.objects.filter(pk=made.pk).update(panel_pseudonyms=[*reversed(made.panel_pseudonyms), "x"])
    assert ("citizens.panel_drawn", "panel_pseudonyms") in fields_named(verify_all())
    made.__class__.objects.filter(pk=made.pk).update(panel=[0] * len(made.panel))
    assert ("citizens.panel_drawn", "panel") in fields_named(verify_all())


def test_it_finds_changed_jury_scores(story):
    from madang.events.models import Score

    Score.objects.filter(candidate__judging=story.judging).update(value=0)
    assert ("events.judging_published", "scores") in fields_named(verify_all())


def test_it_finds_a_changed_routing_state(story):
    Routing.objects.filter(proposal=story.routed).update(state=RoutingState.TRANSFERRED)
    assert ("followup.answered", "state") in fields_named(verify_all())


def test_it_finds_a_forged_decision_row(story):
    p = story.rejected
    Decision.objects.filter(proposal=p).delete()
    Decision.objects.create(proposal=p, kind=DecisionKind.SELECT, decided_by=story.cast.doyun)
    Proposal.objects.filter(pk=p.pk).update(outcome=Outcome.SELECTED)
    findings = verify_all()
    assert any(f.field == "record" and "has no decision.select entry" in f.what for f in findings)


def test_it_finds_an_entry_bundle_edited_on_disk(story):
    ledger.sequence()
    size = ledger.latest_checkpoint().size
    full, partial = divmod(size, tlog.tiles.TILE_WIDTH)
    path = (
        ledger.log_dir() / tlog.entries_path(full, partial)
        if partial
        else ledger.log_dir() / tlog.entries_path(full - 1)
    )
    data = path.read_bytes()
    path.write_bytes(data.replace(b'"v":2', b'"v":3', 1))  # same length: only the leaf hash can tell
    ledger.forget_open_logs()
    findings = verify_all()
    assert findings and findings[0].where == "log" and "entry" in findings[0].what


def test_it_writes_one_entry_and_one_notification_per_route_decision(cast):
    from madang.calls import services as calls

    p = cast.proposal()
    calls.support_proposal(actor=cast.jihoon, proposal=p)  # a supporter follows the proposal
    set_phase(cast.call, PhaseKind.SELECTION)
    before = Entry.objects.count()
    review.route_decision(
        actor=cast.doyun,
        proposal=p,
        department=cast.transport,
        answer_due=timezone.localdate() + timedelta(days=14),
        reason="교통과 소관",
    )
    made = list(Entry.objects.order_by("seq")[before:])
    assert [e.kind for e in made] == ["decision.route"]
    body = ledger.body_of(made[0])
    routing = Routing.objects.get(proposal=p)
    assert (body["routing"], body["department"], body["answer_due"]) == (
        routing.pk,
        cast.transport.pk,
        routing.answer_due.isoformat(),
    )
    assert Notification.objects.filter(user=cast.jihoon, proposal=p).count() == 1
    assert Notification.objects.filter(user=cast.minji, proposal=p).count() == 1
    assert verify_all() == []
