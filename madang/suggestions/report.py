"""The yearly report of an office (연간 제안 실적), for the innovation team: of the suggestions
received in a year, per type, how many were returned (by ground), not adopted, adopted,
implemented on time, awarded (by grade), and the effect totals.

The cohort is the year of receipt; each figure is what happened to that year's suggestions so far.
Every figure is an aggregate query grouped by type (a handful of queries whatever the volume), so
a year of 50,000 suggestions is counted in the database, not in Python.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from madang.suggestions.models import (
    Award,
    Decision,
    DecisionOutcome,
    Effect,
    Measure,
    Stage,
    Suggestion,
    SuggestionKind,
    SuggestionOffice,
)

ADOPTED_STAGES = (Stage.ADOPTED, Stage.IMPLEMENTED, Stage.NOT_IMPLEMENTABLE)
# The years a report may be asked for (the page, its documents and the API answer "not found" outside them).
FIRST_YEAR, LAST_YEAR = 2000, 2100
EFFECT_FIELDS = ("budget_saved_krw", "revenue_krw", "citizen_hours", "staff_hours")


@dataclass
class TypeFigures:
    kind: str
    label: str
    received: int = 0
    returned: int = 0
    not_adopted: int = 0
    transferred: int = 0
    reviewing: int = 0
    adopted: int = 0
    implemented: int = 0
    implemented_on_time: int = 0
    returned_by_ground: dict[str, int] = field(default_factory=dict)
    awarded_by_grade: dict[str, int] = field(default_factory=dict)
    award_amount_krw: int = 0
    actual: dict[str, int] = field(default_factory=dict)
    projected: dict[str, int] = field(default_factory=dict)


@dataclass
class YearlyReport:
    office: SuggestionOffice
    year: int
    types: list[TypeFigures]
    total: TypeFigures
    grades: list[tuple[str, str]]  # (code, label), highest rank first
    grounds: list[str]


def _cohort(office: SuggestionOffice, year: int) -> QuerySet[Suggestion]:
    return Suggestion.objects.filter(office=office, receipt_year=year)


def _of_cohort(office: SuggestionOffice, year: int) -> dict[str, Any]:
    """The same cohort as a filter on the rows that belong to its suggestions: through the join
    that also gives each row's type (as `suggestion__in=cohort` it would be joined twice)."""
    return {"suggestion__office": office, "suggestion__receipt_year": year}


