"""Signed notes (C2SP signed-note) and checkpoints (C2SP tlog-checkpoint)."""

import base64
import json
from pathlib import Path

import pytest

from madang.solvers.tlog.checkpoint import (
    Checkpoint,
    CheckpointError,
    open_checkpoint,
    parse_checkpoint,
)
from madang.solvers.tlog.merkle import leaf_hash
from madang.solvers.tlog.note import (
    Ed25519Signer,
    Ed25519Verifier,
    InvalidSignatureError,
    MalformedNoteError,
    NoteError,
    Signature,
    UnverifiedNoteError,
    generate_key,
    key_id,
    open_note,
    parse_note,
    parse_skey,
    parse_vkey,
    sign_note,
)

VECTORS = Path(__file__).parent / "vectors"
GO = json.loads((VECTORS / "golang-sumdb-note" / "vectors.json").read_text())
C2SP = json.loads((VECTORS / "c2sp" / "vectors.json").read_text())
PETER = GO["signed_note_ed25519"]


def test_it_reproduces_the_go_signed_note_byte_for_byte() -> None:
    signer = parse_skey(PETER["signer_skey"])
    assert isinstance(signer, Ed25519Signer)
    assert signer.skey() == PETER["signer_skey"]
    assert signer.verifier().vkey() == PETER["vkey"]
    assert sign_note(PETER["text"], [signer]) == PETER["signed_note"]


def test_it_opens_the_go_note_with_either_of_two_signers() -> None:
    both = PETER["signed_note"] + GO["second_key"]["signature_line_over_same_text"] + "\n"
    peter, enoch = parse_vkey(PETER["vkey"]), parse_vkey(GO["second_key"]["vkey"])
    by_peter = open_note(both, [peter])
    assert by_peter.text == PETER["text"]
    assert [s.name for s in by_peter.signatures] == ["PeterNeumann"]
    assert [s.name for s in by_peter.unverified] == ["EnochRoot"]
    by_enoch = open_note(both, [enoch])
    assert [s.name for s in by_enoch.signatures] == ["EnochRoot"]
    assert len(open_note(both, [peter, enoch]).signatures) == 2


def test_it_rejects_the_go_bad_vkeys() -> None:
    for vkey in GO["bad_vkeys"]:
        with pytest.raises(NoteError):
            parse_vkey(vkey)


def test_it_matches_the_go_record_hash() -> None:
    vector = GO["record_hash"]
    assert leaf_hash(vector["input_utf8"].encode()) == base64.b64decode(vector["rfc6962_leaf_hash_b64"])


def test_it_verifies_the_c2sp_vkey_and_note_example() -> None:
    example = C2SP["signed_note_vkey_example"]
    verifier = parse_vkey(example["vkey"])
    assert verifier.name == "example.com/foo"
    assert verifier.key_id == 0x530D903A
    note = open_note(example["signed_note"], [verifier])
    assert note.text == "This is an example message.\n"
    tampered = example["signed_note"].replace("example message", "exemplary message")
    with pytest.raises(InvalidSignatureError):
        open_note(tampered, [verifier])


def test_it_computes_key_ids_per_the_spec() -> None:
    verifier = parse_vkey(PETER["vkey"])
    assert isinstance(verifier, Ed25519Verifier)
    assert key_id("PeterNeumann", 0x01, verifier.public_key) == 0xC74F20A3


@pytest.mark.parametrize(
    "mangle",
    [
        lambda n: n.replace("\n\n", "\n"),  # no blank line
        lambda n: n[:-1],  # signature block not newline-terminated
        lambda n: n.replace("— ", "-- "),  # wrong dash
        lambda n: n.replace("— PeterNeumann ", "— PeterNeumann  "),  # empty base64 after double space
        lambda n: n.replace("PeterNeumann x08", "Peter+Neumann x08"),  # '+' in name
        lambda n: n.replace("x08go", "x08g*"),  # bad base64
        lambda n: n.replace("problem,", "problem,\t"),  # control character
        lambda n: n.replace(
            "— PeterNeumann "
            "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=",
            "— PeterNeumann AAAA",
        ),  # too short
        lambda n: n + "\n",  # trailing blank line
        lambda n: n.split("\n\n")[0] + "\n\n",  # no signatures
    ],
)
def test_it_rejects_malformed_notes(mangle) -> None:
    peter = parse_vkey(PETER["vkey"])
    with pytest.raises(MalformedNoteError):
        open_note(mangle(PETER["signed_note"]), [peter])


