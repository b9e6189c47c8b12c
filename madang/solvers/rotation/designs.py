"""Combinatorial constructions of rotations with no repeated pair.

Two families:

* Affine planes AG(2, q) for q a prime or prime power: q^2 people, q tables of q, up to q + 1
  rounds; the rounds are the parallel classes of lines (slopes m and the verticals). Finite
  field arithmetic GF(p^k) is built here from an irreducible polynomial found by trial.

* Cyclically developed base classes (the "1-rotational" method used for resolvable designs,
  e.g. Buratti & Zuanni, "G-invariantly resolvable Steiner 2-designs which are 1-rotational
  over G", Bull. Belg. Math. Soc. 5 (1998) 221-235; and the difference-family constructions
  in Colbourn & Dinitz (eds.), Handbook of Combinatorial Designs, 2nd ed., 2007, ch. II.7):
  people are Z_m x {0..L-1} plus F fixed people "inf_k". One base round (a partition into
  tables) is developed by adding t mod m to every non-fixed person, t = 0..m-1, giving m
  rounds. No pair repeats exactly when every "difference" (level a, level b, y - x mod m) and
  every (inf_k, level) occurs at most once in the base round, where a same-level difference of
  m/2 is excluded (its orbit has only m/2 pairs). `find_base_round` searches for such a base
  round by randomised backtracking; the base rounds in `BASE_ROUNDS` were found with it
  (seeds recorded) and are re-verified by the tests.
"""

from __future__ import annotations

import itertools
import random
import time
from dataclasses import dataclass

Point = tuple[int, int]  # (x in Z_m, level); level -1 - k marks the fixed person inf_k


# ----------------------------------------------------------------------------- finite fields


def _prime_power(q: int) -> tuple[int, int] | None:
    for p in range(2, q + 1):
        if q % p == 0:
            k, r = 0, q
            while r % p == 0:
                r //= p
                k += 1
            return (p, k) if r == 1 else None
    return None


