"""Which kinds of entry exist, who owns them, and how `madang ledger verify` checks them.

The ledger knows no domain app. Each app declares its kinds in `madang/<app>/ledger_entries.py`
(a StrEnum and one `Kind` per member) and registers them from its `AppConfig.ready()`, as
`madang/jobs/registry.py` lists job handlers. A `Kind` says:

* `role`: the pseudonym context of its people, relative to the entry's subject: the context
  of an entry of kind K about subject S is "S/<role>" (`role` may name body fields, e.g.
  "jury:{judging}"). People are pseudonymous per context, so entries of two contexts cannot
  be linked without the server's key (see services.pseudonym);
* `fields`: every field its body commits to, besides the common ones, with what it means;
* `check(entries)`: rebuild each entry's fields from the live records and yield a Finding per
  field that differs (or per entry whose record is gone);
* `missing(entries)`: yield a Finding per live record that should have an entry of this kind
  and has none (a forged row inserted without an entry).

Each app also says how people read its entries: a label per kind (`register(..., labels=...)`,
a lazy translation) and, for each kind of subject it owns ("proposal", "lab", ...), a noun and
the titles and addresses of those subjects anyone may see (`register_subject`), so that the
ledger's pages show "제안 제출 · 민원 서류 간소화" rather than `proposal.submitted` and `proposal:37`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext

if TYPE_CHECKING:
    from madang.ledger.models import Entry

COMMON_FIELDS: dict[str, str] = {
    "v": "entry format version (2)",
    "kind": "the kind of entry",
    "subject": "what it is about, e.g. proposal:12",
    "actor": "who did it: the per-context pseudonym of the acting person (null for the system)",
    "at": "when, ISO 8601 to the second",
}


@dataclass(frozen=True)
class Finding:
    where: str  # "log", "entry 12 (review.scorecard, proposal:7)", ...
    what: str
    field: str = ""

    def __str__(self) -> str:
        return f"{self.where}: {self.field + ': ' if self.field else ''}{self.what}"


@dataclass
class Logged:
    """An entry with its parsed body, as the checks see it."""

    entry: Entry
    body: dict[str, Any]

    @property
    def where(self) -> str:
        e = self.entry
        index = f"entry {e.log_index}" if e.log_index is not None else f"pending entry #{e.seq}"
        return f"{index} ({e.kind}, {e.subject})"

    @property
    def subject_id(self) -> int:
        return int(self.entry.subject.split(":", 1)[1])

    def get(self, name: str, default: Any = None) -> Any:
        return self.body.get(name, default)

    def differs(self, name: str, live: Any) -> Finding | None:
        """Compare one committed field with its value rebuilt from the live record.

        A reissued v1 entry (docs/ledger.md, "Reissue") lacks the fields added in v2: those are
        skipped for it, and only for it."""
        if name not in self.body and "reissues" in self.body:
            return None
        logged = self.body.get(name)
        if _norm(logged) == _norm(live):
            return None
        return Finding(self.where, f"is {_show(live)} in the database, {_show(logged)} in the log", name)

    def committed_differs(self, name: str, text: str) -> Finding | None:
        """A salted commitment (free text) against the text still in the database."""
        from madang.ledger import services as ledger

        if "reissues" in self.body and self.body.get(name) is not None and name not in self.entry.salts:
            return None  # a v1 commitment whose salt v1 never kept (lab titles and reports): it cannot be opened
        if ledger.matches_commitment(self.entry, name, text, body=self.body):
            return None
        return Finding(self.where, "the text in the database no longer matches its commitment", name)

    def gone(self, what: str) -> Finding:
        return Finding(self.where, f"{what} is gone from the database", "record")


def compare(logged: Logged, live: Mapping[str, Any], committed: Mapping[str, str] | None = None) -> Iterator[Finding]:
    for name, value in live.items():
        found = logged.differs(name, value)
        if found:
            yield found
    for name, text in (committed or {}).items():
        found = logged.committed_differs(name, text)
        if found:
            yield found


def _norm(value: Any) -> Any:
    # JSON turns tuples into lists and keeps floats; compare as the log would hold them.
    return json.loads(json.dumps(value, sort_keys=True, default=str))


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 120 else text[:117] + "..."


Check = Callable[[list[Logged]], Iterable[Finding]]


@dataclass(frozen=True)
class Kind:
    name: StrEnum | str
    role: str
    doc: str
    fields: Mapping[str, str] = field(default_factory=dict)
    commitments: Mapping[str, str] = field(default_factory=dict)
    check: Check | None = None
    missing: Check | None = None
    # Which fields `check` rebuilds from the live records.
    checked: tuple[str, ...] = ()
    # One entry per record: "subject", or the body field naming the record (a second one is forged).
    unique: str | None = None
    # Body fields that hold pseudonyms in this kind's context (rewritten by `ledger reissue`).
    pseudonym_fields: tuple[str, ...] = ()
    # For `ledger reissue`: turn a v1 body's data into v2's (given a v1 pseudonym -> user id
    # map and the v2 pseudonym function of this entry's context), beyond `pseudonym_fields`.
    reissue_body: Callable[[dict[str, Any], Callable[[Any], Any]], dict[str, Any]] | None = None

    def context(self, subject: str, data: Mapping[str, Any] | None = None) -> str:
        return f"{subject}/{self.role.format_map(dict(data or {}))}"


@dataclass(frozen=True)
class Book:
    """One app's kinds."""

    app: str
    kinds: tuple[Kind, ...]


