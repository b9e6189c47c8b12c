"""Reviewer assignment, scorecards and the innovation team's decisions."""

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madang.calls import counters
from madang.calls.models import Call, Criterion, Outcome, Proposal, Status, Support
from madang.core.errors import DomainError, Forbidden
from madang.inbox.models import NotificationKind
from madang.inbox.services import notify, notify_followers
from madang.ledger import services as ledger
from madang.people.models import Organisation, User
from madang.review import ledger_entries as entries
from madang.review import rules
from madang.review.ledger_entries import ReviewEntry
from madang.review.models import Assignment, Decision, DecisionKind, Score, Scorecard, Verdict
from madang.solvers import reviewload, scoring


def assign_reviewer(*, actor: User, proposal: Proposal, reviewer: User) -> Assignment:
    if not rules.can_assign(actor, proposal.call):
        raise Forbidden(_("Only the innovation team assigns reviewers."))
    if proposal.status != Status.SUBMITTED:
        raise DomainError(_("Only submitted proposals are reviewed."), code="not_submitted")
    if rules.has_conflict(reviewer, proposal):
        raise DomainError(
            _("%(name)s cannot review this proposal: it is their own or from their department.") % {"name": reviewer},
            code="conflict",
        )
    with transaction.atomic():
        assignment, created = Assignment.objects.get_or_create(
            proposal=proposal, reviewer=reviewer, defaults={"assigned_by": actor}
        )
        if created:
            notify(users=[reviewer], kind=NotificationKind.ASSIGNED, proposal=proposal)
    return assignment


def assign_reviewers(*, actor: User, call: Call, reviewers: Sequence[User], per_proposal: int) -> list[Assignment]:
    """Give every submitted proposal `per_proposal` reviewers, spreading the load evenly."""
    if not rules.can_assign(actor, call):
        raise Forbidden(_("Only the innovation team assigns reviewers."))
    if per_proposal < 1:
        raise DomainError(_("Each proposal needs at least one reviewer."), code="bad_number")
    proposals = list(
        call.proposals.filter(status=Status.SUBMITTED, outcome=Outcome.PENDING)
        .select_related("author")
        .prefetch_related("coauthors")
    )
    conflicts = [(p.pk, r.pk) for p in proposals for r in reviewers if rules.has_conflict(r, p)]
    existing = list(Assignment.objects.filter(proposal__call=call).values_list("proposal_id", "reviewer_id"))
    try:
        plan = reviewload.assign(
            [p.pk for p in proposals], [r.pk for r in reviewers], per_proposal, conflicts, existing
        )
    except reviewload.InfeasibleAssignment as exc:
        raise DomainError(
            _(
                "%(n)d proposal(s) do not have enough reviewers without a conflict of interest. Add reviewers or ask "
                "for fewer per proposal."
            )
            % {"n": len(exc.short)},
            code="infeasible",
        ) from exc
    by_id = {p.pk: p for p in proposals}
    people = {r.pk: r for r in reviewers}
    with transaction.atomic():
        created = Assignment.objects.bulk_create(
            Assignment(proposal_id=p, reviewer_id=r, assigned_by=actor) for p, r in plan.pairs
        )
        for p, r in plan.pairs:
            notify(users=[people[r]], kind=NotificationKind.ASSIGNED, proposal=by_id[p])
    return created


def submit_scorecard(
    *, actor: User, assignment: Assignment, scores: dict[int, int], verdict: str, comment: str = ""
) -> Scorecard:
    if assignment.reviewer_id == actor.pk and rules.has_conflict(actor, assignment.proposal):
        # Checked when the score is written, not only at assignment: the authors may have
        # changed since (a co-author from the reviewer's department accepted).
        raise DomainError(
            _(
                "You cannot review this proposal: it is your own or from your department. Please tell the innovation "
                "team."
            ),
            code="conflict",
        )
    if not rules.can_score(actor, assignment):
        raise Forbidden(_("This review is not yours to fill in, or the review period is over."))
    criteria = {c.pk: c for c in Criterion.objects.filter(call=assignment.proposal.call_id)}
    if set(scores) != set(criteria):
        raise DomainError(_("Please score every criterion."), code="incomplete")
    for cid, value in scores.items():
        if not isinstance(value, int) or not 0 <= value <= criteria[cid].max_score:
            raise DomainError(
                _("The score for “%(c)s” must be between 0 and %(m)d.")
                % {"c": criteria[cid].name, "m": criteria[cid].max_score},
                code="out_of_range",
            )
    if verdict not in Verdict.values:
        raise DomainError(_("Please choose a feasibility verdict."), code="required", field="verdict")
    if len(comment) > 4000:
        raise DomainError(_("The comment is too long: at most 4000 characters."), code="too_long", field="comment")
    total = scoring.weighted_total(
        scores, {c: float(criteria[c].weight) for c in criteria}, {c: criteria[c].max_score for c in criteria}
    )
    with transaction.atomic():
        card, created = Scorecard.objects.update_or_create(
            assignment=assignment,
            defaults={"verdict": verdict, "comment": comment.strip(), "total": total, "updated_at": timezone.now()},
        )
        card.scores.all().delete()
        Score.objects.bulk_create(Score(scorecard=card, criterion_id=c, value=v) for c, v in scores.items())
        ledger.record(
            kind=ReviewEntry.SCORECARD,
            subject=f"proposal:{assignment.proposal_id}",
            actor_id=actor.pk,
            data=entries.scorecard_body(card, proposal_id=assignment.proposal_id, reviewer_id=actor.pk, first=created),
        )
    return card


