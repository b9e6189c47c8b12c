"""Rule packs: a suggestion regulation as data, loaded and checked without Django.

A pack is a TOML file in ``madang/suggestions/rulepacks/`` naming the instrument it encodes
(``[pack]``: id, version, effective date, optionally the pack it builds on), the sources it was
read in (``[sources.<key>]``) and its rules: proposal types, clocks, grounds for returning or not
adopting a proposal, award grades and other provisions. Every rule cites its article (제N조,
with 항/호/목 as far as known) and a source key, and says how it was read (``basis``):

* ``primary`` — the text of the instrument, read in a law database or its official translation;
* ``secondary`` — a news report, an agency's notice or a commentary; the value needs checking.

What was read only in secondary sources without an article goes in ``[[pending]]``: shown in
docs and to administrators, never applied. docs/suggestions.md lists every rule and its source.

A pack that ``extends`` another inherits the rules it does not restate (each keeps its own
citation). Proposals keep the pack version in force on the day they were received
(``PackSet.in_force``), so a newer version never changes an older proposal's rules.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from madang.solvers.legalclock import (
    Calendar,
    Counting,
    Deadline,
    LegalClockError,
    Period,
    Stop,
    Unit,
    deadline,
    extend,
)

RULEPACK_DIR = Path(__file__).resolve().parent / "rulepacks"

ARTICLE = re.compile(r"^제\d+조(의\d+)?(제\d+항)?(제\d+호)?([가-힣]목)?( ?(본문|단서|전단|후단))?$")
BASES = ("primary", "secondary")

# The grounds Madang knows, with what each leads to. A pack may use any subset; a ground outside this
# list is refused, since the services, reports and notices are written for these.
GROUNDS: dict[str, str] = {
    # someone else's patent, utility model, design or copyright, or an invention already rewarded
    "others_ip": "return",
    "already_adopted": "return",  # identical to a proposal the agency already adopted
    "already_in_force": "return",  # already in force at the agency, or the same basic idea
    "impracticable": "not_adopt",  # deemed impractical by common sense
    "mere_complaint": "return",  # a mere reminder, petition, criticism, request or expression of discontent
    "for_profit": "return",  # about the profit-making business of a person, group or company, or its promotion
    "not_public_business": "return",  # not the business of the State (or of local government)
    "civil_complaint": "transfer",  # a civil complaint (민원): handled through the civil-complaint procedure
    "other_agency": "transfer",  # another agency's business: transferred there, the proposer told
    "later_duplicate": "not_adopt",  # the same as a proposal received earlier, which takes priority
    "law_change_request": "return",  # asks for a law to be made, changed or repealed (some local rules)
}
OUTCOMES = {"return", "not_adopt", "transfer"}

# Clocks: the event each is counted from, and whether a supplement stops it.
CLOCKS: dict[str, tuple[str, ...]] = {
    "supplement_window": ("receipt",),  # how long after receipt the agency may still ask for a supplement
    "decision": ("receipt",),
    "decision_extension": ("decision_due",),
    "reexamination_request": ("decision_notice",),
    "reexamination_decision": ("reexamination_request",),
    "implementation_plan": ("adoption",),
}
STOPS = {"supplement"}
TYPES = {"standing", "contest", "implemented"}  # 상시(자유)제안, 공모제안, 실시제안
PROPOSERS = {"citizen", "official"}


class PackError(ValueError):
    """A pack that cannot be used, with every reason found (one per line)."""


@dataclass(frozen=True)
class Citation:
    instrument: str
    article: str
    basis: str
    source: str

    def __str__(self) -> str:
        return f"「{self.instrument}」 {self.article}"


@dataclass(frozen=True)
class Clock:
    name: str
    period: Period
    counted_from: str
    stopped_by: tuple[str, ...]
    cite: Citation
    # decision_extension only: how many times the decision period may be extended
    times: int | None = None


@dataclass(frozen=True)
class Ground:
    code: str
    outcome: str
    label: str
    cite: Citation


@dataclass(frozen=True)
class Grade:
    code: str
    label: str
    rank: int
    amount_krw: int | None
    min_score: float | None
    max_score: float | None  # exclusive
    cite: Citation


@dataclass(frozen=True)
class ProposalType:
    code: str
    label: str
    cite: Citation


@dataclass(frozen=True)
class Provision:
    code: str
    text: str
    value: Any
    cite: Citation


@dataclass(frozen=True)
class Pending:
    what: str
    value: str
    source: str


@dataclass(frozen=True)
class Source:
    key: str
    title: str
    url: str
    note: str


@dataclass(frozen=True)
class Pack:
    id: str
    version: str
    title: str
    instrument: str
    effective: date
    proposers: tuple[str, ...]
    extends: str | None
    sources: Mapping[str, Source]
    types: Mapping[str, ProposalType]
    clocks: Mapping[str, Clock]
    grounds: Mapping[str, Ground]
    grades: tuple[Grade, ...]
    provisions: Mapping[str, Provision]
    pending: tuple[Pending, ...] = field(default=())

    @property
    def key(self) -> str:
        return f"{self.id}@{self.version}"

    def clock(self, name: str) -> Clock | None:
        return self.clocks.get(name)

    def due(
        self, name: str, start: date, calendar: Calendar, stops: Sequence[Stop] = (), *, as_of: date | None = None
    ) -> Deadline:
        """When the pack's clock ``name``, counted from ``start``, runs out. Stops of kinds the clock is
        not stopped by are the caller's to leave out; a pack without that clock raises PackError."""
        clock = self.clocks.get(name)
        if clock is None:
            raise PackError(f"pack {self.key} sets no {name} period")
        try:
            return deadline(start, clock.period, calendar, stops if clock.stopped_by else (), as_of=as_of)
        except LegalClockError as e:
            raise PackError(f"pack {self.key}, {name}: {e}") from e

    def extend(self, original: Deadline, calendar: Calendar, times: int = 1) -> Deadline:
        """``original`` (the decision deadline) extended ``times`` times by the pack's extension period,
        each counted from the due date before it, as legalclock counts periods (holidays roll forward)."""
        clock = self.clocks.get("decision_extension")
        if clock is None:
            raise PackError(f"pack {self.key} allows no extension of the decision period")
        try:
            for _ in range(times):
                original = extend(original, clock.period, calendar)
        except LegalClockError as e:
            raise PackError(f"pack {self.key}, decision_extension: {e}") from e
        return original


