"""Every write of the suggestion system, from receipt to the office's ruling on implementation.

Each function takes keyword arguments with a required `actor`, checks `rules`, runs in one
transaction with the suggestion's row locked, writes its ledger entry inside it, and tells the
proposer (or the office) through the inbox; e-mail goes after commit. Dates the law counts are
days (`today`, Korea's date unless a test gives one); every period comes from the pack version
the suggestion was received under (`clocks.pack_for`).
"""

import secrets
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from madang.calls import rules as calls_rules
from madang.calls import services as calls
from madang.calls.models import Audience, Call, Outcome, PhaseKind, Proposal, Status
from madang.core.errors import DomainError, Forbidden
from madang.core.texts import clean_text
from madang.core.uploads import CheckedUpload, check_upload
from madang.inbox.models import NotificationKind
from madang.inbox.services import notify
from madang.ledger import services as ledger
from madang.people import rules as people_rules
from madang.people.models import Organisation, OrgKind, Role, RoleGrant, User
from madang.suggestions import clocks, fingerprints, objections, packs, rules, selectors
from madang.suggestions import ledger_entries as entries
from madang.suggestions.ledger_entries import SuggestionEntry
from madang.suggestions.models import (
    Award,
    CannotImplement,
    CreditKind,
    Decision,
    DecisionExtension,
    DecisionOutcome,
    DelayNotice,
    Effect,
    Measure,
    PersonnelCredit,
    Plan,
    ProposerKind,
    ReceiptCounter,
    ReceiptFingerprint,
    Reexamination,
    Reminder,
    ReminderStage,
    Round,
    Ruling,
    RulingKind,
    Stage,
    Suggestion,
    SuggestionKind,
    SuggestionOffice,
    Supplement,
    Transfer,
    TransferChannel,
)
from madang.suggestions.packs import Pack, PackError

MAX_TEXT = 4000
MAX_RECIPIENT = 200
# The standing call takes suggestions until this moment; an office that closes its desk moves it.
STANDING_UNTIL = datetime(2100, 1, 1, tzinfo=ZoneInfo("Asia/Seoul"))


def _today(today: date | None) -> date:
    return today or timezone.localdate()


def _text(value: str, field: str, *, required: bool = True, limit: int = MAX_TEXT) -> str:
    return clean_text(value, field=field, limit=limit, required=required)


def _locked(suggestion: Suggestion) -> Suggestion:
    return (
        Suggestion.objects.select_for_update(of=("self",))
        .select_related("proposal__call__organisation", "office__standing_call__organisation", "department")
        .get(pk=suggestion.pk)
    )


def _proposers(s: Suggestion) -> list[User]:
    return list(User.objects.filter(pk__in=s.proposal.author_ids(), is_active=True))


def office_team(office: SuggestionOffice) -> list[User]:
    """The innovation team over the office's organisation or its standing call (who get its notices)."""
    paths = [p for p in office.organisation.path.strip("/").split("/") if p]
    grants = RoleGrant.objects.filter(role=Role.INNOVATION_TEAM).select_related("user")
    return [
        g.user
        for g in grants.filter(organisation_id__in=paths) | grants.filter(call=office.standing_call)
        if g.user.is_active
    ]


def _liaisons(department: Organisation | None) -> list[User]:
    if department is None:
        return []
    ancestors = [p for p in department.path.strip("/").split("/") if p]
    return [
        g.user
        for g in RoleGrant.objects.filter(role=Role.LIAISON, organisation_id__in=ancestors).select_related("user")
    ]


def _tell(users: Sequence[User], s: Suggestion, actor: User | None, **params: Any) -> None:
    notify(
        users=users,
        kind=NotificationKind.SUGGESTION,
        proposal=s.proposal,
        actor=actor,
        params={k: (v.isoformat() if isinstance(v, date) else v) for k, v in params.items()},
    )


def _record(
    kind: SuggestionEntry,
    s: Suggestion,
    actor: User | None,
    data: dict[str, Any],
    commitments: dict[str, str] | None = None,
) -> None:
    ledger.record(
        kind=kind,
        subject=entries.subject(s.proposal_id),
        actor_id=actor.pk if actor else None,
        data=data,
        commitments=commitments,
    )


# ---------------------------------------------------------------- the office


def open_office(
    *,
    actor: User,
    organisation: Organisation,
    citizen_pack: str = "",
    official_pack: str = "",
    title: str = "",
    today: date | None = None,
) -> SuggestionOffice:
    """Start an organisation's suggestion desk: the packs its suggestions follow, and its always-open
    call (상시제안) in which citizens and officials file them. Each pack must have a version in force
    today, since the desk receives suggestions from the day it opens."""
    today = _today(today)
    if not rules.can_open_office(actor, organisation):
        raise Forbidden(
            _("Only a site administrator or the innovation team of this organisation can open its suggestion office.")
        )
    if organisation.kind == OrgKind.DEPARTMENT or not organisation.is_active:
        raise DomainError(
            _("A suggestion office is opened for an agency or a local government, not for one of its departments."),
            code="bad_organisation",
            field="organisation",
        )
    if not (citizen_pack or official_pack):
        raise DomainError(
            _("Choose the rules for citizens' or officials' suggestions, or both."),
            code="required",
            field="citizen_pack",
        )
    known = packs.active()
    for field, pid, who in (("citizen_pack", citizen_pack, "citizen"), ("official_pack", official_pack, "official")):
        if not pid:
            continue
        if pid not in known.ids():
            raise DomainError(
                _("There are no rules called %(pack)s.") % {"pack": pid}, code="unknown_pack", field=field
            )
        try:
            current = known.in_force(pid, today)
        except PackError:
            raise DomainError(
                _("The rules %(pack)s take effect on %(date)s; the office can be opened with them from that day.")
                % {"pack": known.versions(pid)[0].title, "date": known.versions(pid)[0].effective.isoformat()},
                code="not_in_force",
                field=field,
            ) from None
        if current.proposers and who not in current.proposers:
            if who == "citizen":
                message = _("The rules %(pack)s are not for citizens' suggestions.")
            else:
                message = _("The rules %(pack)s are not for officials' suggestions.")
            raise DomainError(message % {"pack": current.title}, code="wrong_pack", field=field)
    if SuggestionOffice.objects.filter(organisation=organisation).exists():
        raise DomainError(
            _("This organisation already has a suggestion office."), code="duplicate", field="organisation"
        )
    audience = (
        Audience.BOTH if citizen_pack and official_pack else (Audience.CITIZENS if citizen_pack else Audience.OFFICIALS)
    )
    slug = f"{organisation.code}-suggestions"[:80]
    if Call.objects.filter(slug=slug).exists():
        slug = f"{organisation.code[:60]}-suggestions-{organisation.pk}"
    if not title:
        with translation.override(settings.LANGUAGE_CODE):  # the call's title is data, in the site's first language
            title = gettext("%(org)s standing suggestions") % {"org": organisation.name}
    now = timezone.now()
    with transaction.atomic():
        call = calls.create_call(
            actor=actor,
            slug=slug,
            title=title,
            organisation=organisation,
            audience=audience,
            phases=[calls.PhaseSpec(PhaseKind.SUBMISSION, now, STANDING_UNTIL)],
            required_fields=("problem", "solution"),
            # Proposers' names stay with the office: the public sees what is suggested, not who.
            hide_authors=True,
        )
        return SuggestionOffice.objects.create(
            organisation=organisation,
            citizen_pack=citizen_pack,
            official_pack=official_pack,
            standing_call=call,
            opened_by=actor,
        )