def test_it_rejects_invalid_utf8_and_too_many_signatures() -> None:
    peter = parse_vkey(PETER["vkey"])
    with pytest.raises(MalformedNoteError, match="UTF-8"):
        open_note(PETER["signed_note"].encode().replace(b"cryptography", b"crypt\xffgraphy"), [peter])
    line = GO["second_key"]["signature_line_over_same_text"]
    sixteen = PETER["signed_note"] + "".join(line.replace("EnochRoot", f"Enoch{i}") + "\n" for i in range(15))
    assert len(open_note(sixteen, [peter]).unverified) == 15
    crowded = PETER["signed_note"] + "".join(line.replace("EnochRoot", f"Enoch{i}") + "\n" for i in range(100))
    with pytest.raises(MalformedNoteError, match="signatures"):
        open_note(crowded, [peter])


def test_it_rejects_notes_without_a_known_signature_or_with_a_bad_one() -> None:
    enoch = parse_vkey(GO["second_key"]["vkey"])
    with pytest.raises(UnverifiedNoteError):
        open_note(PETER["signed_note"], [enoch])
    peter = parse_vkey(PETER["vkey"])
    text, sigs = parse_note(PETER["signed_note"])
    forged = Signature(sigs[0].name, sigs[0].key_id, bytes(64))
    with pytest.raises(InvalidSignatureError):
        open_note(text + "\n" + forged.line(), [peter])
    # Same name, different key ID: an unknown key, so ignored rather than failed.
    other = Signature(sigs[0].name, sigs[0].key_id ^ 1, bytes(64))
    assert open_note(PETER["signed_note"] + other.line(), [peter]).unverified == (other,)


@pytest.mark.parametrize(
    "vkey",
    [
        "PeterNeumann+c74f20a3",  # missing key
        "PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # upper-case ID
        "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # ID mismatch
        "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # space in name
        "+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # empty name
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10",  # short key
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW+x",  # extra field
    ],
)
def test_it_rejects_malformed_vkeys(vkey: str) -> None:
    with pytest.raises(NoteError):
        parse_vkey(vkey)


@pytest.mark.parametrize(
    "skey",
    [
        PETER["signer_skey"].removeprefix("PRIVATE+KEY+"),  # no prefix
        PETER["signer_skey"].replace("c74f20a3", "c74f20a4"),  # ID mismatch
        PETER["signer_skey"].replace("+AYEK", "+AoEK"),  # unknown algorithm byte
        PETER["signer_skey"][:-4],  # truncated seed
    ],
)
def test_it_rejects_malformed_skeys(skey: str) -> None:
    with pytest.raises(NoteError):
        parse_skey(skey)


def test_it_generates_keys_that_sign_and_verify() -> None:
    skey, vkey = generate_key("madang.example/ledger")
    note = sign_note("hello\n", [parse_skey(skey)])
    assert open_note(note, [parse_vkey(vkey)]).text == "hello\n"
    with pytest.raises(NoteError):
        sign_note("no newline", [parse_skey(skey)])


def test_it_parses_and_formats_the_c2sp_checkpoint_example() -> None:
    note = C2SP["checkpoint_example"]["note"]
    text, sigs = parse_note(note)
    checkpoint = parse_checkpoint(text)
    assert checkpoint.origin == "example.com/behind-the-sofa"
    assert checkpoint.size == 20852163
    assert checkpoint.root_hash == base64.b64decode("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=")
    assert checkpoint.text() == text
    assert sigs[0].name == "example.com/behind-the-sofa"


@pytest.mark.parametrize(
    "text",
    [
        "example.com/log\n10\n",  # no root
        "example.com/log\n010\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",  # leading zero
        "example.com/log\n-1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",  # negative
        "example.com/log\n+1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",  # sign
        "example.com/log\n18446744073709551616\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",  # > uint64
        "example.com/log\n10\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2\n",  # bad base64
        "example.com/log\n10\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jx\n",  # 30-byte root
        "example.com/log\n10\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\nextension\n",  # empty line
        "\n10\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",  # empty origin
        "example.com/log\n10\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=",  # no final newline
    ],
)
def test_it_rejects_malformed_checkpoints(text: str) -> None:
    with pytest.raises(CheckpointError):
        parse_checkpoint(text)


def test_it_round_trips_a_checkpoint_with_extension_lines() -> None:
    signer = parse_skey(PETER["signer_skey"])
    checkpoint = Checkpoint("PeterNeumann", 0, leaf_hash(b"x"), ("ext one", "ext two"))
    opened, note = open_checkpoint(checkpoint.sign([signer]), [parse_vkey(PETER["vkey"])], "PeterNeumann")
    assert opened == checkpoint
    assert note.text.endswith("ext one\next two\n")
    with pytest.raises(CheckpointError, match="origin"):
        open_checkpoint(checkpoint.sign([signer]), [parse_vkey(PETER["vkey"])], "someone-else")
