"""The demo scenario loads through the services and shows every follow-through state."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from madang.calls.models import Call, Outcome, Proposal
from madang.followup.models import AnswerKind, ExecutionState, Routing
from madang.followup.selectors import routing_stats
from madang.ledger.models import Entry


@pytest.fixture
def demo(demo_module, db, settings):
    settings.DEBUG = True  # the test runner turns DEBUG off; the demo refuses to load without it
    return demo_module.output


def test_it_prints_the_demo_logins(demo):
    for username in ("admin", "team", "reviewer", "liaison", "official", "citizen"):
        assert username in demo


def test_it_loads_a_finished_call_with_25_proposals_in_every_state(demo):
    finished = Call.objects.get(slug="hanbit-2026-ideas")
    assert finished.proposals.count() == 25
    assert finished.proposals.filter(outcome=Outcome.SELECTED).count() == 1
    assert finished.proposals.filter(outcome=Outcome.MERGED).count() == 1
    assert finished.proposals.filter(outcome=Outcome.NOT_ADOPTED).count() == 1
    total, _per = routing_stats(Routing.objects.filter(proposal__call=finished))
    assert total.answered_on_time > 0 and total.answered_late > 0
    assert total.overdue > 0 and total.waiting > 0
    assert total.executed > 0 and total.executing > 0 and total.declined > 0 and total.stopped > 0
    assert Routing.objects.filter(proposal__call=finished, answer__kind=AnswerKind.TRANSFER).exists()
    assert finished.proposals.filter(routings__updates__state=ExecutionState.DONE).exists()


def test_it_leaves_one_call_open_for_officials_and_citizens(demo):
    open_call = Call.objects.get(slug="hanbit-2026-citizens")
    assert open_call.allows("submit")
    assert open_call.is_open_to_citizens() and open_call.is_open_to_officials()


def test_it_logs_every_submission_and_decision_to_the_ledger(demo):
    submitted = Proposal.objects.exclude(submitted_at=None).count()
    assert Entry.objects.filter(kind="proposal.submitted").count() == submitted
    assert Entry.objects.filter(kind__startswith="decision.").count() >= 25


def test_it_refuses_to_load_with_debug_off(db, settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    before = Call.objects.count()
    with pytest.raises(CommandError):
        call_command("load_demo", "--if-empty", stdout=io.StringIO())
    assert Call.objects.count() == before


def test_it_refuses_to_load_twice_unless_asked(demo):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("load_demo", stdout=io.StringIO())
    out = io.StringIO()
    call_command("load_demo", "--if-empty", stdout=out)
    assert "already loaded" in out.getvalue()


def test_it_serves_every_demo_page(demo):
    c = Client()
    assert c.login(username="team", password="madang-demo-2026")
    finished = Call.objects.get(slug="hanbit-2026-ideas")
    for url in [
        "/",
        "/calls/",
        f"/calls/c/{finished.slug}/",
        f"/review/c/{finished.slug}/",
        "/followup/dashboard/",
        f"/followup/dashboard/{finished.slug}/",
        "/me/",
        "/inbox/",
    ]:
        assert c.get(url).status_code == 200, url
    for p in finished.proposals.all():
        assert c.get(f"/calls/p/{p.pk}/").status_code == 200
    for r in Routing.objects.all():
        assert c.get(f"/followup/r/{r.pk}/").status_code == 200


def test_it_has_a_running_lab_with_a_journal_and_decisions_and_a_finished_one(demo):
    from madang.labs.models import Lab

    running = Lab.objects.get(slug="one-submission-lab")
    assert running.state == "running" and running.memberships.filter(state="member").count() == 3
    assert running.journal.count() == 3 and running.decisions.filter(state="passed").exists()
    finished = Lab.objects.get(slug="mobile-queue-lab")
    assert finished.state == "closed" and finished.outcome == "adopted"
    c = Client()
    assert c.get("/labs/").status_code == 200
    assert c.get(f"/labs/{running.slug}/").status_code == 200


def test_its_ledger_verifies_and_gives_receipts(demo_module, demo, settings):
    from madang.ledger import services as ledger
    from madang.ledger.models import Entry
    from madang.ledger.verify import verify_all
    from madang.solvers.tlog.audit import verify_receipt

    settings.MADANG_LEDGER_DIR = demo_module.ledger_dir  # the log the demo's load wrote
    ledger.forget_open_logs()
    ledger.sequence()
    assert verify_all() == []
    entry = Entry.objects.filter(kind="proposal.submitted").first()
    report, verified = verify_receipt(ledger.receipt(entry), ledger.verifiers())
    assert report.ok
    assert verified.checkpoint.size == Entry.objects.count()


def test_it_opens_a_suggestion_office_with_suggestions_in_different_states(demo):
    from madang.suggestions.models import Stage, Suggestion, SuggestionOffice

    office = SuggestionOffice.objects.get(organisation__code="hanbit")
    assert (office.citizen_pack, office.official_pack) == ("kr-sejong", "kr-official")
    stages = sorted(Suggestion.objects.filter(office=office).values_list("stage", flat=True))
    assert stages == sorted([Stage.REVIEWING] * 3 + [Stage.NOT_ADOPTED] * 2 + [Stage.ADOPTED, Stage.IMPLEMENTED])
    assert Suggestion.objects.filter(office=office, supplements__isnull=False).count() == 1
    assert Suggestion.objects.get(office=office, stage=Stage.ADOPTED).plan.implement_by is not None
    done = Suggestion.objects.get(office=office, stage=Stage.IMPLEMENTED)
    # Projected, actual, and the correction of the actual one (the first stays, superseded).
    assert done.effects.count() == 3
    correction = done.effects.get(corrects__isnull=False)
    assert correction.corrects.superseded_on is not None and correction.correction_reason
    refined = Suggestion.objects.get(office=office, refines__isnull=False)
    assert refined.first_filed_on < refined.received_on and refined.stage == Stage.REVIEWING
    client = Client()
    assert client.login(username="team", password="madang-demo-2026")
    year = Suggestion.objects.get(office=office, stage=Stage.IMPLEMENTED).receipt_year
    assert client.get(f"/suggestions/report/hanbit/{year}/").status_code == 200
    # The pages show the refined idea's first filing date and the corrected effect with its reason.
    page = client.get(f"/suggestions/{refined.pk}/").content.decode()
    assert refined.first_filed_on.isoformat() in page
    page = client.get(f"/suggestions/{done.pk}/").content.decode()
    assert correction.correction_reason in page
