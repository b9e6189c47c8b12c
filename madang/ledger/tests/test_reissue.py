"""An installation with a version 1 log moves to version 2 in the open (`madang ledger reissue`)."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from madang.ledger import services as ledger
from madang.ledger.models import Entry, LogHead
from madang.ledger.tests.scenario import build_history
from madang.ledger.verify import verify_all
from madang.solvers import tlog

pytestmark = pytest.mark.django_db


@pytest.fixture
def v1_site(db, monkeypatch, request):
    """The scenario as version 1 wrote it: one pseudonym per person, in every entry."""
    with monkeypatch.context() as m:
        m.setattr(ledger, "ENTRY_VERSION", 1)
        m.setattr(ledger, "pseudonym", lambda user_id, context: ledger.legacy_pseudonym_v1(user_id))
        story = build_history(request.getfixturevalue("cast"))
    return story


def test_it_archives_the_v1_log_and_reissues_every_entry_with_per_context_pseudonyms(v1_site, settings):
    cast = v1_site.cast
    old = {e.log_index: ledger.body_of(e) for e in Entry.objects.all()}
    minji_v1 = ledger.legacy_pseudonym_v1(cast.minji.pk)
    assert sum(minji_v1 in bytes(e.body).decode() for e in Entry.objects.all()) > 1  # linkable before

    out = io.StringIO()
    # Upgraded code records before the operator runs the reissue: a v2 entry in the v1 log.
    from madang.calls import services as calls

    calls.snapshot_support_tally(actor=cast.doyun, call=cast.call)
    call_command("ledger", "reissue", stdout=out)
    assert "re-issued" in out.getvalue()

    # The v1 log is kept byte for byte in the archive, with its signed checkpoint, and not served.
    archive = next((settings.MADANG_LEDGER_DIR / "archive").iterdir())
    old_checkpoint = (archive / "log" / "checkpoint").read_text()
    assert tlog.open_checkpoint(old_checkpoint, ledger.verifiers())[0].size == len(old) + 1
    assert "Not for publication" in (archive / "README").read_text()
    # A new log under a new name, whose first entry carries the v1 final checkpoint.
    assert LogHead.objects.get().origin == "127.0.0.1:8000/ledger/v2"
    first = Entry.objects.get(log_index=0)
    body = ledger.body_of(first)
    assert first.kind == "ledger.reissued"
    assert body["previous_checkpoint"] == old_checkpoint and body["previous_size"] == len(old) + 1
    checkpoint, _ = tlog.open_checkpoint((ledger.log_dir() / "checkpoint").read_text(), ledger.verifiers())
    assert checkpoint.origin == "127.0.0.1:8000/ledger/v2" and checkpoint.size == len(old) + 2
    # Every v1 entry again, in order, naming its v1 index, with no v1 pseudonym left.
    reissued = [ledger.body_of(e) for e in Entry.objects.filter(log_index__gt=0).order_by("log_index")]
    assert [b["reissues"] for b in reissued] == [*sorted(old), len(old)]
    assert [b["kind"] for b in reissued] == [*(old[i]["kind"] for i in sorted(old)), "call.support_tally"]
    assert all(b["v"] == 2 for b in reissued)
    assert not any(minji_v1 in bytes(e.body).decode() for e in Entry.objects.all())
    routed = f"proposal:{v1_site.routed.pk}"
    submitted = next(b for b in reissued if b["kind"] == "proposal.submitted" and b["subject"] == routed)
    assert submitted["actor"] == submitted["author"] == ledger.pseudonym(cast.minji.pk, f"{routed}/author")
    # Commitments keep their salts: the reasons still verify, and so does everything else.
    assert [str(f) for f in verify_all()] == []
    with pytest.raises(CommandError, match="no version 1 entries"):
        call_command("ledger", "reissue", stdout=io.StringIO())


def test_it_changes_nothing_when_the_log_is_already_v2(cast):
    build_history(cast)
    with pytest.raises(CommandError, match="no version 1 entries"):
        call_command("ledger", "reissue", stdout=io.StringIO())
    assert not LogHead.objects.get().origin
