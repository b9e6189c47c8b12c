"""새벽도, another agency, as its ledger shows it to us: its own signing key and log name, and receipt
entries written as Madang writes them (`suggestion.received`, a commitment to the fingerprint). Its
log is kept in memory; its exports go through the same `exchange.build` as ours. Tests play it
honest, then make it lie."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import timezone

from madang.ledger import services as ledger
from madang.priority import exchange
from madang.solvers import fingerprint, tlog

KEY = "한빛도와 새벽도가 합의한 제안 교환 키 (시험용)"
ORIGIN = "saebyeok.example.go.kr/ledger"


@dataclass
class OtherAgency:
    origin: str = ORIGIN
    exchange_key: str = KEY
    signer: Any = None
    vkey: str = ""
    tree: tlog.Tree = field(default_factory=tlog.Tree)
    items: list[exchange.Item] = field(default_factory=list)
    entries: dict[int, bytes] = field(default_factory=dict)
    refined: dict[int, int] = field(default_factory=dict)  # a refinement's index -> the earlier one's
    seq: int = 0
    old_signers: list[Any] = field(default_factory=list)  # during a key change: the old key, signing too
    key_statements: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        skey, self.vkey = tlog.generate_key(self.origin)
        self.signer = tlog.parse_skey(skey)

    def receive(self, text: str, on: date, *, key: str | None = None, refines: int | None = None) -> int:
        """File and receive a suggestion on `on`: its receipt entry goes in the log; return its index.
        `refines`: the index of the receipt of a declined idea this one refines (it keeps its first day)."""
        self.seq += 1
        made = fingerprint.of_text(text, fingerprint.ExchangeKey(key or self.exchange_key))
        assert made is not None
        salt, committed = ledger.commitment(made.encode())
        lineage: dict[str, Any] = {}
        if refines is not None:
            earlier = json.loads(self.entries[refines])
            lineage = {
                "refines": int(earlier["subject"].split(":")[1]),
                # An earlier refinement's first day, a receipt's day, or a submission's day (in Korea).
                "first_filed_on": earlier.get("first_filed_on") or earlier.get("received_on") or earlier["at"][:10],
            }
        body = {
            "v": 2,
            "kind": "suggestion.received",
            "subject": f"proposal:{100 + self.seq}",
            "actor": None,
            "at": f"{on.isoformat()}T10:00:00+09:00",
            "suggestion": self.seq,
            "number": f"{on.year}-{self.seq:04d}",
            "office": 1,
            "type": "standing",
            "proposer": "citizen",
            "pack": "kr-citizen@2023-08-01",
            "pack_digest": "0" * 64,
            "received_on": on.isoformat(),
            "supplement_until": None,
            "decision_due": None,
            "evidence": None,
            "fingerprint": committed,
            **lineage,
        }
        entry = ledger.canonical(body)
        index = self.tree.append(entry)
        self.entries[index] = entry
        chain: list[tuple[int, bytes]] = []
        while refines is not None:
            chain.append((refines, self.entries[refines]))
            refines = self.refined.get(refines)
        if chain:
            self.refined[index] = chain[0][0]
        self.items.append(exchange.Item(index, entry, made.encode(), salt, tuple(chain)))
        return index

    def submit(self, on: date) -> int:
        """A proposal submitted on `on` in an ordinary call (as Madang logs it): its index."""
        self.seq += 1
        entry = ledger.canonical(
            {
                "v": 2,
                "kind": "proposal.submitted",
                "subject": f"proposal:{100 + self.seq}",
                "actor": None,
                "at": f"{on.isoformat()}T09:30:00+09:00",
                "call": 7,
                "number": self.seq,
                "revision": 1,
                "content": "0" * 64,
                "author": None,
            }
        )
        index = self.tree.append(entry)
        self.entries[index] = entry
        return index

    def log_something_else(self) -> tuple[int, bytes]:
        """Another kind of entry (a withdrawal): its index and the entry."""
        entry = ledger.canonical({"v": 2, "kind": "proposal.withdrawn", "subject": "proposal:1", "actor": None})
        return self.tree.append(entry), entry

    def checkpoint(self) -> str:
        return tlog.Checkpoint(self.origin, self.tree.size, self.tree.root()).sign([self.signer, *self.old_signers])

    def sign(self, text: str) -> str:
        return tlog.sign_note(text, [self.signer, *self.old_signers])

    def rotate(self, *, announce: bool = True, signed_by: str = "both") -> str:
        """Change the ledger key (same name, a new key), as docs/ledger.md says: both keys sign while the
        change lasts, and (`announce`) every export names both in a statement signed by `signed_by`:
        both, "old" or "new". Returns the old vkey."""
        old_signer, old_vkey = self.signer, self.vkey
        skey, self.vkey = tlog.generate_key(self.origin)
        self.signer = tlog.parse_skey(skey)
        if announce:
            self.old_signers = [old_signer]
            by = {"both": [self.signer, old_signer], "old": [old_signer], "new": [self.signer]}[signed_by]
            self.key_statements.append(tlog.sign_note(exchange.key_statement(self.origin, [self.vkey, old_vkey]), by))
        return old_vkey

    def retire_old_key(self) -> None:
        """The change is over: only the new key signs (the statement stays in the exports)."""
        self.old_signers = []

    def export(self, *, since: int | None = None, items: list[exchange.Item] | None = None) -> bytes:
        chosen = self.items if items is None else items
        size = self.tree.size
        return exchange.build(
            origin=self.origin,
            generated_at=timezone.now(),
            checkpoint=self.checkpoint(),
            since=since,
            consistency=self.tree.consistency_proof(since, size) if since and since < size else [],
            items=chosen,
            inclusion={
                i: self.tree.inclusion_proof(i) for it in chosen for i in (it.index, *(x for x, _e in it.lineage))
            },
            sign=self.sign,
            keys=self.key_statements,
        )

    def resign(self, document: dict[str, Any]) -> bytes:
        """The agency itself edits its export and signs it again (a dishonest issuer)."""
        document["signature"] = self.sign(exchange.statement(self.origin, exchange.digest(document)))
        return json.dumps(document, ensure_ascii=False).encode()
