"""Outcomes: the tasks an event agrees on, and sending each to every participating agency as a
proposal that the follow-through routes and tracks."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from madang.calls import services as calls
from madang.calls.models import Call
from madang.calls.selectors import routable_departments
from madang.core.errors import DomainError
from madang.core.texts import clean_text
from madang.events.ledger_entries import EventEntry
from madang.events.models import Board, BoardItem, Event, Task
from madang.events.selectors.outcomes import participating_agencies, receiving_department
from madang.events.services.programme import require_organiser
from madang.followup import services as followup
from madang.followup.models import Routing
from madang.ledger import services as ledger
from madang.people.models import User


def create_task(
    *,
    actor: User,
    event: Event,
    title: str,
    description: str = "",
    board: Board | None = None,
    item: BoardItem | None = None,
    group: int | None = None,
) -> Task:
    require_organiser(actor, event)
    if board is not None and board.event_id != event.pk:
        raise DomainError(_("That board belongs to another event."), code="foreign", field="board")
    if item is not None and (board is None or item.board_id != board.pk):
        raise DomainError(_("That item is not on this board."), code="foreign", field="item")
    title = clean_text(title, field="title", limit=200)
    description = clean_text(description, field="description", limit=10_000, required=False)
    return Task.objects.create(
        event=event,
        title=title,
        description=description,
        board=board,
        item=item,
        group=group if group is not None else (board.group if board else None),
        created_by=actor,
    )


def agree_task(*, actor: User, task: Task) -> Task:
    require_organiser(actor, task.event)
    if task.agreed_at:
        return task
    with transaction.atomic():
        task.agreed_at = timezone.now()
        task.save(update_fields=["agreed_at"])
        ledger.record(
            kind=EventEntry.TASK_AGREED,
            subject=f"event:{task.event_id}",
            actor_id=actor.pk,
            data={"task": task.pk, "group": task.group, "board": task.board_id},
            commitments={"title": task.title},
        )
    return task


def send_task(*, actor: User, task: Task, call: Call, answer_due: date) -> list[Routing]:
    """An agreed task becomes a submitted proposal in `call` and is routed to every agency that
    took part; each agency's liaison answers through the follow-through by `answer_due`."""
    event = task.event
    require_organiser(actor, event)
    if task.agreed_at is None:
        raise DomainError(_("Only agreed tasks are sent to the agencies."), code="not_agreed")
    if task.proposal_id is not None:
        raise DomainError(_("This task has already been sent."), code="already_sent")
    # The call decides where its proposals may go (calls.selectors.routable_departments): check
    # every agency before anything is written, so a task is never half-sent.
    reachable = set(routable_departments(call).values_list("pk", flat=True))
    beyond = [
        a.name
        for a in participating_agencies(event)
        if (d := receiving_department(a)) is not None and d.pk not in reachable
    ]
    if beyond:
        raise DomainError(
            _("This call cannot route proposals to %(agencies)s: choose a call open to every participating agency.")
            % {"agencies": ", ".join(beyond)},
            code="unreachable_agencies",
            field="call",
        )
    origin = _("From %(event)s, group %(group)s, board %(board)s.") % {
        "event": event.title,
        "group": task.group or "—",
        "board": task.board.title if task.board else "—",
    }
    with transaction.atomic():
        proposal = calls.create_proposal(
            actor=actor,
            call=call,
            fields=calls.ProposalFields(
                title=task.title,
                problem=f"<p>{escape(task.description or task.title)}</p>",
                solution=f"<p>{escape(str(origin))}</p>",
            ),
        )
        proposal = calls.submit_proposal(actor=actor, proposal=proposal)
        task.proposal = proposal
        task.save(update_fields=["proposal"])
        routings, unreachable = [], []
        for agency in participating_agencies(event):
            dept = receiving_department(agency)
            if dept is None:
                unreachable.append(agency.pk)
                continue
            routings.append(
                followup.route_proposal(
                    actor=actor, proposal=proposal, department=dept, answer_due=answer_due, note=str(origin)
                )
            )
        ledger.record(
            kind=EventEntry.TASK_SENT,
            subject=f"event:{event.pk}",
            actor_id=actor.pk,
            data={
                "task": task.pk,
                "proposal": proposal.pk,
                "answer_due": answer_due.isoformat(),
                "routings": [[r.department_id, r.pk] for r in routings],
                "unreachable": unreachable,
            },
        )
    return routings
