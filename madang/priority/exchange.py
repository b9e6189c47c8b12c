"""The fingerprint export: what one agency gives another for the first-to-file check, and how the
other checks it before believing any of it. No database here: the services adapt models to it.

An export is one JSON document (UTF-8):

    {"format": "madang-fingerprints/1",
     "origin": the issuing ledger's name,
     "generated_at": ISO 8601,
     "checkpoint": the ledger's signed checkpoint (C2SP tlog-checkpoint), as published,
     "since": a size the reader saw before, or null,
     "consistency": [base64 hashes]: the log grew from `since` to the checkpoint (RFC 9162 §2.1.4),
     "filings": [{"index": the receipt entry's log index,
                  "entry": base64 of the entry as logged (a `suggestion.received` entry),
                  "proof": [base64 hashes]: its inclusion proof to the checkpoint,
                  "fingerprint": "minhash/1 …", the fingerprint the entry commits to,
                  "salt": hex, which opens that commitment,
                  "lineage": [{"index", "entry", "proof"}, …]: for a refined idea, whose receipt names
                             the proposal it refines and its first filing day, the receipts back to
                             the first filing (each earlier refinement's, then the first one's, or
                             the submission of a declined proposal of an ordinary call); else []}, …],
     "keys": [signed notes "madang-ledger-keys/1 \\n origin \\n vkey \\n …": the issuer's ledger keys
              during a change of key, each note signed by every key it lists] (absent otherwise),
     "signature": a signed note "madang-fingerprints/1 \\n origin \\n SHA-256 of the rest \\n"}

The reader needs only the issuer's ledger name and public key, configured beforehand (a later key is
followed when a key the reader trusts signed a statement naming it, and the new key signed it too:
`trusted_keys`; any other key change is refused until an administrator records it). Every
filing is proven on its own: the entry is in the signed log (so its day of receipt is the one
the issuer logged then), and the fingerprint is the one that entry committed to at receipt. A
refined idea's priority is its first filing day, which its receipt fixed when it was received; the
lineage proves that day by the first filing's own receipt in the same log (an unproven claim counts
from the refinement's own day of receipt). Texts, names and the entries' salts for anything else
never leave the issuer.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _

from madang.core.errors import DomainError
from madang.ledger.services import canonical, commitment
from madang.solvers import fingerprint, tlog
from madang.solvers.tlog.checkpoint import Checkpoint, decode_hash, encode_hash

FORMAT = "madang-fingerprints/1"
KEYS = "madang-ledger-keys/1"
MAX_KEY_STATEMENTS = 16
RECEIVED = "suggestion.received"
SUBMITTED = "proposal.submitted"
MAX_FILINGS = 1_000_000
MAX_LINEAGE = 64
# The day of a submission is read in Korea's time, as Madang's sites count days (TIME_ZONE).
KOREA = ZoneInfo("Asia/Seoul")


class Refused(DomainError):
    """An export that does not prove what it says; nothing of it is kept."""


@dataclass(frozen=True)
class Seen:
    """The newest checkpoint of the issuer's log the reader verified before."""

    size: int
    root_hash: bytes


@dataclass(frozen=True)
class Link:
    """An entry of the issuer's log with its inclusion proof to the export's checkpoint."""

    index: int
    entry: bytes
    proof: tuple[bytes, ...]


@dataclass(frozen=True)
class First:
    """A refined idea's first filing, proven by its own receipt (the last link of the lineage)."""

    filed_on: date
    recorded_at: datetime
    index: int
    lineage: tuple[Link, ...]


@dataclass(frozen=True)
class ProvenFiling:
    index: int
    entry: bytes
    proof: tuple[bytes, ...]
    fingerprint: fingerprint.Fingerprint
    fingerprint_text: str
    salt: str
    number: str
    received_on: date
    recorded_at: datetime
    first: First | None = None  # a refined idea with its lineage proven


@dataclass(frozen=True)
class Endorsed:
    """A key of the issuer's we did not trust before, vouched for by one we did."""

    vkey: str
    statement: str  # the signed note that names it, signed by the key we trusted and by this one


