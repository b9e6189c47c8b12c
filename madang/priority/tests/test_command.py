"""`madang priority`: the export written to a file, a peer added, a peer's file imported, and a
refused file reported as an error with the reason."""

import io
import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from madang.ledger import services as ledger
from madang.priority import exchange
from madang.priority.models import Filing, Peer
from madang.solvers import fingerprint
from madang.suggestions.tests.conftest import file

from .agency import KEY
from .test_import import BUS

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command("priority", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_it_writes_our_export_to_a_file(cast, office, tmp_path):
    file(cast, office, on=date(2025, 3, 10))
    ledger.sequence()
    run("export", "--out", str(tmp_path / "ours.json"))
    proven = exchange.read(
        (tmp_path / "ours.json").read_bytes(),
        peer="한빛도",
        origin=ledger.origin(),
        vkey=ledger.vkeys()[0],
        key_id=fingerprint.ExchangeKey(KEY).key_id,
        seen=None,
    )
    assert len(proven.filings) == 1


def test_it_adds_a_peer_and_imports_its_file(cast, office, saebyeok, tmp_path):
    saebyeok.receive(BUS, date(2025, 3, 4))
    (tmp_path / "saebyeok.json").write_bytes(saebyeok.export())
    run(
        "peer", "새벽도", saebyeok.origin, saebyeok.vkey, "--url", "https://saebyeok.example.go.kr/priority/export.json"
    )
    file(cast, office, on=date(2025, 3, 10))
    out = run("import", "새벽도", str(tmp_path / "saebyeok.json"))
    assert "1 new filings" in out and "1 new matches" in out
    assert "새벽도" in run("peers")


def test_it_reports_a_refused_file_and_keeps_nothing(cast, saebyeok, tmp_path):
    saebyeok.receive(BUS, date(2025, 3, 4))
    run("peer", "새벽도", saebyeok.origin, saebyeok.vkey)
    document = json.loads(saebyeok.export())
    document["filings"][0]["salt"] = "00" * 16
    (tmp_path / "bad.json").write_text(json.dumps(document))
    with pytest.raises(CommandError) as caught:
        run("import", "새벽도", str(tmp_path / "bad.json"))
    assert "새벽도" in str(caught.value)
    assert Filing.objects.count() == 0 and Peer.objects.get().last_error


def test_an_administrator_records_a_peers_new_key_with_a_reason(cast, saebyeok, tmp_path):
    saebyeok.receive(BUS, date(2025, 3, 4))
    run("peer", "새벽도", saebyeok.origin, saebyeok.vkey)
    saebyeok.rotate(announce=False)
    (tmp_path / "new.json").write_bytes(saebyeok.export())
    with pytest.raises(CommandError) as caught:
        run("import", "새벽도", str(tmp_path / "new.json"))
    assert "madang priority key" in str(caught.value)
    with pytest.raises(CommandError):
        run("key", "새벽도", saebyeok.vkey)  # no reason: refused by the parser
    out = run("key", "새벽도", saebyeok.vkey, "--reason", "새벽도 공문으로 받은 새 키")
    assert saebyeok.vkey.split("+")[1] in out
    assert "1 new filings" in run("import", "새벽도", str(tmp_path / "new.json"))
    assert "2 trusted so far" in run("peers")


def test_announcing_our_keys_needs_a_rotation_under_way(cast):
    with pytest.raises(CommandError) as caught:
        run("announce-keys")
    assert "one key" in str(caught.value)
