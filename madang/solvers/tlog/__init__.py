"""Transparency-log primitives for the decision ledger, free of any framework.

Plain data in, plain data out; no Django. Implements:

* RFC 9162 §2.1 (Certificate Transparency v2.0) Merkle tree hashing, inclusion and
  consistency proofs and their verification algorithms (§2.1.3.2, §2.1.4.2): ``merkle``;
* C2SP signed-note v1.0.0 with Ed25519 keys (c2sp.org/signed-note): ``note``;
* C2SP tlog-checkpoint v1.0.0 (c2sp.org/tlog-checkpoint): ``checkpoint``;
* C2SP tlog-tiles v0.1.0 (c2sp.org/tlog-tiles) tile and entry-bundle files: ``tiles``;
* C2SP tlog-cosignature v1.0.1, Ed25519 cosignature/v1 (c2sp.org/tlog-cosignature): ``cosignature``;
* C2SP tlog-witness v1.0.0 ``add-checkpoint`` (c2sp.org/tlog-witness): ``witness``;
* C2SP tlog-proof v1 (c2sp.org/tlog-proof) offline proofs: ``proof``;
* a durable, fsync'd tile directory that reopens from its own files: ``store``.
"""

from .checkpoint import Checkpoint, CheckpointError, open_checkpoint, parse_checkpoint
from .cosignature import (
    CosignatureSigner,
    CosignatureVerifier,
    cosigned_message,
    generate_cosigner_key,
)
from .merkle import (
    EMPTY_ROOT,
    HASH_SIZE,
    HashReader,
    Tree,
    compute_consistency_proof,
    compute_inclusion_proof,
    compute_root,
    leaf_hash,
    node_hash,
    verify_consistency,
    verify_inclusion,
)
from .note import (
    Ed25519Signer,
    Ed25519Verifier,
    InvalidSignatureError,
    MalformedNoteError,
    Note,
    NoteError,
    Signature,
    Signer,
    UnverifiedNoteError,
    Verifier,
    generate_key,
    key_id,
    open_note,
    parse_note,
    parse_skey,
    parse_vkey,
    sign_note,
)
from .proof import ProofError, TlogProof, VerifiedProof, build_proof, parse_proof, verify_proof
from .store import DurableLog, LogCorrupt
from .tiles import (
    DirectoryStore,
    TileError,
    TileHashReader,
    build_log,
    decode_bundle,
    encode_bundle,
    entries_path,
    parse_tile_path,
    tile_files,
    tile_path,
    write_files,
)
from .witness import (
    AddCheckpointRequest,
    LogState,
    MemoryWitnessStorage,
    Response,
    Witness,
    WitnessStorage,
    parse_add_checkpoint,
)

__all__ = [
    "EMPTY_ROOT",
    "HASH_SIZE",
    "AddCheckpointRequest",
    "Checkpoint",
    "CheckpointError",
    "CosignatureSigner",
    "CosignatureVerifier",
    "DirectoryStore",
    "DurableLog",
    "Ed25519Signer",
    "Ed25519Verifier",
    "HashReader",
    "InvalidSignatureError",
    "LogCorrupt",
    "LogState",
    "MalformedNoteError",
    "MemoryWitnessStorage",
    "Note",
    "NoteError",
    "ProofError",
    "Response",
    "Signature",
    "Signer",
    "TileError",
    "TileHashReader",
    "TlogProof",
    "Tree",
    "UnverifiedNoteError",
    "VerifiedProof",
    "Verifier",
    "Witness",
    "WitnessStorage",
    "build_log",
    "build_proof",
    "compute_consistency_proof",
    "compute_inclusion_proof",
    "compute_root",
    "cosigned_message",
    "decode_bundle",
    "encode_bundle",
    "entries_path",
    "generate_cosigner_key",
    "generate_key",
    "key_id",
    "leaf_hash",
    "node_hash",
    "open_checkpoint",
    "open_note",
    "parse_add_checkpoint",
    "parse_checkpoint",
    "parse_note",
    "parse_proof",
    "parse_skey",
    "parse_tile_path",
    "parse_vkey",
    "sign_note",
    "tile_files",
    "tile_path",
    "verify_consistency",
    "verify_inclusion",
    "verify_proof",
    "write_files",
]