_books: dict[str, Book] = {}
_kinds: dict[str, Kind] = {}
_labels: dict[str, Any] = {}


# The fields every entry's body starts with (ledger/services.py `record`).
ENVELOPE = frozenset({"v", "kind", "subject", "actor", "at"})


def register(app: str, kinds: Iterable[Kind], *, labels: Mapping[Any, Any] | None = None) -> None:
    """Called from each app's AppConfig.ready(). Registering the same app again replaces it.

    `labels` names each kind for people (a lazy translation per kind: what the ledger's pages show)."""
    book = Book(app, tuple(kinds))
    for old in _books.get(app, Book(app, ())).kinds:
        _kinds.pop(str(old.name), None)
        _labels.pop(str(old.name), None)
    for name, text in (labels or {}).items():
        _labels[str(name)] = text
    for kind in book.kinds:
        name = str(kind.name)
        clash = ENVELOPE & (set(kind.fields) | set(kind.commitments))
        if clash:
            # A body field named like the envelope's would overwrite it: the entry would say
            # another kind, subject or actor in the public log.
            raise ValueError(f"ledger entry kind {name}: fields {sorted(clash)} are the envelope's")
        if name in _kinds and _kinds[name] is not kind:
            raise ValueError(f"ledger entry kind {name} is registered twice")
        _kinds[name] = kind
    _books[app] = book


def unregister(app: str) -> None:
    for old in _books.pop(app, Book(app, ())).kinds:
        _kinds.pop(str(old.name), None)
        _labels.pop(str(old.name), None)


def label(name: str) -> str:
    """How people read the kind, in the active language (the kind's own name if no app labels it)."""
    text = _labels.get(str(name))
    return str(text) if text is not None else str(name)


def has_label(name: str) -> bool:
    return str(name) in _labels


# ---------------------------------------------------------------- subjects, as people read them

# ids -> {id: (title, address)} for the subjects of those ids that anyone may see.
PublicTitles = Callable[[list[int]], Mapping[int, tuple[str, str]]]


@dataclass(frozen=True)
class SubjectKind:
    owner: str
    noun: Any  # a lazy translation: "Proposal" / "제안"
    public: PublicTitles


@dataclass(frozen=True)
class SubjectView:
    text: str  # the title where public, else "<noun> <id>"
    url: str | None  # its page where public


_subjects: dict[str, SubjectKind] = {}


def register_subject(prefix: str, noun: Any, public: PublicTitles, *, owner: str) -> None:
    """What "<prefix>:<id>" subjects are: called from the owning app's AppConfig.ready()."""
    known = _subjects.get(prefix)
    if known is not None and known.owner != owner:
        raise ValueError(f"ledger subject {prefix!r} is registered by {known.owner!r} and {owner!r}")
    _subjects[prefix] = SubjectKind(owner, noun, public)


def subject_prefixes() -> list[str]:
    return sorted(_subjects)


def describe_subjects(subjects: Iterable[str]) -> dict[str, SubjectView]:
    """Each subject as people read it: one look-up per kind of subject, whatever the number."""
    wanted: dict[str, set[int]] = {}
    for subject in subjects:
        prefix, _sep, raw = subject.partition(":")
        if raw.isdigit():
            wanted.setdefault(prefix, set()).add(int(raw))
    found: dict[str, Mapping[int, tuple[str, str]]] = {}
    for prefix, ids in wanted.items():
        kind = _subjects.get(prefix)
        found[prefix] = kind.public(sorted(ids)) if kind is not None else {}
    views = {}
    for subject in subjects:
        prefix, _sep, raw = subject.partition(":")
        kind = _subjects.get(prefix)
        titled = found.get(prefix, {}).get(int(raw)) if raw.isdigit() else None
        if titled is not None:
            views[subject] = SubjectView(titled[0], titled[1])
        elif kind is not None:
            views[subject] = SubjectView(gettext("%(noun)s no. %(id)s") % {"noun": kind.noun, "id": raw}, None)
        else:
            views[subject] = SubjectView(subject, None)
    return views


def get(name: str) -> Kind:
    try:
        return _kinds[str(name)]
    except KeyError:
        raise KeyError(f"unknown ledger entry kind {name!r}: declare it in the app's ledger_entries.py") from None


def books() -> list[Book]:
    return sorted(_books.values(), key=lambda b: b.app)


def all_kinds() -> list[Kind]:
    return [k for b in books() for k in b.kinds]


def markdown() -> str:
    """Every kind with its fields, for docs/ledger.md (`madang ledger kinds --markdown`)."""
    lines = [
        f"{len(all_kinds())} kinds of entry. Every entry also has: " + ", ".join(f"`{k}`" for k in COMMON_FIELDS) + ".",
        "",
    ]
    for book in books():
        lines += [f"### {book.app}", ""]
        for kind in book.kinds:
            lines.append(f"- **`{kind.name}`** (context `<subject>/{kind.role}`): {kind.doc}")
            for name, text in kind.fields.items():
                mark = " *(verified)*" if name in kind.checked else ""
                lines.append(f"  - `{name}`: {text}{mark}")
            for name, text in kind.commitments.items():
                mark = " *(verified)*" if name in kind.checked else ""
                lines.append(f"  - `{name}`: salted SHA-256 commitment of {text}{mark}")
            if kind.missing is not None:
                lines.append("  - every live record of this kind must have such an entry *(verified)*")
            if kind.unique is not None:
                lines.append(f"  - one entry per record (by `{kind.unique}`) *(verified)*")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
