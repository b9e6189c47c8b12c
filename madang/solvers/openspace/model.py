"""Open Space market and schedule types, input validation and the independent checker.

A *market* is what the marketplace wall holds when the facilitator asks for a schedule: topics
(each with its conveners and the participants who marked interest), rooms with a capacity, the
time slots, the slots each person cannot make, the placements the facilitator pinned by hand and
the (room, slot) cells that may not be used (a room taken for the keynote, say). A *schedule*
puts each topic in one (room, slot) cell or leaves it unscheduled.

Hard rules (a schedule that breaks one is invalid; `check` lists every break):

1. a room holds at most one topic per slot, and never in a forbidden cell;
2. a topic sits only in a slot that every one of its conveners can make;
3. a convener never has two of their topics in one slot;
4. pinned placements are kept exactly.

Objective, compared lexicographically (first `turned_away`, then `clashes`):

* The *audience* of a topic is its interested participants together with its conveners (a
  convener is in the room of their own session, so they count against its capacity and lose any
  other session they wanted in that slot).
* `turned_away` = for every held topic, max(0, audience − room capacity), plus for every
  unscheduled topic its whole audience: the people who cannot get into a session they signed up
  for, either because the room is too small or because the session is not on the board. Capacity
  is therefore hard wherever it costs nobody a session: a topic overflows its room only when that
  turns away fewer people than any schedule that respects every capacity, and when there are more
  topics than cells, the topics left out are those with the smallest audiences (a topic too big
  for every room still goes into the biggest one rather than being dropped).
* `clashes` (lost attendance) = for every person p and slot s with k_ps held topics in s whose
  audience includes p, max(0, k_ps − 1), summed. A person attends one session per slot, so
  wanting k sessions of one slot loses k − 1 of them. We use this rather than the pairwise count
  (Σ over topic pairs in a slot of |shared audience|), which charges k(k − 1)/2 for the same loss
  and so over-weights the most interested people; the two agree whenever k ≤ 2. Lost attendance
  also equals Σ_held |audience| − #{(p, s): p has a held topic in s}, which is linear in a
  slot-level coverage model; that is what keeps the exact model (`exact.py`) small.

Room choice inside a slot changes only the overflow, never the clashes, and the least overflow of
a slot is reached by giving its largest topic the largest room, the second the second and so on
(max(0, a − c) is convex in a − c, so sorted matching is optimal by the exchange argument). The
solvers therefore search over slots only and seat rooms at the end.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

Cell = tuple[Hashable, Hashable]  # (room, slot)


class InfeasibleMarket(ValueError):
    """The market contradicts itself (for example two topics pinned to one room and slot)."""


@dataclass(frozen=True)
class Topic:
    id: Hashable
    conveners: frozenset[Hashable]
    interested: frozenset[Hashable] = frozenset()
    title: str = ""

    @property
    def audience(self) -> frozenset[Hashable]:
        return self.interested | self.conveners


@dataclass(frozen=True)
class Room:
    id: Hashable
    capacity: int


@dataclass(frozen=True)
class Market:
    topics: tuple[Topic, ...]
    rooms: tuple[Room, ...]
    slots: tuple[Hashable, ...]
    unavailable: Mapping[Hashable, frozenset[Hashable]] = field(default_factory=dict)
    pinned: Mapping[Hashable, Cell] = field(default_factory=dict)
    forbidden: frozenset[Cell] = frozenset()

    def topic(self, topic_id: Hashable) -> Topic:
        for t in self.topics:
            if t.id == topic_id:
                return t
        raise InfeasibleMarket(f"unknown topic {topic_id!r}")

    def with_pin(self, topic_id: Hashable, room: Hashable, slot: Hashable) -> Market:
        pinned = dict(self.pinned)
        pinned[topic_id] = (room, slot)
        return Market(self.topics, self.rooms, self.slots, self.unavailable, pinned, self.forbidden)


@dataclass(frozen=True)
class Schedule:
    """`placements[topic] = (room, slot)`; topics not in it are unscheduled."""

    placements: Mapping[Hashable, Cell]
    unscheduled: tuple[Hashable, ...] = ()


@dataclass(frozen=True)
class Check:
    turned_away: int
    clashes: int
    overflow: int
    dropped_audience: int
    violations: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.violations


def validate(market: Market) -> None:
    """Raise `InfeasibleMarket` with a plain message if the market contradicts itself.

    Only contradictions are errors. A convener with more topics than free slots, or more topics
    than cells, is not: the schedule then leaves topics out and reports them.
    """
    for what, ids in (
        ("topic", [t.id for t in market.topics]),
        ("room", [r.id for r in market.rooms]),
        ("slot", list(market.slots)),
    ):
        dup = [i for i, n in Counter(ids).items() if n > 1]
        if dup:
            raise InfeasibleMarket(f"{what} {dup[0]!r} appears more than once")
    rooms = {r.id: r for r in market.rooms}
    slots = set(market.slots)
    topics = {t.id: t for t in market.topics}
    for r in market.rooms:
        if r.capacity < 0:
            raise InfeasibleMarket(f"room {r.id!r} has a negative capacity")
    for room, slot in market.forbidden:
        if room not in rooms or slot not in slots:
            raise InfeasibleMarket(f"forbidden cell ({room!r}, {slot!r}) names an unknown room or slot")
    for person, gone in market.unavailable.items():
        unknown = set(gone) - slots
        if unknown:
            raise InfeasibleMarket(f"{person!r} is unavailable in unknown slot {sorted(map(str, unknown))[0]}")
    for t in market.topics:
        if not free_slots(market, t):
            raise InfeasibleMarket(
                f"topic {t.id!r} cannot be placed anywhere: its conveners share no slot with a usable room"
            )
    used: dict[Cell, Hashable] = {}
    busy: dict[tuple[Hashable, Hashable], Hashable] = {}
    for tid, (room, slot) in market.pinned.items():
        if tid not in topics:
            raise InfeasibleMarket(f"pinned topic {tid!r} is not in the market")
        if room not in rooms or slot not in slots:
            raise InfeasibleMarket(f"topic {tid!r} is pinned to an unknown room or slot ({room!r}, {slot!r})")
        if (room, slot) in market.forbidden:
            raise InfeasibleMarket(f"topic {tid!r} is pinned to ({room!r}, {slot!r}), which may not be used")
        if (room, slot) in used:
            raise InfeasibleMarket(f"topics {used[room, slot]!r} and {tid!r} are both pinned to ({room!r}, {slot!r})")
        used[room, slot] = tid
        for c in sorted(topics[tid].conveners, key=str):
            if slot in market.unavailable.get(c, frozenset()):
                raise InfeasibleMarket(
                    f"topic {tid!r} is pinned to slot {slot!r}, which its convener {c!r} cannot make"
                )
            if (c, slot) in busy:
                raise InfeasibleMarket(
                    f"topics {busy[c, slot]!r} and {tid!r} are pinned to slot {slot!r}, and {c!r} convenes both"
                )
            busy[c, slot] = tid


def free_slots(market: Market, topic: Topic) -> list[Hashable]:
    """Slots every convener of `topic` can make and that have at least one usable room."""
    out = []
    for s in market.slots:
        if any(s in market.unavailable.get(c, frozenset()) for c in topic.conveners):
            continue
        if all((r.id, s) in market.forbidden for r in market.rooms):
            continue
        out.append(s)
    return out


def check(market: Market, schedule: Schedule) -> Check:
    """Recompute the objective from the placements alone and list every broken hard rule.

    Written without the solvers' arrays or their sorted-matching shortcut: it walks the
    placements, counts sessions per person and slot, and compares audiences with the capacity of
    the room actually given.
    """
    problems: list[str] = []
    topics = {t.id: t for t in market.topics}
    rooms = {r.id: r for r in market.rooms}
    slots = set(market.slots)
    occupant: dict[Cell, Hashable] = {}
    convening: dict[tuple[Hashable, Hashable], Hashable] = {}
    overflow = 0
    wanted: dict[tuple[Hashable, Hashable], int] = defaultdict(int)
    for tid, cell in schedule.placements.items():
        if tid not in topics:
            problems.append(f"unknown topic {tid!r} is placed")
            continue
        room, slot = cell
        if room not in rooms or slot not in slots:
            problems.append(f"topic {tid!r} is placed in unknown cell ({room!r}, {slot!r})")
            continue
        t = topics[tid]
        if cell in market.forbidden:
            problems.append(f"topic {tid!r} is in ({room!r}, {slot!r}), which may not be used")
        if cell in occupant:
            problems.append(f"room {room!r} holds both {occupant[cell]!r} and {tid!r} in slot {slot!r}")
        occupant[cell] = tid
        for c in sorted(t.conveners, key=str):
            if slot in market.unavailable.get(c, frozenset()):
                problems.append(f"topic {tid!r} is in slot {slot!r}, which its convener {c!r} cannot make")
            if (c, slot) in convening:
                problems.append(f"{c!r} convenes both {convening[c, slot]!r} and {tid!r} in slot {slot!r}")
            convening[c, slot] = tid
        overflow += max(0, len(t.audience) - rooms[room].capacity)
        for p in t.audience:
            wanted[p, slot] += 1
    for tid, cell in market.pinned.items():
        if schedule.placements.get(tid) != cell:
            problems.append(f"pinned topic {tid!r} is not in ({cell[0]!r}, {cell[1]!r})")
    listed = set(schedule.unscheduled)
    for tid in listed & set(schedule.placements):
        problems.append(f"topic {tid!r} is both placed and listed as unscheduled")
    dropped = [t for t in market.topics if t.id not in schedule.placements]
    for t in dropped:
        if t.id not in listed:
            problems.append(f"topic {t.id!r} is neither placed nor listed as unscheduled")
    dropped_audience = sum(len(t.audience) for t in dropped)
    clashes = sum(k - 1 for k in wanted.values() if k > 1)
    return Check(overflow + dropped_audience, clashes, overflow, dropped_audience, problems)


def moved(
    before: Schedule, after: Schedule, topics: Iterable[Hashable]
) -> list[tuple[Hashable, Cell | None, Cell | None]]:
    """(topic, old cell or None, new cell or None) for every topic whose placement changed."""
    out = []
    for tid in topics:
        a, b = before.placements.get(tid), after.placements.get(tid)
        if a != b:
            out.append((tid, a, b))
    return out
