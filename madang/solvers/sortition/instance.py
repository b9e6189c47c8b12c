"""Plain-data description of a sortition instance, and the reader for the instance directories.

An instance is a pool of volunteers, each with one value per category, a panel size `k`, and
quotas (a minimum and a maximum number of panel members) for every value of every category.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class Quota:
    category: str
    feature: str
    min: int
    max: int

    @property
    def label(self) -> str:
        return f"{self.category}={self.feature}"


@dataclass(frozen=True)
class Instance:
    """`people[i][j]` is the value of person `i` (the 0-based id) for `categories[j]`."""

    k: int
    categories: tuple[str, ...]
    quotas: tuple[Quota, ...]
    people: tuple[tuple[str, ...], ...]
    name: str = ""
    _index: dict[tuple[str, str], int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[tuple[str, str], int] = {}
        for q_idx, q in enumerate(self.quotas):
            if q.category not in self.categories:
                raise ValueError(f"quota for unknown category {q.category!r}")
            if (q.category, q.feature) in index:
                raise ValueError(f"quota for {q.label} given twice")
            if q.min < 0:
                raise ValueError(f"negative minimum for {q.label}")
            index[(q.category, q.feature)] = q_idx
        for i, person in enumerate(self.people):
            if len(person) != len(self.categories):
                raise ValueError(f"person {i} has {len(person)} values, expected {len(self.categories)}")
            for cat, value in zip(self.categories, person, strict=True):
                if (cat, value) not in index:
                    raise ValueError(f"person {i} has {cat}={value!r}, which has no quota")
        if self.k < 0:
            raise ValueError("panel size must not be negative")
        object.__setattr__(self, "_index", index)

    @property
    def n(self) -> int:
        return len(self.people)

    def quota_index(self, category: str, feature: str) -> int:
        return self._index[(category, feature)]

    def feature_matrix(self) -> np.ndarray:
        """`(n, len(categories))` array of quota indices: which quota each person's value counts towards."""
        mat = np.empty((self.n, len(self.categories)), dtype=np.int64)
        for i, person in enumerate(self.people):
            for j, (cat, value) in enumerate(zip(self.categories, person, strict=True)):
                mat[i, j] = self._index[(cat, value)]
        return mat

    def pool_counts(self) -> np.ndarray:
        """How many pool members have each quota's value."""
        counts = np.zeros(len(self.quotas), dtype=np.int64)
        if self.n:
            np.add.at(counts, self.feature_matrix().ravel(), 1)
        return counts

    def panel_counts(self, panel: Iterable[int]) -> np.ndarray:
        counts = np.zeros(len(self.quotas), dtype=np.int64)
        for i in panel:
            for cat, value in zip(self.categories, self.people[i], strict=True):
                counts[self._index[(cat, value)]] += 1
        return counts

    def violations(self, panel: Sequence[int]) -> list[str]:
        """Plain-words list of what is wrong with `panel` (empty when it is a valid panel)."""
        problems: list[str] = []
        if len(set(panel)) != len(panel):
            problems.append("the panel lists someone twice")
        if len(panel) != self.k:
            problems.append(f"the panel has {len(panel)} members, not {self.k}")
        if any(not 0 <= i < self.n for i in panel):
            problems.append("the panel names someone who is not in the pool")
            return problems
        for q, c in zip(self.quotas, self.panel_counts(panel), strict=True):
            if c < q.min:
                problems.append(f"{q.label}: {c} on the panel, at least {q.min} required")
            elif c > q.max:
                problems.append(f"{q.label}: {c} on the panel, at most {q.max} allowed")
        return problems

    def is_valid_panel(self, panel: Sequence[int]) -> bool:
        return not self.violations(panel)

    def with_quotas(self, quotas: Sequence[Quota]) -> Instance:
        return Instance(self.k, self.categories, tuple(quotas), self.people, self.name)


@dataclass(frozen=True)
class Types:
    """People grouped by identical values in every category.

    Everyone of one type is interchangeable, so the (unique) LEXIMIN allocation gives them the
    same probability; the optimisation works on counts per type, which is much smaller.
    """

    features: np.ndarray  # (T, J) quota indices
    sizes: np.ndarray  # (T,)
    members: tuple[tuple[int, ...], ...]  # sorted ids of each type
    incidence: np.ndarray  # (Q, T) 0/1: type t has quota q's value
    of_person: np.ndarray  # (n,) type of each person

    @property
    def count(self) -> int:
        return len(self.members)


def group_types(instance: Instance) -> Types:
    mat = instance.feature_matrix()
    groups: dict[tuple[int, ...], list[int]] = {}
    for i, row in enumerate(mat.tolist()):
        groups.setdefault(tuple(row), []).append(i)
    keys = sorted(groups, key=lambda key: groups[key][0])
    features = np.array(keys, dtype=np.int64).reshape(len(keys), len(instance.categories))
    members = tuple(tuple(groups[key]) for key in keys)
    sizes = np.array([len(m) for m in members], dtype=np.int64)
    incidence = np.zeros((len(instance.quotas), len(keys)), dtype=np.float64)
    for t in range(len(keys)):
        incidence[features[t], t] = 1.0
    of_person = np.empty(instance.n, dtype=np.int64)
    for t, m in enumerate(members):
        of_person[list(m)] = t
    return Types(features, sizes, members, incidence, of_person)


def _read_csv_rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8-sig") as fh:
        return [row for row in csv.reader(fh) if any(cell.strip() for cell in row)]


def read_instance(directory: str | Path, k: int | None = None) -> Instance:
    """Read `categories.csv` and `respondents.csv`; `k` defaults to the number after the last `_`
    in the directory name (`example_small_20` → 20)."""
    path = Path(directory)
    if k is None:
        tail = path.name.rsplit("_", 1)[-1]
        if not tail.isdigit():
            raise ValueError(f"cannot tell the panel size from the name {path.name!r}; pass k")
        k = int(tail)
    cat_rows = _read_csv_rows(path / "categories.csv")
    header = [h.strip() for h in cat_rows[0]]
    col = {name: header.index(name) for name in ("category", "feature", "min", "max")}
    quotas: list[Quota] = []
    categories: list[str] = []
    for row in cat_rows[1:]:
        cat = row[col["category"]].strip()
        if cat not in categories:
            categories.append(cat)
        quotas.append(Quota(cat, row[col["feature"]].strip(), int(row[col["min"]]), int(row[col["max"]])))
    resp_rows = _read_csv_rows(path / "respondents.csv")
    resp_header = [h.strip() for h in resp_rows[0]]
    missing = [c for c in categories if c not in resp_header]
    if missing:
        raise ValueError(f"respondents.csv has no column for {', '.join(missing)}")
    cols = [resp_header.index(c) for c in categories]
    people = tuple(tuple(row[c].strip() for c in cols) for row in resp_rows[1:])
    return Instance(k, tuple(categories), tuple(quotas), people, name=path.name)


def make_instance(
    k: int,
    quotas: Mapping[str, Mapping[str, tuple[int, int]]],
    people: Sequence[Mapping[str, str]],
    name: str = "",
) -> Instance:
    """Build an instance from `{category: {feature: (min, max)}}` and one dict per person."""
    categories = tuple(quotas)
    quota_list = tuple(Quota(cat, feat, lo, hi) for cat, feats in quotas.items() for feat, (lo, hi) in feats.items())
    rows = tuple(tuple(str(p[c]) for c in categories) for p in people)
    return Instance(k, categories, quota_list, rows, name)