def extension_allowed(pack: Pack) -> tuple[Period, int] | None:
    """The decision period's extension the pack allows (its period and how many times), or None."""
    clock = pack.clocks.get("decision_extension")
    if clock is None or clock.times is None or "decision" not in pack.clocks:
        return None
    return clock.period, clock.times


def digest(pack: Pack) -> str:
    """A fingerprint of the rules a suggestion relies on (types, clocks, grounds, proposers).

    A suggestion stores it at receipt beside the pack's id and version: a pack file edited in place
    afterwards (a rule changed without a new version) no longer matches, and the services refuse to
    go on rather than apply a rule the suggestion was not received under."""
    rules = {
        "proposers": sorted(pack.proposers),
        "types": sorted(pack.types),
        "clocks": {
            n: [c.period.length, str(c.period.unit), str(c.period.counting), c.counted_from, list(c.stopped_by)]
            + ([c.times] if c.times is not None else [])  # only an extension has it; older digests stay the same
            for n, c in sorted(pack.clocks.items())
        },
        "grounds": {g.code: g.outcome for g in sorted(pack.grounds.values(), key=lambda g: g.code)},
    }
    return hashlib.sha256(json.dumps(rules, sort_keys=True).encode()).hexdigest()


# --- parsing -------------------------------------------------------------------------------------------------


class _Problems:
    def __init__(self, where: str) -> None:
        self.where = where
        self.items: list[str] = []

    def add(self, message: str) -> None:
        self.items.append(f"{self.where}: {message}")


