"""A lower bound on the repeated pairs of any re-plan, by counting table-mates.

Over the F rounds still to come, a person sits at tables of lo or hi = lo + 1 people (table sizes
differ by at most one), so they have at least F * (lo - 1) table-mates, counted with repeats. Of
those, at most avail(a) are new and met once: the people present whom they have not met in a held
round and may sit with (no cannot-link pair). Every other table-mate repeats a pair, and each
repeated pair is counted from both of its ends, so

    repeats >= held repeats + ceil(sum_a max(0, mates_a - avail_a) / 2),

where mates_a = F * (lo - 1) + u_a and u_a (0..F) is the number of rounds a spends at a table of hi
people. The seats at such tables are fixed in number (F * hi * tables of hi people), so the bound
gives them first to the people with the most new people left to meet (which minimises the sum:
each term is convex in u_a). It holds for every plan that keeps the hard rules; it is zero for
the World Cafe's re-plans (a person meets about 36 people over four rounds and has about 95 new
ones left), so there it proves nothing, but it certifies the optimum of small, dense events.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

Plan = list[list[list[int]]]


def repeat_lower_bound(
    held: Plan,
    people: Iterable[int],
    rounds: int,
    tables: int,
    cannot_link: Iterable[tuple[int, int]] = (),
) -> int:
    """Fewest repeated pairs (as `check` counts them over held + future rounds) of any plan that
    seats `people` at `tables` tables in `rounds` more rounds after the `held` rounds, with no
    cannot-link pair at one table."""
    present = sorted(set(people))
    m = len(present)
    if m == 0 or rounds <= 0:
        return _held_repeats(held)
    where = {p: k for k, p in enumerate(present)}
    blocked: list[set[int]] = [set() for _ in range(m)]
    for rd in held:
        for members in rd:
            ks = [where[p] for p in members if p in where]
            for a in ks:
                blocked[a].update(b for b in ks if b != a)
    for a, b in cannot_link:
        if a in where and b in where and a != b:
            blocked[where[a]].add(where[b])
            blocked[where[b]].add(where[a])
    lo, extra_tables = divmod(m, tables)
    hi = lo + 1
    base = rounds * (lo - 1)
    avail = [m - 1 - len(blocked[a]) for a in range(m)]
    deficit = sum(max(0, base - v) for v in avail)
    # seats at the larger tables, one extra table-mate each; free for whoever has new people left
    big_seats = rounds * extra_tables * hi
    absorbed = sum(min(rounds, max(0, v - base)) for v in avail)
    excess = deficit + max(0, big_seats - absorbed)
    return _held_repeats(held) + (excess + 1) // 2


def _held_repeats(held: Sequence[Sequence[Sequence[int]]]) -> int:
    meets: dict[tuple[int, int], int] = {}
    for rd in held:
        for members in rd:
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    key = (min(a, b), max(a, b))
                    meets[key] = meets.get(key, 0) + 1
    return sum(k - 1 for k in meets.values() if k > 1)
