"""Reads about organisations: departments named by where they sit, grouped and searchable."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from madang.people.models import Organisation, OrgKind
from madang.solvers import korean

SEPARATOR = " › "


@dataclass(frozen=True)
class DepartmentOption:
    pk: int
    label: str  # the whole path: "한빛도 › 새벽시 › 민원과"
    name: str


@dataclass
class DepartmentGroup:
    label: str  # the path of the agency the departments belong to: "한빛도 › 새벽시"
    options: list[DepartmentOption] = field(default_factory=list)


def _ids(path: str) -> list[int]:
    return [int(x) for x in path.strip("/").split("/") if x]


def department_groups(departments: Iterable[Organisation], query: str = "") -> list[DepartmentGroup]:
    """`departments` grouped by their agency, each named by its whole organisation path, groups
    and departments in 가나다 order; only those whose path (or English name or code) holds every
    word of `query`.

    Sixty departments are called 혁신담당관실: only where they sit tells them apart, so the path
    is in every option's own text (a closed select shows the option alone, not its group).
    One query for the ancestors' names, whatever the number of departments.
    """
    depts = list(departments)
    ancestors = {i for d in depts for i in _ids(d.path)}
    known = {
        pk: (name, kind)
        for pk, name, kind in Organisation.objects.filter(pk__in=ancestors).values_list("pk", "name", "kind")
    }
    words = korean.normalise(query).split()
    groups: dict[str, DepartmentGroup] = {}
    for d in depts:
        chain = [known[i] for i in _ids(d.path) if i in known] or [(d.name, d.kind)]
        names = [name for name, _kind in chain]
        # The agency is the nearest organisation above the department that is not a department itself.
        cut = max((k for k, (_name, kind) in enumerate(chain[:-1]) if kind != OrgKind.DEPARTMENT), default=-1)
        agency = SEPARATOR.join(names[: cut + 1]) or names[0]
        label = SEPARATOR.join(names)
        if words:
            haystack = korean.normalise(f"{label} {d.name_en} {d.code}")
            if not all(w in haystack for w in words):
                continue
        groups.setdefault(agency, DepartmentGroup(agency)).options.append(DepartmentOption(d.pk, label, d.name))
    ordered = sorted(groups.values(), key=lambda g: g.label)
    for g in ordered:
        g.options.sort(key=lambda o: (o.label, o.pk))
    return ordered