def _cite(
    raw: Mapping[str, Any], what: str, instrument: str, sources: Mapping[str, Source], problems: _Problems
) -> Citation:
    article = str(raw.get("article", "")).strip()
    if not article:
        problems.add(f"{what} has no article citation (every rule cites its article, e.g. 제6조제2항)")
    elif not ARTICLE.match(article.replace(" ", "")):
        problems.add(f"{what} cites {article!r}, which is not an article (제N조, then 항, 호, 목)")
    basis = raw.get("basis", "")
    if basis not in BASES:
        problems.add(f"{what} has basis {basis!r}; it must be one of {', '.join(BASES)}")
    source = raw.get("source", "")
    if source not in sources:
        problems.add(f"{what} names source {source!r}, which the pack's [sources] does not list")
    return Citation(str(raw.get("instrument", instrument)), article, str(basis), str(source))


def parse(data: Mapping[str, Any], *, where: str = "pack") -> Pack:
    """A pack from parsed TOML; PackError lists every problem found."""
    problems = _Problems(where)
    head = data.get("pack")
    if not isinstance(head, Mapping):
        raise PackError(f"{where}: no [pack] table")
    for key in ("id", "version", "title", "instrument", "effective"):
        if key not in head:
            problems.add(f"[pack] has no {key}")
    effective = head.get("effective")
    if not isinstance(effective, date):
        problems.add(f"[pack] effective must be a date (YYYY-MM-DD), not {effective!r}")
        effective = date.min
    instrument = str(head.get("instrument", ""))
    proposers = tuple(head.get("proposers", ()))
    for p in proposers:
        if p not in PROPOSERS:
            problems.add(f"[pack] proposers: {p!r} is not one of {', '.join(sorted(PROPOSERS))}")

    sources = {}
    for key, raw in dict(data.get("sources", {})).items():
        if not raw.get("title"):
            problems.add(f"source {key!r} has no title")
        sources[key] = Source(key, str(raw.get("title", "")), str(raw.get("url", "")), str(raw.get("note", "")))

    types = {}
    for raw in data.get("types", []):
        code = raw.get("code")
        if code not in TYPES:
            problems.add(f"type {code!r} is not one Madang knows ({', '.join(sorted(TYPES))})")
        types[code] = ProposalType(
            code, str(raw.get("label", "")), _cite(raw, f"type {code}", instrument, sources, problems)
        )

    clocks = {}
    for name, raw in dict(data.get("clocks", {})).items():
        what = f"clock {name}"
        if name not in CLOCKS:
            problems.add(f"{what} is not one Madang knows ({', '.join(CLOCKS)})")
            continue
        counted_from = raw.get("from", "")
        if counted_from not in CLOCKS[name]:
            problems.add(f"{what} counts from {counted_from!r}; it must count from {' or '.join(CLOCKS[name])}")
        stopped_by = tuple(raw.get("stopped_by", ()))
        for s in stopped_by:
            if s not in STOPS:
                problems.add(f"{what} is stopped by {s!r}, which is not a stop Madang knows ({', '.join(STOPS)})")
        try:
            period = Period(
                raw.get("length", -1), Unit(raw.get("unit", "")), Counting(raw.get("counting", "civil_code"))
            )
        except (ValueError, LegalClockError) as e:
            problems.add(f"{what}: {e}")
            continue
        times = raw.get("times")
        if name == "decision_extension":
            if isinstance(times, bool) or not isinstance(times, int) or times < 1:
                problems.add(f"{what} must say how many times it may be used (times = 1 or more), not {times!r}")
            if stopped_by:
                problems.add(
                    f"{what} cannot be stopped (it extends the decision period, which the stops already count)"
                )
        elif times is not None:
            problems.add(f"{what} has times = {times!r}, but only decision_extension may be used a number of times")
            times = None
        clocks[name] = Clock(
            name,
            period,
            counted_from,
            stopped_by,
            _cite(raw, what, instrument, sources, problems),
            times if isinstance(times, int) and not isinstance(times, bool) else None,
        )

    grounds = {}
    for raw in data.get("grounds", []):
        code = raw.get("code")
        what = f"ground {code!r}"
        if code not in GROUNDS:
            problems.add(f"{what} is unknown; the grounds Madang knows are {', '.join(GROUNDS)}")
            continue
        if code in grounds:
            problems.add(f"{what} is listed twice")
        outcome = raw.get("outcome", GROUNDS[code])
        if outcome not in OUTCOMES:
            problems.add(f"{what} leads to {outcome!r}; it must be one of {', '.join(sorted(OUTCOMES))}")
        grounds[code] = Ground(
            code, str(outcome), str(raw.get("label", "")), _cite(raw, what, instrument, sources, problems)
        )

    grades = []
    for raw in data.get("grades", []):
        code = raw.get("code", "")
        amount = raw.get("amount_krw")
        if amount is not None and (not isinstance(amount, int) or amount < 0):
            problems.add(f"grade {code!r} has amount {amount!r}; it must be a whole number of won ≥ 0")
        grades.append(
            Grade(
                code,
                str(raw.get("label", "")),
                int(raw.get("rank", 0)),
                amount,
                raw.get("min_score"),
                raw.get("max_score"),
                _cite(raw, f"grade {code!r}", instrument, sources, problems),
            )
        )
    _check_grades(grades, problems)

    provisions = {}
    for raw in data.get("provisions", []):
        code = str(raw.get("code", ""))
        if not code or code in provisions:
            problems.add(f"provision {code!r} is missing a code or listed twice")
        provisions[code] = Provision(
            code,
            str(raw.get("text", "")),
            raw.get("value"),
            _cite(raw, f"provision {code!r}", instrument, sources, problems),
        )

    pending = []
    for raw in data.get("pending", []):
        if raw.get("source") not in sources:
            problems.add(f"pending {raw.get('what')!r} names source {raw.get('source')!r}, not in [sources]")
        pending.append(Pending(str(raw.get("what", "")), str(raw.get("value", "")), str(raw.get("source", ""))))

    if problems.items:
        raise PackError("\n".join(problems.items))
    return Pack(
        str(head["id"]),
        str(head["version"]),
        str(head["title"]),
        instrument,
        effective,
        proposers,
        head.get("extends"),
        sources,
        types,
        clocks,
        grounds,
        tuple(sorted(grades, key=lambda g: g.rank)),
        provisions,
        tuple(pending),
    )