class GF:
    """GF(p^k) with elements 0..q-1 read as base-p digit vectors of polynomial coefficients."""

    def __init__(self, q: int) -> None:
        pk = _prime_power(q)
        if pk is None:
            raise ValueError(f"{q} is not a prime power")
        self.p, self.k = pk
        self.q = q
        self.modulus = self._irreducible() if self.k > 1 else [0, 1]
        self.mul_table = [[self._mul(a, b) for b in range(q)] for a in range(q)]

    def _digits(self, a: int) -> list[int]:
        return [(a // self.p**i) % self.p for i in range(self.k)]

    def _number(self, digits: list[int]) -> int:
        return sum(d * self.p**i for i, d in enumerate(digits))

    def add(self, a: int, b: int) -> int:
        return self._number([(x + y) % self.p for x, y in zip(self._digits(a), self._digits(b), strict=True)])

    def mul(self, a: int, b: int) -> int:
        return self.mul_table[a][b]

    def _polymul_mod(self, a: list[int], b: list[int], mod: list[int]) -> list[int]:
        prod = [0] * (len(a) + len(b) - 1)
        for i, x in enumerate(a):
            for j, y in enumerate(b):
                prod[i + j] = (prod[i + j] + x * y) % self.p
        deg = len(mod) - 1  # mod is monic, coefficients low to high
        for i in range(len(prod) - 1, deg - 1, -1):
            c = prod[i]
            if c:
                for j in range(deg + 1):
                    prod[i - deg + j] = (prod[i - deg + j] - c * mod[j]) % self.p
        return (prod + [0] * deg)[:deg]

    def _irreducible(self) -> list[int]:
        for tail in itertools.product(range(self.p), repeat=self.k):
            poly = [*tail, 1]
            if tail[0] == 0:
                continue
            # degree <= 3 polynomials are irreducible iff they have no root; k <= 3 here suffices
            # for the orders we need (4, 8, 9), larger k falls back to a brute-force factor test.
            no_root = all(sum(c * x**i for i, c in enumerate(poly)) % self.p for x in range(self.p))
            if no_root and (self.k <= 3 or self._no_factor(poly)):
                return poly
        raise ValueError("no irreducible polynomial found")

    def _no_factor(self, poly: list[int]) -> bool:
        for deg in range(2, self.k // 2 + 1):
            for tail in itertools.product(range(self.p), repeat=deg):
                if self._polymod([*tail, 1], poly):
                    return False
        return True

    def _polymod(self, div: list[int], poly: list[int]) -> bool:
        rem = list(poly)
        d = len(div) - 1
        for i in range(len(rem) - 1, d - 1, -1):
            c = rem[i]
            if c:
                for j in range(d + 1):
                    rem[i - d + j] = (rem[i - d + j] - c * div[j]) % self.p
        return not any(rem[:d])

    def _mul(self, a: int, b: int) -> int:
        if self.k == 1:
            return a * b % self.p
        return self._number(self._polymul_mod(self._digits(a), self._digits(b), self.modulus))


def affine_plane(q: int, rounds: int) -> list[list[list[int]]]:
    """Parallel classes of AG(2, q): person x*q + y; round m groups the lines y = m*x + b."""
    if rounds > q + 1:
        raise ValueError(f"AG(2,{q}) has only {q + 1} parallel classes")
    f = GF(q)
    plan: list[list[list[int]]] = []
    for slope in range(min(rounds, q)):
        tables = [[x * q + f.add(f.mul(slope, x), b) for x in range(q)] for b in range(q)]
        plan.append([sorted(t) for t in tables])
    if rounds == q + 1:
        plan.append([[c * q + y for y in range(q)] for c in range(q)])
    return plan


# ------------------------------------------------------------------- cyclic base-round designs


@dataclass(frozen=True)
class CyclicDesign:
    m: int  # order of the cyclic group: each base round develops into m rounds
    levels: int
    fixed: int
    size: int
    bases: tuple[tuple[tuple[Point, ...], ...], ...]
    seed: int = 0

    @property
    def people(self) -> int:
        return self.m * self.levels + self.fixed

    @property
    def rounds(self) -> int:
        return self.m * len(self.bases)

    def index(self, p: Point) -> int:
        x, lev = p
        return self.m * self.levels + (-1 - lev) if lev < 0 else lev * self.m + x

    def develop(self, rounds: int | None = None) -> list[list[list[int]]]:
        out = []
        for base in self.bases:
            for t in range(self.m):
                out.append(
                    [
                        sorted(self.index(((x + t) % self.m, lev) if lev >= 0 else (x, lev)) for x, lev in blk)
                        for blk in base
                    ]
                )
        return out[: self.rounds if rounds is None else rounds]


def _keys(a: Point, b: Point, m: int) -> list[tuple[int, int, int]] | None:
    """Difference keys of the pair {a, b}; None if developing it must repeat a pair."""
    (x, la), (y, lb) = a, b
    if la < 0 and lb < 0:
        return None
    if la < 0:
        return [(la, lb, 0)]
    if lb < 0:
        return [(lb, la, 0)]
    d = (y - x) % m
    if la == lb and (d == 0 or 2 * d == m):
        return None
    return [(la, lb, d), (lb, la, (-d) % m)]


def find_base_round(
    m: int, levels: int, fixed: int, size: int, bases: int = 1, seed: int = 0, seconds: float = 60.0
) -> CyclicDesign | None:
    """Randomised backtracking (restarts with a growing node limit) for `bases` base rounds
    whose m developments each, all together, repeat no pair."""
    rng = random.Random(seed)
    points: list[Point] = [(x, lev) for lev in range(levels) for x in range(m)]
    points += [(0, -1 - k) for k in range(fixed)]
    if len(points) % size:
        return None
    per_round = len(points) // size
    deadline = time.perf_counter() + seconds
    used_keys: set[tuple[int, int, int]] = set()
    free: set[Point] = set()
    blocks: list[list[Point]] = []
    nodes = 0
    limit = 2000

    def add_ok(blk: list[Point], p: Point) -> list[tuple[int, int, int]] | None:
        new: list[tuple[int, int, int]] = []
        for b in blk:
            ks = _keys(b, p, m)
            if ks is None:
                return None
            for k in ks:
                if k in used_keys or k in new:
                    return None
            new.extend(ks)
        return new

    def fill(blk: list[Point]) -> bool:
        nonlocal nodes
        nodes += 1
        if nodes > limit or time.perf_counter() > deadline:
            return False
        if len(blk) == size:
            blocks.append(list(blk))
            if start_block():
                return True
            blocks.pop()
            return False
        last = blk[-1]
        cands = [p for p in free if p > last] if last[1] >= 0 else [p for p in free if p[1] >= 0]
        rng.shuffle(cands)
        for p in cands:
            ks = add_ok(blk, p)
            if ks is None:
                continue
            used_keys.update(ks)
            free.discard(p)
            blk.append(p)
            if fill(blk):
                return True
            blk.pop()
            free.add(p)
            used_keys.difference_update(ks)
        return False

    def start_block() -> bool:
        nonlocal free
        if len(blocks) == per_round * bases:
            return True
        saved = free
        if len(blocks) % per_round == 0:
            free = set(points)
        fixed_left = sorted(p for p in free if p[1] < 0)
        first = fixed_left[0] if fixed_left else min(free)
        free.discard(first)
        if fill([first]):
            return True
        free.add(first)
        free = saved
        return False

    while time.perf_counter() < deadline:
        used_keys.clear()
        blocks.clear()
        free = set()
        nodes = 0
        if start_block():
            out = tuple(
                tuple(
                    tuple(sorted(b, key=lambda p: (p[1] < 0, p))) for b in blocks[r * per_round : (r + 1) * per_round]
                )
                for r in range(bases)
            )
            return CyclicDesign(m, levels, fixed, size, out, seed)
        limit = int(limit * 1.3)
    return None


# ------------------------------------------------------------- cosets of a partial line spread


def partial_spread_rounds(dim: int, rounds: int, seconds: float = 2.0) -> list[list[list[int]]] | None:
    """Rounds from pairwise trivially intersecting 2-dim subspaces V_1.. of GF(2)^dim.

    People are the vectors of GF(2)^dim (as integers); round i groups them by the cosets of V_i,
    2^(dim-2) tables of 4. x and y meet in round i iff x xor y is a non-zero vector of V_i, so the
    rounds repeat no pair iff the subspaces share only 0, i.e. form a partial spread of lines of
    PG(dim-1, 2) (Beutelspacher 1975 for the largest sizes: 9 for dim = 5, 2^dim-1)/3 when dim is
    even). Found by depth-first search with a time limit.
    """
    n = 1 << dim
    lines = sorted({frozenset((a, b, a ^ b)) for a in range(1, n) for b in range(a + 1, n)}, key=sorted)
    deadline = time.perf_counter() + seconds
    chosen: list[frozenset[int]] = []
    used: set[int] = set()

    def dfs(start: int) -> bool:
        if len(chosen) == rounds:
            return True
        if time.perf_counter() > deadline:
            return False
        for k in range(start, len(lines)):
            ln = lines[k]
            if used.isdisjoint(ln):
                chosen.append(ln)
                used.update(ln)
                if dfs(k + 1):
                    return True
                chosen.pop()
                used.difference_update(ln)
        return False

    if not dfs(0):
        return None
    plan = []
    for ln in chosen:
        a, b, _ = sorted(ln)
        seen: set[int] = set()
        tables = []
        for x in range(n):
            if x not in seen:
                coset = sorted({x, x ^ a, x ^ b, x ^ a ^ b})
                seen.update(coset)
                tables.append(coset)
        plan.append(tables)
    return plan
