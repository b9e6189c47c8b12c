"""Reads for the first-to-file check: the export we give, a suggestion's matches as its office sees
them (each receipt checked again as it is shown), and the office's list of matches to rule on."""

import base64
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from madang.calls.ledger_entries import CallEntry
from madang.core.errors import NotFound
from madang.ledger import services as ledger
from madang.ledger.models import Entry
from madang.priority import exchange, rules
from madang.priority.models import Filing, KeyStatement, Match, Peer, PeerCheckpoint
from madang.solvers import fingerprint, tlog
from madang.solvers.tlog.checkpoint import decode_hash
from madang.suggestions import fingerprints
from madang.suggestions import selectors as suggestion_selectors
from madang.suggestions.ledger_entries import SuggestionEntry
from madang.suggestions.models import ReceiptFingerprint, Suggestion


def export(*, since: int | None = None) -> bytes:
    """Every receipt of ours that commits to a fingerprint, proven to our newest checkpoint; a refined
    idea's with the receipts back to its first filing."""
    logged = {
        e.subject: e
        for e in Entry.objects.filter(kind=SuggestionEntry.RECEIVED, log_index__isnull=False).only(
            "subject", "log_index", "body", "salts"
        )
    }
    items = []
    for fp in ReceiptFingerprint.objects.select_related("suggestion").order_by("suggestion__proposal_id"):
        entry = logged.get(f"proposal:{fp.suggestion.proposal_id}")
        if entry is None or "fingerprint" not in entry.salts or entry.log_index is None:
            continue  # not in the log yet, or received before fingerprints were committed
        lineage = tuple((e.log_index, bytes(e.body)) for e in _lineage(entry, logged) if e.log_index is not None)
        items.append(exchange.Item(entry.log_index, bytes(entry.body), fp.value, entry.salts["fingerprint"], lineage))
    proofs = ledger.proofs([i for it in items for i in (it.index, *(x for x, _e in it.lineage))], since=since)
    now = key_statement_now()
    return exchange.build(
        origin=ledger.origin(),
        generated_at=timezone.now(),
        checkpoint=proofs.checkpoint,
        since=proofs.since,
        consistency=proofs.consistency,
        items=items,
        inclusion=proofs.inclusion,
        sign=ledger.sign_statement,
        keys=[*KeyStatement.objects.values_list("text", flat=True), *([now] if now else [])],
    )


def key_statement_now() -> str | None:
    """While the ledger's key file holds more than one key (a rotation), a statement of those keys
    signed by each of them; None with one key."""
    signers = ledger.signers()
    vkeys = [s.verifier().vkey() for s in signers if isinstance(s, tlog.Ed25519Signer)]
    if len(vkeys) < 2:
        return None
    return ledger.sign_statement(exchange.key_statement(ledger.origin(), vkeys))


def _lineage(receipt: Entry, logged: dict[str, Entry]) -> list[Entry]:
    """The entries back to a refined idea's first filing, as `exchange._first` checks them: each earlier
    refinement's receipt, then the first receipt (or the submission of a declined proposal of an
    ordinary call, on the first filing day). Empty for a receipt that names no earlier proposal, or
    whose chain is not whole in the log yet (it then counts from its own day until the next export)."""
    body = ledger.body_of(receipt)
    first = body.get("first_filed_on")
    chain: list[Entry] = []
    while body.get("refines") is not None and len(chain) < exchange.MAX_LINEAGE:
        subject = f"proposal:{body['refines']}"
        earlier = logged.get(subject)
        if earlier is not None:
            chain.append(earlier)
            body = ledger.body_of(earlier)
            if body.get("refines") is None:
                return chain if body.get("received_on") == first else []
            continue
        for e in Entry.objects.filter(kind=CallEntry.SUBMITTED, subject=subject, log_index__isnull=False).order_by(
            "log_index"
        ):
            at = datetime.fromisoformat(ledger.body_of(e)["at"]).astimezone(exchange.KOREA).date()
            if at.isoformat() == first:
                return [*chain, e]
        return []
    return []


def exporting() -> bool:
    """Whether this site makes fingerprints (and so serves an export)."""
    return bool(getattr(settings, "MADANG_FINGERPRINT_KEY", ""))


def peers() -> QuerySet[Peer]:
    return Peer.objects.all()


def peer_named(name: str) -> Peer:
    found = Peer.objects.filter(name=name).first() or Peer.objects.filter(origin=name).first()
    if found is None:
        raise NotFound()
    return found


def seen(peer: Peer) -> PeerCheckpoint | None:
    return peer.checkpoints.order_by("-size").first()