@dataclass(frozen=True)
class Proven:
    checkpoint: Checkpoint
    note: str  # the signed checkpoint, as published
    filings: tuple[ProvenFiling, ...]
    other_key: int  # filings fingerprinted with another exchange key: proven, but not comparable
    signed_by: str = ""  # the vkey that verified the checkpoint (the newest, when several did)
    new_keys: tuple[Endorsed, ...] = ()  # keys followed in this export, oldest first


def statement(origin: str, digest: str) -> str:
    return f"{FORMAT}\n{origin}\n{digest}\n"


def key_statement(origin: str, vkeys: Iterable[str]) -> str:
    """The text an issuer signs with every key it lists, to announce them (a key change)."""
    return f"{KEYS}\n{origin}\n" + "".join(f"{v}\n" for v in vkeys)


def digest(document: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical({k: v for k, v in document.items() if k != "signature"})).hexdigest()


@dataclass(frozen=True)
class Item:
    index: int
    entry: bytes
    fingerprint: str
    salt: str
    lineage: tuple[tuple[int, bytes], ...] = ()  # (index, entry) back to the first filing


def build(
    *,
    origin: str,
    generated_at: datetime,
    checkpoint: str,
    since: int | None,
    consistency: Iterable[bytes],
    items: Iterable[Item],
    inclusion: Mapping[int, Iterable[bytes]],
    sign: Callable[[str], str],
    keys: Iterable[str] = (),
) -> bytes:
    document: dict[str, Any] = {
        "format": FORMAT,
        "origin": origin,
        "generated_at": generated_at.isoformat(timespec="seconds"),
        "checkpoint": checkpoint,
        "since": since,
        "consistency": [encode_hash(h) for h in consistency],
        "filings": [
            {
                "index": it.index,
                "entry": base64.b64encode(it.entry).decode(),
                "proof": [encode_hash(h) for h in inclusion[it.index]],
                "fingerprint": it.fingerprint,
                "salt": it.salt,
                "lineage": [
                    {"index": i, "entry": base64.b64encode(e).decode(), "proof": [encode_hash(h) for h in inclusion[i]]}
                    for i, e in it.lineage
                ]
                if all(i in inclusion for i, _e in it.lineage)
                else [],
            }
            for it in items
            if it.index in inclusion
        ],
    }
    statements = list(dict.fromkeys(keys))
    if statements:
        document["keys"] = statements
    document["signature"] = sign(statement(origin, digest(document)))
    return json.dumps(document, ensure_ascii=False, indent=1).encode()


def _hashes(value: Any, what: str) -> tuple[bytes, ...]:
    if not isinstance(value, list) or not all(isinstance(h, str) for h in value):
        raise Refused(_("The export is malformed (%(what)s).") % {"what": what}, code="malformed")
    try:
        return tuple(decode_hash(h) for h in value)
    except tlog.NoteError as exc:
        raise Refused(_("The export is malformed (%(what)s).") % {"what": what}, code="malformed") from exc


