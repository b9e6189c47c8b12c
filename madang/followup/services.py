"""Routing proposals to departments, their answers, execution reports and escalation."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madang.calls.models import Proposal
from madang.calls.selectors import routable_departments
from madang.core.errors import DomainError, Forbidden
from madang.followup import ledger_entries as entries
from madang.followup import rules
from madang.followup.ledger_entries import FollowupEntry
from madang.followup.models import (
    Answer,
    AnswerKind,
    ExecutionState,
    ExecutionUpdate,
    Routing,
    RoutingState,
)
from madang.inbox.models import NotificationKind
from madang.inbox.services import notify, notify_followers
from madang.ledger import services as ledger
from madang.people.models import Organisation, OrgKind, Role, RoleGrant, User
from madang.people.rules import is_innovation_team
from madang.review import services as review

MAX_TEXT = 4000


def _check_department(department: Organisation) -> None:
    if department.kind != OrgKind.DEPARTMENT and department.children.exists():
        raise DomainError(_("Please choose a department, not a whole organisation."), code="not_department")
    if not department.is_active:
        raise DomainError(_("That department no longer exists."), code="bad_department")


def _liaisons(department: Organisation) -> list[User]:
    ancestors = [p for p in department.path.strip("/").split("/") if p]
    grants = RoleGrant.objects.filter(role=Role.LIAISON, organisation_id__in=ancestors).select_related("user")
    return [g.user for g in grants]


def route_proposal(
    *,
    actor: User,
    proposal: Proposal,
    department: Organisation,
    answer_due: date,
    note: str = "",
    transferred_from: Routing | None = None,
) -> Routing:
    if transferred_from is None and not is_innovation_team(actor, proposal.call):
        raise Forbidden(_("Only the innovation team routes proposals."))
    with transaction.atomic():
        routing = open_routing(
            actor=actor,
            proposal=proposal,
            department=department,
            answer_due=answer_due,
            note=note,
            transferred_from=transferred_from,
        )
        ledger.record(
            kind=FollowupEntry.ROUTED,
            subject=f"proposal:{proposal.pk}",
            actor_id=actor.pk,
            data=entries.routed_body(routing),
        )
    return routing


def register_routing_opener() -> None:
    """Called from FollowupConfig.ready(): a route decision in review opens its routing here."""
    review.register_routing_opener(open_routing)


def open_routing(
    *,
    actor: User,
    proposal: Proposal,
    department: Organisation,
    answer_due: date,
    note: str = "",
    transferred_from: Routing | None = None,
) -> Routing:
    """Open a routing and tell the department's liaisons and the proposal's followers. The caller
    checks who may route and records the ledger entry: a route decision records one entry for
    the decision and its routing (review.services), anything else `followup.routed`."""
    _check_department(department)
    if not routable_departments(proposal.call).filter(pk=department.pk).exists():
        raise DomainError(
            _("%(dept)s does not answer for this call.") % {"dept": department.label()},
            code="bad_department",
            field="department",
        )
    if answer_due < timezone.localdate():
        raise DomainError(_("The answer deadline cannot be in the past."), code="bad_date", field="answer_due")
    if len(note) > MAX_TEXT:
        raise DomainError(_("The note is too long: at most 4000 characters."), code="too_long", field="note")
    with transaction.atomic():
        routing = Routing.objects.create(
            proposal=proposal,
            department=department,
            answer_due=answer_due,
            note=note.strip(),
            routed_by=actor,
            transferred_from=transferred_from,
        )
        notify(
            users=_liaisons(department),
            kind=NotificationKind.ROUTED,
            proposal=proposal,
            params={"detail": department.label()},
            actor=actor,
        )
        notify_followers(
            proposal=proposal, kind=NotificationKind.ROUTED, actor=actor, params={"detail": department.label()}
        )
    return routing


def answer_routing(
    *,
    actor: User,
    routing: Routing,
    kind: str,
    reason: str = "",
    transfer_to: Organisation | None = None,
    transfer_due: date | None = None,
) -> Answer:
    reason = reason.strip()
    if kind not in AnswerKind.values:
        raise DomainError(_("Please choose an answer."), code="required", field="kind")
    if kind != AnswerKind.ACCEPT and not reason:
        raise DomainError(
            _("Please give a reason: the author and the public will read it."), code="required", field="reason"
        )
    if len(reason) > MAX_TEXT:
        raise DomainError(_("The reason is too long: at most 4000 characters."), code="too_long", field="reason")
    if kind == AnswerKind.TRANSFER:
        if transfer_to is None:
            raise DomainError(_("Please choose the department to transfer to."), code="required", field="transfer_to")
        if transfer_to.pk == routing.department_id:
            raise DomainError(_("Transfer to a different department."), code="same_department", field="transfer_to")
        _check_department(transfer_to)
    with transaction.atomic():
        routing = Routing.objects.select_for_update().select_related("proposal__call", "department").get(pk=routing.pk)
        if routing.state != RoutingState.AWAITING:
            raise DomainError(_("This routing has already been answered."), code="already_answered")
        if not rules.can_answer(actor, routing):
            raise Forbidden(_("Only the department's liaison can answer."))
        on_time = timezone.localdate() <= routing.answer_due
        answer = Answer.objects.create(routing=routing, kind=kind, reason=reason, answered_by=actor, on_time=on_time)
        routing.state = RoutingState.TRANSFERRED if kind == AnswerKind.TRANSFER else RoutingState.ANSWERED
        routing.save(update_fields=["state"])
        ledger.record(
            kind=FollowupEntry.ANSWERED,
            subject=f"proposal:{routing.proposal_id}",
            actor_id=actor.pk,
            data=entries.answered_body(answer, routing),
            commitments={"reason": reason},
        )
        notify_followers(
            proposal=routing.proposal,
            kind=NotificationKind.ANSWERED,
            actor=actor,
            params={"detail": routing.department.label(), "answer": kind},
        )
        if kind == AnswerKind.TRANSFER:
            assert transfer_to is not None
            due = transfer_due or max(routing.answer_due, timezone.localdate())
            route_proposal(
                actor=actor,
                proposal=routing.proposal,
                department=transfer_to,
                answer_due=due,
                note=reason,
                transferred_from=routing,
            )
    return answer


def post_execution_update(
    *, actor: User, routing: Routing, state: str, percent: int = 0, note: str = "", happened_on: date | None = None
) -> ExecutionUpdate:
    note = note.strip()
    if state not in ExecutionState.values:
        raise DomainError(_("Please choose a state."), code="required", field="state")
    if not 0 <= percent <= 100:
        raise DomainError(_("Progress must be between 0 and 100%."), code="out_of_range", field="percent")
    if state == ExecutionState.STOPPED and not note:
        raise DomainError(_("Stopping needs a reason."), code="required", field="note")
    if len(note) > MAX_TEXT:
        raise DomainError(_("The note is too long: at most 4000 characters."), code="too_long", field="note")
    happened_on = happened_on or timezone.localdate()
    if happened_on > timezone.localdate():
        raise DomainError(_("The date cannot be in the future."), code="bad_date", field="happened_on")
    if state == ExecutionState.DONE:
        percent = 100
    with transaction.atomic():
        routing = Routing.objects.select_for_update().select_related("proposal", "department").get(pk=routing.pk)
        if not rules.can_report_execution(actor, routing):
            raise Forbidden(_("Only the liaison of a department that accepted this proposal can report execution."))
        last = routing.updates.order_by("-posted_at", "-id").first()
        if last is not None and last.state in (ExecutionState.DONE, ExecutionState.STOPPED):
            raise DomainError(_("Execution has already ended; no further updates."), code="ended")
        update = ExecutionUpdate.objects.create(
            routing=routing, state=state, percent=percent, note=note, happened_on=happened_on, posted_by=actor
        )
        ledger.record(
            kind=FollowupEntry.EXECUTION,
            subject=f"proposal:{routing.proposal_id}",
            actor_id=actor.pk,
            data=entries.execution_body(update),
            commitments={"note": note},
        )
        notify_followers(
            proposal=routing.proposal,
            kind=NotificationKind.EXECUTION,
            actor=actor,
            params={"state": state, "percent": percent},
        )
    return update


def escalate_overdue(*, today: date | None = None) -> list[Routing]:
    """Flag unanswered routings past their deadline and tell the innovation team (once each)."""
    today = today or timezone.localdate()
    escalated = []
    due = Routing.objects.filter(state=RoutingState.AWAITING, answer_due__lt=today, escalated_at__isnull=True)
    for routing in due.select_related("proposal__call__organisation", "department"):
        with transaction.atomic():
            changed = Routing.objects.filter(pk=routing.pk, escalated_at__isnull=True).update(
                escalated_at=timezone.now()
            )
            if not changed:  # another worker took it
                continue
            call = routing.proposal.call
            team = [
                g.user
                for g in RoleGrant.objects.filter(role=Role.INNOVATION_TEAM).select_related(
                    "user", "organisation", "call"
                )
                if (g.call_id == call.pk)
                or (g.organisation is not None and call.organisation.path.startswith(g.organisation.path))
            ]
            detail = f"{routing.department.label()}, {routing.answer_due.isoformat()}"
            notify(
                users=team + _liaisons(routing.department),
                kind=NotificationKind.OVERDUE,
                proposal=routing.proposal,
                params={"detail": detail},
            )
            ledger.record(
                kind=FollowupEntry.ESCALATED,
                subject=f"proposal:{routing.proposal_id}",
                actor_id=None,
                data={"routing": routing.pk},
            )
            escalated.append(routing)
    return escalated
