"""Outcomes: an event's tasks, the agencies that took part and where each receives a task, and
where a sent task stands at each of them."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from madang.core import params
from madang.core.errors import NotFound
from madang.events.models import Event, RegState, Task
from madang.followup.models import AnswerKind, ExecutionState, Routing
from madang.people.models import Organisation, OrgKind, Role, RoleGrant


def access_task(event: Event, task_id: str | int) -> Task:
    task = event.tasks.select_related("event", "board", "proposal").filter(pk=params.id_or_zero(task_id)).first()
    if task is None:
        raise NotFound()
    return task


def participating_agencies(event: Event) -> list[Organisation]:
    ids = event.registrations.filter(state=RegState.CONFIRMED).exclude(agency=None).values_list("agency_id", flat=True)
    return list(Organisation.objects.filter(pk__in=set(ids)).order_by("name", "pk"))


def receiving_department(agency: Organisation) -> Organisation | None:
    """Where an agency receives a task: its first department with a liaison, else its first department."""
    # The subtree of a province holds its cities too: keep only the departments of this agency.
    depts = [
        d
        for d in Organisation.objects.filter(
            path__startswith=agency.path, kind=OrgKind.DEPARTMENT, is_active=True
        ).order_by("path")
        if d.agency().pk == agency.pk
    ]
    with_liaison = set(
        RoleGrant.objects.filter(role=Role.LIAISON, organisation__in=[agency, *depts]).values_list(
            "organisation_id", flat=True
        )
    )
    if agency.pk in with_liaison and depts:
        return depts[0]
    return next((d for d in depts if d.pk in with_liaison), depts[0] if depts else None)


@dataclass
class Standing:
    agency: Organisation
    department: Organisation
    routing: Routing
    state: str  # awaiting, overdue, accept, partial, decline, transfer
    execution: str
    percent: int

    @property
    def state_label(self) -> str:
        if self.state in AnswerKind.values:
            return str(AnswerKind(self.state).label)
        return _("Overdue") if self.state == "overdue" else _("Awaiting answer")

    @property
    def execution_label(self) -> str:
        return str(ExecutionState(self.execution).label) if self.execution else ""


def task_standings(task: Task) -> list[Standing]:
    """Where a sent task stands at each agency: the first routing of each agency, followed
    through transfers to the department answering now."""
    if task.proposal is None:
        return []
    routings = list(
        task.proposal.routings.select_related("department", "answer").prefetch_related("updates").order_by("pk")
    )
    by_pk = {r.pk: r for r in routings}
    out = []
    for r in routings:
        if r.transferred_from_id is not None and r.transferred_from_id in by_pk:
            continue
        current = r
        while current.state == "transferred":
            nxt = next((x for x in routings if x.transferred_from_id == current.pk), None)
            if nxt is None:
                break
            current = nxt
        answer = getattr(current, "answer", None) if current.state != "awaiting" else None
        state = answer.kind if answer else ("overdue" if current.is_overdue() else "awaiting")
        updates = list(current.updates.all())
        last = updates[-1] if updates else None
        agency = r.department.agency() if hasattr(r.department, "agency") else r.department
        out.append(
            Standing(
                agency, current.department, current, state, last.state if last else "", last.percent if last else 0
            )
        )
    return out