def results(call: Call) -> list[scoring.Combined]:
    rows = Scorecard.objects.filter(assignment__proposal__call=call).values_list(
        "assignment__reviewer_id", "assignment__proposal_id", "total"
    )
    return scoring.combine(rows)


def _ensure_can_decide(actor: User, proposal: Proposal) -> None:
    if not rules.can_decide(actor, proposal.call):
        raise Forbidden(_("Decisions are recorded by the innovation team during review, selection or follow-through."))
    if proposal.status != Status.SUBMITTED:
        raise DomainError(_("Only submitted proposals can be decided."), code="not_submitted")
    if proposal.outcome != Outcome.PENDING:
        raise DomainError(_("A decision has already been recorded for this proposal."), code="already_decided")


def _record(
    proposal: Proposal, actor: User, kind: str, *, routing: dict[str, Any] | None = None, **extra: object
) -> Decision:
    """One decision, one ledger entry, one notification per follower: a route decision opens its
    routing here and its entry carries both (followup tells the followers where it went)."""
    decision = Decision.objects.create(proposal=proposal, kind=kind, decided_by=actor, **extra)
    opened = None
    if routing is not None:
        if _open_routing is None:
            raise RuntimeError("no routing opener is registered (the followup app registers one at start-up)")
        opened = _open_routing(actor=actor, proposal=proposal, **routing)
    ledger.record(
        kind=entries.DECISION_ENTRY[DecisionKind(kind)],
        subject=f"proposal:{proposal.pk}",
        actor_id=actor.pk,
        data=entries.decision_body(decision, opened),
        commitments={"reason": decision.reason},
    )
    if opened is None:
        notify_followers(proposal=proposal, kind=NotificationKind.DECISION, actor=actor, params={"decision": str(kind)})
    return decision


def select_proposal(*, actor: User, proposal: Proposal, reason: str = "") -> Decision:
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().select_related("call").get(pk=proposal.pk)
        _ensure_can_decide(actor, proposal)
        proposal.outcome = Outcome.SELECTED
        proposal.save(update_fields=["outcome"])
        return _record(proposal, actor, DecisionKind.SELECT, reason=reason.strip())


def reject_proposal(*, actor: User, proposal: Proposal, reason: str) -> Decision:
    if not reason.strip():
        raise DomainError(
            _("Not adopting a proposal needs a reason the author can read."), code="required", field="reason"
        )
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().select_related("call").get(pk=proposal.pk)
        _ensure_can_decide(actor, proposal)
        proposal.outcome = Outcome.NOT_ADOPTED
        proposal.save(update_fields=["outcome"])
        return _record(proposal, actor, DecisionKind.REJECT, reason=reason.strip())


def route_decision(
    *, actor: User, proposal: Proposal, department: Organisation, answer_due: date, reason: str = ""
) -> Decision:
    """Decide to route: records the decision and opens the routing in one transaction."""
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().select_related("call").get(pk=proposal.pk)
        _ensure_can_decide(actor, proposal)
        proposal.outcome = Outcome.ROUTED
        proposal.save(update_fields=["outcome"])
        decision = _record(
            proposal,
            actor,
            DecisionKind.ROUTE,
            reason=reason.strip(),
            department=department,
            routing={"department": department, "answer_due": answer_due, "note": reason},
        )
    return decision


MAX_ROUTES_AT_ONCE = 200


