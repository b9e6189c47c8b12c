"""32 people, 8 tables of 4, 10 rounds (social golfer 8-4-10) with no pair meeting twice.

Ten rounds is the most possible: each round a person meets 3 new people and there are only 31
others, so in 10 rounds everyone meets 30 of them and misses exactly one. The missed pairs form a
perfect matching, and the design is a resolvable group divisible design with blocks of 4 and 16
groups of size 2 (a 4-RGDD of type 2^16). This module builds one directly, without search, by
starting from a resolvable transversal design over GF(8) and replacing two of its rounds by four.

The starting point is the classical transversal design TD(4, 8) from a finite field (Handbook of
Combinatorial Designs, 2nd ed., 2007, ch. III.3: transversal designs and orthogonal arrays from
GF(q)). People are pairs (c, x): a column c in 0..3 and x in GF(8) (its elements are 0..7 read as
bit vectors of polynomial coefficients, so addition is XOR). Fix four distinct field
elements t_0..t_3 whose sum is not 0 (here 0, 1, a, a^2 for a generator a). For b in GF(8) the
round b has the 8 tables {(c, y + b * t_c) : c = 0..3}, one per y in GF(8). Two people in
different columns, (c, x) and (c', x'), sit together in exactly one round: the one with
b = (x + x') / (t_c + t_c') (GF(8) has characteristic 2, so minus is plus). People of one column
never meet. These 8 rounds are a resolvable TD(4, 8).

Keep the 6 rounds with b not in {0, 1}. The pairs that rounds 0 and 1 covered are the cross-column
pairs with x + x' = 0 or x + x' = d(c, c') := t_c + t_c'. Together with the pairs inside each
column, they are now covered by four new rounds (a construction worked out for this module):

* Three "pairing" rounds, one for each way of splitting the columns into two pairs
  {c1, c2}, {c3, c4}. With d = d(c1, c2), the tables of the first pair are
  {(c1, y), (c1, y + d), (c2, y), (c2, y + d)} for y over representatives of GF(8) / {0, d}; the
  second pair likewise with d(c3, c4). Such a table holds the cross pairs with x + x' in {0, d}
  (each such pair of columns c1, c2 lies in exactly one of these tables) and the in-column pairs
  with difference d.
* One "coset" round: column c is split into the 4 cosets of the subgroup
  U_c = {0} u {t_a + t_b : a, b the other three columns}.

Why every pair meets at most once: cross-column pairs are covered by the TD round b when b is not
0 or 1, and otherwise by exactly one pairing round. Inside column c the differences met in the
pairing rounds are D_c = {t_c + t_c' : c' != c}: three distinct non-zero vectors of GF(8) seen as
GF(2)^3, whose sum is s = t_0 + t_1 + t_2 + t_3 != 0, so they are linearly independent. Then
U_c \\ {0} = {u + v : u != v in D_c} is a line of the Fano plane disjoint from D_c and not
containing s, and GF(8) \\ {0} = D_c u (U_c \\ {0}) u {s}. So each in-column difference other
than s is met in exactly one round, and the only pairs never met are (c, x), (c, x + s): the
missed matching. 6 + 3 + 1 = 10 rounds, each a partition of the 32 people.

(The previous attempts noted in bench/seating.md asked for whole-design invariance under one
regular group; this design is invariant under the translations x -> x + z of GF(8) applied to
every column at once, which act on four columns, not regularly on the 32 people.)
"""

from __future__ import annotations

from madang.solvers.rotation.designs import GF

Plan = list[list[list[int]]]

COLUMNS = 4
Q = 8  # GF(8)
PEOPLE = COLUMNS * Q
MAX_ROUNDS = 10


def _person(c: int, x: int) -> int:
    return c * Q + x


def _t_values(f: GF) -> tuple[int, int, int, int]:
    """0, 1, a, a^2 for the field's generator a (the element written 2, i.e. the polynomial x)."""
    a = 2
    return 0, 1, a, f.mul(a, a)


def rgdd_8_4_rounds(rounds: int = MAX_ROUNDS) -> Plan:
    """The first `rounds` (at most 10) rounds of the construction above; person (c, x) is c * 8 + x."""
    if not 0 <= rounds <= MAX_ROUNDS:
        raise ValueError(f"32 people in tables of 4 meet new people for at most {MAX_ROUNDS} rounds")
    f = GF(Q)
    t = _t_values(f)
    s = t[0] ^ t[1] ^ t[2] ^ t[3]
    if len(set(t)) != COLUMNS or s == 0:  # pragma: no cover - fixed by the choice of t above
        raise ValueError("t_0..t_3 must be distinct with a non-zero sum")
    plan: Plan = []
    # six rounds of the resolvable TD(4, 8): b not in {0, 1}
    for b in range(2, Q):
        plan.append([sorted(_person(c, y ^ f.mul(b, t[c])) for c in range(COLUMNS)) for y in range(Q)])
    # three pairing rounds: the three ways to split the columns into two pairs
    for pairs in (((0, 1), (2, 3)), ((0, 2), (1, 3)), ((0, 3), (1, 2))):
        tables: list[list[int]] = []
        for c1, c2 in pairs:
            d = t[c1] ^ t[c2]
            seen: set[int] = set()
            for y in range(Q):
                if y in seen:
                    continue
                seen.update((y, y ^ d))
                tables.append(sorted((_person(c1, y), _person(c1, y ^ d), _person(c2, y), _person(c2, y ^ d))))
        plan.append(tables)
    # the coset round: column c split by the cosets of U_c
    tables = []
    for c in range(COLUMNS):
        others = [t[o] for o in range(COLUMNS) if o != c]
        sub = {0, others[0] ^ others[1], others[0] ^ others[2], others[1] ^ others[2]}
        seen = set()
        for y in range(Q):
            if y not in seen:
                coset = sorted(y ^ u for u in sub)
                seen.update(coset)
                tables.append([_person(c, x) for x in coset])
    plan.append(tables)
    return plan[:rounds]


def missed_partner(person: int) -> int:
    """The one person `person` never meets in the 10 rounds: (c, x) misses (c, x + s)."""
    f = GF(Q)
    t = _t_values(f)
    s = t[0] ^ t[1] ^ t[2] ^ t[3]
    c, x = divmod(person, Q)
    return _person(c, x ^ s)


__all__ = ["MAX_ROUNDS", "PEOPLE", "missed_partner", "rgdd_8_4_rounds"]
