"""Cosignatures (C2SP tlog-cosignature) and the add-checkpoint witness (C2SP tlog-witness)."""

import json
import threading
from pathlib import Path

import pytest

from madang.solvers.tlog.checkpoint import Checkpoint, open_checkpoint
from madang.solvers.tlog.cosignature import (
    CosignatureSigner,
    CosignatureVerifier,
    cosigned_message,
    generate_cosigner_key,
    split_cosignature,
)
from madang.solvers.tlog.merkle import EMPTY_ROOT, Tree
from madang.solvers.tlog.note import (
    Ed25519Verifier,
    InvalidSignatureError,
    NoteError,
    generate_key,
    key_id,
    open_note,
    parse_skey,
    parse_vkey,
)
from madang.solvers.tlog.witness import (
    AddCheckpointRequest,
    LogState,
    MemoryWitnessStorage,
    Witness,
    parse_add_checkpoint,
)

C2SP = json.loads((Path(__file__).parent / "vectors" / "c2sp" / "vectors.json").read_text())
ORIGIN = "madang.example/ledger"
LOG_SKEY, LOG_VKEY = generate_key(ORIGIN)
WITNESS_SKEY, WITNESS_VKEY = generate_cosigner_key("witness.example/w1")
TREE = Tree.from_entries(b"decision %d" % i for i in range(40))


def _checkpoint(size: int, skey: str = LOG_SKEY, origin: str = ORIGIN, root: bytes | None = None) -> str:
    return Checkpoint(origin, size, TREE.root(size) if root is None else root).sign([parse_skey(skey)])


def _request(old: int, size: int, proof: list[bytes] | None = None, **kwargs) -> bytes:
    if proof is None:
        proof = TREE.consistency_proof(old, size) if old else []
    return AddCheckpointRequest(old, tuple(proof), _checkpoint(size, **kwargs)).encode()


def _witness(storage: MemoryWitnessStorage | None = None) -> Witness:
    signer = parse_skey(WITNESS_SKEY)
    assert isinstance(signer, CosignatureSigner)
    return Witness(
        [signer],
        {ORIGIN: [parse_vkey(LOG_VKEY)]},
        storage or MemoryWitnessStorage(),
        clock=lambda: 1_700_000_000,
    )


def test_it_builds_the_c2sp_cosigned_message() -> None:
    note = C2SP["checkpoint_example"]["note"]
    text = note[: note.index("\n\n") + 1]
    assert cosigned_message(text, 1679315147) == C2SP["cosignature_ed25519_signed_message_example"].encode()
    with pytest.raises(NoteError):
        cosigned_message(text, 2**63)


def test_it_round_trips_a_cosignature() -> None:
    signer = parse_skey(WITNESS_SKEY)
    assert isinstance(signer, CosignatureSigner)
    verifier = parse_vkey(WITNESS_VKEY)
    assert isinstance(verifier, CosignatureVerifier)
    assert verifier.key_id == signer.key_id
    assert signer.skey() == WITNESS_SKEY
    assert verifier.vkey() == WITNESS_VKEY
    signed = _checkpoint(10)
    text = signed[: signed.index("\n\n") + 1]
    cosignature = signer.signature(text, 1_234_567)
    assert split_cosignature(cosignature.signature)[0] == 1_234_567
    assert verifier.timestamp(text.encode(), cosignature.signature) == 1_234_567
    checkpoint, note = open_checkpoint(signed + cosignature.line(), [parse_vkey(LOG_VKEY)], ORIGIN, [verifier])
    assert checkpoint.size == 10
    assert note.verified_by(verifier.name, verifier.key_id)
    # The same key as a plain Ed25519 (type 0x01) key has another key ID: the line is just unknown.
    plain = Ed25519Verifier(verifier.name, verifier.public_key)
    assert plain.key_id != verifier.key_id
    assert open_note(signed + cosignature.line(), [parse_vkey(LOG_VKEY), plain]).unverified[0] == cosignature
    tampered = signer.signature(text.replace("\n10\n", "\n11\n"), 1_234_567)
    with pytest.raises(InvalidSignatureError):
        open_note(signed + tampered.line(), [verifier])
    assert verifier.key_id == key_id(verifier.name, 0x04, verifier.public_key)


def test_it_parses_the_c2sp_add_checkpoint_example() -> None:
    request = parse_add_checkpoint(C2SP["witness_add_checkpoint_request_example"].encode())
    assert request.old_size == 20852014
    assert len(request.proof) == 4
    assert request.checkpoint.startswith("example.com/behind-the-sofa\n20852163\n")
    assert request.encode() == C2SP["witness_add_checkpoint_request_example"].encode()


