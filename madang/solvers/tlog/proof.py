"""C2SP tlog-proof (``c2sp.org/tlog-proof@v1``): offline-verifiable inclusion proofs.

Layout: the header line, an optional ``extra <base64>`` line, ``index <n>``, zero or
more base64 inclusion-proof hashes (leaf sibling first), an empty line, then the
signed checkpoint verbatim (log signature plus any witness cosignatures).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass

from .checkpoint import Checkpoint, decode_hash, encode_hash, open_checkpoint, parse_decimal
from .merkle import MAX_PROOF_DEPTH, leaf_hash, verify_inclusion
from .note import Note, NoteError, Verifier

HEADER = "c2sp.org/tlog-proof@v1"


class ProofError(NoteError):
    pass


@dataclass(frozen=True)
class TlogProof:
    index: int
    inclusion_proof: tuple[bytes, ...]
    checkpoint: str
    extra: bytes | None = None

    def encode(self) -> str:
        lines = [HEADER]
        if self.extra is not None:
            lines.append(f"extra {base64.b64encode(self.extra).decode()}")
        lines.append(f"index {self.index}")
        lines.extend(encode_hash(h) for h in self.inclusion_proof)
        lines.append("")
        return "\n".join(lines) + "\n" + self.checkpoint


def build_proof(
    index: int, inclusion_proof: Sequence[bytes], signed_checkpoint: str, extra: bytes | None = None
) -> TlogProof:
    return TlogProof(index, tuple(bytes(h) for h in inclusion_proof), signed_checkpoint, extra)


def parse_proof(text: str | bytes) -> TlogProof:
    """Parse the proof format; the checkpoint is kept verbatim and checked by :func:`verify_proof`."""
    if isinstance(text, bytes | bytearray):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ProofError("proof is not UTF-8") from exc
    lines = text.split("\n")
    if len(lines) < 4 or lines[0] != HEADER:
        raise ProofError("missing c2sp.org/tlog-proof@v1 header")
    pos = 1
    extra = None
    if lines[pos].startswith("extra "):
        try:
            extra = base64.b64decode(lines[pos][6:], validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ProofError("bad extra data") from exc
        pos += 1
    if not lines[pos].startswith("index "):
        raise ProofError("missing index line")
    index = parse_decimal(lines[pos][6:], "index")
    pos += 1
    hashes: list[bytes] = []
    while pos < len(lines) and lines[pos]:
        if len(hashes) == MAX_PROOF_DEPTH:
            raise ProofError("inclusion proof too long")
        hashes.append(decode_hash(lines[pos]))
        pos += 1
    if pos >= len(lines) - 1:
        raise ProofError("missing checkpoint")
    checkpoint = "\n".join(lines[pos + 1 :])
    if not checkpoint:
        raise ProofError("missing checkpoint")
    return TlogProof(index, tuple(hashes), checkpoint, extra)


@dataclass(frozen=True)
class VerifiedProof:
    checkpoint: Checkpoint
    note: Note
    witnesses: tuple[str, ...]


def verify_proof(
    proof: TlogProof | str | bytes,
    log_verifiers: Sequence[Verifier],
    *,
    entry: bytes | None = None,
    leaf: bytes | None = None,
    origin: str | None = None,
    witness_verifiers: Sequence[Verifier] = (),
    min_witnesses: int = 0,
) -> VerifiedProof:
    """Check a proof offline: log signature, witness quorum, and inclusion of the entry.

    Give either the ``entry`` itself or its ``leaf`` hash. ``min_witnesses`` distinct
    witness names among ``witness_verifiers`` must have a valid cosignature.
    """
    if (entry is None) == (leaf is None):
        raise ValueError("give exactly one of entry or leaf")
    parsed = proof if isinstance(proof, TlogProof) else parse_proof(proof)
    checkpoint, note = open_checkpoint(parsed.checkpoint, log_verifiers, origin, witness_verifiers)
    witness_ids = {(v.name, v.key_id) for v in witness_verifiers}
    witnesses = tuple(sorted({s.name for s in note.signatures if (s.name, s.key_id) in witness_ids}))
    if len(witnesses) < min_witnesses:
        raise ProofError(f"only {len(witnesses)} of {min_witnesses} required witness cosignatures")
    target = leaf_hash(entry) if entry is not None else bytes(leaf or b"")
    if not verify_inclusion(target, parsed.index, checkpoint.size, parsed.inclusion_proof, checkpoint.root_hash):
        raise ProofError("inclusion proof does not verify against the checkpoint")
    return VerifiedProof(checkpoint, note, witnesses)
