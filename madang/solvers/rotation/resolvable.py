"""1-rotational resolvable Steiner 2-designs: every pair meets exactly once, in v - 1 / (k - 1) rounds.

Construction (the "1-rotational" method for resolvable designs: M. Buratti & F. Zuanni,
"G-invariantly resolvable Steiner 2-designs which are 1-rotational over G", Bull. Belg. Math. Soc.
5 (1998) 221-235; M. Buratti, "On resolvable difference families", Des. Codes Cryptogr. 11 (1997)
11-23; Colbourn & Dinitz (eds.), Handbook of Combinatorial Designs, 2nd ed., 2007, ch. VII.6 on
1-rotational designs). People are the elements of an abelian group G of order v - 1 plus one fixed
person inf. H is a subgroup of order k - 1. If B_1..B_m are k-subsets of G with

  (a) the differences x - y (x != y in one B_i), taken over all B_i, are exactly G minus H, each once;
  (b) B_1 u ... u B_m has exactly one element in every coset of H other than H itself,

then the base round {inf} u H, B_i + h (h in H, i = 1..m) is a partition of G u {inf}, and its
translates by one representative t of each coset of H give |G| / (k - 1) rounds in which every
pair meets exactly once: pairs {inf, x} and pairs inside a coset of H lie in the blocks {inf} u
(H + t); every other pair {x, y} lies in the unique translate B_i + g with x - y in Delta(B_i), by
(a) (and g is h + t for exactly one round). So (a) + (b) are all that is needed, and the solver
only searches for the B_i: an exact cover of the non-trivial cosets (b) and difference classes
{d, -d} (a) by depth-first search, one block per step started at the smallest uncovered coset.
A block can be moved by any h in H without changing B_i + H, so each block is normalised to meet
that coset in its smallest element, which cuts the search by |H| per block.

Orders used here (the search runs each time and takes well under a second):

* v = 28, k = 4 (7 tables of 4, 9 rounds): G = Z_3^3, the additive group of GF(27); every one of its
  13 subgroups of order 3 works. Z_27 and Z_9 x Z_3 admit no such blocks for any subgroup of
  order 3 (the search is exhaustive and ends in < 0.1 s).
* v = 40, k = 4 (10 tables of 4, 13 rounds): G = Z_39 (= Z_13 x Z_3). A packing of PG(3,3) was the
  other candidate, but no packing of PG(3,3) is invariant under a collineation of order 13: such a
  packing would be the orbit of one spread meeting each of the 10 line orbits once, and an
  exhaustive search (made while writing this module) finds no such spread. So the 1-rotational
  design is used instead.
* v = 16, k = 4 (G = Z_15, the parameters of AG(2,4)) is a small hand-checkable case in the tests.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

Plan = list[list[list[int]]]


class AbelianGroup:
    """Z_m1 x Z_m2 x ...; elements are the integers 0..n-1 in mixed radix (first modulus lowest)."""

    def __init__(self, moduli: tuple[int, ...]) -> None:
        self.moduli = moduli
        self.order = 1
        for m in moduli:
            self.order *= m
        self._digits = [self._split(x) for x in range(self.order)]

    def _split(self, x: int) -> tuple[int, ...]:
        out = []
        for m in self.moduli:
            out.append(x % m)
            x //= m
        return tuple(out)

    def _join(self, digits: tuple[int, ...] | list[int]) -> int:
        x, scale = 0, 1
        for d, m in zip(digits, self.moduli, strict=True):
            x += (d % m) * scale
            scale *= m
        return x

    def add(self, a: int, b: int) -> int:
        return self._join([x + y for x, y in zip(self._digits[a], self._digits[b], strict=True)])

    def neg(self, a: int) -> int:
        return self._join([-x for x in self._digits[a]])

    def sub(self, a: int, b: int) -> int:
        return self.add(a, self.neg(b))

    def cyclic_subgroup(self, order: int) -> frozenset[int]:
        """The first (in element order) cyclic subgroup of the given order."""
        for g in range(1, self.order):
            sub = {0}
            x = g
            while x != 0:
                sub.add(x)
                x = self.add(x, g)
            if len(sub) == order:
                return frozenset(sub)
        raise ValueError(f"no cyclic subgroup of order {order} in Z{self.moduli}")


@dataclass(frozen=True)
class OneRotational:
    group: AbelianGroup
    subgroup: frozenset[int]
    bases: tuple[tuple[int, ...], ...]  # B_1..B_m

    @property
    def people(self) -> int:
        return self.group.order + 1

    def rounds(self) -> Plan:
        """Person x of G is x; inf is |G|. One round per coset of H."""
        grp, sub = self.group, sorted(self.subgroup)
        inf = grp.order
        seen: set[int] = set()
        reps = []
        for t in range(grp.order):
            if t not in seen:
                reps.append(t)
                seen.update(grp.add(t, h) for h in sub)
        plan: Plan = []
        for t in reps:
            tables = [sorted([inf, *(grp.add(h, t) for h in sub)])]
            for b in self.bases:
                for h in sub:
                    tables.append(sorted(grp.add(grp.add(x, h), t) for x in b))
            plan.append(tables)
        return plan


def one_rotational(moduli: tuple[int, ...], k: int, seconds: float = 5.0) -> OneRotational | None:
    """Base blocks B_1..B_m over Z_moduli with H its first cyclic subgroup of order k - 1, or None
    if the search finds none (exhaustively, or before `seconds` run out)."""
    grp = AbelianGroup(moduli)
    n = grp.order
    if n % (k - 1) or (n // (k - 1) - 1) % k:
        return None
    sub = grp.cyclic_subgroup(k - 1)
    coset_of = [0] * n
    cosets: list[list[int]] = []
    seen: set[int] = set()
    for x in range(n):
        if x not in seen:
            members = sorted(grp.add(x, h) for h in sub)
            for y in members:
                coset_of[y] = len(cosets)
            cosets.append(members)
            seen.update(members)
    # difference class of d: one bit for {d, -d}; None for d in H (those pairs belong to inf's blocks)
    # or for an involution (B_i and B_i + d would share the pair, so it can never be in a base block)
    cls: list[int | None] = [None] * n
    ids: dict[frozenset[int], int] = {}
    for d in range(n):
        if d in sub or grp.neg(d) == d:
            continue
        key = frozenset((d, grp.neg(d)))
        cls[d] = ids.setdefault(key, len(ids))
    if len(ids) * 2 != n - len(sub):
        return None
    all_cosets = (1 << len(cosets)) - 2  # every coset but H (index 0)
    # bit of the difference class of x - y, or 0 if the pair may not lie in a base block
    bit_of = [[0 if (c := cls[grp.sub(x, y)]) is None else 1 << c for y in range(n)] for x in range(n)]
    deadline = time.perf_counter() + seconds
    blocks: list[list[int]] = []

    def diff_bits(x: int, blk: list[int], used: int) -> int | None:
        bits = 0
        row = bit_of[x]
        for y in blk:
            bit = row[y]
            if not bit:
                return None
            if (used | bits) & bit:
                return None
            bits |= bit
        return bits

    def extend(blk: list[int], covered: int, used: int) -> bool:
        if time.perf_counter() > deadline:
            raise TimeoutError
        if len(blk) == k:
            blocks.append(list(blk))
            if start(covered, used):
                return True
            blocks.pop()
            return False
        # later elements come from higher-numbered uncovered cosets, so each block is built once
        for c in range(coset_of[blk[-1]] + 1, len(cosets)):
            if covered >> c & 1:
                continue
            for x in cosets[c]:
                bits = diff_bits(x, blk, used)
                if bits is None:
                    continue
                blk.append(x)
                if extend(blk, covered | 1 << c, used | bits):
                    return True
                blk.pop()
        return False

    def start(covered: int, used: int) -> bool:
        if covered == all_cosets:
            return True
        c = next(i for i in range(1, len(cosets)) if not covered >> i & 1)
        return extend([cosets[c][0]], covered | 1 << c, used)

    try:
        found = start(0, 0)
    except TimeoutError:
        return None
    if not found:
        return None
    return OneRotational(grp, sub, tuple(tuple(b) for b in blocks))


# (tables, size) -> the group G (as moduli) of the 1-rotational construction
ONE_ROTATIONAL: dict[tuple[int, int], tuple[int, ...]] = {
    (7, 4): (3, 3, 3),
    (10, 4): (39,),
}


def resolvable_rounds(tables: int, size: int, rounds: int, seconds: float = 5.0) -> Plan | None:
    moduli = ONE_ROTATIONAL.get((tables, size))
    if moduli is None:
        return None
    design = one_rotational(moduli, size, seconds)
    if design is None:
        return None
    plan = design.rounds()
    return plan[:rounds] if rounds <= len(plan) else None


__all__ = ["ONE_ROTATIONAL", "AbelianGroup", "OneRotational", "one_rotational", "resolvable_rounds"]
