"""The stand-alone witness: its file storage never rolls back, even with requests racing."""

import threading
import urllib.request

from madang.solvers.tlog import (
    AddCheckpointRequest,
    DurableLog,
    generate_cosigner_key,
    generate_key,
    parse_skey,
    parse_vkey,
)
from madang.solvers.tlog.witness import LogState, Witness
from madang.solvers.tlog.witness_server import FileWitnessStorage, make_server

ORIGIN = "race.example/ledger"
SKEY, VKEY = generate_key(ORIGIN)
WKEY, WVKEY = generate_cosigner_key("witness.example")


def test_its_storage_swaps_only_from_the_expected_state(tmp_path):
    storage = FileWitnessStorage(tmp_path)
    a, b = LogState(1, b"a" * 32), LogState(2, b"b" * 32)
    assert storage.compare_and_swap(ORIGIN, None, a)
    assert not storage.compare_and_swap(ORIGIN, None, b)
    assert storage.compare_and_swap(ORIGIN, a, b)
    assert FileWitnessStorage(tmp_path).load(ORIGIN) == b  # survives a restart


def test_it_never_cosigns_a_rollback_when_two_logs_race(tmp_path):
    """Two writers race growth from the same size through two storages on one folder."""
    log = DurableLog.open(tmp_path / "log", ORIGIN, [parse_skey(SKEY)], [parse_vkey(VKEY)], fsync=False)
    log.append([b"%d" % i for i in range(10)])
    first = log.signed_checkpoint
    witnesses = [
        Witness([parse_skey(WKEY)], {ORIGIN: [parse_vkey(VKEY)]}, FileWitnessStorage(tmp_path / "w")) for _ in range(2)
    ]
    assert witnesses[0].add_checkpoint(AddCheckpointRequest(0, (), first).encode()).status == 200
    checkpoints = []
    for n in (5, 7):
        log.append([b"x%d" % i for i in range(n)])
        checkpoints.append((log.size, log.tree.consistency_proof(10), log.signed_checkpoint))
    results = []

    def send(witness, item):
        size, proof, note = item
        results.append((size, witness.add_checkpoint(AddCheckpointRequest(10, tuple(proof), note).encode()).status))

    threads = [threading.Thread(target=send, args=(w, c)) for w, c in zip(witnesses, checkpoints, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    statuses = sorted(status for _size, status in results)
    assert statuses == [200, 409]  # exactly one wins from size 10; the other must retry
    winner = next(size for size, status in results if status == 200)
    assert FileWitnessStorage(tmp_path / "w").load(ORIGIN).size == winner


def test_it_answers_over_http(tmp_path):
    log = DurableLog.open(tmp_path / "log", ORIGIN, [parse_skey(SKEY)], [parse_vkey(VKEY)], fsync=False)
    log.append([b"one"])
    server = make_server(
        ("127.0.0.1", 0), [parse_skey(WKEY)], {ORIGIN: [parse_vkey(VKEY)]}, FileWitnessStorage(tmp_path / "w")
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/add-checkpoint"
        body = AddCheckpointRequest(0, (), log.signed_checkpoint).encode()
        with urllib.request.urlopen(urllib.request.Request(url, data=body, method="POST")) as answer:
            line = answer.read().decode()
        assert line.startswith("— witness.example ")
    finally:
        server.shutdown()
        server.server_close()
