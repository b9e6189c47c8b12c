"""The labelled Korean set (data/labelled.jsonl) and its measures.

The set is written in data/labelled.src.txt, one sentence a line, each exposure marked
``[[kind:value]]``; `build` turns it into the JSONL (text and character spans) and fills in the
check digits marked "#" with its own arithmetic, not the detector's. A test keeps the two files
in step.

Measures, per kind and overall: a labelled exposure is *found* when a finding of the same kind
overlaps its span (where an address starts or ends is a matter of taste; which characters of a
number are the number is not, and numbers are found whole or not at all); a finding is *right*
when it overlaps a labelled exposure of its kind. Recall is found ÷ labelled, precision is
right ÷ findings.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).with_name("data")
SOURCE = DATA / "labelled.src.txt"
PATH = DATA / "labelled.jsonl"

_MARK = re.compile(r"\[\[([a-z]+):(.+?)\]\]")


@dataclass(frozen=True)
class Span:
    kind: str
    start: int
    end: int


@dataclass(frozen=True)
class Example:
    id: str
    text: str
    spans: tuple[Span, ...]
    near: str | None  # what a near miss is near to (order, date, count, …); None for exposures


def _rrn_check(first12: str, foreigner: bool) -> str:
    total = 0
    for digit, weight in zip(first12, "234567892345", strict=True):
        total += int(digit) * int(weight)
    base = 13 if foreigner else 11
    return str((base - total % 11) % 10)


def _luhn_complete(body: str) -> str:
    # Double every second digit counted from the right of the finished number (the check digit
    # is the rightmost, so from the right of `body` it is every first one).
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d // 10 + d % 10
    return str((10 - total % 10) % 10)


def _fill(kind: str, value: str, rng: random.Random) -> str:
    """Fill "#": random digits, and the last "#" the value's check digit."""
    if "#" not in value:
        return value
    last = value.rindex("#")
    chars = [str(rng.randrange(10)) if (ch == "#" and i != last) else ch for i, ch in enumerate(value)]
    digits = "".join(ch for ch in chars[:last] if ch.isdigit())
    if kind in ("rrn", "foreigner"):
        if len(digits) != 12:
            raise ValueError(f"{value}: a registration number has 13 digits")
        chars[last] = _rrn_check(digits, foreigner=kind == "foreigner")
    elif kind == "card":
        chars[last] = _luhn_complete(digits)
    else:
        raise ValueError(f"{value}: only registration and card numbers have a check digit here")
    return "".join(chars)


def build(source: Path = SOURCE, *, seed: int = 17) -> list[Example]:
    rng = random.Random(seed)
    out: list[Example] = []
    for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("//"):
            continue
        tag, _, marked = line.partition("\t")
        if not marked or not (tag == "pii" or tag.startswith("near:")):
            raise ValueError(f"{source.name}:{number}: expected '<pii|near:what>\\t<sentence>'")
        parts: list[str] = []
        spans: list[Span] = []
        pos = length = 0
        for m in _MARK.finditer(marked):
            parts.append(marked[pos : m.start()])
            length += m.start() - pos
            value = _fill(m.group(1), m.group(2), rng)
            spans.append(Span(m.group(1), length, length + len(value)))
            parts.append(value)
            length += len(value)
            pos = m.end()
        parts.append(marked[pos:])
        if (tag == "pii") != bool(spans):
            raise ValueError(f"{source.name}:{number}: 'pii' lines need a [[kind:value]], near misses none")
        out.append(Example(f"s{number:03d}", "".join(parts), tuple(spans), None if tag == "pii" else tag[5:]))
    return out


def dumps(examples: Iterable[Example]) -> str:
    lines = []
    for e in examples:
        row = {"id": e.id, "text": e.text, "spans": [[s.kind, s.start, s.end] for s in e.spans]}
        if e.near:
            row["near"] = e.near
        lines.append(json.dumps(row, ensure_ascii=False))
    return "\n".join(lines) + "\n"


def load(path: Path = PATH) -> list[Example]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            spans = tuple(Span(k, s, e) for k, s, e in row["spans"])
            out.append(Example(row["id"], row["text"], spans, row.get("near")))
    return out


@dataclass
class Result:
    labelled: dict[str, int] = field(default_factory=dict)
    found: dict[str, int] = field(default_factory=dict)
    findings: dict[str, int] = field(default_factory=dict)
    right: dict[str, int] = field(default_factory=dict)
    misses: list[tuple[str, str, str]] = field(default_factory=list)  # (id, kind, the labelled text)
    false_alarms: list[tuple[str, str, str]] = field(default_factory=list)  # (id, kind, the found text)

    def recall(self, *kinds: str) -> float:
        n = sum(self.labelled.get(k, 0) for k in kinds)
        return sum(self.found.get(k, 0) for k in kinds) / n if n else 1.0

    def precision(self, *kinds: str) -> float:
        kinds = kinds or tuple(self.findings)
        n = sum(self.findings.get(k, 0) for k in kinds)
        return sum(self.right.get(k, 0) for k in kinds) / n if n else 1.0

    def table(self) -> str:
        kinds = sorted(set(self.labelled) | set(self.findings))
        rows = [
            "| kind | labelled | found | recall | findings | right | precision |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for k in kinds:
            rows.append(
                f"| {k} | {self.labelled.get(k, 0)} | {self.found.get(k, 0)} | {self.recall(k):.3f} | "
                f"{self.findings.get(k, 0)} | {self.right.get(k, 0)} | {self.precision(k):.3f} |"
            )
        total_l, total_f = sum(self.labelled.values()), sum(self.findings.values())
        rows.append(
            f"| all | {total_l} | {sum(self.found.values())} | {self.recall(*kinds):.3f} | "
            f"{total_f} | {sum(self.right.values())} | {self.precision():.3f} |"
        )
        return "\n".join(rows)


class _Found:
    kind: str
    start: int
    end: int


def evaluate(examples: Iterable[Example], scanner: Callable[[str], Iterable[_Found]]) -> Result:
    """Run `scanner` (text → findings with .kind, .start, .end) over the set and count."""
    r = Result()
    for e in examples:
        found = [(str(f.kind), f.start, f.end) for f in scanner(e.text)]
        for s in e.spans:
            r.labelled[s.kind] = r.labelled.get(s.kind, 0) + 1
            if any(k == s.kind and a < s.end and s.start < b for k, a, b in found):
                r.found[s.kind] = r.found.get(s.kind, 0) + 1
            else:
                r.misses.append((e.id, s.kind, e.text[s.start : s.end]))
        for k, a, b in found:
            r.findings[k] = r.findings.get(k, 0) + 1
            if any(k == s.kind and a < s.end and s.start < b for s in e.spans):
                r.right[k] = r.right.get(k, 0) + 1
            else:
                r.false_alarms.append((e.id, k, e.text[a:b]))
    return r
