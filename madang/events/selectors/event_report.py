"""The event's report: participation by level and grade, boards, tasks and judgings."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from madang.events.models import (
    Award,
    BoardItem,
    BoardKind,
    Event,
    Judging,
    Registration,
    RegState,
    Supplement,
    Task,
)
from madang.events.selectors.judging import ResultDict
from madang.events.selectors.outcomes import Standing, task_standings
from madang.events.selectors.registration import LEVELS, level_of


@dataclass
class Report:
    confirmed: int
    checked_in: int
    no_shows: int
    waiting: int
    cancelled: int
    by_level: list[tuple[str, int, int]]  # label, confirmed, checked in
    by_grade: list[tuple[str, int, int]]
    boards: list[tuple[str, int, int]]  # method, boards, contributions
    supplements: int
    tasks: list[tuple[Task, list[Standing]]]
    judgings: list[tuple[Judging, list[ResultDict], list[Award]]]


def grade_band(reg: Registration) -> str:
    if reg.grade is None:
        return _("Citizen member") if reg.agency_id is None else _("Grade not given")
    if reg.grade <= 5:
        return _("Grade 5 and above")
    if reg.grade >= 8:
        return _("Grade 8–9")
    return _("Grade %(n)d") % {"n": reg.grade}


def report(event: Event) -> Report:
    regs = list(event.registrations.select_related("agency"))
    confirmed = [r for r in regs if r.state == RegState.CONFIRMED]

    def split(key: Callable[[Registration], str], order: list[str]) -> list[tuple[str, int, int]]:
        rows: dict[str, list[int]] = {k: [0, 0] for k in order}
        for r in confirmed:
            row = rows.setdefault(key(r), [0, 0])
            row[0] += 1
            row[1] += r.checked_in_at is not None
        return [(k, a, b) for k, (a, b) in rows.items() if a]

    bands = [
        _("Grade 5 and above"),
        _("Grade %(n)d") % {"n": 6},
        _("Grade %(n)d") % {"n": 7},
        _("Grade 8–9"),
        _("Citizen member"),
    ]
    boards = []
    for kind, label in BoardKind.choices:
        qs = event.boards.filter(kind=kind)
        if qs.exists():
            boards.append((str(label), qs.count(), BoardItem.objects.filter(board__in=qs, removed_at=None).count()))
    checked = sum(1 for r in confirmed if r.checked_in_at)
    return Report(
        confirmed=len(confirmed),
        checked_in=checked,
        no_shows=len(confirmed) - checked,
        waiting=sum(1 for r in regs if r.state == RegState.WAITING),
        cancelled=sum(1 for r in regs if r.state == RegState.CANCELLED),
        by_level=split(lambda r: str(LEVELS[level_of(r.agency)]), [str(v) for v in LEVELS.values()]),
        by_grade=split(grade_band, [str(b) for b in bands]),
        boards=boards,
        supplements=Supplement.objects.filter(board__event=event).count(),
        tasks=[(t, task_standings(t)) for t in event.tasks.select_related("board", "proposal")],
        judgings=[
            (j, j.results[:5], list(j.awards.select_related("candidate")))
            for j in event.judgings.filter(state="published")
        ],
    )
