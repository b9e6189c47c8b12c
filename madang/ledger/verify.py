"""Does the database still say what the log says? Every finding names the entry and the field.

Three layers, each catching a different kind of tampering:

1. the tile directory reproduces its signed checkpoint, and every entry bundle on disk hashes
   to its leaf (a rewritten tile or bundle), as `tlog verify --mirror` checks a copy;
2. every entry row hashes to the leaf at its log index (a rewritten entry row);
3. every committed field of every entry is rebuilt from the live records and compared, and
   every live record that must have an entry has one (a rewritten score, outcome, author,
   panel..., or a forged row inserted without an entry).

Layer 3 knows no domain app: each app's kinds (ledger/kinds.py) bring their own checks.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from madang.ledger import kinds
from madang.ledger import services as ledger
from madang.ledger.kinds import Finding, Logged
from madang.ledger.models import Entry
from madang.solvers import tlog
from madang.solvers.tlog.audit import verify_mirror

__all__ = ["Finding", "verify_all", "verify_entries", "verify_log_files", "verify_records"]


def _where(entry: Entry) -> str:
    return Logged(entry, {}).where


def verify_all() -> list[Finding]:
    findings = list(verify_log_files())
    if findings:
        return findings
    findings += verify_entries()
    findings += verify_records()
    return findings


def verify_log_files() -> Iterator[Finding]:
    try:
        with ledger._writer() as durable:
            size = durable.size
    except tlog.LogCorrupt as exc:
        yield Finding("log", str(exc))
        return
    except tlog.NoteError as exc:
        yield Finding("log", f"the checkpoint does not verify: {exc}")
        return
    if size == 0:
        return
    # The same check an outside auditor runs on a mirror: every tile and bundle on disk.
    try:
        report = verify_mirror(tlog.DirectoryStore(ledger.log_dir()), ledger.verifiers(), origin=ledger.origin())
    except (tlog.TileError, ValueError, KeyError) as exc:
        yield Finding("log", f"a tile or entry bundle on disk is malformed: {exc}", "tiles")
        return
    for line in report.lines:
        if line.startswith("FAIL "):
            yield Finding("log", line[5:], "tiles")


def verify_entries() -> list[Finding]:
    findings: list[Finding] = []
    with ledger._writer() as durable:
        size = durable.size
        rows = Entry.objects.filter(log_index__isnull=False).order_by("log_index").iterator(chunk_size=2000)
        seen = 0
        indices: set[int] = set()
        for entry in rows:
            seen += 1
            index = int(entry.log_index or 0)  # (not null: filtered above)
            indices.add(index)
            if index >= size:
                findings.append(Finding(_where(entry), f"has log index {index} but the log has {size} entries"))
            elif tlog.leaf_hash(bytes(entry.body)) != durable.tree.leaf_hash(index):
                logged = json.loads(durable.entry(index))
                findings += _diff(entry, logged, ledger.body_of(entry))
        if seen != size:
            findings.append(Finding("log", f"the log has {size} entries, the database {seen}"))
            for index in sorted(set(range(size)) - indices)[:1000]:
                logged = json.loads(durable.entry(index))
                findings.append(
                    Finding(
                        f"entry {index} ({logged.get('kind')}, {logged.get('subject')})",
                        "is in the log but its row is gone from the database",
                        "row",
                    )
                )
    return findings


def _diff(entry: Entry, logged: dict[str, Any], stored: dict[str, Any]) -> list[Finding]:
    keys = sorted(set(logged) | set(stored))
    found = [
        Finding(_where(entry), f"is {stored.get(k)!r} in the database, {logged.get(k)!r} in the log", k)
        for k in keys
        if logged.get(k) != stored.get(k)
    ]
    return found or [Finding(_where(entry), "the stored entry differs from the log: different bytes", "body")]


def _guarded(check: kinds.Check, entries: list[Logged]) -> list[Finding]:
    """A rewritten entry may hold values of any shape: a check that cannot read one reports
    that entry (its rewrite is also named field by field by verify_entries) and checks the rest."""
    try:
        return list(check(entries))
    except Exception:
        if len(entries) <= 1:
            return [
                Finding(e.where, "cannot be rebuilt from the database: a field has an impossible value", "body")
                for e in entries
            ]
        half = len(entries) // 2
        return _guarded(check, entries[:half]) + _guarded(check, entries[half:])


def _duplicates(key: str, entries: list[Logged]) -> list[Finding]:
    first: dict[str, Logged] = {}
    found = []
    for e in entries:
        if key != "subject" and key not in e.body and "reissues" in e.body:
            continue  # a reissued v1 entry without the field
        value = json.dumps([e.entry.subject, None if key == "subject" else e.get(key)], sort_keys=True)
        if value in first:
            found.append(Finding(e.where, f"a second entry for the record of {first[value].where}", key))
        else:
            first[value] = e
    return found


def verify_records() -> list[Finding]:
    """Rebuild every entry (logged or pending) from the live records, kind by kind."""
    groups: dict[str, list[Logged]] = defaultdict(list)
    for entry in Entry.objects.order_by("seq").iterator(chunk_size=2000):
        groups[entry.kind].append(Logged(entry, ledger.body_of(entry)))
    findings: list[Finding] = []
    for kind in kinds.all_kinds():
        entries = groups.pop(str(kind.name), [])
        if kind.check is not None:  # (even with no entry: some checks also rebuild other kinds, as routings)
            findings += _guarded(kind.check, entries)
        if kind.missing is not None:
            findings += _guarded(kind.missing, entries)
        if kind.unique is not None:
            findings += _duplicates(kind.unique, entries)
    for name, entries in groups.items():
        findings += [Finding(e.where, f"unknown kind {name!r}", "kind") for e in entries]
    return findings