def test_it_cosigns_from_zero_then_follows_consistent_growth() -> None:
    witness = _witness()
    first = witness.add_checkpoint(_request(0, 5))
    assert first.status == 200
    signed = _checkpoint(5)
    note = open_note(signed + first.body.decode(), [parse_vkey(WITNESS_VKEY)])
    assert [s.name for s in note.signatures] == ["witness.example/w1"]
    assert split_cosignature(note.signatures[0].signature)[0] == 1_700_000_000
    assert witness.add_checkpoint(_request(5, 17)).status == 200
    assert witness.add_checkpoint(_request(17, 17)).status == 200
    assert witness.storage.load(ORIGIN) == LogState(17, TREE.root(17))


def test_it_answers_each_failure_with_the_spec_status() -> None:
    witness = _witness()
    assert witness.add_checkpoint(_request(0, 8)).status == 200
    stale = witness.add_checkpoint(_request(0, 9, proof=[]))
    assert (stale.status, stale.body, stale.content_type) == (409, b"8\n", "text/x.tlog.size")
    bad_proof = TREE.consistency_proof(8, 12)
    bad_proof[0] = bytes(32)
    assert witness.add_checkpoint(_request(8, 12, proof=bad_proof)).status == 422
    assert witness.add_checkpoint(_request(8, 12, proof=[])).status == 422
    assert witness.add_checkpoint(_request(8, 8, root=TREE.root(9))).status == 409
    assert witness.add_checkpoint(_request(8, 8, proof=[TREE.root(8)])).status == 422
    other_skey, _ = generate_key(ORIGIN)
    assert witness.add_checkpoint(_request(8, 12, skey=other_skey)).status == 403
    unknown_skey, _ = generate_key("elsewhere.example/log")
    assert witness.add_checkpoint(_request(8, 12, skey=unknown_skey, origin="elsewhere.example/log")).status == 404
    too_old = AddCheckpointRequest(13, (), _checkpoint(12)).encode()
    assert witness.add_checkpoint(too_old).status == 400
    for body in (b"", b"old 08\n\n" + _checkpoint(12).encode(), b"old 8\nnot base64\n\n", b"\xff\xfe"):
        assert witness.add_checkpoint(body).status == 400
    assert witness.add_checkpoint(AddCheckpointRequest(8, (bytes(32),) * 64, _checkpoint(12)).encode()).status == 400
    assert witness.storage.load(ORIGIN) == LogState(8, TREE.root(8))


def test_it_rejects_a_nonempty_proof_or_bogus_empty_tree_from_zero() -> None:
    witness = _witness()
    assert witness.add_checkpoint(_request(0, 4, proof=[TREE.root(4)])).status == 422
    assert witness.add_checkpoint(_request(0, 0, root=TREE.root(1))).status == 422
    assert witness.add_checkpoint(_request(0, 0, root=EMPTY_ROOT)).status == 200


class _RacingStorage(MemoryWitnessStorage):
    """Makes both requests read the state before either writes: the worst interleaving."""

    def __init__(self) -> None:
        super().__init__()
        self.barrier = threading.Barrier(2, timeout=10)
        self.racing_loads = 0
        self._count = threading.Lock()

    def load(self, origin: str) -> LogState | None:
        state = super().load(origin)
        with self._count:
            wait = self.racing_loads > 0
            self.racing_loads -= wait
        if wait:
            self.barrier.wait()
        return state


@pytest.mark.parametrize("winner_first", [True, False])
def test_it_never_rolls_back_under_concurrent_add_checkpoint(winner_first: bool) -> None:
    storage = _RacingStorage()
    witness = _witness(storage)
    assert witness.add_checkpoint(_request(0, 10)).status == 200
    bodies = {"small": _request(10, 20), "large": _request(10, 30)}
    results: dict[str, int] = {}

    def submit(name: str) -> None:
        results[name] = witness.add_checkpoint(bodies[name]).status

    storage.racing_loads = 2
    order = ["large", "small"] if winner_first else ["small", "large"]
    threads = [threading.Thread(target=submit, args=(name,)) for name in order]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    assert storage.racing_loads == 0
    # Both passed the size check against 10; exactly one compare-and-swap can win.
    assert sorted(results.values()) == [200, 409]
    winner = next(name for name, status in results.items() if status == 200)
    final = storage.load(ORIGIN)
    assert final == LogState(20 if winner == "small" else 30, TREE.root(20 if winner == "small" else 30))
    # Replaying the losing request afterwards is a conflict, never a rollback.
    loser = "large" if winner == "small" else "small"
    replay = witness.add_checkpoint(bodies[loser])
    assert replay.status == 409
    assert replay.body == f"{final.size}\n".encode()
    assert storage.load(ORIGIN) == final
