"""Verifiable draw from a committed lottery, and replacements for people who decline.

Procedure (anyone can re-run `verify_draw`):

1. Compute the lottery and publish `commit(distribution)`: the SHA-256 of a canonical byte
   serialisation (panels as sorted ids in lexicographic order, probabilities as exact
   hexadecimal floats).
2. Only afterwards fix a public seed string nobody could know in advance (e.g. the numbers of a
   national lottery draw on a stated date).
3. u = SHA-256(domain prefix + seed) read as a 256-bit integer / 2²⁵⁶, a uniform number in [0, 1).
   Walking the panels in canonical order, the drawn panel is the first whose cumulative
   probability (exact rational arithmetic on the committed floats, normalised by their exact sum)
   exceeds u.

Replacement when an invited person declines: the people who have already confirmed stay; the
person who declined (and anyone who declined before) leaves the pool; the quotas are unchanged, so
the remaining seats are filled by a new LEXIMIN lottery on the remaining pool with every quota
reduced by the confirmed people it already counts (minimums not below 0) and k reduced by the
number confirmed. That lottery, with the confirmed people added to every panel, is committed and
drawn from exactly as above with a new public seed.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from fractions import Fraction

from .distribution import Distribution
from .instance import Instance, Quota
from .leximin import find_leximin

FORMAT = "madang-sortition-lottery-v1"
_SEED_DOMAIN = b"madang-sortition-draw-v1\n"


def serialise(distribution: Distribution) -> bytes:
    lines = [FORMAT, f"n={distribution.n}", f"k={distribution.k}", f"panels={len(distribution)}"]
    for panel, prob in zip(distribution.panels, distribution.probabilities, strict=True):
        lines.append(f"{','.join(map(str, panel))};{float(prob).hex()}")
    return ("\n".join(lines) + "\n").encode("ascii")


def commit(distribution: Distribution) -> str:
    return hashlib.sha256(serialise(distribution)).hexdigest()


def uniform_from_seed(seed: str) -> Fraction:
    digest = hashlib.sha256(_SEED_DOMAIN + seed.encode("utf-8")).digest()
    return Fraction(int.from_bytes(digest, "big"), 1 << 256)


def draw(distribution: Distribution, seed: str) -> tuple[int, ...]:
    exact = [Fraction(p) for p in distribution.probabilities]
    target = uniform_from_seed(seed) * sum(exact)
    cumulative = Fraction(0)
    for panel, p in zip(distribution.panels, exact, strict=True):
        cumulative += p
        if cumulative > target:
            return panel
    return distribution.panels[-1]


@dataclass(frozen=True)
class DrawCheck:
    ok: bool
    reason: str

    def __bool__(self) -> bool:
        return self.ok


def _malformed(distribution: Distribution, instance: Instance | None) -> str | None:
    if list(distribution.panels) != sorted(set(distribution.panels)):
        return "the panels are not in canonical order (or repeat)"
    if any(p <= 0 or not math.isfinite(p) for p in distribution.probabilities):
        return "a probability is not positive"
    if abs(math.fsum(distribution.probabilities) - 1.0) > 1e-9:
        return "the probabilities do not add up to 1"
    for panel in distribution.panels:
        if list(panel) != sorted(set(panel)) or len(panel) != distribution.k:
            return f"a panel does not list {distribution.k} distinct people in order"
        if panel and not (panel[0] >= 0 and panel[-1] < distribution.n):
            return "a panel names someone outside the pool"
        if instance is not None and instance.violations(panel):
            return f"a panel breaks the quotas: {'; '.join(instance.violations(panel))}"
    return None


def verify_draw(
    distribution: Distribution,
    commitment: str,
    seed: str,
    panel: Collection[int],
    instance: Instance | None = None,
) -> DrawCheck:
    """Check that `panel` is what the committed lottery gives for `seed` (and, with `instance`,
    that every panel of the lottery meets the quotas)."""
    if not hmac.compare_digest(commit(distribution), commitment.strip().lower()):
        return DrawCheck(False, "the lottery does not match the commitment")
    problem = _malformed(distribution, instance)
    if problem:
        return DrawCheck(False, problem)
    expected = draw(distribution, seed)
    if tuple(sorted(panel)) != expected:
        return DrawCheck(False, "the panel is not the one this seed draws from the lottery")
    return DrawCheck(True, "the panel is the one the committed lottery gives for this seed")


@dataclass(frozen=True)
class ReplacementDraw:
    distribution: Distribution  # over full panels, each containing every confirmed person
    commitment: str
    panel: tuple[int, ...]
    new_members: tuple[int, ...]


def replacement_lottery(
    instance: Instance, confirmed: Collection[int], declined: Collection[int], *, solver_seed: int = 0
) -> Distribution:
    confirmed_set, declined_set = set(confirmed), set(declined)
    if confirmed_set & declined_set:
        raise ValueError("someone is both confirmed and declined")
    if len(confirmed_set) > instance.k:
        raise ValueError("more people confirmed than there are seats")
    remaining = [i for i in range(instance.n) if i not in confirmed_set and i not in declined_set]
    taken = instance.panel_counts(confirmed_set)
    quotas: Sequence[Quota] = [
        Quota(q.category, q.feature, max(0, q.min - int(c)), q.max - int(c))
        for q, c in zip(instance.quotas, taken, strict=True)
    ]
    for q in quotas:
        if q.max < 0:
            raise ValueError(f"the confirmed people already exceed the maximum for {q.label}")
    sub = Instance(
        instance.k - len(confirmed_set),
        instance.categories,
        tuple(quotas),
        tuple(instance.people[i] for i in remaining),
        name=f"{instance.name} (replacement)",
    )
    result = find_leximin(sub, seed=solver_seed)
    fixed = sorted(confirmed_set)
    return Distribution.of(
        instance.n,
        instance.k,
        (
            ([*fixed, *(remaining[i] for i in panel)], p)
            for panel, p in zip(result.distribution.panels, result.distribution.probabilities, strict=True)
        ),
    )


def draw_replacement(
    instance: Instance,
    confirmed: Collection[int],
    declined: Collection[int],
    seed: str,
    *,
    solver_seed: int = 0,
) -> ReplacementDraw:
    """Fill the seats not held by `confirmed` from the pool without `declined` (see module doc)."""
    distribution = replacement_lottery(instance, confirmed, declined, solver_seed=solver_seed)
    panel = draw(distribution, seed)
    confirmed_set = set(confirmed)
    return ReplacementDraw(distribution, commit(distribution), panel, tuple(i for i in panel if i not in confirmed_set))