def route_decisions(
    *, actor: User, call: Call, routes: Sequence[tuple[Proposal, Organisation]], answer_due: date, reason: str = ""
) -> list[Decision]:
    """Route several proposals of one call at once, each to its own department.

    Each proposal is decided exactly as `route_decision` decides one (one decision, its routing
    and one ledger entry, the same permission), and all of them or none: when one cannot be
    routed (decided meanwhile, a department that does not answer for the call), the message
    names it and nothing is recorded, so the team fixes that row and sends the list again.
    """
    if not rules.can_decide(actor, call):
        raise Forbidden(_("Decisions are recorded by the innovation team during review, selection or follow-through."))
    if not routes:
        raise DomainError(_("Choose at least one proposal to route."), code="required", field="routes")
    if len(routes) > MAX_ROUTES_AT_ONCE:
        raise DomainError(
            _("At most %(n)d proposals can be routed at once.") % {"n": MAX_ROUTES_AT_ONCE},
            code="too_many",
            field="routes",
        )
    ids = [p.pk for p, _department in routes]
    if len(set(ids)) != len(ids):
        raise DomainError(_("Each proposal can be routed only once in a list."), code="duplicate", field="routes")
    if any(p.call_id != call.pk for p, _department in routes):
        raise DomainError(
            _("Proposals can only be routed together within one call."), code="other_call", field="routes"
        )
    decisions = []
    with transaction.atomic():
        for proposal, department in routes:
            try:
                decisions.append(
                    route_decision(
                        actor=actor, proposal=proposal, department=department, answer_due=answer_due, reason=reason
                    )
                )
            except DomainError as exc:
                message = _("#%(number)s “%(title)s”: %(problem)s") % {
                    "number": proposal.number,
                    "title": proposal.shown_title,
                    "problem": exc.message,
                }
                raise DomainError(message, code=exc.code, field=exc.field) from exc
    return decisions


DECISION_KINDS = ("select", "route", "merge", "reject")

# A route decision opens its routing in follow-through, which sits above review: followup hands
# its opener in at start-up (FollowupConfig.ready), so review never imports it.
_open_routing: Callable[..., Any] | None = None


def register_routing_opener(opener: Callable[..., Any]) -> None:
    global _open_routing  # set once, at start-up
    _open_routing = opener


def decide(
    *,
    actor: User,
    proposal: Proposal,
    kind: str,
    reason: str = "",
    department: Organisation | None = None,
    answer_due: date | None = None,
    merge_into: Proposal | None = None,
) -> Decision:
    """Record one decision of any kind: the one path for the decision page and the API."""
    if kind == "select":
        return select_proposal(actor=actor, proposal=proposal, reason=reason)
    if kind == "route":
        if department is None or answer_due is None:
            raise DomainError(
                _("Routing needs a department and an answer deadline."),
                code="required",
                field="department" if department is None else "answer_due",
            )
        return route_decision(
            actor=actor, proposal=proposal, department=department, answer_due=answer_due, reason=reason
        )
    if kind == "merge":
        if merge_into is None:
            raise DomainError(_("Choose the proposal to merge into."), code="required", field="merge_into")
        return merge_proposal(actor=actor, proposal=proposal, into=merge_into, reason=reason)
    if kind == "reject":
        return reject_proposal(actor=actor, proposal=proposal, reason=reason)
    raise DomainError(_("Please choose a decision."), code="required", field="kind")


def merge_proposal(*, actor: User, proposal: Proposal, into: Proposal, reason: str = "") -> Decision:
    """Merge `proposal` into `into`: supports and authors carry over, both pages link."""
    if proposal.pk == into.pk:
        raise DomainError(_("A proposal cannot be merged into itself."), code="self_merge")
    if into.call_id != proposal.call_id:
        raise DomainError(_("Proposals can only be merged within one call."), code="other_call")
    with transaction.atomic():
        locked = {
            p.pk: p
            for p in Proposal.objects.select_for_update().select_related("call").filter(pk__in=[proposal.pk, into.pk])
        }
        proposal, into = locked[proposal.pk], locked[into.pk]
        _ensure_can_decide(actor, proposal)
        if into.status != Status.SUBMITTED or into.outcome == Outcome.MERGED:
            raise DomainError(_("The target proposal cannot take a merge."), code="bad_target")
        target_authors = into.author_ids()
        # Everyone who will author the merged proposal, including the merged one's authors.
        authors = target_authors | proposal.author_ids()
        carried = [
            Support(proposal=into, user_id=uid)
            for uid in proposal.supports.exclude(user_id__in=into.supports.values("user_id")).values_list(
                "user_id", flat=True
            )
            if uid not in authors
        ]
        Support.objects.bulk_create(carried)
        for uid in authors - target_authors:
            into.coauthors.add(uid)
        # An author of the merged proposal who had supported the target would now support their own.
        into.supports.filter(user_id__in=authors).delete()
        # The rows are the truth: drop the target's pending tally changes and count afresh
        # (supporters wait on the row lock taken above, so none is lost or counted twice).
        counters.reset(into.pk)
        Proposal.objects.filter(pk=into.pk).update(support_count=into.supports.count())
        proposal.outcome = Outcome.MERGED
        proposal.merged_into = into
        proposal.save(update_fields=["outcome", "merged_into"])
        return _record(proposal, actor, DecisionKind.MERGE, reason=reason.strip(), merged_into=into)
