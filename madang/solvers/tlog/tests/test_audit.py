"""Auditing without trusting the server: receipts, mirrors, and history rewrites."""

import shutil

import pytest

from madang.solvers.tlog import DirectoryStore, DurableLog, build_proof, generate_key, parse_skey, parse_vkey
from madang.solvers.tlog.__main__ import main
from madang.solvers.tlog.audit import verify_mirror, verify_receipt

ORIGIN = "audit.example/ledger"
SKEY, VKEY = generate_key(ORIGIN)
KEYS = [parse_vkey(VKEY)]


def entries(n, start=0):
    return [f'{{"n":{i}}}'.encode() for i in range(start, start + n)]


@pytest.fixture
def log(tmp_path):
    durable = DurableLog.open(tmp_path / "log", ORIGIN, [parse_skey(SKEY)], KEYS, fsync=False)
    durable.append(entries(300))
    return durable


def receipt(durable, index):
    proof = durable.tree.inclusion_proof(index)
    return build_proof(index, proof, durable.signed_checkpoint, extra=entries(1, index)[0]).encode()


def test_it_accepts_a_true_receipt_and_names_its_size(log):
    report, verified = verify_receipt(receipt(log, 42), KEYS)
    assert report.ok
    assert verified.checkpoint.size == 300


def test_it_rejects_a_receipt_signed_by_another_key(log):
    other = [parse_vkey(generate_key(ORIGIN)[1])]
    report, _ = verify_receipt(receipt(log, 42), other)
    assert not report.ok


def test_it_accepts_an_untouched_mirror_and_a_grown_one(log, tmp_path):
    seen = log.signed_checkpoint
    log.append(entries(50, 300))
    report = verify_mirror(DirectoryStore(tmp_path / "log"), KEYS, seen=seen)
    assert report.ok, report.lines
    assert any("consistent" in line for line in report.lines)


def test_it_names_the_entry_that_was_changed_in_a_mirror(log, tmp_path):
    mirror = tmp_path / "mirror"
    shutil.copytree(tmp_path / "log", mirror)
    bundle = mirror / "tile/entries/000"
    bundle.write_bytes(bundle.read_bytes().replace(b'{"n":7}', b'{"n":8}'))
    report = verify_mirror(DirectoryStore(mirror), KEYS)
    assert not report.ok
    assert any("entry 7 " in line for line in report.lines)


def test_it_detects_a_rewritten_history(tmp_path):
    signer = parse_skey(SKEY)
    first = DurableLog.open(tmp_path / "a", ORIGIN, [signer], KEYS, fsync=False)
    first.append(entries(10))
    seen = first.signed_checkpoint
    # The server starts again from a different history and signs a bigger tree.
    forked = DurableLog.open(tmp_path / "b", ORIGIN, [signer], KEYS, fsync=False)
    forked.append([b"rewritten", *entries(19, 1)])
    report = verify_mirror(DirectoryStore(tmp_path / "b"), KEYS, seen=seen)
    assert not report.ok
    assert any("rewritten" in line for line in report.lines)


def test_its_command_line_verifies_a_receipt_against_a_mirror(log, tmp_path, capsys):
    path = tmp_path / "receipt.txt"
    path.write_text(receipt(log, 5))
    seen = tmp_path / "seen"
    assert (
        main(["verify", "--vkey", VKEY, "--receipt", str(path), "--mirror", str(tmp_path / "log"), "--seen", str(seen)])
        == 0
    )
    assert "verified" in capsys.readouterr().out
    assert seen.read_text() == log.signed_checkpoint
    path.write_text(receipt(log, 5).replace("index 5", "index 6"))
    assert main(["verify", "--vkey", VKEY, "--receipt", str(path)]) == 1
    assert "NOT VERIFIED" in capsys.readouterr().out
