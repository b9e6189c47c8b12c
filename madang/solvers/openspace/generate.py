"""Seeded Open Space markets shaped like issue 3's hackathon (two days, 120 people).

Defaults draw 30-60 topics, 5-8 rooms with capacities between 8 and 50, and 3-4 slots over two
days. Each topic has one convener (one in eight has a second), a convener runs at most two
topics, and about a fifth of the conveners cannot make one slot. Every participant marks 3-6
topics other than their own, drawn without replacement with Zipf-like popularity (weight
1/rank^0.7 over a shuffled ranking), so a few topics draw 30-50 people and many draw a handful.
In half of the markets one room is not usable in one slot (a keynote, say).
"""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np

from madang.solvers.openspace.model import Market, Room, Topic

SLOT_NAMES = ("D1 10:00", "D1 14:00", "D2 10:00", "D2 14:00")
CAPACITIES = (8, 10, 12, 15, 20, 25, 30, 40, 50)


def generate(
    seed: int,
    *,
    topics: int | None = None,
    participants: int = 120,
    rooms: int | None = None,
    slots: int | None = None,
    interests: tuple[int, int] = (3, 6),
    skew: float = 0.7,
) -> Market:
    rng = np.random.default_rng(seed)
    n_topics = int(topics if topics is not None else rng.integers(30, 61))
    n_rooms = int(rooms if rooms is not None else rng.integers(5, 9))
    n_slots = int(slots if slots is not None else rng.integers(3, 5))
    people = [f"p{i:03d}" for i in range(participants)]
    runs = np.zeros(participants, dtype=np.int64)
    convs: list[list[int]] = []
    for _ in range(n_topics):
        k = 2 if rng.random() < 0.125 and participants > 1 else 1
        eligible = np.flatnonzero(runs < 2)
        if len(eligible) < k:
            eligible = np.arange(participants)
        chosen = rng.choice(eligible, size=k, replace=False).tolist()
        runs[chosen] += 1
        convs.append(sorted(chosen))
    rank = rng.permutation(n_topics)
    weight = 1.0 / (rank + 1.0) ** skew
    own: list[set[int]] = [set() for _ in range(participants)]
    for t, cs in enumerate(convs):
        for c in cs:
            own[c].add(t)
    interested: list[set[int]] = [set() for _ in range(n_topics)]
    for p in range(participants):
        w = weight.copy()
        w[list(own[p])] = 0.0
        k = min(int(rng.integers(interests[0], interests[1] + 1)), int((w > 0).sum()))
        if k == 0:
            continue
        for t in rng.choice(n_topics, size=k, replace=False, p=w / w.sum()).tolist():
            interested[t].add(p)
    slot_ids = tuple(SLOT_NAMES[:n_slots]) if n_slots <= len(SLOT_NAMES) else tuple(f"S{i + 1}" for i in range(n_slots))
    caps = sorted(rng.choice(CAPACITIES, size=n_rooms, replace=True).tolist(), reverse=True)
    room_list = tuple(Room(f"R{i + 1}", int(c)) for i, c in enumerate(caps))
    unavailable: dict[Hashable, frozenset[Hashable]] = {}
    for c in sorted({c for cs in convs for c in cs}):
        if rng.random() < 0.2 and n_slots > 1:
            unavailable[people[c]] = frozenset({slot_ids[int(rng.integers(n_slots))]})
    forbidden: frozenset[tuple[Hashable, Hashable]] = frozenset()
    if rng.random() < 0.5 and n_rooms > 1:
        forbidden = frozenset({(room_list[int(rng.integers(n_rooms))].id, slot_ids[int(rng.integers(n_slots))])})
    topic_list = tuple(
        Topic(
            f"T{t + 1:02d}",
            frozenset(people[c] for c in convs[t]),
            frozenset(people[p] for p in interested[t]),
        )
        for t in range(n_topics)
    )
    return Market(topic_list, room_list, slot_ids, unavailable, {}, forbidden)