def yearly(office: SuggestionOffice, year: int) -> YearlyReport:
    cohort = _cohort(office, year)
    by: dict[str, TypeFigures] = {k: TypeFigures(k, str(label)) for k, label in SuggestionKind.choices}
    counts = cohort.values("kind").annotate(
        received=Count("pk"),
        returned=Count("pk", filter=Q(stage=Stage.RETURNED)),
        not_adopted=Count("pk", filter=Q(stage=Stage.NOT_ADOPTED)),
        transferred=Count("pk", filter=Q(stage=Stage.TRANSFERRED)),
        reviewing=Count("pk", filter=Q(stage__in=(Stage.REVIEWING, Stage.REEXAMINING))),
        adopted=Count("pk", filter=Q(stage__in=ADOPTED_STAGES)),
        implemented=Count("pk", filter=Q(stage=Stage.IMPLEMENTED)),
        # On time: by the date first planned (the plan's, else the one given at adoption), never by
        # the date a delay notice or a ruling moved it to.
        implemented_on_time=Count(
            "pk",
            filter=Q(
                stage=Stage.IMPLEMENTED,
                implemented_on__lte=Coalesce(F("plan__implement_by"), F("adopted_implement_by")),
            ),
        ),
    )
    for row in counts:
        t = by[row["kind"]]
        for name in (
            "received",
            "returned",
            "not_adopted",
            "transferred",
            "reviewing",
            "adopted",
            "implemented",
            "implemented_on_time",
        ):
            setattr(t, name, row[name])
    grounds = (
        Decision.objects.filter(**_of_cohort(office, year), outcome=DecisionOutcome.RETURN)
        .values("suggestion__kind", "ground")
        .annotate(n=Count("pk"))
    )
    for g_row in grounds:
        by[g_row["suggestion__kind"]].returned_by_ground[g_row["ground"]] = g_row["n"]
    awards = (
        Award.objects.filter(**_of_cohort(office, year))
        .values("suggestion__kind", "grade", "grade_label", "rank")
        .annotate(n=Count("pk"), amount=Coalesce(Sum("amount_krw"), 0))
    )
    grades: dict[str, tuple[int, str]] = {}
    for a_row in awards:
        t = by[a_row["suggestion__kind"]]
        t.awarded_by_grade[a_row["grade"]] = t.awarded_by_grade.get(a_row["grade"], 0) + a_row["n"]
        t.award_amount_krw += a_row["amount"]
        grades[a_row["grade"]] = (a_row["rank"], a_row["grade_label"])
    effects = (
        # A corrected record's figures are replaced by its correction's: only current records count.
        Effect.objects.filter(**_of_cohort(office, year), superseded_on__isnull=True)
        .values("suggestion__kind", "measure")
        .annotate(**{f: Coalesce(Sum(f), 0) for f in EFFECT_FIELDS})
    )
    for e_row in effects:
        sums: dict[str, Any] = dict(e_row)
        t = by[sums["suggestion__kind"]]
        target = t.actual if sums["measure"] == Measure.ACTUAL else t.projected
        for f in EFFECT_FIELDS:
            target[f] = sums[f]
    types = list(by.values())
    total = _sum(types)
    return YearlyReport(
        office=office,
        year=year,
        types=types,
        total=total,
        grades=[(code, label) for code, (_rank, label) in sorted(grades.items(), key=lambda g: g[1][0])],
        grounds=sorted({g for t in types for g in t.returned_by_ground}),
    )


def _sum(types: list[TypeFigures]) -> TypeFigures:
    total = TypeFigures("total", "")
    for t in types:
        for name in (
            "received",
            "returned",
            "not_adopted",
            "transferred",
            "reviewing",
            "adopted",
            "implemented",
            "implemented_on_time",
            "award_amount_krw",
        ):
            setattr(total, name, getattr(total, name) + getattr(t, name))
        for attr in ("returned_by_ground", "awarded_by_grade", "actual", "projected"):
            mine: dict[str, int] = getattr(total, attr)
            for k, v in getattr(t, attr).items():
                mine[k] = mine.get(k, 0) + v
    return total


def rows(report: YearlyReport, labels: dict[str, Any]) -> tuple[list[str], list[list[object]]]:
    """The report as a table: one row per figure, one column per type and the total."""
    header = [str(labels["figure"]), *(t.label for t in report.types), str(labels["total"])]
    every = [*report.types, report.total]
    out: list[list[object]] = []

    def line(label: Any, get: Any) -> None:
        out.append([str(label), *(get(t) for t in every)])

    line(labels["received"], lambda t: t.received)
    for g in report.grounds:
        line(f"{labels['returned']}: {labels['grounds'].get(g, g)}", lambda t, g=g: t.returned_by_ground.get(g, 0))
    line(labels["returned"], lambda t: t.returned)
    line(labels["transferred"], lambda t: t.transferred)
    line(labels["reviewing"], lambda t: t.reviewing)
    line(labels["not_adopted"], lambda t: t.not_adopted)
    line(labels["adopted"], lambda t: t.adopted)
    line(labels["implemented"], lambda t: t.implemented)
    line(labels["implemented_on_time"], lambda t: t.implemented_on_time)
    for code, label in report.grades:
        line(f"{labels['awarded']}: {label}", lambda t, c=code: t.awarded_by_grade.get(c, 0))
    line(labels["award_amount_krw"], lambda t: t.award_amount_krw)
    for f in EFFECT_FIELDS:
        line(f"{labels['actual']}: {labels[f]}", lambda t, f=f: t.actual.get(f, 0))
    for f in EFFECT_FIELDS:
        line(f"{labels['projected']}: {labels[f]}", lambda t, f=f: t.projected.get(f, 0))
    return header, out