def read(
    data: bytes, *, peer: str, origin: str, vkey: str, key_id: str, seen: Seen | None, retired: Iterable[str] = ()
) -> Proven:
    """Check an export as `peer` (whose ledger is `origin`, with public key `vkey`) would have made it.

    Refuses, naming the first thing that is wrong, an export that is not signed with that key,
    whose checkpoint is not, whose log does not extend the checkpoint `seen` last time, whose
    entries are not in that log as given (a changed date, a changed proof), or whose fingerprints
    are not the ones their entries committed to. Filings fingerprinted with an exchange key other
    than `key_id` are proven but counted apart: they cannot be compared. `retired`: the issuer's
    earlier keys, which a statement in the export cannot make us trust again."""
    names = {"peer": peer}
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Refused(_("This is not a fingerprint export (not JSON)."), code="malformed") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise Refused(_("This is not a fingerprint export (%(format)s).") % {"format": FORMAT}, code="malformed")
    if document.get("origin") != origin:
        raise Refused(
            _("This export is from the ledger %(theirs)s, not from the ledger of %(peer)s (%(origin)s).")
            % {**names, "theirs": str(document.get("origin"))[:200], "origin": origin},
            code="wrong_origin",
        )
    trusted, endorsed = trusted_keys(document.get("keys"), origin=origin, vkey=vkey, retired=retired)
    verifiers = [v for v, _k in trusted]
    signature = str(document.get("signature", ""))
    try:
        signed = tlog.open_note(signature, verifiers)
    except tlog.NoteError as exc:
        raise _not_signed(signature, verifiers, retired, names) from exc
    if signed.text != statement(origin, digest(document)):
        raise Refused(_("The export was changed after %(peer)s signed it.") % names, code="tampered")
    try:
        checkpoint, note = tlog.open_checkpoint(str(document.get("checkpoint", "")), verifiers, origin)
    except tlog.NoteError as exc:
        raise Refused(
            _("The export's checkpoint is not signed with the key of %(peer)s.") % names, code="wrong_key"
        ) from exc
    signed_by = next(k for v, k in reversed(trusted) if note.verified_by(v.name, v.key_id))
    _check_growth(document, checkpoint, seen, names)
    filings = document.get("filings")
    if not isinstance(filings, list) or len(filings) > MAX_FILINGS:
        raise Refused(_("The export is malformed (%(what)s).") % {"what": "filings"}, code="malformed")
    proven: list[ProvenFiling] = []
    other_key = 0
    indices: set[int] = set()
    for raw in filings:
        item = _prove(raw, checkpoint, names)
        if item.index in indices:
            raise Refused(_("The export names entry %(index)s twice.") % {"index": item.index}, code="malformed")
        indices.add(item.index)
        if item.fingerprint.key_id != key_id:
            other_key += 1
            continue
        proven.append(item)
    return Proven(checkpoint, str(document["checkpoint"]), tuple(proven), other_key, signed_by, endorsed)


def trusted_keys(
    raw: Any, *, origin: str, vkey: str, retired: Iterable[str] = ()
) -> tuple[list[tuple[tlog.Verifier, str]], tuple[Endorsed, ...]]:
    """The issuer's keys we may trust for this export: the one we know (`vkey`), and each key named in a
    statement of the export's `keys` that a trusted key signed, provided the named key signed it too
    (so it is held by the issuer, not merely named). Followed step by step: a chain of changes made
    while we were not looking is followed from the key we know, and nothing else is. A `retired` key
    (one the issuer used before) is never trusted again, though the statements name it."""
    if raw is None:
        raw = []
    if not isinstance(raw, list) or len(raw) > MAX_KEY_STATEMENTS or not all(isinstance(x, str) for x in raw):
        raise Refused(_("The export is malformed (%(what)s).") % {"what": "keys"}, code="malformed")
    trusted: list[tuple[tlog.Verifier, str]] = [(tlog.parse_vkey(vkey), vkey)]
    old = {(v.name, v.key_id) for v in (tlog.parse_vkey(k) for k in retired)}
    endorsed: list[Endorsed] = []
    grown = True
    while grown:
        grown = False
        for text in raw:
            try:
                note = tlog.open_note(text, [v for v, _k in trusted])
            except tlog.NoteError:
                continue  # not signed by a key we trust (yet)
            lines = note.text.split("\n")
            if len(lines) < 4 or lines[0] != KEYS or lines[1] != origin:
                continue
            for named in lines[2:-1]:
                try:
                    v = tlog.parse_vkey(named)
                    tlog.open_note(text, [v])  # the named key signed it as well
                except tlog.NoteError:
                    continue
                if (
                    isinstance(v, tlog.CosignatureVerifier)
                    or (v.name, v.key_id) in old
                    or any((t.name, t.key_id) == (v.name, v.key_id) for t, _k in trusted)
                ):
                    continue
                trusted.append((v, named))
                endorsed.append(Endorsed(named, text))
                grown = True
    return trusted, tuple(endorsed)


