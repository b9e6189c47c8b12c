"""Adapters between invitation pools and the sortition solver (madang/solvers/sortition).

Plain reads and conversions only: the instance a pool's lottery is computed on, the committed
distribution and its published form, and the feasibility report in the reader's language.
Writes are in services.py.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from madang.citizens.models import REGIONS, AgeBand, Gender, Lottery, Occupation
from madang.solvers import sortition
from madang.solvers.sortition.draw import FORMAT

ATTRIBUTE_LABELS = {
    "gender": gettext_lazy("Gender"),
    "age_band": gettext_lazy("Age"),
    "region": gettext_lazy("Region"),
    "occupation": gettext_lazy("Occupation"),
}


def values_of(attribute: str) -> list[tuple[str, Any]]:
    """Every value an attribute can take, with its label: every one gets a quota."""
    if attribute == "gender":
        return list(Gender.choices)
    if attribute == "age_band":
        return list(AgeBand.choices)
    if attribute == "region":
        return [(r, r) for r in REGIONS]
    if attribute == "occupation":
        return list(Occupation.choices)
    raise KeyError(attribute)


def value_label(attribute: str, value: str) -> str:
    return str(dict(values_of(attribute)).get(value, value))


def quota_label(attribute: str, value: str) -> str:
    return f"{ATTRIBUTE_LABELS[attribute]}: {value_label(attribute, value)}"


def build_instance(
    *, k: int, attributes: list[str], quotas: dict[str, Any], people: list[list[str]]
) -> sortition.Instance:
    spec = {a: {v: (int(quotas[a][v][0]), int(quotas[a][v][1])) for v, _label in values_of(a)} for a in attributes}
    rows = [dict(zip(attributes, values, strict=True)) for values in people]
    return sortition.make_instance(k, spec, rows)


def instance_of(lottery: Lottery) -> sortition.Instance:
    return build_instance(k=lottery.k, attributes=lottery.attributes, quotas=lottery.quotas, people=lottery.people)


def distribution_of(lottery: Lottery) -> sortition.Distribution:
    """The committed distribution exactly as computed (the floats round-trip through hex)."""
    return sortition.Distribution(
        n=len(lottery.people),
        k=lottery.k,
        panels=tuple(tuple(int(i) for i in p) for p in lottery.panels),
        probabilities=tuple(float.fromhex(w) for w in lottery.weights),
    )


def serialised(lottery: Lottery) -> str:
    return sortition.serialise(distribution_of(lottery)).decode("ascii")


@dataclass(frozen=True)
class Verification:
    ok: bool
    commitment_ok: bool
    quotas_ok: bool
    reason: str


def verify(lottery: Lottery) -> Verification:
    """Re-run the public check: the published lottery matches the commitment, every panel in it
    meets the quotas, and the seed draws the published panel."""
    distribution = distribution_of(lottery)
    commitment_ok = sortition.commit(distribution) == lottery.commitment
    instance = instance_of(lottery)
    quotas_ok = all(instance.is_valid_panel(p) for p in distribution.panels)
    if not lottery.drawn_at:
        return Verification(False, commitment_ok, quotas_ok, _("Not drawn yet."))
    check = sortition.verify_draw(distribution, lottery.commitment, lottery.seed, lottery.panel, instance)
    reason = _("The panel is the one the committed lottery gives for this seed.") if check.ok else check.reason
    return Verification(check.ok, commitment_ok, quotas_ok, reason)


@dataclass(frozen=True)
class Step:
    what: str
    at: datetime | None


@dataclass(frozen=True)
class Order:
    """The lottery's history in the order the transparency page claims, and what breaks it."""

    steps: list[Step]
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def order_of(lottery: Lottery) -> Order:
    """Computed, then committed, then the seed published, then drawn: a commitment is worth
    something only if it was public before anyone could know the seed, and a draw only if it
    used a seed published after the commitment."""
    computed, committed, due, drawn = lottery.computed_at, lottery.committed_at, lottery.seed_due_at, lottery.drawn_at
    steps = [
        Step(_("Lottery computed"), computed),
        Step(_("Commitment published"), committed),
        Step(_("Seed due to be published"), due),
        Step(_("Panel drawn"), drawn),
    ]
    problems = []
    if committed is not None and computed > committed:
        problems.append(_("The commitment is dated before the lottery it commits to was computed."))
    if committed is not None and due is None:
        problems.append(
            _("When the seed would be published was not announced with the commitment, so the order cannot be checked.")
        )
    if committed is not None and due is not None and committed >= due:
        problems.append(
            _("The commitment was published after the seed was due: someone could have known the seed first.")
        )
    if drawn is not None and committed is not None and drawn < committed:
        problems.append(_("The panel was drawn before the commitment was published."))
    if drawn is not None and due is not None and drawn < due:
        problems.append(_("The panel was drawn before the seed was due to be published."))
    return Order(steps, problems)


