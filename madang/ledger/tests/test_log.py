"""Entries go into the Merkle log in batches; receipts verify offline; crashes lose nothing."""

import pytest

from madang.ledger import services as ledger
from madang.ledger.models import Checkpoint, Entry, LogHead
from madang.solvers import tlog

pytestmark = pytest.mark.django_db


def write(n, kind="test.entry"):
    return [ledger.record(kind=kind, subject=f"test:{i}", actor_id=None, data={"i": i}) for i in range(n)]


def test_it_puts_recorded_entries_in_the_log_in_order(cast):
    before = Entry.objects.count()
    write(3)
    result = ledger.sequence()
    assert result.size == before + 3
    assert list(Entry.objects.order_by("seq").values_list("log_index", flat=True)) == list(range(before + 3))
    checkpoint = ledger.latest_checkpoint()
    assert checkpoint.size == before + 3
    parsed, _ = tlog.open_checkpoint(checkpoint.note, ledger.verifiers(), "127.0.0.1:8000/ledger")
    assert parsed.root_hash.hex() == checkpoint.root_hash


def test_it_does_nothing_when_nothing_is_pending(cast):
    ledger.sequence()
    count = Checkpoint.objects.count()
    assert ledger.sequence().added == 0
    assert Checkpoint.objects.count() == count


def test_it_batches_many_entries(cast):
    write(25)
    result = ledger.sequence(batch=10)
    assert result.size == Entry.objects.count()
    assert LogHead.objects.get().size == result.size
    sizes = list(Checkpoint.objects.order_by("created_at", "pk").values_list("size", flat=True))
    assert sizes == sorted(sizes)


def test_it_gives_a_receipt_that_verifies_with_only_the_public_key(cast):
    entry = write(1)[0]
    assert ledger.receipt(entry) is None  # not in the log yet
    ledger.sequence()
    entry.refresh_from_db()
    text = ledger.receipt(entry)
    keys = [tlog.parse_vkey(v) for v in ledger.vkeys()]
    proof = tlog.parse_proof(text)
    verified = tlog.verify_proof(proof, keys, entry=proof.extra)
    assert verified.checkpoint.size == Entry.objects.count()
    assert proof.extra == bytes(entry.body)
    forged = tlog.build_proof(
        proof.index, proof.inclusion_proof, proof.checkpoint, extra=proof.extra.replace(b'"i":0', b'"i":1')
    )
    assert forged.extra != proof.extra
    with pytest.raises(tlog.NoteError, match="does not verify"):
        tlog.verify_proof(forged, keys, entry=forged.extra)


def test_it_finishes_a_batch_whose_files_were_never_written(cast, monkeypatch):
    write(4)
    ledger.sequence()

    def power_cut(self, entries):
        raise OSError("power cut")

    write(3)
    monkeypatch.setattr(tlog.DurableLog, "append", power_cut)
    with pytest.raises(OSError):
        ledger.sequence()
    # The indices were committed with the batch; the files and the checkpoint were not.
    assert LogHead.objects.get().size == Entry.objects.count()
    monkeypatch.undo()
    ledger.forget_open_logs()  # a restarted process
    result = ledger.sequence()
    assert result.size == Entry.objects.count()
    assert ledger.latest_checkpoint().size == result.size


def test_it_reports_a_log_that_is_ahead_of_its_database(cast):
    write(2)
    ledger.sequence()
    # The database was restored from a backup older than the log.
    LogHead.objects.update(size=1)
    Entry.objects.filter(log_index__gte=1).delete()
    with pytest.raises(tlog.LogCorrupt):
        ledger.sequence()


def test_it_keeps_committed_texts_out_of_the_log(cast):
    entry = ledger.record(
        kind="test.reason",
        subject="test:1",
        actor_id=cast.minji.pk,
        data={},
        commitments={"reason": "예산 부족 (김민지 주무관 의견)"},
    )
    assert "김민지" not in bytes(entry.body).decode()
    assert ledger.matches_commitment(entry, "reason", "예산 부족 (김민지 주무관 의견)")
    assert not ledger.matches_commitment(entry, "reason", "예산 부족")
    assert ledger.body_of(entry)["actor"] == ledger.pseudonym(cast.minji.pk, "test:1/test")
