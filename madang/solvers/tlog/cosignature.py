"""C2SP tlog-cosignature v1.0.1, Ed25519 ``cosignature/v1`` (https://c2sp.org/tlog-cosignature).

A cosignature is a note signature on a checkpoint whose key ID uses type byte 0x04
and whose signature bytes are ``u64 timestamp (big-endian) || Ed25519 signature``
over ``"cosignature/v1\\ntime <timestamp>\\n" || checkpoint note text``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

from .note import ALG_COSIGNATURE_V1, NoteError, Signature, encode_skey, encode_vkey, is_valid_name, key_id

MAX_TIMESTAMP = 2**63 - 1
COSIGNATURE_SIZE = 8 + 64


def cosigned_message(text: str | bytes, timestamp: int) -> bytes:
    """The bytes an Ed25519 cosigner signs for checkpoint note ``text`` at ``timestamp``."""
    if not 0 <= timestamp <= MAX_TIMESTAMP:
        raise NoteError("cosignature timestamp out of range")
    body = text.encode() if isinstance(text, str) else bytes(text)
    return b"cosignature/v1\ntime %d\n" % timestamp + body


def split_cosignature(signature: bytes) -> tuple[int, bytes]:
    """(timestamp, Ed25519 signature) from a cosignature's signature bytes."""
    if len(signature) != COSIGNATURE_SIZE:
        raise NoteError("cosignature must be 72 bytes")
    timestamp = int.from_bytes(signature[:8], "big")
    if timestamp > MAX_TIMESTAMP:
        raise NoteError("cosignature timestamp out of range")
    return timestamp, signature[8:]


@dataclass(frozen=True)
class CosignatureVerifier:
    """Note verifier for Ed25519 cosignature/v1 signatures (key type 0x04)."""

    name: str
    public_key: bytes
    key_id: int = field(init=False)

    def __post_init__(self) -> None:
        if not is_valid_name(self.name):
            raise NoteError(f"invalid key name {self.name!r}")
        if len(self.public_key) != 32:
            raise NoteError("Ed25519 public key must be 32 bytes")
        object.__setattr__(self, "key_id", key_id(self.name, ALG_COSIGNATURE_V1, self.public_key))

    def timestamp(self, message: bytes, signature: bytes) -> int | None:
        """The cosignature's timestamp if it verifies over note text ``message``, else None."""
        try:
            ts, sig = split_cosignature(signature)
        except NoteError:
            return None
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(sig, cosigned_message(message, ts))
        except InvalidSignature:
            return None
        return ts

    def verify(self, message: bytes, signature: bytes) -> bool:
        return self.timestamp(message, signature) is not None

    def vkey(self) -> str:
        return encode_vkey(self.name, ALG_COSIGNATURE_V1, self.public_key)


@dataclass(frozen=True)
class CosignatureSigner:
    """Note signer producing Ed25519 cosignature/v1 signatures, timestamped by ``clock``."""

    name: str
    seed: bytes = field(repr=False)
    clock: Callable[[], float] = field(default=time.time, compare=False, repr=False)
    key_id: int = field(init=False)
    public_key: bytes = field(init=False)

    def __post_init__(self) -> None:
        if not is_valid_name(self.name):
            raise NoteError(f"invalid key name {self.name!r}")
        if len(self.seed) != 32:
            raise NoteError("Ed25519 private key must be 32 bytes")
        pub = Ed25519PrivateKey.from_private_bytes(self.seed).public_key()
        raw = pub.public_bytes(Encoding.Raw, PublicFormat.Raw)
        object.__setattr__(self, "public_key", raw)
        object.__setattr__(self, "key_id", key_id(self.name, ALG_COSIGNATURE_V1, raw))

    def sign_at(self, message: bytes, timestamp: int) -> bytes:
        sig = Ed25519PrivateKey.from_private_bytes(self.seed).sign(cosigned_message(message, timestamp))
        return timestamp.to_bytes(8, "big") + sig

    def sign(self, message: bytes) -> bytes:
        return self.sign_at(message, int(self.clock()))

    def signature(self, text: str, timestamp: int | None = None) -> Signature:
        """The cosignature on checkpoint note ``text`` as a note :class:`Signature`."""
        ts = int(self.clock()) if timestamp is None else timestamp
        return Signature(self.name, self.key_id, self.sign_at(text.encode(), ts))

    def verifier(self) -> CosignatureVerifier:
        return CosignatureVerifier(self.name, self.public_key)

    def skey(self) -> str:
        return encode_skey(self.name, ALG_COSIGNATURE_V1, self.seed, self.public_key)


def generate_cosigner_key(name: str) -> tuple[str, str]:
    """A fresh Ed25519 cosigner key: (skey, vkey), both with type byte 0x04."""
    seed = Ed25519PrivateKey.generate().private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    signer = CosignatureSigner(name, seed)
    return signer.skey(), signer.verifier().vkey()
