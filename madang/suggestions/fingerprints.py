"""A suggestion's fingerprint at receipt, for the first-to-file check across agencies.

The exchange key (MADANG_FINGERPRINT_KEY) is a secret the agencies that check each other agree on;
without it no fingerprint is made and the receipt entry commits to none. What a fingerprint shows,
and to whom, is in docs/suggestions.md ("What a fingerprint shows").
"""

import html

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.html import strip_tags

from madang.calls.models import Proposal
from madang.solvers import fingerprint
from madang.suggestions.models import ReceiptFingerprint, Suggestion


def exchange_key() -> fingerprint.ExchangeKey | None:
    secret = getattr(settings, "MADANG_FINGERPRINT_KEY", "")
    if not secret:
        return None
    try:
        return fingerprint.ExchangeKey(secret)
    except fingerprint.FingerprintError as exc:
        raise ImproperlyConfigured(f"MADANG_FINGERPRINT_KEY: {exc}") from exc


def proposal_text(p: Proposal) -> str:
    """What is fingerprinted: the title and the text fields as plain text (the idea, not the evidence)."""
    parts = [p.title, *(html.unescape(strip_tags(x)) for x in (p.problem, p.solution, p.expected_effect))]
    return " ".join(x for x in parts if x)


def of_proposal(p: Proposal) -> fingerprint.Fingerprint | None:
    """The fingerprint of a proposal's text now, or None without an exchange key (or without words)."""
    key = exchange_key()
    return fingerprint.of_text(proposal_text(p), key) if key is not None else None


def stored(s: Suggestion) -> str:
    """The fingerprint made at receipt, as committed in its ledger entry ("" when none was made)."""
    try:
        return s.fingerprint.value
    except ReceiptFingerprint.DoesNotExist:
        return ""