def _not_signed(signature: str, trusted: list[tlog.Verifier], retired: Iterable[str], names: dict[str, str]) -> Refused:
    """Why the export's signature does not verify: signed by a key the issuer used before and changed,
    by another key of the same name (the issuer changed its key and no key we trust vouched for the
    new one), or not by the issuer at all."""
    try:
        _text, lines = tlog.parse_note(signature)
    except tlog.NoteError:
        lines = []
    old = {(v.name, v.key_id) for v in (tlog.parse_vkey(k) for k in retired)}
    by_old = sorted({f"{s.key_id:08x}" for s in lines if (s.name, s.key_id) in old})
    if by_old:
        return Refused(
            _(
                "The export of %(peer)s is signed with a key it used before (%(ids)s) and has since changed: "
                "we no longer trust that key."
            )
            % {**names, "ids": ", ".join(by_old)},
            code="retired_key",
        )
    ours = {v.name for v in trusted}
    known = {(v.name, v.key_id) for v in trusted}
    unknown = sorted({f"{s.key_id:08x}" for s in lines if s.name in ours and (s.name, s.key_id) not in known})
    if unknown:
        return Refused(
            _(
                "The export of %(peer)s is signed with a key we do not know (%(ids)s), and no key we trust vouched "
                "for it: %(peer)s may have changed its ledger key. Ask it for an export made while it still "
                "signs with both keys, or have a site administrator record the new key with the reason "
                "(madang priority key)."
            )
            % {**names, "ids": ", ".join(unknown)},
            code="unsigned_key_change",
        )
    return Refused(
        _("The export is not signed with the key of %(peer)s: it was made elsewhere, or changed.") % names,
        code="wrong_key",
    )


def _check_growth(
    document: Mapping[str, Any], checkpoint: Checkpoint, seen: Seen | None, names: dict[str, str]
) -> None:
    """The issuer's log may only have grown since the checkpoint we verified last: a rewritten
    history (a receipt backdated after we saw the log) fails here."""
    if seen is None:
        return
    params = {**names, "size": seen.size, "now": checkpoint.size}
    if checkpoint.size < seen.size:
        raise Refused(
            _("The ledger of %(peer)s has %(now)s entries, fewer than the %(size)s we saw last: it was rolled back.")
            % params,
            code="rolled_back",
        )
    if checkpoint.size == seen.size:
        if checkpoint.root_hash != seen.root_hash:
            raise Refused(
                _("The ledger of %(peer)s at %(size)s entries is not the one we saw: its history was rewritten.")
                % params,
                code="forked",
            )
        return
    if document.get("since") != seen.size:
        raise Refused(
            _(
                "The export does not prove that the ledger of %(peer)s grew from the %(size)s entries we saw "
                "last: ask for an export since %(size)s."
            )
            % params,
            code="no_consistency",
        )
    proof = _hashes(document.get("consistency"), "consistency")
    if not tlog.verify_consistency(seen.size, checkpoint.size, seen.root_hash, checkpoint.root_hash, proof):
        raise Refused(
            _("The ledger of %(peer)s does not extend the %(size)s entries we saw last: its history was rewritten.")
            % params,
            code="forked",
        )


