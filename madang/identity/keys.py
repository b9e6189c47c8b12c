"""The identity app's two keys, each kept apart from the others.

- The person key turns a citizen broker's stable person identifier into the digest we keep
  (HMAC-SHA256). It must never change once citizens are verified: a new key gives new digests,
  and the same person could then hold a second account. Like the ledger's pseudonym key
  (madang/ledger/services.py), it defaults to one derived from the secret key; set
  `MADANG_IDENTITY_PERSON_KEY` so that rotating the secret key leaves it alone.
- The TOTP key encrypts second-factor secrets at rest (AES-GCM): a copy of the database alone
  does not give anyone the codes.
"""

import hashlib
import hmac
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings


def _key(setting: str, label: bytes) -> bytes:
    configured = getattr(settings, setting, "")
    if configured:
        return hashlib.sha256(label + b"\x00" + configured.encode()).digest()
    return hmac.new(settings.SECRET_KEY.encode(), label, hashlib.sha256).digest()


def person_digest(identifier: str) -> str:
    key = _key("MADANG_IDENTITY_PERSON_KEY", b"madang-identity-person-v1")
    return hmac.new(key, identifier.strip().encode(), hashlib.sha256).hexdigest()


def _totp_cipher() -> AESGCM:
    return AESGCM(_key("MADANG_IDENTITY_TOTP_KEY", b"madang-identity-totp-v1"))


def seal(secret: str, *, user_id: int) -> bytes:
    nonce = os.urandom(12)
    # The user id is bound in: a sealed secret copied onto another account does not open.
    return nonce + _totp_cipher().encrypt(nonce, secret.encode(), str(user_id).encode())


def unseal(sealed: bytes | memoryview, *, user_id: int) -> str:
    data = bytes(sealed)
    return _totp_cipher().decrypt(data[:12], data[12:], str(user_id).encode()).decode()
