"""C2SP signed-note v1.0.0 with Ed25519 keys (https://c2sp.org/signed-note).

A signed note is UTF-8 text ending in a newline, a blank line, then one or more
lines ``— <key name> base64(key ID || signature)``. Keys are identified by the pair
(name, 32-bit key ID), with key ID = SHA-256(name || 0x0A || type || public key)[:4].
Verifier keys ("vkeys") are ``name+hexID+base64(type || public key)``; signer keys
("skeys") are ``PRIVATE+KEY+name+hexID+base64(type || private seed)``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

ALG_ED25519 = 0x01
ALG_COSIGNATURE_V1 = 0x04

SIG_PREFIX = "— "
MAX_SIGNATURES = 100
_SKEY_PREFIX = "PRIVATE+KEY+"
_HEX_ID = re.compile(r"[0-9a-f]{8}")


class NoteError(ValueError):
    """A note, key or signature that is malformed or does not verify."""


class MalformedNoteError(NoteError):
    pass


class UnverifiedNoteError(NoteError):
    """No signature from a known key was present."""


class InvalidSignatureError(NoteError):
    """A signature from a known key failed to verify."""


class Verifier(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def key_id(self) -> int: ...

    def verify(self, message: bytes, signature: bytes) -> bool: ...


class Signer(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def key_id(self) -> int: ...

    def sign(self, message: bytes) -> bytes: ...


def is_valid_name(name: str) -> bool:
    """Key names are non-empty, with no Unicode spaces, no '+' and no control characters."""
    return bool(name) and "+" not in name and not any(c.isspace() or ord(c) < 0x20 or c == "\x7f" for c in name)


def key_id(name: str, alg: int, public_key: bytes) -> int:
    """SHA-256(name || 0x0A || alg || public key)[:4] as a big-endian uint32."""
    digest = hashlib.sha256(name.encode() + b"\n" + bytes([alg]) + public_key).digest()
    return int.from_bytes(digest[:4], "big")


def _b64decode_strict(text: str) -> bytes:
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise NoteError(f"bad base64: {text!r}") from exc
    if base64.b64encode(raw).decode() != text:
        raise NoteError(f"non-canonical base64: {text!r}")
    return raw


def _public_bytes(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


@dataclass(frozen=True)
class Ed25519Verifier:
    """Verifier for plain Ed25519 note signatures (type 0x01)."""

    name: str
    public_key: bytes
    key_id: int = field(init=False)

    def __post_init__(self) -> None:
        if not is_valid_name(self.name):
            raise NoteError(f"invalid key name {self.name!r}")
        if len(self.public_key) != 32:
            raise NoteError("Ed25519 public key must be 32 bytes")
        object.__setattr__(self, "key_id", key_id(self.name, ALG_ED25519, self.public_key))

    def verify(self, message: bytes, signature: bytes) -> bool:
        if len(signature) != 64:
            return False
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(signature, message)
        except InvalidSignature:
            return False
        return True

    def vkey(self) -> str:
        return encode_vkey(self.name, ALG_ED25519, self.public_key)


@dataclass(frozen=True)
class Ed25519Signer:
    """Signer for plain Ed25519 note signatures; ``seed`` is the 32-byte RFC 8032 private key."""

    name: str
    seed: bytes = field(repr=False)
    key_id: int = field(init=False)
    public_key: bytes = field(init=False)

    def __post_init__(self) -> None:
        if not is_valid_name(self.name):
            raise NoteError(f"invalid key name {self.name!r}")
        if len(self.seed) != 32:
            raise NoteError("Ed25519 private key must be 32 bytes")
        pub = _public_bytes(Ed25519PrivateKey.from_private_bytes(self.seed).public_key())
        object.__setattr__(self, "public_key", pub)
        object.__setattr__(self, "key_id", key_id(self.name, ALG_ED25519, pub))

    def sign(self, message: bytes) -> bytes:
        return Ed25519PrivateKey.from_private_bytes(self.seed).sign(message)

    def verifier(self) -> Ed25519Verifier:
        return Ed25519Verifier(self.name, self.public_key)

    def skey(self) -> str:
        return encode_skey(self.name, ALG_ED25519, self.seed, self.public_key)


def encode_vkey(name: str, alg: int, public_key: bytes) -> str:
    if not is_valid_name(name):
        raise NoteError(f"invalid key name {name!r}")
    kid = key_id(name, alg, public_key)
    return f"{name}+{kid:08x}+{base64.b64encode(bytes([alg]) + public_key).decode()}"


def encode_skey(name: str, alg: int, seed: bytes, public_key: bytes) -> str:
    """The key ID in an skey is that of the matching public key."""
    if not is_valid_name(name):
        raise NoteError(f"invalid key name {name!r}")
    kid = key_id(name, alg, public_key)
    return f"{_SKEY_PREFIX}{name}+{kid:08x}+{base64.b64encode(bytes([alg]) + seed).decode()}"


def _split_key(text: str) -> tuple[str, int, int, bytes]:
    parts = text.split("+", 2)
    if len(parts) != 3:
        raise NoteError("key must be name+hexid+base64")
    name, hex_id, b64 = parts
    if not is_valid_name(name):
        raise NoteError(f"invalid key name {name!r}")
    if not _HEX_ID.fullmatch(hex_id):
        raise NoteError("key ID must be 8 lowercase hex digits")
    raw = _b64decode_strict(b64)
    if len(raw) < 2:
        raise NoteError("key material too short")
    return name, int(hex_id, 16), raw[0], raw[1:]


def parse_vkey(vkey: str) -> Verifier:
    """Parse a verifier key of type 0x01 (Ed25519) or 0x04 (Ed25519 cosignature/v1)."""
    name, kid, alg, pub = _split_key(vkey)
    verifier: Verifier
    if alg == ALG_ED25519:
        if len(pub) != 32:
            raise NoteError("Ed25519 public key must be 32 bytes")
        verifier = Ed25519Verifier(name, pub)
    elif alg == ALG_COSIGNATURE_V1:
        from .cosignature import CosignatureVerifier

        if len(pub) != 32:
            raise NoteError("Ed25519 public key must be 32 bytes")
        verifier = CosignatureVerifier(name, pub)
    else:
        raise NoteError(f"unsupported key type 0x{alg:02x}")
    if verifier.key_id != kid:
        raise NoteError("key ID does not match the key")
    return verifier


def parse_skey(skey: str) -> Signer:
    """Parse a signer key of type 0x01 (Ed25519) or 0x04 (Ed25519 cosignature/v1)."""
    if not skey.startswith(_SKEY_PREFIX):
        raise NoteError("signer key must start with PRIVATE+KEY+")
    name, kid, alg, seed = _split_key(skey[len(_SKEY_PREFIX) :])
    if len(seed) != 32:
        raise NoteError("Ed25519 private key must be 32 bytes")
    signer: Signer
    if alg == ALG_ED25519:
        signer = Ed25519Signer(name, seed)
    elif alg == ALG_COSIGNATURE_V1:
        from .cosignature import CosignatureSigner

        signer = CosignatureSigner(name, seed)
    else:
        raise NoteError(f"unsupported key type 0x{alg:02x}")
    if signer.key_id != kid:
        raise NoteError("key ID does not match the key")
    return signer


def generate_key(name: str) -> tuple[str, str]:
    """A fresh Ed25519 note key: (skey, vkey)."""
    private = Ed25519PrivateKey.generate()
    seed = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    signer = Ed25519Signer(name, seed)
    return signer.skey(), signer.verifier().vkey()


@dataclass(frozen=True)
class Signature:
    """One signature line: key name, key ID and the raw signature bytes (without the ID)."""

    name: str
    key_id: int
    signature: bytes

    def line(self) -> str:
        blob = self.key_id.to_bytes(4, "big") + self.signature
        return f"{SIG_PREFIX}{self.name} {base64.b64encode(blob).decode()}\n"


@dataclass(frozen=True)
class Note:
    """A parsed note: its text and signatures (verified ones, and those from unknown keys)."""

    text: str
    signatures: tuple[Signature, ...] = ()
    unverified: tuple[Signature, ...] = ()

    def verified_by(self, name: str, kid: int) -> bool:
        return any(s.name == name and s.key_id == kid for s in self.signatures)

    def encode(self) -> str:
        """The note with all its signature lines (verified first)."""
        return self.text + "\n" + "".join(s.line() for s in (*self.signatures, *self.unverified))


def _check_text(text: str) -> None:
    if any(ord(c) < 0x20 and c != "\n" for c in text):
        raise MalformedNoteError("note contains control characters")


def _as_str(message: str | bytes) -> str:
    if isinstance(message, bytes | bytearray | memoryview):
        try:
            return bytes(message).decode("utf-8", errors="strict")
        except UnicodeDecodeError as exc:
            raise MalformedNoteError("note is not valid UTF-8") from exc
    return message


def parse_note(message: str | bytes) -> tuple[str, list[Signature]]:
    """Split a signed note into text and signature lines, checking only the format."""
    msg = _as_str(message)
    _check_text(msg)
    split = msg.rfind("\n\n")
    if split < 0:
        raise MalformedNoteError("no blank line before the signatures")
    text, sig_block = msg[: split + 1], msg[split + 2 :]
    if not sig_block or not sig_block.endswith("\n"):
        raise MalformedNoteError("signature block missing or not newline-terminated")
    lines = sig_block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise MalformedNoteError(f"more than {MAX_SIGNATURES} signatures")
    sigs: list[Signature] = []
    for line in lines:
        if not line.startswith(SIG_PREFIX):
            raise MalformedNoteError(f"bad signature line {line!r}")
        name, sep, b64 = line[len(SIG_PREFIX) :].partition(" ")
        if not sep or not is_valid_name(name) or not b64:
            raise MalformedNoteError(f"bad signature line {line!r}")
        try:
            blob = _b64decode_strict(b64)
        except NoteError as exc:
            raise MalformedNoteError(str(exc)) from exc
        if len(blob) < 5:
            raise MalformedNoteError("signature too short")
        sigs.append(Signature(name, int.from_bytes(blob[:4], "big"), blob[4:]))
    return text, sigs


def open_note(message: str | bytes, verifiers: Iterable[Verifier]) -> Note:
    """Parse a signed note and verify it against the known ``verifiers``.

    Signatures from unknown keys are kept aside, unverified. A bad signature from a
    known key rejects the whole note, as does the absence of any verified signature.
    """
    text, sigs = parse_note(message)
    known: dict[tuple[str, int], Verifier] = {}
    for v in verifiers:
        if (v.name, v.key_id) in known and known[(v.name, v.key_id)] != v:
            raise NoteError(f"two different verifiers for {v.name} {v.key_id:08x}")
        known[(v.name, v.key_id)] = v
    body = text.encode()
    verified: list[Signature] = []
    unverified: list[Signature] = []
    seen: set[Signature] = set()
    for sig in sigs:
        if sig in seen:
            continue
        seen.add(sig)
        verifier = known.get((sig.name, sig.key_id))
        if verifier is None:
            unverified.append(sig)
            continue
        if not verifier.verify(body, sig.signature):
            raise InvalidSignatureError(f"invalid signature by {sig.name} {sig.key_id:08x}")
        verified.append(sig)
    if not verified:
        raise UnverifiedNoteError("no signature by a known key")
    return Note(text, tuple(verified), tuple(unverified))


def sign_note(text: str, signers: Iterable[Signer], existing: Iterable[Signature] = ()) -> str:
    """Sign ``text`` (which must end in a newline) with each signer; keep ``existing`` lines."""
    if not text.endswith("\n"):
        raise MalformedNoteError("note text must end in a newline")
    _check_text(text)
    body = text.encode()
    sigs = list(existing)
    for signer in signers:
        if not is_valid_name(signer.name):
            raise NoteError(f"invalid key name {signer.name!r}")
        sigs.append(Signature(signer.name, signer.key_id, signer.sign(body)))
    if not sigs:
        raise NoteError("a signed note needs at least one signature")
    if len(sigs) > MAX_SIGNATURES:
        raise NoteError(f"more than {MAX_SIGNATURES} signatures")
    return text + "\n" + "".join(s.line() for s in sigs)
