"""Social golfer instances g-s-w (g groups of s, w weeks) by construction where one is known.

`BASE_ROUNDS` holds base rounds found by `designs.find_base_round` (arguments and seed kept, so
each can be re-derived); the tests develop every one and recount its pairs.
"""

from __future__ import annotations

from madang.solvers.rotation.designs import (
    GF,
    CyclicDesign,
    Point,
    _prime_power,
    affine_plane,
    partial_spread_rounds,
)
from madang.solvers.rotation.resolvable import ONE_ROTATIONAL, resolvable_rounds
from madang.solvers.rotation.transversal import MAX_ROUNDS as RGDD_ROUNDS
from madang.solvers.rotation.transversal import PEOPLE as RGDD_PEOPLE
from madang.solvers.rotation.transversal import rgdd_8_4_rounds

Block = tuple[Point, ...]

# (groups, size) -> design; levels/fixed/bases as in `designs.CyclicDesign`.
BASE_ROUNDS: dict[tuple[int, int], CyclicDesign] = {}


def _add(groups: int, size: int, m: int, levels: int, fixed: int, seed: int, bases: list[list[Block]]) -> None:
    BASE_ROUNDS[(groups, size)] = CyclicDesign(m, levels, fixed, size, tuple(tuple(b) for b in bases), seed)


# Found by find_base_round(m, levels, fixed, size, bases=len(bases), seed=seed) in < 0.1 s each.
_add(
    5,
    3,
    m=7,
    levels=2,
    fixed=1,
    seed=0,
    bases=[
        [
            ((4, 0), (6, 1), (0, -1)),
            ((0, 0), (1, 1), (4, 1)),
            ((0, 1), (2, 0), (5, 1)),
            ((1, 0), (5, 0), (6, 0)),
            ((2, 1), (3, 0), (3, 1)),
        ]
    ],
)
_add(
    5,
    4,
    m=5,
    levels=4,
    fixed=0,
    seed=0,
    bases=[
        [
            ((0, 0), (3, 3), (4, 1), (4, 3)),
            ((0, 1), (0, 2), (1, 3), (4, 0)),
            ((0, 3), (1, 2), (2, 1), (3, 1)),
            ((1, 0), (2, 0), (2, 3), (4, 2)),
            ((1, 1), (2, 2), (3, 0), (3, 2)),
        ]
    ],
)
_add(
    6,
    3,
    m=4,
    levels=4,
    fixed=2,
    seed=0,
    bases=[
        [
            ((3, 2), (3, 3), (0, -2)),
            ((0, 3), (3, 1), (0, -1)),
            ((0, 0), (1, 1), (2, 2)),
            ((0, 1), (0, 2), (1, 0)),
            ((1, 2), (2, 1), (2, 3)),
            ((1, 3), (2, 0), (3, 0)),
        ],
        [
            ((3, 0), (3, 1), (0, -2)),
            ((2, 0), (3, 2), (0, -1)),
            ((0, 0), (0, 2), (2, 1)),
            ((0, 1), (1, 1), (3, 3)),
            ((0, 3), (1, 2), (2, 2)),
            ((1, 0), (1, 3), (2, 3)),
        ],
    ],
)
_add(
    6,
    4,
    m=7,
    levels=3,
    fixed=3,
    seed=0,
    bases=[
        [
            ((3, 2), (5, 1), (6, 0), (0, -3)),
            ((1, 0), (3, 1), (6, 2), (0, -2)),
            ((0, 0), (0, 1), (2, 2), (0, -1)),
            ((0, 2), (4, 0), (4, 2), (5, 2)),
            ((1, 1), (1, 2), (2, 1), (4, 1)),
            ((2, 0), (3, 0), (5, 0), (6, 1)),
        ]
    ],
)
_add(
    4,
    4,
    m=5,
    levels=3,
    fixed=1,
    seed=0,
    bases=[
        [
            ((4, 0), (4, 1), (4, 2), (0, -1)),
            ((0, 0), (1, 2), (2, 2), (3, 0)),
            ((0, 1), (1, 0), (2, 0), (3, 1)),
            ((0, 2), (1, 1), (2, 1), (3, 2)),
        ]
    ],
)


def construct(people: int, tables: int, rounds: int) -> tuple[list[list[list[int]]], str] | None:
    """A plan with no repeated pair from a known construction, or None if none applies."""
    if tables <= 0 or people % tables:
        return None
    size = people // tables
    if size == tables and _prime_power(size) is not None and rounds <= size + 1:
        return affine_plane(size, rounds), f"affine plane AG(2,{size})"
    if (tables, size) in ONE_ROTATIONAL:
        plan = resolvable_rounds(tables, size, rounds)
        if plan is not None:
            group = " x ".join(f"Z_{m}" for m in ONE_ROTATIONAL[(tables, size)])
            return plan, f"1-rotational resolvable design over {group} + 1 fixed"
    design = BASE_ROUNDS.get((tables, size))
    if design is not None and rounds <= design.rounds:
        return (
            design.develop(rounds),
            f"cyclic base rounds over Z_{design.m} ({design.levels} levels, {design.fixed} fixed)",
        )
    if size == 4 and people == RGDD_PEOPLE and rounds == RGDD_ROUNDS:
        # the partial spreads below stop at 9 rounds; 10 needs the missed pairs to form a matching
        return rgdd_8_4_rounds(rounds), "4-RGDD of type 2^16: resolvable TD(4,8) over GF(8), 2 rounds swapped for 4"
    if size == 4 and tables & (tables - 1) == 0 and tables >= 4:
        dim = tables.bit_length() + 1
        spread = partial_spread_rounds(dim, rounds)
        if spread is not None:
            return spread, f"cosets of a partial line spread of PG({dim - 1},2)"
    if size == 2 and people % 2 == 0 and rounds <= people - 1:
        return _round_robin(people, rounds), "round-robin 1-factorisation"
    return None


def _round_robin(people: int, rounds: int) -> list[list[list[int]]]:
    """Circle method: person people-1 stays, the rest rotate (pairs meet exactly once)."""
    m = people - 1
    plan = []
    for r in range(rounds):
        tables = [sorted([m, r])]
        for k in range(1, people // 2):
            tables.append(sorted([(r + k) % m, (r - k) % m]))
        plan.append(tables)
    return plan


__all__ = ["BASE_ROUNDS", "GF", "construct"]
