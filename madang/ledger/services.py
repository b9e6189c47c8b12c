"""Writing decisions to the ledger, inside the caller's transaction.

Entries are canonical JSON with a version number. People appear only as keyed
pseudonyms (HMAC of the user id with a ledger key derived from the secret key), and
free text only as salted SHA-256 commitments, so a deletion request can be honoured in
the database without rewriting the log.
"""

import hashlib
import hmac
import json
import secrets
from typing import Any

from django.conf import settings
from django.utils import timezone

from madang.ledger.models import Entry

ENTRY_VERSION = 1


def _ledger_key() -> bytes:
    return hashlib.sha256(b"madang-ledger-pseudonym:" + settings.SECRET_KEY.encode()).digest()


def pseudonym(user_id: int | None) -> str | None:
    if user_id is None:
        return None
    return hmac.new(_ledger_key(), str(user_id).encode(), hashlib.sha256).hexdigest()[:24]


def commitment(text: str, salt: str | None = None) -> tuple[str, str]:
    """Return (salt, sha256(salt || text)). The salt stays in the database beside the text."""
    salt = salt or secrets.token_hex(16)
    return salt, hashlib.sha256(bytes.fromhex(salt) + text.encode()).hexdigest()


def canonical(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def record(*, kind: str, subject: str, actor_id: int | None, data: dict[str, Any]) -> Entry:
    body = {"v": ENTRY_VERSION, "kind": kind, "subject": subject, "actor": pseudonym(actor_id), "at": timezone.now().isoformat(timespec="seconds"), **data}
    entry = Entry(kind=kind, subject=subject, body=canonical(body))
    entry.save()
    return entry
