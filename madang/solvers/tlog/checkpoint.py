"""C2SP tlog-checkpoint v1.0.0 (https://c2sp.org/tlog-checkpoint).

A checkpoint is a signed note whose text is: origin line, tree size in decimal
(no leading zeroes), base64 root hash, then optional non-empty extension lines.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable
from dataclasses import dataclass

from .merkle import HASH_SIZE
from .note import Note, NoteError, Signer, Verifier, open_note, sign_note

MAX_TREE_SIZE = 2**64 - 1
_DECIMAL = re.compile(r"0|[1-9][0-9]*")


class CheckpointError(NoteError):
    pass


def parse_decimal(text: str, what: str = "number") -> int:
    """ASCII decimal with no leading zeroes, within uint64."""
    if not _DECIMAL.fullmatch(text) or len(text) > 20:
        raise CheckpointError(f"bad {what}: {text!r}")
    value = int(text)
    if value > MAX_TREE_SIZE:
        raise CheckpointError(f"{what} too large")
    return value


def decode_hash(text: str) -> bytes:
    """Strict standard base64 of exactly one 32-byte hash."""
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise CheckpointError(f"bad base64 hash: {text!r}") from exc
    if len(raw) != HASH_SIZE or base64.b64encode(raw).decode() != text:
        raise CheckpointError(f"bad base64 hash: {text!r}")
    return raw


def encode_hash(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root_hash: bytes
    extensions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.origin or "\n" in self.origin or any(ord(c) < 0x20 for c in self.origin):
            raise CheckpointError("origin must be one non-empty line")
        if not 0 <= self.size <= MAX_TREE_SIZE:
            raise CheckpointError("tree size out of range")
        if len(self.root_hash) != HASH_SIZE:
            raise CheckpointError("root hash must be 32 bytes")
        for ext in self.extensions:
            if not ext or "\n" in ext or any(ord(c) < 0x20 for c in ext):
                raise CheckpointError("extension lines must be single non-empty lines")

    def text(self) -> str:
        """The note text (body) of the checkpoint, newline-terminated."""
        lines = [self.origin, str(self.size), encode_hash(self.root_hash), *self.extensions]
        return "\n".join(lines) + "\n"

    def sign(self, signers: Iterable[Signer]) -> str:
        return sign_note(self.text(), signers)


def parse_checkpoint(text: str) -> Checkpoint:
    """Parse checkpoint note text (no signatures)."""
    if not text.endswith("\n"):
        raise CheckpointError("checkpoint text must end in a newline")
    lines = text[:-1].split("\n")
    if len(lines) < 3:
        raise CheckpointError("checkpoint needs origin, size and root hash lines")
    if any(not line for line in lines):
        raise CheckpointError("checkpoint lines must be non-empty")
    origin, size, root, *extensions = lines
    return Checkpoint(origin, parse_decimal(size, "tree size"), decode_hash(root), tuple(extensions))


def open_checkpoint(
    message: str | bytes,
    log_verifiers: Iterable[Verifier],
    origin: str | None = None,
    other_verifiers: Iterable[Verifier] = (),
) -> tuple[Checkpoint, Note]:
    """Verify a signed checkpoint and parse it.

    At least one signature must verify under ``log_verifiers``. Signatures by
    ``other_verifiers`` (e.g. witness cosigners) are verified too and reported in
    the returned note; any other signature lines are ignored as the spec requires.
    """
    log_keys = list(log_verifiers)
    note = open_note(message, [*log_keys, *other_verifiers])
    if not any(note.verified_by(v.name, v.key_id) for v in log_keys):
        raise CheckpointError("checkpoint is not signed by the log")
    checkpoint = parse_checkpoint(note.text)
    if origin is not None and checkpoint.origin != origin:
        raise CheckpointError(f"checkpoint origin {checkpoint.origin!r} is not {origin!r}")
    return checkpoint, note
