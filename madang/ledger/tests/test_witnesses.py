"""Independent witnesses cosign our checkpoints over HTTP; receipts then carry their cosignatures."""

import threading

import pytest
from django.core.management import call_command

from madang.ledger import services as ledger
from madang.ledger.models import Checkpoint, Entry, Witness
from madang.solvers import tlog
from madang.solvers.tlog.witness_server import FileWitnessStorage, make_server

pytestmark = pytest.mark.django_db


@pytest.fixture
def audit_office(tmp_path):
    """A witness run by another organisation, on loopback, following our log."""
    skey, vkey = tlog.generate_cosigner_key("audit.example.go.kr")
    logs = {"127.0.0.1:8000/ledger": [tlog.parse_vkey(v) for v in ledger.vkeys()]}
    server = make_server(("127.0.0.1", 0), [tlog.parse_skey(skey)], logs, FileWitnessStorage(tmp_path / "witness"))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    witness = Witness.objects.create(
        name="감사원 (test)", vkey=vkey, url=f"http://127.0.0.1:{server.server_port}/add-checkpoint"
    )
    yield witness
    server.shutdown()
    server.server_close()


def write(n):
    for i in range(n):
        ledger.record(kind="test.entry", subject=f"test:{i}", actor_id=None, data={"i": i})


def test_it_collects_a_cosignature_that_receipts_carry(cast, audit_office):
    write(3)
    ledger.sequence()
    assert ledger.cosign() == ["감사원 (test)"]
    checkpoint = ledger.latest_checkpoint()
    assert checkpoint.cosigned_by == ["감사원 (test)"]
    entry = Entry.objects.filter(log_index__isnull=False).first()
    receipt = ledger.receipt(entry)
    witness_key = tlog.parse_vkey(audit_office.vkey)
    proof = tlog.parse_proof(receipt)
    verified = tlog.verify_proof(
        proof,
        [tlog.parse_vkey(v) for v in ledger.vkeys()],
        entry=proof.extra,
        witness_verifiers=[witness_key],
        min_witnesses=1,
    )
    assert verified.witnesses == ("audit.example.go.kr",)
    assert (ledger.log_dir() / "checkpoint").read_text() == checkpoint.note


def test_it_proves_growth_to_the_witness_and_recovers_from_a_lost_size(cast, audit_office):
    write(2)
    ledger.sequence()
    ledger.cosign()
    write(300)
    ledger.sequence()
    # Our record of what it cosigned was lost: its 409 tells us, and we prove growth from there.
    Witness.objects.update(last_size=0)
    assert ledger.cosign() == ["감사원 (test)"]
    audit_office.refresh_from_db()
    assert audit_office.last_size == ledger.latest_checkpoint().size
    assert audit_office.last_error == ""


def test_it_records_a_witness_that_refuses(cast, audit_office, tmp_path):
    write(2)
    ledger.sequence()
    Witness.objects.update(vkey=tlog.generate_cosigner_key("someone.else")[1])
    assert ledger.cosign() == []
    audit_office.refresh_from_db()
    assert audit_office.last_error
    assert Checkpoint.objects.get(size=ledger.latest_checkpoint().size).cosigned_by == []


def test_it_records_an_unreachable_witness(cast):
    Witness.objects.create(
        name="꺼진 증인", vkey=tlog.generate_cosigner_key("off.example")[1], url="http://127.0.0.1:9/add-checkpoint"
    )
    write(1)
    ledger.sequence()
    assert ledger.cosign() == []
    assert Witness.objects.get().last_error.startswith("unreachable")


def test_it_can_be_run_from_the_command_line(cast, audit_office, capsys):
    write(1)
    call_command("ledger", "sequence")
    call_command("ledger", "cosign")
    assert "감사원 (test)" in capsys.readouterr().out
