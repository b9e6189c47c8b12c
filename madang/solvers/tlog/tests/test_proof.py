"""Offline proofs (C2SP tlog-proof)."""

import json
from pathlib import Path

import pytest

from madang.solvers.tlog.checkpoint import Checkpoint, CheckpointError
from madang.solvers.tlog.cosignature import generate_cosigner_key
from madang.solvers.tlog.merkle import Tree, leaf_hash
from madang.solvers.tlog.note import NoteError, generate_key, parse_skey, parse_vkey, sign_note
from madang.solvers.tlog.proof import ProofError, build_proof, parse_proof, verify_proof

C2SP = json.loads((Path(__file__).parent / "vectors" / "c2sp" / "vectors.json").read_text())
ORIGIN = "madang.example/ledger"
LOG_SKEY, LOG_VKEY = generate_key(ORIGIN)
WITNESSES = [generate_cosigner_key(f"witness{i}.example") for i in range(3)]
ENTRIES = [b"decision %d" % i for i in range(1000)]
TREE = Tree.from_entries(ENTRIES)


def _cosigned_checkpoint(size: int, witnesses: int) -> str:
    text = Checkpoint(ORIGIN, size, TREE.root(size)).text()
    signers = [parse_skey(LOG_SKEY), *(parse_skey(s) for s, _ in WITNESSES[:witnesses])]
    return sign_note(text, signers)


def _proof_text(index: int, size: int = 1000, witnesses: int = 2, extra: bytes | None = b"ctx") -> str:
    return build_proof(index, TREE.inclusion_proof(index, size), _cosigned_checkpoint(size, witnesses), extra).encode()


def test_it_parses_the_c2sp_example_and_refuses_its_truncated_signatures() -> None:
    example = C2SP["tlog_proof_example"]["text"]
    proof = parse_proof(example)
    assert proof.index == 73894
    assert len(proof.inclusion_proof) == 5
    assert proof.extra is not None
    assert proof.extra.startswith(b"age-v1.2.1-darwin-arm64.tar.gz")
    assert proof.checkpoint.startswith("example.com/fancylog\n109482\n")
    assert proof.encode() == example
    _, log_vkey = generate_key("example.com/fancylog")
    with pytest.raises(NoteError):
        verify_proof(example, [parse_vkey(log_vkey)], leaf=bytes(32))


def test_it_round_trips_and_verifies_a_cosigned_proof() -> None:
    text = _proof_text(123)
    assert parse_proof(text).encode() == text
    witness_keys = [parse_vkey(v) for _, v in WITNESSES]
    result = verify_proof(
        text,
        [parse_vkey(LOG_VKEY)],
        entry=ENTRIES[123],
        origin=ORIGIN,
        witness_verifiers=witness_keys,
        min_witnesses=2,
    )
    assert result.checkpoint.size == 1000
    assert result.witnesses == ("witness0.example", "witness1.example")
    assert verify_proof(text, [parse_vkey(LOG_VKEY)], leaf=leaf_hash(ENTRIES[123])).checkpoint.root_hash == TREE.root()


def test_it_rejects_wrong_entries_indexes_quorums_and_keys() -> None:
    log = [parse_vkey(LOG_VKEY)]
    witness_keys = [parse_vkey(v) for _, v in WITNESSES]
    text = _proof_text(500, size=777, witnesses=1)
    with pytest.raises(ProofError, match="inclusion"):
        verify_proof(text, log, entry=ENTRIES[501])
    with pytest.raises(ProofError, match="inclusion"):
        verify_proof(text.replace("index 500", "index 501"), log, entry=ENTRIES[501])
    with pytest.raises(ProofError, match="witness"):
        verify_proof(text, log, entry=ENTRIES[500], witness_verifiers=witness_keys, min_witnesses=2)
    with pytest.raises(CheckpointError, match="origin"):
        verify_proof(text, log, entry=ENTRIES[500], origin="other.example/log")
    _, stranger = generate_key(ORIGIN)
    with pytest.raises(NoteError):
        verify_proof(text, [parse_vkey(stranger)], entry=ENTRIES[500])
    # Cosignatures alone cannot stand in for the log's own signature.
    witnessed_only = sign_note(Checkpoint(ORIGIN, 777, TREE.root(777)).text(), [parse_skey(WITNESSES[0][0])])
    unsigned = build_proof(500, TREE.inclusion_proof(500, 777), witnessed_only)
    with pytest.raises(CheckpointError, match="not signed by the log"):
        verify_proof(unsigned, log, entry=ENTRIES[500], witness_verifiers=witness_keys)


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t.replace("c2sp.org/tlog-proof@v1", "c2sp.org/tlog-proof@v2"),
        lambda t: t.replace("index 500\n", "index 0500\n"),
        lambda t: t.replace("index 500\n", ""),
        lambda t: t.replace("extra Y3R4\n", "extra *\n"),
        lambda t: t.replace("\n\nmadang", "\nmadang"),
        lambda t: t.split("\n\nmadang")[0] + "\n\n",
    ],
)
def test_it_rejects_malformed_proofs(mangle) -> None:
    text = _proof_text(500)
    assert "extra Y3R4\n" in text
    with pytest.raises(NoteError):
        verify_proof(mangle(text), [parse_vkey(LOG_VKEY)], entry=ENTRIES[500])