def _check_grades(grades: Iterable[Grade], problems: _Problems) -> None:
    seen_codes: set[str] = set()
    seen_ranks: dict[int, str] = {}
    scored = []
    for g in grades:
        if not g.code or g.code in seen_codes:
            problems.add(f"grade {g.code!r} is missing a code or listed twice")
        seen_codes.add(g.code)
        if g.rank < 1:
            problems.add(f"grade {g.code!r} needs a rank ≥ 1 (1 is the highest)")
        elif g.rank in seen_ranks:
            problems.add(f"grades {seen_ranks[g.rank]!r} and {g.code!r} share rank {g.rank}")
        seen_ranks[g.rank] = g.code
        if (g.min_score is None) != (g.max_score is None):
            problems.add(f"grade {g.code!r} gives only one end of its score range")
        elif g.min_score is not None and g.max_score is not None:
            if g.min_score >= g.max_score:
                problems.add(f"grade {g.code!r} has an empty score range [{g.min_score}, {g.max_score})")
            scored.append(g)
    scored.sort(key=lambda g: g.min_score or 0)
    for a, b in itertools.pairwise(scored):
        assert a.max_score is not None and b.min_score is not None
        if b.min_score < a.max_score:
            problems.add(
                f"grades {a.code!r} [{a.min_score}, {a.max_score}) and {b.code!r} "
                f"[{b.min_score}, {b.max_score}) overlap"
            )
    ranked = sorted((g for g in scored), key=lambda g: g.rank)
    for a, b in itertools.pairwise(ranked):
        if (a.min_score or 0) < (b.min_score or 0):
            problems.add(f"grade {a.code!r} ranks above {b.code!r} but needs a lower score")