def _included(raw: Any, checkpoint: Checkpoint, names: dict[str, str]) -> Link:
    """An entry and its inclusion proof, checked against the checkpoint."""
    if not isinstance(raw, dict) or not isinstance(raw.get("index"), int) or isinstance(raw.get("index"), bool):
        raise Refused(_("The export is malformed (%(what)s).") % {"what": "filings"}, code="malformed")
    index = raw["index"]
    try:
        entry = base64.b64decode(str(raw.get("entry", "")), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise Refused(_("The export is malformed (%(what)s).") % {"what": f"entry {index}"}, code="malformed") from exc
    proof = _hashes(raw.get("proof"), f"proof {index}")
    if not 0 <= index < checkpoint.size or not tlog.verify_inclusion(
        tlog.leaf_hash(entry), index, checkpoint.size, proof, checkpoint.root_hash
    ):
        raise Refused(
            _(
                "The receipt of entry %(index)s does not verify against the checkpoint of %(peer)s: the entry "
                "or its proof was changed."
            )
            % {**names, "index": index},
            code="bad_proof",
        )
    return Link(index, entry, proof)


def _prove(raw: Any, checkpoint: Checkpoint, names: dict[str, str]) -> ProvenFiling:
    link = _included(raw, checkpoint, names)
    index, entry, proof = link.index, link.entry, link.proof
    where = {**names, "index": index}
    try:
        body = json.loads(entry)
        kind, received_on, at = (
            body["kind"],
            date.fromisoformat(body["received_on"]),
            datetime.fromisoformat(body["at"]),
        )
        number, committed = str(body["number"]), body.get("fingerprint")
    except (ValueError, KeyError, TypeError) as exc:
        raise Refused(_("Entry %(index)s is not the receipt of a suggestion.") % where, code="not_a_receipt") from exc
    if kind != RECEIVED or body.get("v") != 2 or at.tzinfo is None:
        raise Refused(_("Entry %(index)s is not the receipt of a suggestion.") % where, code="not_a_receipt")
    text, salt = str(raw.get("fingerprint", "")), str(raw.get("salt", ""))
    try:
        opens = committed is not None and commitment(text, salt)[1] == committed
    except ValueError:
        opens = False
    if not opens:
        raise Refused(
            _("The fingerprint of entry %(index)s is not the one its receipt committed to: it was changed.") % where,
            code="bad_fingerprint",
        )
    try:
        parsed = fingerprint.parse(text)
    except fingerprint.FingerprintError as exc:
        raise Refused(_("Entry %(index)s is not the receipt of a suggestion.") % where, code="not_a_receipt") from exc
    first = _first(raw.get("lineage"), body, index, received_on, checkpoint, names)
    return ProvenFiling(index, entry, proof, parsed, text, salt, number, received_on, at, first)


def _bad_lineage(index: int) -> Refused:
    return Refused(
        _(
            "The lineage of entry %(index)s does not lead to an earlier filing on the first filing day its "
            "receipt names: it was changed."
        )
        % {"index": index},
        code="bad_lineage",
    )


def _first(
    raw: Any, body: Mapping[str, Any], index: int, received_on: date, checkpoint: Checkpoint, names: dict[str, str]
) -> First | None:
    """A refined idea's first filing, proven link by link: its receipt names the proposal it refines and
    the first filing day; each earlier link is that proposal's receipt, earlier in the log. An earlier
    refinement keeps the same first day and names the proposal before it; the chain ends at a receipt
    (or, for a declined proposal of an ordinary call, its submission) on that very day. No lineage:
    the filing counts from its own receipt."""
    if raw is None or raw == []:
        return None
    if not isinstance(raw, list) or len(raw) > MAX_LINEAGE:
        raise Refused(_("The export is malformed (%(what)s).") % {"what": f"lineage {index}"}, code="malformed")
    claimed, refines = body.get("first_filed_on"), body.get("refines")
    try:
        first_on = date.fromisoformat(str(claimed))
    except ValueError as exc:
        raise _bad_lineage(index) from exc
    if not isinstance(refines, int) or first_on > received_on:
        raise _bad_lineage(index)
    later_index, later_refines = index, refines
    links = tuple(_included(x, checkpoint, names) for x in raw)
    for n, link in enumerate(links):
        try:
            b = json.loads(link.entry)
            kind, subject, at = b["kind"], b["subject"], datetime.fromisoformat(b["at"])
        except (ValueError, KeyError, TypeError) as exc:
            raise _bad_lineage(index) from exc
        if b.get("v") != 2 or subject != f"proposal:{later_refines}" or link.index >= later_index or at.tzinfo is None:
            raise _bad_lineage(index)
        last = n == len(links) - 1
        if kind == RECEIVED and b.get("refines") is not None:
            # An earlier refinement of the same idea: it keeps the same first day and leads further back.
            if last or b.get("first_filed_on") != claimed or not isinstance(b["refines"], int):
                raise _bad_lineage(index)
            later_index, later_refines = link.index, b["refines"]
            continue
        if not last:
            raise _bad_lineage(index)
        if kind == RECEIVED:
            day = b.get("received_on")
        elif kind == SUBMITTED:
            day = at.astimezone(KOREA).date().isoformat()
        else:
            raise _bad_lineage(index)
        if day != first_on.isoformat():
            raise _bad_lineage(index)
        return First(first_on, at, link.index, links)
    raise _bad_lineage(index)


def receipt(index: int, proof: Iterable[bytes], checkpoint_note: str, entry: bytes) -> str:
    """A filing's receipt as a C2SP tlog-proof, which `python -m madang.solvers.tlog verify` checks
    with the issuer's public key alone."""
    return tlog.build_proof(index, list(proof), checkpoint_note, extra=entry).encode()