def own_fingerprints(suggestions: Iterable[Suggestion]) -> list[tuple[int, fingerprint.Fingerprint]]:
    """Our suggestions' fingerprints: the one committed at receipt, else (received before the
    exchange key was set) one made from the text now, which only we rely on."""
    key = fingerprints.exchange_key()
    if key is None:
        return []
    out = []
    for s in suggestions:
        stored = fingerprints.stored(s)
        made = fingerprint.parse(stored) if stored else fingerprints.of_proposal(s.proposal)
        if made is not None and made.key_id == key.key_id:
            out.append((s.pk, made))
    return out


@dataclass(frozen=True)
class Shown:
    """A match as the office reads it."""

    match: Match
    order: str  # theirs, ours or tie
    verified: bool  # the stored receipt still verifies with the peer's key now
    known_since: Any  # when we first verified a checkpoint that holds their filing


def _verified(f: Filing) -> bool:
    """Its receipt, and a refined filing's first receipt, still verify with the key of the peer's that
    signed their checkpoint (the peer's key then, whatever key it signs with now)."""
    keys = [tlog.parse_vkey(signing_key(f))]
    try:
        tlog.verify_proof(receipt_of(f), keys, entry=bytes(f.entry), origin=f.peer.origin)
        first = first_receipt_of(f)
        if first is not None:
            tlog.verify_proof(first, keys, entry=tlog.parse_proof(first).extra or b"", origin=f.peer.origin)
    except (tlog.NoteError, ValueError):
        return False
    return True


def signing_key(f: Filing) -> str:
    """The public key that verifies a filing's receipts: the one that signed the checkpoint it was proven to."""
    key = f.checkpoint.key
    return key.vkey if key is not None else f.peer.vkey


def receipt_of(f: Filing) -> str:
    proof = [decode_hash(h) for h in f.proof.split()]
    return exchange.receipt(f.log_index, proof, f.checkpoint.note, bytes(f.entry))


def first_receipt_of(f: Filing) -> str | None:
    """The receipt of a refined filing's first filing (the last link of its lineage), or None."""
    if f.first_index is None or not f.lineage:
        return None
    root = json.loads(f.lineage)[-1]
    proof = [decode_hash(h) for h in root["proof"]]
    return exchange.receipt(root["index"], proof, f.checkpoint.note, base64.b64decode(root["entry"]))


def matches_of(user: Any, suggestion: Suggestion) -> list[Shown]:
    if not rules.can_see_matches(user, suggestion):
        return []
    found = (
        Match.objects.filter(suggestion=suggestion)
        .select_related("filing__peer", "filing__checkpoint__key", "suggestion", "ruling__ruled_by")
        .order_by("-similarity", "id")
    )
    shown = []
    for m in found:
        first = (
            PeerCheckpoint.objects.filter(peer=m.filing.peer, size__gt=m.filing.log_index).order_by("seen_at").first()
        )
        shown.append(Shown(m, m.order, _verified(m.filing), first.seen_at if first else None))
    return shown


def office_matches(user: Any, *, open_only: bool = False, suggestion_id: int | None = None) -> list[Match]:
    """The matches of the offices this person works in (none for anyone else), the suggestions received
    first first; `open_only`: those with no ruling yet."""
    offices = suggestion_selectors.offices_for(user)
    found = Match.objects.filter(suggestion__office__in=offices).select_related(
        "filing__peer", "suggestion__proposal", "ruling__ruled_by"
    )
    if open_only:
        found = found.filter(ruling__isnull=True)
    if suggestion_id is not None:
        found = found.filter(suggestion_id=suggestion_id)
    return list(found.order_by("suggestion__received_on", "-similarity", "id"))


def open_matches(user: Any) -> list[Match]:
    """Matches with no ruling yet, of the offices this person works in."""
    return office_matches(user, open_only=True)


def access_match(user: Any, match_id: Any) -> Match:
    if not isinstance(match_id, int) or match_id < 1:
        raise NotFound()
    m = Match.objects.select_related("suggestion__office__standing_call", "filing__peer").filter(pk=match_id).first()
    if m is None or not rules.can_see_matches(user, m.suggestion):
        raise NotFound()
    return m


def access_filing(user: Any, filing_id: Any) -> Filing:
    """A peer's filing, for the office of a suggestion that matches it (or a site administrator)."""
    if not isinstance(filing_id, int) or filing_id < 1:
        raise NotFound()
    f = Filing.objects.select_related("peer", "checkpoint").filter(pk=filing_id).first()
    if f is None:
        raise NotFound()
    if rules.can_manage_peers(user):
        return f
    for m in Match.objects.filter(filing=f).select_related("suggestion__office__standing_call"):
        if rules.can_see_matches(user, m.suggestion):
            return f
    raise NotFound()
