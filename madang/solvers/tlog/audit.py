"""Checks anyone can run without trusting the log's server: a receipt, a checkpoint, a mirror.

A mirror is a copy of the tile directory (or anything with the same paths). Verifying it
checks the checkpoint's signature, rebuilds the tree from the level-0 tiles and compares the
root, checks that every entry bundle hashes to its leaves, and, given the checkpoint the
auditor saw last time, that the new tree extends the old one (a consistency proof computed
from the mirror's own tiles). Nothing here trusts the server that produced the files.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .checkpoint import Checkpoint, open_checkpoint
from .merkle import Tree, verify_consistency
from .note import NoteError, Verifier
from .opening import actor_of, parse_opening, where_named
from .proof import VerifiedProof, parse_proof, verify_proof
from .tiles import TILE_HEIGHT, TILE_WIDTH, TileHashReader, TileStore, entries_path, tile_shape


@dataclass(frozen=True)
class Line:
    """One finding, for a program to word in its reader's language: `key` names what was found
    ("included", "proof_invalid", ...), `params` its facts; `text` is the English line."""

    ok: bool
    text: str
    key: str = ""
    params: dict[str, object] = field(default_factory=dict)


@dataclass
class Report:
    ok: bool = True
    checkpoint: Checkpoint | None = None
    lines: list[str] = field(default_factory=list)
    items: list[Line] = field(default_factory=list)

    def fail(self, text: str, key: str = "", **params: object) -> None:
        self.ok = False
        self.lines.append("FAIL " + text)
        self.items.append(Line(False, text, key, params))

    def good(self, text: str, key: str = "", **params: object) -> None:
        self.lines.append("OK   " + text)
        self.items.append(Line(True, text, key, params))


def verify_receipt(
    text: str | bytes,
    verifiers: Sequence[Verifier],
    *,
    origin: str | None = None,
    witnesses: Sequence[Verifier] = (),
    min_witnesses: int = 0,
) -> tuple[Report, VerifiedProof | None]:
    """A tlog-proof receipt whose extra data is the entry itself."""
    report = Report()
    try:
        proof = parse_proof(text)
    except NoteError as exc:
        report.fail(f"not a receipt: {exc}", "not_a_receipt", detail=str(exc))
        return report, None
    if proof.extra is None:
        report.fail("the receipt does not carry its entry", "no_entry")
        return report, None
    try:
        verified = verify_proof(
            proof, verifiers, entry=proof.extra, origin=origin, witness_verifiers=witnesses, min_witnesses=min_witnesses
        )
    except NoteError as exc:
        report.fail(str(exc), "proof_invalid", detail=str(exc))
        return report, None
    report.checkpoint = verified.checkpoint
    report.good(
        f"entry {proof.index} is in the log at size {verified.checkpoint.size} "
        f"(signed by {verified.checkpoint.origin}"
        + (f", cosigned by {', '.join(verified.witnesses)}" if verified.witnesses else "")
        + ")",
        "included",
        index=proof.index,
        size=verified.checkpoint.size,
        origin=verified.checkpoint.origin,
        witnesses=list(verified.witnesses),
    )
    return report, verified


def verify_opening(entry: bytes, opening: str, report: Report) -> None:
    """Does the entry name the holder of this opening (docs/ledger.md, per-context pseudonyms)?"""
    import json

    try:
        actor = actor_of(parse_opening(opening))
        body = json.loads(entry)
    except ValueError as exc:
        report.fail(f"opening: {exc}", "bad_opening", detail=str(exc))
        return
    fields = where_named(body, actor)
    if fields:
        report.good(
            f"the opening gives {actor}, named in the entry as {', '.join(fields)}",
            "opening_named",
            actor=actor,
            fields=list(fields),
        )
    else:
        report.fail(f"the opening gives {actor}, which the entry does not name", "opening_not_named", actor=actor)


def verify_consistent(old: Checkpoint, new: Checkpoint, proof: Sequence[bytes], report: Report) -> None:
    if new.size < old.size:
        report.fail(f"the log shrank: it was {old.size} entries, now {new.size}")
    elif not verify_consistency(old.size, new.size, old.root_hash, new.root_hash, proof):
        report.fail(f"the tree at {new.size} does not extend the one seen at {old.size}: history was rewritten")
    else:
        report.good(f"consistent with the checkpoint seen before ({old.size} -> {new.size})")


def verify_mirror(
    store: TileStore,
    verifiers: Sequence[Verifier],
    *,
    origin: str | None = None,
    seen: str | None = None,
    witnesses: Sequence[Verifier] = (),
) -> Report:
    report = Report()
    try:
        checkpoint, _note = open_checkpoint(store["checkpoint"], verifiers, origin, witnesses)
    except KeyError:
        report.fail("the mirror has no checkpoint")
        return report
    except NoteError as exc:
        report.fail(f"the checkpoint does not verify: {exc}")
        return report
    report.checkpoint = checkpoint
    report.good(f"checkpoint signed: {checkpoint.origin}, {checkpoint.size} entries")
    full, partial = tile_shape(checkpoint.size, 0)
    reader = TileHashReader(store, checkpoint.size, cache_tiles=4)
    leaves = bytearray()
    try:
        for n in range(full + (1 if partial else 0)):
            width = TILE_WIDTH if n < full else partial
            tile = reader._tile_levels(0, n)[0]
            leaves += tile
            try:
                bundle = reader.entries(n)
            except KeyError:
                report.fail(f"{entries_path(n, width if width < TILE_WIDTH else TILE_WIDTH)} is missing")
                continue
            rebuilt = Tree.from_entries(bundle)
            if len(bundle) != width or rebuilt.level_hashes(0) != tile:
                bad = next(
                    (i for i in range(min(len(bundle), width)) if rebuilt.leaf_hash(i) != tile[i * 32 : (i + 1) * 32]),
                    None,
                )
                where = f"entry {n * TILE_WIDTH + bad}" if bad is not None else f"bundle {n}"
                report.fail(f"{where} does not match its leaf hash in the tiles: the entry was changed")
    except (KeyError, ValueError) as exc:
        report.fail(f"a tile is missing or malformed: {exc}")
        return report
    tree = Tree.from_leaf_hashes(bytes(leaves))
    if tree.root() != checkpoint.root_hash:
        report.fail("the tiles do not reproduce the checkpoint's root hash")
        return report
    report.good(f"all {checkpoint.size} entries and {full + (1 if partial else 0)} level-0 tiles reproduce the root")
    # Higher-level tiles must agree with the level below (a mirror serving them to clients).
    level = 1
    while (checkpoint.size >> (TILE_HEIGHT * level)) > 0:
        f, p = tile_shape(checkpoint.size, level)
        for n in range(f + (1 if p else 0)):
            width = TILE_WIDTH if n < f else p
            got = reader._tile_levels(level, n)[0]
            want = tree.level_slice(TILE_HEIGHT * level, n * TILE_WIDTH, n * TILE_WIDTH + width)
            if got != want:
                report.fail(f"tile {level}/{n} disagrees with the tiles below it")
        level += 1
    if seen:
        try:
            old, _ = open_checkpoint(seen, verifiers, origin)
        except NoteError as exc:
            report.fail(f"the checkpoint seen before does not verify: {exc}")
            return report
        proof = tree.consistency_proof(old.size) if 0 < old.size <= tree.size else []
        if old.size == 0:
            report.good("the checkpoint seen before was empty")
        else:
            verify_consistent(old, checkpoint, proof, report)
    return report
