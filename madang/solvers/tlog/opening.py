"""Madang's per-context pseudonyms, the part anyone can check (no key, no Django).

The server derives, for a person and a context (e.g. "proposal:38/author"), an *opening*
HMAC-SHA256(K, context || 0x00 || user id) with a key K it never publishes, and writes only
the *actor* SHA-256("madang-actor-v2" || 0x00 || opening), truncated to 128 bits, into
entries. Without K, actors of two contexts are unrelated values; the person, shown their
opening for an entry, can prove the entry names them: the opening hashes to its actor.
"""

from __future__ import annotations

import hashlib
from typing import Any

ACTOR_LABEL = b"madang-actor-v2\x00"
ACTOR_HEX = 32  # 128 bits


def actor_of(opening: bytes | str) -> str:
    raw = bytes.fromhex(opening) if isinstance(opening, str) else opening
    return hashlib.sha256(ACTOR_LABEL + raw).hexdigest()[:ACTOR_HEX]


def parse_opening(text: str) -> bytes:
    text = text.strip().lower()
    if len(text) != 64 or any(c not in "0123456789abcdef" for c in text):
        raise ValueError("an opening is 64 hexadecimal digits")
    return bytes.fromhex(text)


def where_named(body: Any, actor: str, path: str = "") -> list[str]:
    """The fields of an entry body (JSON) that hold this actor value."""
    if isinstance(body, dict):
        return [p for k in sorted(body) for p in where_named(body[k], actor, f"{path}.{k}" if path else str(k))]
    if isinstance(body, list):
        return [p for i, v in enumerate(body) for p in where_named(v, actor, f"{path}[{i}]")]
    return [path] if body == actor else []