def published(lottery: Lottery) -> dict[str, Any]:
    """Everything needed to verify the draw offline; nothing about named people."""
    return {
        "format": FORMAT,
        "pool": lottery.pool_id,
        "kind": lottery.kind,
        "n": len(lottery.people),
        "k": lottery.k,
        "attributes": lottery.attributes,
        "quotas": lottery.quotas,
        "kept": lottery.kept,
        "removed": lottery.removed,
        "serialised": serialised(lottery),
        "commitment": lottery.commitment,
        "computed_at": lottery.computed_at.isoformat(),
        "committed_at": lottery.committed_at.isoformat() if lottery.committed_at else None,
        "seed_due_at": lottery.seed_due_at.isoformat() if lottery.seed_due_at else None,
        "drawn_at": lottery.drawn_at.isoformat() if lottery.drawn_at else None,
        "seed": lottery.seed or None,
        "panel": lottery.panel,
        "panel_pseudonyms": lottery.panel_pseudonyms,
        "probabilities_sorted": sorted(lottery.probabilities),
    }


OFFLINE_SCRIPT = """import hashlib, json, sys
from fractions import Fraction
data = json.load(open(sys.argv[1]))
text = data["serialised"]
assert hashlib.sha256(text.encode("ascii")).hexdigest() == data["commitment"], "commitment differs"
rows = [line.split(";") for line in text.splitlines()[4:]]
panels = [tuple(int(i) for i in p.split(",")) if p else () for p, _ in rows]
weights = [Fraction(float.fromhex(w)) for _, w in rows]
digest = hashlib.sha256(b"madang-sortition-draw-v1\\n" + data["seed"].encode("utf-8")).digest()
target = Fraction(int.from_bytes(digest, "big"), 1 << 256) * sum(weights)
acc, drawn = Fraction(0), panels[-1]
for panel, w in zip(panels, weights):
    acc += w
    if acc > target:
        drawn = panel
        break
print("verified" if list(drawn) == sorted(data["panel"]) else "NOT the published panel")
"""


# ---------------------------------------------------------------- infeasible quotas, in plain words


@dataclass(frozen=True)
class Explanation:
    problems: list[str]
    changes: list[str]
    total: int
    relaxed: dict[str, dict[str, list[int]]] | None


def _label(quota: sortition.Quota) -> str:
    return quota_label(quota.category, quota.feature)


def _problems(instance: sortition.Instance) -> list[str]:
    k, problems = instance.k, []
    if k > instance.n:
        return [_("The panel has %(k)d seats but only %(n)d people are in the lottery.") % {"k": k, "n": instance.n}]
    pool = instance.pool_counts()
    for q, have in zip(instance.quotas, pool.tolist(), strict=True):
        if q.min > q.max:
            problems.append(
                _("The quota for %(label)s asks for at least %(min)d but at most %(max)d.")
                % {"label": _label(q), "min": q.min, "max": q.max}
            )
        if have < q.min:
            problems.append(
                _("Only %(have)d volunteers have %(label)s, but the quota asks for at least %(min)d.")
                % {"have": have, "label": _label(q), "min": q.min}
            )
    for cat in instance.categories:
        idx = [i for i, q in enumerate(instance.quotas) if q.category == cat]
        mins = sum(instance.quotas[i].min for i in idx)
        maxs = sum(instance.quotas[i].max for i in idx)
        reachable = sum(min(instance.quotas[i].max, int(pool[i])) for i in idx)
        name = ATTRIBUTE_LABELS[cat]
        if mins > k:
            problems.append(
                _("The minimums for %(attribute)s add up to %(sum)d, more than the %(k)d seats.")
                % {"attribute": name, "sum": mins, "k": k}
            )
        if maxs < k:
            problems.append(
                _("The maximums for %(attribute)s add up to %(sum)d, fewer than the %(k)d seats.")
                % {"attribute": name, "sum": maxs, "k": k}
            )
        elif reachable < k:
            problems.append(
                _(
                    "With the maximums for %(attribute)s and the volunteers there are, at most %(n)d of the "
                    "%(k)d seats can be filled."
                )
                % {"attribute": name, "n": reachable, "k": k}
            )
    return problems


def explain(report: sortition.FeasibilityReport, instance: sortition.Instance) -> Explanation:
    problems = _problems(instance) or [
        _(
            "Each quota can be met on its own, but no panel meets all of them at once: they conflict through "
            "people who count towards several quotas."
        )
    ]
    changes: list[str] = []
    total = 0
    for c in report.changes:
        q = c.quota
        if c.new_min != q.min:
            changes.append(
                _("Lower the minimum for %(label)s from %(old)d to %(new)d.")
                % {"label": _label(q), "old": q.min, "new": c.new_min}
            )
        if c.new_max != q.max:
            changes.append(
                _("Raise the maximum for %(label)s from %(old)d to %(new)d.")
                % {"label": _label(q), "old": q.max, "new": c.new_max}
            )
        total += abs(q.min - c.new_min) + abs(c.new_max - q.max)
    relaxed: dict[str, dict[str, list[int]]] | None = None
    if report.relaxed is not None:
        relaxed = {}
        for q in report.relaxed.quotas:
            relaxed.setdefault(q.category, {})[q.feature] = [q.min, q.max]
    return Explanation(problems, changes, total, relaxed)