def _merge(base: Pack, pack: Pack) -> Pack:
    """``pack`` over ``base``: what ``pack`` restates replaces the base's rule of the same name."""
    grades = pack.grades or base.grades
    return replace(
        pack,
        proposers=pack.proposers or base.proposers,
        sources={**base.sources, **pack.sources},
        types={**base.types, **pack.types},
        clocks={**base.clocks, **pack.clocks},
        grounds={**base.grounds, **pack.grounds},
        grades=grades,
        provisions={**base.provisions, **pack.provisions},
        pending=base.pending + pack.pending,
    )


# --- the set of packs ----------------------------------------------------------------------------------------


class PackSet:
    """Every version of every pack, with the ``extends`` chains resolved."""

    def __init__(self, packs: Iterable[Pack]) -> None:
        raw: dict[str, list[Pack]] = {}
        for p in packs:
            versions = raw.setdefault(p.id, [])
            if any(v.version == p.version for v in versions):
                raise PackError(f"pack {p.key} is defined twice")
            if any(v.effective == p.effective for v in versions):
                raise PackError(f"pack {p.id} has two versions taking effect on {p.effective}")
            versions.append(p)
        self._raw = {k: sorted(v, key=lambda p: p.effective) for k, v in raw.items()}
        self._resolved: dict[str, list[Pack]] = {}
        for pid in self._raw:
            self._resolve(pid, ())

    def _resolve(self, pid: str, chain: tuple[str, ...]) -> list[Pack]:
        if pid in self._resolved:
            return self._resolved[pid]
        if pid in chain:
            raise PackError(f"packs extend each other in a circle: {' → '.join((*chain, pid))}")
        if pid not in self._raw:
            raise PackError(f"pack {chain[-1] if chain else '?'} extends {pid!r}, which is not loaded")
        out = []
        for p in self._raw[pid]:
            if p.extends:
                base = self._in(self._resolve(p.extends, (*chain, pid)), p.effective)
                if base is None:
                    raise PackError(f"pack {p.key} extends {p.extends}, which has no version in force on {p.effective}")
                p = _merge(base, p)
            out.append(p)
        self._resolved[pid] = out
        return out

    @staticmethod
    def _in(versions: Sequence[Pack], on: date) -> Pack | None:
        current = None
        for p in versions:
            if p.effective <= on:
                current = p
        return current

    def ids(self) -> list[str]:
        return sorted(self._resolved)

    def versions(self, pid: str) -> list[Pack]:
        return list(self._resolved.get(pid, []))

    def in_force(self, pid: str, on: date) -> Pack:
        """The version of pack ``pid`` in force on ``on`` (a proposal's day of receipt)."""
        found = self._in(self._resolved.get(pid, []), on)
        if found is None:
            raise PackError(f"no version of pack {pid!r} is in force on {on}")
        return found

    def get(self, pid: str, version: str) -> Pack:
        for p in self._resolved.get(pid, []):
            if p.version == version:
                return p
        raise PackError(f"pack {pid}@{version} is not loaded")


def load_file(path: Path) -> Pack:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise PackError(f"{path.name}: not valid TOML ({e})") from e
    return parse(data, where=path.name)


def load_dir(directory: Path = RULEPACK_DIR) -> PackSet:
    """Every ``*.toml`` in ``directory``; PackError names each file's problems."""
    packs, errors = [], []
    for path in sorted(directory.glob("*.toml")):
        try:
            packs.append(load_file(path))
        except PackError as e:
            errors.append(str(e))
    if errors:
        raise PackError("\n".join(errors))
    return PackSet(packs)


@cache
def shipped() -> PackSet:
    """The packs that ship with Madang, loaded once."""
    return load_dir()


def active() -> PackSet:
    """The packs the services use: the shipped ones (a test replaces this function to add versions)."""
    return shipped()