# ---------------------------------------------------------------- receipt


def file_suggestion(
    *,
    actor: User,
    office: SuggestionOffice,
    fields: calls.ProposalFields,
    kind: str = SuggestionKind.STANDING,
    evidence: str = "",
    in_place_since: date | None = None,
    today: date | None = None,
) -> Suggestion:
    """The proposer writes and submits a suggestion in the office's standing call, and it is received
    at once: receipt is due "without delay" (국민 제안 규정 제6조제1항), and an electronic filing is
    received the moment it arrives."""
    if kind not in (SuggestionKind.STANDING, SuggestionKind.IMPLEMENTED):
        raise DomainError(_("Please choose the type of suggestion."), code="invalid", field="kind")
    with transaction.atomic():
        proposal = calls.create_proposal(actor=actor, call=office.standing_call, fields=fields)
        proposal = calls.submit_proposal(actor=actor, proposal=proposal)
        return receive(
            actor=actor, proposal=proposal, kind=kind, evidence=evidence, in_place_since=in_place_since, today=today
        )


def _next_receipt_number(office: SuggestionOffice, year: int) -> int:
    # The office row is locked by the caller: every receipt of the office queues on it, so the
    # counter row is created once and numbers are given in order with no gap (a rolled-back
    # receipt gives its number back with the rest of its transaction).
    counter, _created = ReceiptCounter.objects.select_for_update().get_or_create(office=office, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _pack_in_force(office: SuggestionOffice, proposer: str, on: date) -> Pack:
    pid = office.citizen_pack if proposer == ProposerKind.CITIZEN else office.official_pack
    if not pid:
        if proposer == ProposerKind.CITIZEN:
            raise DomainError(_("This office does not take suggestions from citizens."), code="not_accepted")
        raise DomainError(_("This office does not take suggestions from officials."), code="not_accepted")
    try:
        return packs.active().in_force(pid, on)
    except PackError as e:
        raise DomainError(
            _("No version of the rules %(pack)s is in force on %(day)s.") % {"pack": pid, "day": on.isoformat()},
            code="no_pack",
        ) from e


def receive(
    *,
    actor: User,
    proposal: Proposal,
    kind: str = SuggestionKind.STANDING,
    evidence: str = "",
    in_place_since: date | None = None,
    today: date | None = None,
) -> Suggestion:
    """Receive a submitted proposal as a suggestion (접수): a receipt number, the pack version in force
    today (kept for good), and the due dates that pack sets."""
    return _receive(
        actor=actor, proposal=proposal, kind=kind, evidence=evidence, in_place_since=in_place_since, today=today
    )


@dataclass(frozen=True)
class _Lineage:
    """What a refined suggestion keeps of the idea it refines (set only by `refile_suggestion`)."""

    refines: Proposal
    earlier: Suggestion | None
    first_filed_on: date


def _receive(
    *,
    actor: User,
    proposal: Proposal,
    kind: str,
    evidence: str,
    in_place_since: date | None,
    today: date | None,
    lineage: _Lineage | None = None,
) -> Suggestion:
    today = _today(today)
    office = selectors.office_of_call(proposal.call)
    if office is None:
        raise DomainError(_("This organisation has no suggestion office."), code="no_office")
    standing = proposal.call_id == office.standing_call_id
    if not (rules.can_receive(actor, office) or (standing and calls_rules.is_author(actor, proposal))):
        raise Forbidden(_("Only the suggestion office receives suggestions."))
    if proposal.status != Status.SUBMITTED:
        raise DomainError(_("Only a submitted proposal can be received as a suggestion."), code="not_submitted")
    allowed = (SuggestionKind.STANDING, SuggestionKind.IMPLEMENTED) if standing else (SuggestionKind.CONTEST,)
    if not standing and kind == SuggestionKind.STANDING:
        kind = SuggestionKind.CONTEST  # a proposal in one of the office's other calls answers a contest (공모)
    if kind not in allowed:
        raise DomainError(
            _("A proposal in this call cannot be received as this type of suggestion."), code="bad_type", field="kind"
        )
    evidence = _text(evidence, "evidence", required=kind == SuggestionKind.IMPLEMENTED)
    if in_place_since is not None and in_place_since > today:
        raise DomainError(_("The date cannot be in the future."), code="bad_date", field="in_place_since")
    proposer = ProposerKind.CITIZEN if proposal.author.is_citizen else ProposerKind.OFFICIAL
    pack = _pack_in_force(office, proposer, today)
    if pack.proposers and proposer not in pack.proposers:
        raise DomainError(
            _("The rules %(pack)s do not take suggestions from this kind of proposer.") % {"pack": pack.title},
            code="not_accepted",
        )
    if kind not in pack.types:
        raise DomainError(
            _("The rules %(pack)s have no “%(type)s” type of suggestion.")
            % {"pack": pack.title, "type": SuggestionKind(kind).label},
            code="bad_type",
            field="kind",
        )
    with transaction.atomic():
        office = (
            SuggestionOffice.objects.select_for_update()
            .select_related("organisation", "standing_call")
            .get(pk=office.pk)
        )
        if Suggestion.objects.filter(proposal=proposal).exists():
            raise DomainError(_("This proposal has already been received as a suggestion."), code="duplicate")
        s = Suggestion(
            proposal=proposal,
            office=office,
            kind=kind,
            proposer_kind=proposer,
            evidence=evidence,
            in_place_since=in_place_since,
            pack_id=pack.id,
            pack_version=pack.version,
            pack_digest=packs.digest(pack),
            receipt_year=today.year,
            receipt_seq=_next_receipt_number(office, today.year),
            received_on=today,
            received_by=actor,
            supplement_until=clocks.due_date(pack, "supplement_window", today),
            decision_due=clocks.due_date(pack, "decision", today),
            refines=lineage.refines if lineage else None,
            first_filed_on=lineage.first_filed_on if lineage else None,
        )
        s.save()
        # The fingerprint is fixed with the receipt, in its entry: an agency cannot later tie an
        # older receipt to another text to claim priority (docs/suggestions.md, first to file).
        made = fingerprints.of_proposal(proposal)
        if made is not None:
            ReceiptFingerprint.objects.create(suggestion=s, value=made.encode())
        _record(
            SuggestionEntry.RECEIVED,
            s,
            actor,
            entries.received_body(s, s.decision_due),
            {"evidence": evidence, "fingerprint": made.encode() if made else ""},
        )
        if lineage is not None:
            _record(SuggestionEntry.REFILED, s, actor, entries.refiled_body(s, lineage.earlier))
        if s.decision_due is not None:
            _tell(_proposers(s), s, None, step="received", number=s.receipt_number, due=s.decision_due)
        else:
            _tell(_proposers(s), s, None, step="received_no_clock", number=s.receipt_number)
    return s


# ---------------------------------------------------------------- lineage: a declined idea reopened for refinement


def _earlier_of(proposal: Proposal) -> tuple[Suggestion | None, SuggestionOffice | None]:
    earlier = Suggestion.objects.filter(proposal=proposal).select_related("office__standing_call").first()
    if earlier is not None:
        return earlier, earlier.office
    return None, selectors.office_of_call(proposal.call)


def first_filed_on(proposal: Proposal, earlier: Suggestion | None) -> date:
    """The day an idea was first filed: the earlier suggestion's own priority date (a chain of
    refinements keeps the first), or the day a declined ordinary proposal was submitted."""
    if earlier is not None:
        return earlier.priority_date
    assert proposal.submitted_at is not None  # only a submitted proposal is declined
    return timezone.localdate(proposal.submitted_at)


def refile_suggestion(
    *,
    actor: User,
    earlier: Proposal,
    fields: calls.ProposalFields,
    kind: str = SuggestionKind.STANDING,
    evidence: str = "",
    in_place_since: date | None = None,
    today: date | None = None,
) -> Suggestion:
    """The proposer reopens a declined idea for refinement: a suggestion not adopted, or a proposal
    not adopted in one of the organisation's ordinary calls, is filed again, refined, as a new
    suggestion with its own receipt number and clocks. It names the earlier proposal and keeps the
    day the idea was first filed, so a refinement loses no priority to an idea filed in between
    (국민 제안 규정 제6조제3항: of two proposals alike, the one received first has priority).
    A suggestion reopened this way is no longer examined again: the refinement takes its place."""
    today = _today(today)
    if kind not in (SuggestionKind.STANDING, SuggestionKind.IMPLEMENTED):
        raise DomainError(_("Please choose the type of suggestion."), code="invalid", field="kind")
    with transaction.atomic():
        # The earlier proposal's row is the lock: two refilings of one idea queue here, and the
        # second finds the first (the one-to-one `refines` holds it as well).
        earlier = Proposal.objects.select_for_update().select_related("call__organisation").get(pk=earlier.pk)
        previous, office = _earlier_of(earlier)
        if not calls_rules.is_author(actor, earlier):
            raise Forbidden(_("Only the proposer can reopen a declined idea for refinement."))
        if previous is not None:
            # Locked before its stage is read: a re-examination asked for meanwhile waits here,
            # then finds the refinement and is refused.
            previous = _locked(previous)
        _check_refinable(earlier, previous, office)
        assert office is not None
        lineage = _Lineage(refines=earlier, earlier=previous, first_filed_on=first_filed_on(earlier, previous))
        if today < lineage.first_filed_on:
            raise DomainError(_("The date cannot be before the idea was first filed."), code="bad_date")
        proposal = calls.create_proposal(actor=actor, call=office.standing_call, fields=fields)
        proposal = calls.submit_proposal(actor=actor, proposal=proposal)
        return _receive(
            actor=actor,
            proposal=proposal,
            kind=kind,
            evidence=evidence,
            in_place_since=in_place_since,
            today=today,
            lineage=lineage,
        )


def _check_refinable(earlier: Proposal, previous: Suggestion | None, office: SuggestionOffice | None) -> None:
    if previous is not None:
        if previous.stage != Stage.NOT_ADOPTED:
            raise DomainError(
                _("Only a suggestion that was not adopted can be reopened for refinement."), code="not_declined"
            )
    elif earlier.status != Status.SUBMITTED or earlier.outcome != Outcome.NOT_ADOPTED:
        raise DomainError(
            _("Only a proposal that was not adopted can be reopened for refinement."), code="not_declined"
        )
    if office is None:
        raise DomainError(_("This organisation has no suggestion office."), code="no_office")
    later = Suggestion.objects.filter(refines=earlier).first()
    if later is not None:
        raise DomainError(
            _("This idea was already reopened for refinement as suggestion no. %(number)s.")
            % {"number": later.receipt_number},
            code="duplicate",
        )


# ---------------------------------------------------------------- supplements (보완): the decision clock stops


def _recompute_decision_due(s: Suggestion, pack: Pack) -> date | None:
    deadline = clocks.decision_deadline(pack, s, s.supplements.all())
    return deadline.due if deadline is not None else None


def request_supplement(
    *, actor: User, suggestion: Suggestion, question: str, answer_by: date, today: date | None = None
) -> Supplement:
    today = _today(today)
    question = _text(question, "question")
    with transaction.atomic():
        s = _locked(suggestion)
        if not rules.can_handle(actor, s):
            raise Forbidden(_("Only the suggestion office can ask for a supplement."))
        if s.stage != Stage.REVIEWING:
            raise DomainError(
                _("A supplement can be asked for only while the suggestion is under review."), code="closed"
            )
        pack = clocks.pack_for(s)
        if today < s.received_on:
            raise DomainError(_("The date cannot be before the suggestion was received."), code="bad_date")
        if s.supplement_until is not None and today > s.supplement_until:
            raise DomainError(
                _("The rules allow asking for a supplement only until %(date)s.")
                % {"date": s.supplement_until.isoformat()},
                code="window_closed",
            )
        last = s.supplements.order_by("-asked_on", "-id").first()
        if last is not None and last.is_open:
            raise DomainError(_("A supplement request is still open."), code="open_request")
        if last is not None and last.resumed_on is not None and today < last.resumed_on:
            raise DomainError(_("The date cannot be before the last supplement arrived."), code="bad_date")
        if answer_by <= today:
            raise DomainError(
                _("Give the proposer at least until tomorrow to answer."), code="bad_date", field="answer_by"
            )
        supplement = Supplement.objects.create(
            suggestion=s, question=question, asked_on=today, answer_by=answer_by, asked_by=actor
        )
        Suggestion.objects.filter(pk=s.pk).update(decision_due=_recompute_decision_due(s, pack))
        _record(
            SuggestionEntry.SUPPLEMENT_REQUESTED,
            s,
            actor,
            entries.supplement_requested_body(supplement),
            {"question": question},
        )
        _tell(_proposers(s), s, actor, step="supplement_requested", date=answer_by, text=question[:200])
    return supplement


def answer_supplement(*, actor: User, supplement: Supplement, answer: str, today: date | None = None) -> Supplement:
    today = _today(today)
    answer = _text(answer, "answer")
    with transaction.atomic():
        s = _locked(supplement.suggestion)
        supplement = Supplement.objects.select_for_update().get(pk=supplement.pk)
        if not rules.is_proposer(actor, s):
            raise Forbidden(_("Only the proposer can answer a supplement request."))
        if not supplement.is_open:
            raise DomainError(_("This supplement request is closed."), code="closed")
        if today < supplement.asked_on:
            raise DomainError(_("The date cannot be before the request."), code="bad_date")
        supplement.answer, supplement.answered_on, supplement.closed_at = answer, today, timezone.now()
        supplement.save(update_fields=["answer", "answered_on", "closed_at"])
        due = _recompute_decision_due(s, clocks.pack_for(s))
        Suggestion.objects.filter(pk=s.pk).update(decision_due=due)
        _record(
            SuggestionEntry.SUPPLEMENT_CLOSED,
            s,
            actor,
            entries.supplement_closed_body(supplement, due),
            {"answer": answer},
        )
        if due is not None:
            _tell(office_team(s.office), s, actor, step="supplement_answered", due=due)
        else:
            _tell(office_team(s.office), s, actor, step="supplement_answered_no_clock")
    return supplement


# ---------------------------------------------------------------- extending the decision period (처리기간 연장)


def extend_decision(
    *, actor: User, suggestion: Suggestion, reason: str, today: date | None = None
) -> DecisionExtension:
    """The office extends the decision period by the extension the pack pinned at receipt allows, as
    many times as it allows, with a reason the proposer reads. Only while the clock runs (no supplement
    open) and before it is due: the new due date is the pack's period counted from the old one (a
    last day on a holiday moves to the next working day)."""
    today = _today(today)
    reason = _text(reason, "reason")
    with transaction.atomic():
        s = _locked(suggestion)
        if not rules.can_handle(actor, s):
            raise Forbidden(_("Only the suggestion office can extend the decision period."))
        if s.stage != Stage.REVIEWING:
            raise DomainError(
                _("The decision period can be extended only before the suggestion is decided."), code="decided"
            )
        pack = clocks.pack_for(s)
        allowed = packs.extension_allowed(pack)
        if allowed is None:
            raise DomainError(
                _("The rules this suggestion was received under (%(pack)s) allow no extension of the decision period.")
                % {"pack": s.pack_key},
                code="no_extension",
            )
        times = allowed[1]
        used = s.decision_extensions.count()
        if used >= times:
            raise DomainError(
                _("The decision period has already been extended as often as the rules allow (%(n)s).") % {"n": times},
                code="used_up",
            )
        if s.supplements.filter(answered_on__isnull=True, lapsed_on__isnull=True).exists():
            raise DomainError(
                _("The decision period is stopped while a supplement request is open; extend it once it runs again."),
                code="clock_stopped",
            )
        if today < s.received_on:
            raise DomainError(_("The date cannot be before the suggestion was received."), code="bad_date")
        current = clocks.decision_deadline(pack, s, s.supplements.all())
        assert current is not None and current.due is not None  # the pack has a decision clock, running
        if today > current.due:
            raise DomainError(
                _("The decision was due by %(date)s: a period can be extended only before it runs out.")
                % {"date": current.due.isoformat()},
                code="overdue",
            )
        try:
            new_due = pack.extend(current, clocks.calendar())
        except PackError as e:
            raise DomainError(str(e), code="bad_clock") from e
        assert new_due.due is not None
        extension = DecisionExtension.objects.create(
            suggestion=s,
            reason=reason,
            previous_due=current.due,
            new_due=new_due.due,
            extended_on=today,
            extended_by=actor,
        )
        s.decision_due = new_due.due
        s.save(update_fields=["decision_due"])
        _record(
            SuggestionEntry.DECISION_EXTENDED,
            s,
            actor,
            entries.decision_extended_body(extension),
            {"reason": reason},
        )
        _tell(_proposers(s), s, actor, step="decision_extended", date=new_due.due, text=reason[:200])
    return extension


# ---------------------------------------------------------------- decisions


@dataclass(frozen=True)
class Adoption:
    """What an adoption may say about implementation at once (both can come later, in the plan)."""

    department: Organisation | None = None
    implement_by: date | None = None


def _check_panel(s: Suggestion, panel: Sequence[User], *, exclude: Collection[int] = ()) -> list[User]:
    members = list({u.pk: u for u in panel}.values())
    if not members:
        raise DomainError(_("Name the members of the review panel."), code="required", field="panel")
    authors = s.proposal.author_ids()
    for u in members:
        if not (u.is_active and u.is_official):
            raise DomainError(
                _("%(name)s cannot sit on a review panel.") % {"name": u}, code="bad_panel", field="panel"
            )
        if u.pk in authors:
            raise DomainError(
                _("%(name)s proposed this suggestion and cannot review it.") % {"name": u},
                code="conflict",
                field="panel",
            )
        if u.pk in exclude:
            raise DomainError(
                _("%(name)s sat on the first review; a re-examination needs a different panel.") % {"name": u},
                code="same_panel",
                field="panel",
            )
    return members


def _check_ground(pack: Pack, outcome: str, ground: str) -> str:
    if outcome == DecisionOutcome.ADOPT:
        if ground:
            raise DomainError(_("An adopted suggestion has no ground for refusal."), code="bad_ground", field="ground")
        return ""
    found = pack.grounds.get(ground)
    if found is None or found.outcome != outcome:
        raise DomainError(
            _("Choose one of the grounds the rules give for this decision."), code="bad_ground", field="ground"
        )
    return ground


def _check_department(s: Suggestion, department: Organisation | None) -> None:
    if department is not None and (
        not department.is_active or not department.path.startswith(s.office.organisation.path)
    ):
        raise DomainError(_("Choose a department of this organisation."), code="bad_department", field="department")


def _adopted(s: Suggestion, pack: Pack, today: date, adoption: Adoption) -> None:
    _check_department(s, adoption.department)
    if adoption.implement_by is not None and adoption.implement_by < today:
        raise DomainError(
            _("The planned implementation date cannot be in the past."), code="bad_date", field="implement_by"
        )
    s.stage = Stage.ADOPTED
    s.department = adoption.department
    s.implement_by = s.adopted_implement_by = adoption.implement_by
    s.plan_due = clocks.due_date(pack, "implementation_plan", today)


def decide(
    *,
    actor: User,
    suggestion: Suggestion,
    outcome: str,
    explanation: str,
    panel: Sequence[User],
    ground: str = "",
    adoption: Adoption = Adoption(),
    transfer_to: str = "",
    transfer_reference: str = "",
    today: date | None = None,
) -> Decision:
    """The office's decision: adopt, not adopt, return (반려) or transfer (이송), with the pack's coded
    ground and an explanation the proposer reads. A supplement still open lapses today."""
    today = _today(today)
    explanation = _text(explanation, "explanation")
    if outcome not in DecisionOutcome.values:
        raise DomainError(_("Please choose a decision."), code="required", field="outcome")
    with transaction.atomic():
        s = _locked(suggestion)
        if not rules.can_handle(actor, s):
            raise Forbidden(_("Only the suggestion office decides suggestions."))
        if s.stage != Stage.REVIEWING:
            raise DomainError(_("This suggestion has already been decided."), code="decided")
        if today < s.received_on:
            raise DomainError(_("The date cannot be before the suggestion was received."), code="bad_date")
        pack = clocks.pack_for(s)
        ground = _check_ground(pack, outcome, ground)
        members = _check_panel(s, panel)
        recipient = ""
        if outcome == DecisionOutcome.TRANSFER:
            recipient = _text(transfer_to, "transfer_to", limit=MAX_RECIPIENT)
        reference = _text(transfer_reference, "transfer_reference", required=False, limit=100)
        open_request = s.supplements.filter(answered_on__isnull=True, lapsed_on__isnull=True).first()
        if open_request is not None:
            if today < open_request.asked_on:
                raise DomainError(_("The date cannot be before the open supplement request."), code="bad_date")
            open_request.lapsed_on, open_request.closed_at = today, timezone.now()
            open_request.save(update_fields=["lapsed_on", "closed_at"])
        due = _recompute_decision_due(s, pack)
        decision = Decision(
            suggestion=s,
            round=Round.FIRST,
            outcome=outcome,
            ground=ground,
            explanation=explanation,
            decided_on=today,
            due=due,
            on_time=None if due is None else today <= due,
            decided_by=actor,
        )
        if outcome == DecisionOutcome.NOT_ADOPT:
            decision.reexamination_until = clocks.due_date(pack, "reexamination_request", today)
        decision.save()
        decision.panel.set(members)
        if open_request is not None:
            _record(
                SuggestionEntry.SUPPLEMENT_CLOSED,
                s,
                actor,
                entries.supplement_closed_body(open_request, due),
                {"answer": ""},
            )
        s.decision_due = due
        if outcome == DecisionOutcome.ADOPT:
            _adopted(s, pack, today, adoption)
        else:
            s.stage = {
                DecisionOutcome.NOT_ADOPT: Stage.NOT_ADOPTED,
                DecisionOutcome.RETURN: Stage.RETURNED,
                DecisionOutcome.TRANSFER: Stage.TRANSFERRED,
            }[DecisionOutcome(outcome)]
        s.save(
            update_fields=["stage", "decision_due", "department", "implement_by", "adopted_implement_by", "plan_due"]
        )
        _record(
            SuggestionEntry.DECIDED,
            s,
            actor,
            entries.decided_body(decision, s.proposal_id, [u.pk for u in members]),
            {"explanation": explanation},
        )
        ground_label = pack.grounds[ground].label if ground else ""
        if outcome == DecisionOutcome.TRANSFER:
            channel = TransferChannel.CIVIL_COMPLAINT if ground == "civil_complaint" else TransferChannel.OTHER_AGENCY
            transfer = Transfer.objects.create(
                decision=decision, channel=channel, recipient=recipient, reference=reference, transferred_on=today
            )
            _record(SuggestionEntry.TRANSFERRED, s, actor, entries.transferred_body(transfer))
            _tell(_proposers(s), s, actor, step="transfer", text=recipient, ground=ground_label)
        elif outcome == DecisionOutcome.ADOPT:
            if s.implement_by is not None:
                _tell(_proposers(s), s, actor, step="adopt_dated", date=s.implement_by)
            else:
                _tell(_proposers(s), s, actor, step="adopt")
            _tell(_liaisons(s.department), s, actor, step="adopt")
        elif outcome == DecisionOutcome.NOT_ADOPT and decision.reexamination_until is not None:
            _tell(_proposers(s), s, actor, step="not_adopt", ground=ground_label, date=decision.reexamination_until)
        elif outcome == DecisionOutcome.NOT_ADOPT:
            _tell(_proposers(s), s, actor, step="not_adopt_final", ground=ground_label)
        else:
            _tell(_proposers(s), s, actor, step="return", ground=ground_label)
    return decision


# ---------------------------------------------------------------- re-examination (재심사)


def request_reexamination(
    *, actor: User, suggestion: Suggestion, reason: str, today: date | None = None
) -> Reexamination:
    today = _today(today)
    reason = _text(reason, "reason")
    with transaction.atomic():
        s = _locked(suggestion)
        if not rules.is_proposer(actor, s):
            raise Forbidden(_("Only the proposer can ask for re-examination."))
        if s.stage != Stage.NOT_ADOPTED or rules.has_reexamination(s):
            raise DomainError(_("Only a suggestion that was not adopted can be examined again, once."), code="closed")
        later = rules.refined_as(s)
        if later is not None:
            raise DomainError(
                _("This suggestion was reopened for refinement as no. %(number)s; that one is examined instead.")
                % {"number": later.receipt_number},
                code="refined",
            )
        first = s.decisions.get(round=Round.FIRST)
        if first.reexamination_until is None:
            raise DomainError(_("The rules this suggestion follows set no re-examination."), code="no_reexamination")
        if not first.decided_on <= today <= first.reexamination_until:
            raise DomainError(
                _("Re-examination could be asked for until %(date)s.")
                % {"date": first.reexamination_until.isoformat()},
                code="window_closed",
            )
        pack = clocks.pack_for(s)
        request = Reexamination.objects.create(
            suggestion=s,
            reason=reason,
            requested_on=today,
            requested_by=actor,
            due=clocks.due_date(pack, "reexamination_decision", today),
        )
        s.stage = Stage.REEXAMINING
        s.save(update_fields=["stage"])
        _record(
            SuggestionEntry.REEXAMINATION_REQUESTED, s, actor, entries.reexamination_body(request), {"reason": reason}
        )
        _tell(office_team(s.office), s, actor, step="reexamination_requested")
    return request


def decide_reexamination(
    *,
    actor: User,
    suggestion: Suggestion,
    outcome: str,
    explanation: str,
    panel: Sequence[User],
    ground: str = "",
    adoption: Adoption = Adoption(),
    today: date | None = None,
) -> Decision:
    """Adopt after all, or keep the decision not to adopt; by a panel with no one from the first review."""
    today = _today(today)
    explanation = _text(explanation, "explanation")
    if outcome not in (DecisionOutcome.ADOPT, DecisionOutcome.NOT_ADOPT):
        raise DomainError(
            _("A re-examination adopts the suggestion or keeps the decision not to adopt it."),
            code="required",
            field="outcome",
        )
    with transaction.atomic():
        s = _locked(suggestion)
        if not rules.can_handle(actor, s):
            raise Forbidden(_("Only the suggestion office decides a re-examination."))
        if s.stage != Stage.REEXAMINING:
            raise DomainError(_("No re-examination is waiting for a decision."), code="closed")
        request = s.reexamination
        if today < request.requested_on:
            raise DomainError(_("The date cannot be before the request."), code="bad_date")
        pack = clocks.pack_for(s)
        ground = _check_ground(pack, outcome, ground)
        first = s.decisions.get(round=Round.FIRST)
        members = _check_panel(s, panel, exclude={u.pk for u in first.panel.all()})
        decision = Decision.objects.create(
            suggestion=s,
            round=Round.REEXAMINATION,
            outcome=outcome,
            ground=ground,
            explanation=explanation,
            decided_on=today,
            due=request.due,
            on_time=None if request.due is None else today <= request.due,
            decided_by=actor,
        )
        decision.panel.set(members)
        request.decision = decision
        request.save(update_fields=["decision"])
        if outcome == DecisionOutcome.ADOPT:
            _adopted(s, pack, today, adoption)
        else:
            s.stage = Stage.NOT_ADOPTED
        s.save(update_fields=["stage", "department", "implement_by", "adopted_implement_by", "plan_due"])
        _record(
            SuggestionEntry.DECIDED,
            s,
            actor,
            entries.decided_body(decision, s.proposal_id, [u.pk for u in members]),
            {"explanation": explanation},
        )
        if outcome == DecisionOutcome.ADOPT:
            _tell(_proposers(s), s, actor, step="reexamination_adopt")
            _tell(_liaisons(s.department), s, actor, step="reexamination_adopt")
        else:
            _tell(_proposers(s), s, actor, step="reexamination_upheld", ground=pack.grounds[ground].label)
    return decision


# ---------------------------------------------------------------- implementation


def plan_implementation(
    *,
    actor: User,
    suggestion: Suggestion,
    text: str,
    implement_by: date,
    department: Organisation | None = None,
    today: date | None = None,
) -> Plan:
    today = _today(today)
    text = _text(text, "text")
    with transaction.atomic():
        s = _locked(suggestion)
        if not rules.can_implement(actor, s):
            raise Forbidden(_("Only the suggestion office or the implementing department can plan implementation."))
        if Plan.objects.filter(suggestion=s).exists():
            raise DomainError(_("The plan is already set; a later date is a delay notice."), code="planned")
        if implement_by < today:
            raise DomainError(
                _("The planned implementation date cannot be in the past."), code="bad_date", field="implement_by"
            )
        if department is not None:
            if not rules.is_office(actor, s.office):
                raise Forbidden(_("Only the suggestion office chooses the implementing department."))
            _check_department(s, department)
            s.department = department
        plan = Plan.objects.create(
            suggestion=s,
            text=text,
            implement_by=implement_by,
            planned_on=today,
            on_time=None if s.plan_due is None else today <= s.plan_due,
            planned_by=actor,
        )
        s.implement_by = implement_by
        s.save(update_fields=["implement_by", "department"])
        _record(SuggestionEntry.PLANNED, s, actor, entries.planned_body(plan, s.department_id), {"text": text})
        _tell(_proposers(s), s, actor, step="planned", date=implement_by)
    return plan


def notify_delay(
    *, actor: User, suggestion: Suggestion, reason: str, new_date: date, today: date | None = None
) -> DelayNotice:
    """Implementation will be late: the proposer is told why and the new date."""
    today = _today(today)
    reason = _text(reason, "reason")
    with transaction.atomic():
        s = _locked(suggestion)
        if not rules.can_implement(actor, s):
            raise Forbidden(_("Only the suggestion office or the implementing department can notify a delay."))
        if s.implement_by is None:
            raise DomainError(_("No implementation date has been set yet: set the plan first."), code="no_date")
        if new_date <= s.implement_by or new_date < today:
            raise DomainError(
                _("The new date must be later than %(date)s.") % {"date": s.implement_by.isoformat()},
                code="bad_date",
                field="new_date",
            )
        notice = DelayNotice.objects.create(
            suggestion=s,
            reason=reason,
            previous_date=s.implement_by,
            new_date=new_date,
            notified_on=today,
            notified_by=actor,
        )
        s.implement_by = new_date
        s.save(update_fields=["implement_by"])
        _record(SuggestionEntry.DELAYED, s, actor, entries.delayed_body(notice), {"reason": reason})
        _tell(_proposers(s), s, actor, step="delayed", date=new_date, text=reason[:200])
    return notice


def _pending_declaration(s: Suggestion) -> CannotImplement | None:
    return s.cannot_implement.filter(ruling__isnull=True).first()


def declare_cannot_implement(
    *, actor: User, suggestion: Suggestion, reason: str, today: date | None = None
) -> CannotImplement:
    today = _today(today)
    reason = _text(reason, "reason")
    with transaction.atomic():
        s = _locked(suggestion)
        if not rules.can_implement(actor, s):
            raise Forbidden(_("Only the suggestion office or the implementing department can declare this."))
        if _pending_declaration(s) is not None:
            raise DomainError(_("A declaration is already waiting for the office's ruling."), code="pending")
        declaration = CannotImplement.objects.create(suggestion=s, reason=reason, declared_on=today, declared_by=actor)
        _record(SuggestionEntry.CANNOT_IMPLEMENT, s, actor, entries.cannot_body(declaration), {"reason": reason})
        _tell([*_proposers(s), *office_team(s.office)], s, actor, step="cannot_implement")
    return declaration


def rule_on_implementation(
    *,
    actor: User,
    suggestion: Suggestion,
    kind: str,
    note: str,
    new_date: date | None = None,
    today: date | None = None,
) -> Ruling:
    """The office rules: implemented; or, on a declaration that it cannot be, accepted (it ends
    there) or not accepted (with the date it must now be implemented by)."""
    today = _today(today)
    note = _text(note, "note")
    if kind not in RulingKind.values:
        raise DomainError(_("Please choose a ruling."), code="required", field="kind")
    with transaction.atomic():
        s = _locked(suggestion)
        if not rules.can_rule(actor, s):
            raise Forbidden(_("Only the suggestion office rules on implementation."))
        pending = _pending_declaration(s)
        if kind == RulingKind.IMPLEMENTED and pending is not None:
            raise DomainError(_("Rule first on the declaration that it cannot be implemented."), code="pending")
        if kind != RulingKind.IMPLEMENTED and pending is None:
            raise DomainError(_("No declaration that it cannot be implemented is waiting."), code="no_declaration")
        if kind == RulingKind.CANNOT_REJECTED and (new_date is None or new_date < today):
            raise DomainError(
                _("Give the date it must now be implemented by (today or later)."), code="bad_date", field="new_date"
            )
        ruling = Ruling.objects.create(
            suggestion=s,
            kind=kind,
            declaration=pending,
            note=note,
            ruled_on=today,
            new_date=new_date if kind == RulingKind.CANNOT_REJECTED else None,
            ruled_by=actor,
        )
        if kind == RulingKind.IMPLEMENTED:
            s.stage, s.implemented_on = Stage.IMPLEMENTED, today
        elif kind == RulingKind.CANNOT_ACCEPTED:
            s.stage = Stage.NOT_IMPLEMENTABLE
        else:
            s.implement_by = new_date
        s.save(update_fields=["stage", "implemented_on", "implement_by"])
        _record(SuggestionEntry.RULED, s, actor, entries.ruled_body(ruling), {"note": note})
        _tell([*_proposers(s), *_liaisons(s.department)], s, actor, step=str(kind), date=new_date, text=note[:200])
    return ruling


# ---------------------------------------------------------------- measured effect

# A sum in won or hours beyond this is a typing error, not an effect.
MAX_AMOUNT = 10**15
MAX_HOURS = 10**9
EFFECT_STAGES = (Stage.ADOPTED, Stage.IMPLEMENTED)


@dataclass(frozen=True)
class EffectFigures:
    """An effect's figures: won saved and raised, hours saved for citizens and for staff, and the
    non-financial effect in words."""

    budget_saved_krw: Any = 0
    revenue_krw: Any = 0
    citizen_hours: Any = 0
    staff_hours: Any = 0
    other: str = ""


def _whole(value: Any, field: str, limit: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= limit:
        raise DomainError(_("Enter a whole number, zero or more."), code="invalid", field=field)
    return value


@dataclass(frozen=True)
class _Checked:
    budget: int
    revenue: int
    citizen_hours: int
    staff_hours: int
    other: str


def _check_figures(figures: EffectFigures) -> _Checked:
    checked = _Checked(
        budget=_whole(figures.budget_saved_krw, "budget_saved_krw", MAX_AMOUNT),
        revenue=_whole(figures.revenue_krw, "revenue_krw", MAX_AMOUNT),
        citizen_hours=_whole(figures.citizen_hours, "citizen_hours", MAX_HOURS),
        staff_hours=_whole(figures.staff_hours, "staff_hours", MAX_HOURS),
        other=_text(figures.other, "other", required=False),
    )
    if not (checked.budget or checked.revenue or checked.citizen_hours or checked.staff_hours or checked.other):
        raise DomainError(_("Give at least one figure or the non-financial effect."), code="required", field="other")
    return checked


def record_effect(
    *,
    actor: User,
    suggestion: Suggestion,
    measure: str,
    figures: EffectFigures,
    evidence: str,
    upload: UploadedFile | None = None,
    today: date | None = None,
) -> Effect:
    """The office records what an adopted suggestion is expected to bring (projected) or, once it is
    implemented, what it brought (actual), with evidence in words and an optional file."""
    today = _today(today)
    if measure not in Measure.values:
        raise DomainError(_("Choose projected or actual."), code="required", field="measure")
    numbers = _check_figures(figures)
    evidence = _text(evidence, "evidence")
    checked = check_upload(upload) if upload is not None else None
    with transaction.atomic():
        s = _locked(suggestion)
        if not rules.can_handle(actor, s):
            raise Forbidden(_("Only the suggestion office records a suggestion's effect."))
        if s.stage not in EFFECT_STAGES:
            raise DomainError(_("Only an adopted suggestion has an effect to record."), code="not_adopted")
        if measure == Measure.ACTUAL and s.stage != Stage.IMPLEMENTED:
            raise DomainError(
                _("The actual effect is recorded once the suggestion is implemented."), code="not_implemented"
            )
        if s.effects.filter(measure=measure, superseded_on__isnull=True).exists():
            raise DomainError(
                _("This effect has already been recorded; correct it instead."), code="duplicate", field="measure"
            )
        effect = _new_effect(s, measure, numbers, evidence, checked, actor, today)
        effect.save()
        _record(
            SuggestionEntry.EFFECT,
            s,
            actor,
            entries.effect_body(effect),
            {"other": numbers.other, "evidence": evidence},
        )
    return effect


def _new_effect(
    s: Suggestion, measure: str, n: _Checked, evidence: str, upload: CheckedUpload | None, actor: User, today: date
) -> Effect:
    effect = Effect(
        suggestion=s,
        measure=measure,
        budget_saved_krw=n.budget,
        revenue_krw=n.revenue,
        citizen_hours=n.citizen_hours,
        staff_hours=n.staff_hours,
        other=n.other,
        evidence=evidence,
        recorded_on=today,
        recorded_by=actor,
    )
    if upload is not None:
        effect.evidence_token = secrets.token_hex(16)
        effect.evidence_extension = upload.extension
        effect.evidence_name = upload.name
        effect.evidence_sha256 = upload.sha256
        effect.evidence_file.save("upload", ContentFile(upload.data), save=False)
    return effect


def correct_effect(
    *,
    actor: User,
    effect: Effect,
    figures: EffectFigures,
    evidence: str,
    reason: str,
    upload: UploadedFile | None = None,
    today: date | None = None,
) -> Effect:
    """Correct a recorded effect: a new record with the right figures replaces it, naming it and
    saying why; the earlier figures stay, marked superseded, and both keep their ledger entries.
    Without a new file the correction keeps the earlier evidence file (the same hash)."""
    today = _today(today)
    numbers = _check_figures(figures)
    evidence = _text(evidence, "evidence")
    reason = _text(reason, "reason")
    checked = check_upload(upload) if upload is not None else None
    with transaction.atomic():
        s = _locked(effect.suggestion)
        if not rules.can_handle(actor, s):
            raise Forbidden(_("Only the suggestion office corrects a suggestion's effect."))
        earlier = Effect.objects.select_for_update().get(pk=effect.pk)
        if earlier.superseded_on is not None:
            raise DomainError(
                _("This record was already corrected: correct the latest one."), code="superseded", field="effect"
            )
        if s.stage not in selectors.ADOPTED_STAGES:  # after a ruling that it cannot be implemented, too
            raise DomainError(_("Only an adopted suggestion has an effect to correct."), code="not_adopted")
        if today < earlier.recorded_on:
            raise DomainError(_("The date cannot be before the record it corrects."), code="bad_date")
        same = (
            numbers.budget == earlier.budget_saved_krw
            and numbers.revenue == earlier.revenue_krw
            and numbers.citizen_hours == earlier.citizen_hours
            and numbers.staff_hours == earlier.staff_hours
            and numbers.other == earlier.other
            and evidence == earlier.evidence
            and (checked is None or checked.sha256 == earlier.evidence_sha256)
        )
        if same:
            raise DomainError(_("The correction changes nothing."), code="unchanged")
        earlier.superseded_on = today
        earlier.save(update_fields=["superseded_on"])
        correction = _new_effect(s, earlier.measure, numbers, evidence, checked, actor, today)
        if checked is None and earlier.evidence_sha256:
            # The same stored file, not a copy: its hash in both entries shows it is the same evidence.
            correction.evidence_file.name = earlier.evidence_file.name
            correction.evidence_token = earlier.evidence_token
            correction.evidence_extension = earlier.evidence_extension
            correction.evidence_name = earlier.evidence_name
            correction.evidence_sha256 = earlier.evidence_sha256
        correction.corrects = earlier
        correction.correction_reason = reason
        correction.save()
        _record(
            SuggestionEntry.EFFECT_CORRECTED,
            s,
            actor,
            entries.effect_corrected_body(correction),
            {"other": numbers.other, "evidence": evidence, "reason": reason},
        )
    return correction


# ---------------------------------------------------------------- awards (시상) and personnel credit


def same_idea(proposal: Proposal) -> set[int]:
    """The proposals that are one idea with this one: the proposal it was merged into (to the end of
    the chain) and every proposal merged into any of them."""
    root, seen = proposal, {proposal.pk}
    while root.merged_into_id is not None and root.merged_into_id not in seen:
        seen.add(root.merged_into_id)
        root = Proposal.objects.only("pk", "merged_into_id").get(pk=root.merged_into_id)
    idea, frontier = {root.pk}, {root.pk}
    while frontier:
        frontier = set(Proposal.objects.filter(merged_into_id__in=frontier).values_list("pk", flat=True)) - idea
        idea |= frontier
    return idea | seen


def award(
    *,
    actor: User,
    suggestion: Suggestion,
    grade: str,
    note: str,
    implementer: User | None = None,
    implementer_note: str = "",
    today: date | None = None,
) -> Award:
    """The office grades an adopted suggestion with one of its pack's grades (the amount is the
    pack's), and may recognise the liaison who implemented it. One award per idea: a proposal
    merged into an awarded one, or the other way round, is refused, and so is an idea another
    agency received first (`objections`, registered by the first-to-file check)."""
    today = _today(today)
    note = _text(note, "note")
    implementer_note = _text(implementer_note, "implementer_note", required=implementer is not None)
    with transaction.atomic():
        s = _locked(suggestion)
        if not rules.can_handle(actor, s):
            raise Forbidden(_("Only the suggestion office awards suggestions."))
        if s.stage not in EFFECT_STAGES:
            raise DomainError(_("Only an adopted suggestion can be awarded."), code="not_adopted")
        pack = clocks.pack_for(s)
        if not pack.grades:
            raise DomainError(
                _("The rules %(pack)s set no award grades: none could be confirmed in their text.")
                % {"pack": pack.title},
                code="no_grades",
                field="grade",
            )
        found = next((g for g in pack.grades if g.code == grade), None)
        if found is None:
            raise DomainError(_("Choose one of the grades the rules give."), code="bad_grade", field="grade")
        if Award.objects.filter(suggestion=s).exists():
            raise DomainError(_("This suggestion has already been awarded."), code="duplicate")
        other = (
            Award.objects.filter(suggestion__proposal_id__in=same_idea(s.proposal)).select_related("suggestion").first()
        )
        if other is not None:
            raise DomainError(
                _("The same idea was already awarded as suggestion no. %(number)s (merged proposals share one award).")
                % {"number": other.suggestion.receipt_number},
                code="duplicate",
            )
        # The apps above (the first-to-file check across agencies) may object: another agency
        # received the same idea first, as the office ruled, or a match with an earlier filing
        # elsewhere waits for its ruling (docs/suggestions.md, "Double awards").
        objection = objections.to_award(s)
        if objection is not None:
            raise DomainError(objection.message, code=objection.code)
        if implementer is not None and (
            s.department is None
            or not implementer.is_active
            or not people_rules.is_liaison_for(implementer, s.department)
        ):
            raise DomainError(
                _("The implementer recognised must be a liaison of the implementing department."),
                code="bad_implementer",
                field="implementer",
            )
        a = Award.objects.create(
            suggestion=s,
            grade=found.code,
            grade_label=found.label,
            rank=found.rank,
            amount_krw=found.amount_krw,
            pack_key=pack.key,
            note=note,
            implementer=implementer,
            implementer_note=implementer_note,
            awarded_on=today,
            awarded_by=actor,
        )
        _record(
            SuggestionEntry.AWARDED,
            s,
            actor,
            entries.awarded_body(a),
            {"note": note, "implementer_note": implementer_note},
        )
        _tell(_proposers(s), s, actor, step="awarded", text=found.label)
        if implementer is not None:
            _tell([implementer], s, actor, step="awarded_implementer", text=found.label)
    return a


def _locked_award(award: Award) -> tuple[Award, Suggestion]:
    s = _locked(award.suggestion)
    return Award.objects.select_for_update().get(pk=award.pk), s


def add_personnel_credit(
    *,
    actor: User,
    award: Award,
    person: User,
    kind: str,
    note: str,
    points: Any = None,
    today: date | None = None,
) -> PersonnelCredit:
    """A personnel credit (특별승진, 특별승급 or 실적 가점) for an official who proposed or implemented
    an awarded suggestion, kept for the HR office."""
    today = _today(today)
    note = _text(note, "note")
    if kind not in CreditKind.values:
        raise DomainError(_("Choose a kind of credit."), code="required", field="kind")
    if kind == CreditKind.MERIT_POINTS:
        try:
            value = Decimal(str(points)) if points not in (None, "") else None
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite() or not Decimal(0) < value < Decimal(10000):
            raise DomainError(_("Give the merit points, more than zero."), code="invalid", field="points")
        points = value.quantize(Decimal("0.01"))
    elif points not in (None, ""):
        raise DomainError(_("Only merit points take a number."), code="invalid", field="points")
    else:
        points = None
    with transaction.atomic():
        a, s = _locked_award(award)
        if not rules.can_handle(actor, s):
            raise Forbidden(_("Only the suggestion office records personnel credit."))
        official_proposer = s.proposer_kind == ProposerKind.OFFICIAL and person.pk in s.proposal.author_ids()
        if not person.is_active or person.is_citizen or not (official_proposer or person.pk == a.implementer_id):
            raise DomainError(
                _("Personnel credit goes to an official who proposed or implemented this suggestion."),
                code="bad_person",
                field="person",
            )
        if a.credits.filter(person=person, kind=kind).exists():
            raise DomainError(_("This credit has already been recorded."), code="duplicate", field="kind")
        credit = PersonnelCredit.objects.create(
            award=a, person=person, kind=kind, points=points, note=note, recorded_on=today, recorded_by=actor
        )
        _record(SuggestionEntry.CREDITED, s, actor, entries.credit_body(credit), {"note": note})
        _tell([person], s, actor, step="credited", text=str(CreditKind(kind).label))
    return credit


def recommend(*, actor: User, award: Award, note: str, today: date | None = None) -> Award:
    """Recommend an awarded suggestion upward as a 자체우수제안 (공무원 제안 규정 제2조제4호), with the
    package note that goes with it."""
    today = _today(today)
    note = _text(note, "note")
    with transaction.atomic():
        a, s = _locked_award(award)
        if not rules.can_handle(actor, s):
            raise Forbidden(_("Only the suggestion office recommends suggestions."))
        if a.recommended_on is not None:
            raise DomainError(_("This suggestion has already been recommended."), code="duplicate")
        a.recommended_on, a.recommendation_note = today, note
        a.save(update_fields=["recommended_on", "recommendation_note"])
        _record(SuggestionEntry.RECOMMENDED, s, actor, entries.recommended_body(a), {"recommendation_note": note})
        _tell(_proposers(s), s, actor, step="recommended")
    return a


# ---------------------------------------------------------------- reminders (the worker's upkeep)


def send_reminders(*, today: date | None = None) -> list[Reminder]:
    """Tell the office of every clock due within `clocks.DUE_SOON_WORKING_DAYS` working days, and again
    (with a ledger entry) once it has passed. Each notice goes once per clock, due date and stage;
    a run that comes late sends every notice it missed, in order, so none is skipped. Safe on several
    workers at once: the unique row decides who sends."""
    today = _today(today)
    sent: list[Reminder] = []
    waiting = (
        Suggestion.objects.filter(stage__in=[Stage.REVIEWING, Stage.REEXAMINING, Stage.ADOPTED])
        .select_related("proposal", "office__organisation", "office__standing_call__organisation", "department")
        .prefetch_related("supplements", "cannot_implement", "decision_extensions")
    )
    for s in waiting:
        try:
            clock = selectors.running_clock(s, today)
        except DomainError:
            continue  # its pack cannot be used: the desk shows why
        if clock is None or clock.due is None:
            continue  # no period, or stopped by a supplement
        stages = []
        if clocks.is_due_soon(today, clock.due) or clock.overdue:
            stages.append(ReminderStage.DUE_SOON)
        if clock.overdue:
            stages.append(ReminderStage.OVERDUE)
        for stage in stages:
            reminder = _send(s, clock.name, clock.due, stage, today)
            if reminder is not None:
                sent.append(reminder)
    return sent


def _send(s: Suggestion, clock: str, due_on: date, stage: str, today: date) -> Reminder | None:
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(suggestion=s, clock=clock, due=due_on, stage=stage, sent_on=today)
            users = office_team(s.office) + (_liaisons(s.department) if clock.startswith("implementation") else [])
            notify(
                users=users,
                kind=NotificationKind.SUGGESTION_DUE,
                proposal=s.proposal,
                params={
                    "clock": clock,
                    "stage": stage,
                    "date": due_on.isoformat(),
                    "n": clocks.working_days_to(today, due_on),
                },
            )
            if stage == ReminderStage.OVERDUE:
                _record(SuggestionEntry.OVERDUE, s, None, entries.overdue_body(reminder))
    except IntegrityError:
        return None  # sent already (by this run's predecessor or another worker)
    return reminder
