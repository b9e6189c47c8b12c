"""Writes for labs: creation from a selected proposal, volunteering, the consent process,
the journal and its companions, term extension and closure."""

import secrets
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madang.calls.models import Outcome, Proposal
from madang.core.errors import DomainError, Forbidden
from madang.core.texts import clean_text
from madang.core.uploads import check_upload
from madang.followup.services import route_proposal
from madang.inbox.models import NotificationKind
from madang.inbox.services import notify
from madang.labs import ledger_entries as entries
from madang.labs import notifications as lab_news
from madang.labs import rules
from madang.labs.ledger_entries import LabEntry
from madang.labs.models import (
    DUTIES,
    DecisionState,
    Experiment,
    ExperimentState,
    JournalAttachment,
    JournalEntry,
    Lab,
    LabDecision,
    LabOutcome,
    LabReport,
    LabState,
    Membership,
    MemberState,
    Milestone,
    Objection,
    ReportKind,
)
from madang.labs.screening import DECISION, EXPERIMENT, EXPERIMENT_FIELDS, JOURNAL, MILESTONE, OBJECTION, REPORT
from madang.ledger import services as ledger
from madang.people.models import Organisation, Role, RoleGrant, User
from madang.privacy import exposure
from madang.privacy import selectors as privacy_reads
from madang.privacy import services as privacy

MIN_MEMBERS = 2
MIN_MONTHS, MAX_MONTHS, MAX_EXTENSION_MONTHS = 3, 6, 3


def _months_between(start: date, end: date) -> float:
    return (end - start).days / 30.4375


def _text(value: str, field: str, limit: int = 10_000, required: bool = True) -> str:
    return clean_text(value, field=field, limit=limit, required=required)


def _members(lab: Lab) -> list[User]:
    return [m.user for m in lab.memberships.filter(state=MemberState.MEMBER).select_related("user")]


def _require_member(actor: User, lab: Lab) -> None:
    if not rules.can_work(actor, lab):
        raise Forbidden(_("Only members of a lab that is not closed can do this."))


def create_lab(
    *,
    actor: User,
    proposal: Proposal,
    slug: str,
    title: str,
    home: Organisation,
    starts_on: date,
    ends_on: date,
    mission: str = "",
) -> Lab:
    if not rules.is_innovation_team(actor, proposal.call):
        raise Forbidden(_("Only the innovation team creates labs."))
    if proposal.outcome != Outcome.SELECTED:
        raise DomainError(_("A lab works on a proposal selected for a lab."), code="not_selected")
    if Lab.objects.filter(proposal=proposal).exists():
        raise DomainError(_("This proposal already has a lab."), code="duplicate")
    months = _months_between(starts_on, ends_on)
    if not MIN_MONTHS - 0.05 <= months <= MAX_MONTHS + 0.05:
        raise DomainError(_("A lab runs for 3 to 6 months."), code="bad_term", field="ends_on")
    with transaction.atomic():
        lab = Lab.objects.create(
            proposal=proposal,
            slug=slug,
            title=_text(title, "title", 200),
            mission=_text(mission, "mission", required=False),
            home=home,
            starts_on=starts_on,
            ends_on=ends_on,
            created_by=actor,
        )
        ledger.record(kind=LabEntry.CREATED, subject=f"lab:{lab.pk}", actor_id=actor.pk, data=entries.created_body(lab))
    return lab


def apply_to_lab(*, actor: User, lab: Lab, motivation: str) -> Membership:
    if not rules.can_apply(actor, lab):
        raise DomainError(
            _("You cannot volunteer for this lab (already a member or applicant, or it is closed)."),
            code="cannot_apply",
        )
    return Membership.objects.create(
        lab=lab, user=actor, motivation=_text(motivation, "motivation", 2000), home_department=actor.department
    )


def confirm_member(*, actor: User, membership: Membership, accept: bool = True) -> Membership:
    if not rules.can_confirm(actor, membership.lab):
        raise Forbidden(_("The innovation team confirms volunteers."))
    if membership.state != MemberState.APPLIED:
        raise DomainError(_("This application has already been handled."), code="handled")
    with transaction.atomic():
        membership.state = MemberState.MEMBER if accept else MemberState.DECLINED
        membership.joined_at = timezone.now() if accept else None
        membership.save(update_fields=["state", "joined_at"])
        if accept:
            ledger.record(
                kind=LabEntry.MEMBER_JOINED,
                subject=f"lab:{membership.lab_id}",
                actor_id=actor.pk,
                data=entries.member_body(membership),
            )
    return membership


def start_lab(*, actor: User, lab: Lab) -> Lab:
    if not rules.can_manage(actor, lab):
        raise Forbidden(_("The innovation team starts labs."))
    if lab.state != LabState.FORMING:
        raise DomainError(_("This lab has already started."), code="started")
    if len(_members(lab)) < MIN_MEMBERS:
        raise DomainError(_("A lab cannot start with fewer than two members."), code="too_few_members")
    with transaction.atomic():
        lab.state = LabState.RUNNING
        lab.started_at = timezone.now()
        lab.save(update_fields=["state", "started_at"])
        ledger.record(
            kind=LabEntry.STARTED, subject=f"lab:{lab.pk}", actor_id=actor.pk, data={"members": len(_members(lab))}
        )
    return lab


def leave_lab(*, actor: User, lab: Lab, reason: str = "") -> Membership:
    membership = lab.memberships.filter(user=actor, state__in=[MemberState.MEMBER, MemberState.APPLIED]).first()
    if membership is None:
        raise DomainError(_("You are not in this lab."), code="not_member")
    membership.state = MemberState.LEFT
    membership.left_at = timezone.now()
    membership.left_reason = _text(reason, "reason", 300, required=False)
    membership.save(update_fields=["state", "left_at", "left_reason"])
    return membership


def _department_liaisons(dept: Organisation | None) -> list[User]:
    if dept is None:
        return []
    ancestors = [int(x) for x in dept.path.strip("/").split("/") if x]
    return [
        g.user
        for g in RoleGrant.objects.filter(role=Role.LIAISON, organisation_id__in=ancestors).select_related("user")
    ]


def set_released_duties(*, actor: User, lab: Lab, duties: Iterable[str]) -> Membership:
    """A member records which routine duties they are freed from; their home department is told."""
    membership = lab.memberships.filter(user=actor, state=MemberState.MEMBER).select_related("home_department").first()
    if membership is None:
        raise Forbidden(_("Only members record their released duties."))
    known = {k for k, _label in DUTIES}
    chosen = sorted(set(duties))
    if set(chosen) - known:
        raise DomainError(_("Unknown duty."), code="bad_duty")
    with transaction.atomic():
        membership.released_duties = chosen
        membership.save(update_fields=["released_duties"])
        # The home department is told which duties it must cover (stored as codes, named in each reader's language).
        notify(
            users=_department_liaisons(membership.home_department),
            kind=NotificationKind.LAB,
            proposal=lab.proposal,
            params={
                "event": lab_news.DUTIES_RELEASED,
                "member": actor.display_name,
                "lab": lab.title,
                "duties": chosen,
            },
        )
    return membership


# ---------------------------------------------------------------- decisions by consent


def propose_decision(
    *, actor: User, lab: Lab, title: str, body: str, consent_days: int = 3, personal_data_ok: bool = False
) -> LabDecision:
    """Propose a decision by consent. Screened for personal data (labs/screening.py): a confirmed
    resident registration number or the like holds it, and the members hear of it on release."""
    _require_member(actor, lab)
    if not 1 <= consent_days <= 14:
        raise DomainError(_("The consent window is 1 to 14 days."), code="bad_window", field="consent_days")
    title, body = _text(title, "title", 200), _text(body, "body", 5000)
    found = exposure.in_texts({"title": title, "body": body})
    exposure.screen(found, confirmed=personal_data_ok, field_labels={"title": _("Decision"), "body": _("Details")})
    with transaction.atomic():
        decision = LabDecision.objects.create(
            lab=lab,
            title=title,
            body=body,
            proposed_by=actor,
            consent_until=timezone.now() + timedelta(days=consent_days),
        )
        row = privacy.note_exposure(
            actor=actor, place=DECISION, object_id=decision.pk, found=found, organisation=_moderators_of(lab)
        )
        if row is None or not row.is_held:
            _announce(decision)
    return decision


def _moderators_of(lab: Lab) -> Organisation:
    return lab.proposal.call.organisation


def _announce(decision: LabDecision) -> None:
    lab, by = decision.lab, decision.proposed_by
    until = timezone.localtime(decision.consent_until).strftime("%Y-%m-%d %H:%M")
    notify(
        users=_members(lab),
        kind=NotificationKind.LAB,
        proposal=lab.proposal,
        actor=by,
        params={
            "event": lab_news.DECISION_PROPOSED,
            "member": by.display_name,
            "decision": decision.title,
            "until": until,
        },
    )


def release_held_decision(*, actor: User, object_id: int) -> None:
    """A moderator releases a held decision (privacy.services.decide_exposure checked the right):
    its window to object starts again now, as long as it was, and the members hear of it."""
    decision = LabDecision.objects.select_for_update().select_related("lab__proposal", "proposed_by").get(pk=object_id)
    if decision.state != DecisionState.OPEN:
        return
    decision.consent_until = timezone.now() + (decision.consent_until - decision.proposed_at)
    decision.save(update_fields=["consent_until"])
    _announce(decision)


def _open_decision(object_id: int) -> LabDecision:
    decision = LabDecision.objects.select_for_update().get(pk=object_id)
    if decision.state == DecisionState.PASSED:
        # Its title and text are committed to in the public ledger (lab.decision_passed).
        raise DomainError(
            _("A decision that passed is in the public ledger: the lab's members must propose a corrected one."),
            code="passed",
        )
    return decision


def mask_decision(*, actor: User, object_id: int) -> None:
    """A moderator edits out what the filter found in a decision not yet passed, then releases it."""
    decision = _open_decision(object_id)
    decision.title = exposure.masked_all(decision.title)
    decision.body = exposure.masked_all(decision.body)
    decision.save(update_fields=["title", "body"])
    release_held_decision(actor=actor, object_id=object_id)


def delete_held_decision(*, actor: User, object_id: int) -> None:
    """A moderator deletes a flagged decision not yet passed, with its objections."""
    _open_decision(object_id).delete()


def object_to(*, actor: User, decision: LabDecision, reason: str, personal_data_ok: bool = False) -> Objection:
    """Object to an open decision. The reason is screened for personal data (labs/screening.py): a
    held objection still stands, its text withheld from the other members until a moderator decides."""
    _require_member(actor, decision.lab)
    settle_decision(decision=decision)
    if decision.state != DecisionState.OPEN:
        raise DomainError(_("This decision is no longer open for objections."), code="closed")
    reason = _text(reason, "reason", 2000)
    found = exposure.in_text("reason", reason)
    exposure.screen(found, confirmed=personal_data_ok, field_labels={"reason": _("Reason")})
    with transaction.atomic():
        objection = Objection.objects.create(decision=decision, member=actor, reason=reason)
        privacy.note_exposure(
            actor=actor,
            place=OBJECTION,
            object_id=objection.pk,
            found=found,
            organisation=_moderators_of(decision.lab),
        )
    return objection


def resolve_objection(
    *, actor: User, objection: Objection, resolution: str, personal_data_ok: bool = False
) -> Objection:
    """Only the member who objected can withdraw their objection, saying how it was resolved (screened
    as the objection was; what it shows is added to the objection's screening)."""
    if objection.member_id != actor.pk:
        raise Forbidden(_("Only the member who objected can resolve the objection."))
    if objection.resolved_at is not None:
        raise DomainError(_("This objection is already resolved."), code="resolved")
    resolution = _text(resolution, "resolution", 2000)
    found = exposure.in_text("resolution", resolution)
    exposure.screen(found, confirmed=personal_data_ok, field_labels={"resolution": _("How it was resolved")})
    with transaction.atomic():
        objection.resolution = resolution
        objection.resolved_at = timezone.now()
        objection.save(update_fields=["resolution", "resolved_at"])
        privacy.note_exposure(
            actor=actor,
            place=OBJECTION,
            object_id=objection.pk,
            found=found,
            organisation=_moderators_of(objection.decision.lab),
            add=True,
        )
    return objection


def release_held_objection(*, actor: User, object_id: int) -> None:
    """A moderator releases a held objection: the members read it once its screening record is no
    longer held (privacy.services.decide_exposure, which checked the right), so nothing changes here."""


def mask_objection(*, actor: User, object_id: int) -> None:
    """A moderator edits out what the filter found in an objection and its resolution."""
    objection = Objection.objects.select_for_update().filter(pk=object_id).first()
    if objection is not None:
        objection.reason = exposure.masked_all(objection.reason)
        objection.resolution = exposure.masked_all(objection.resolution)
        objection.save(update_fields=["reason", "resolution"])


def delete_held_objection(*, actor: User, object_id: int) -> None:
    """A moderator deletes a flagged objection: it no longer stands in the decision's way."""
    Objection.objects.filter(pk=object_id).delete()


def withdraw_decision(*, actor: User, decision: LabDecision) -> LabDecision:
    if decision.proposed_by_id != actor.pk:
        raise Forbidden(_("Only the member who proposed it can withdraw a decision."))
    if decision.state != DecisionState.OPEN:
        raise DomainError(_("This decision is no longer open."), code="closed")
    decision.state = DecisionState.WITHDRAWN
    decision.settled_at = timezone.now()
    decision.save(update_fields=["state", "settled_at"])
    return decision


def settle_decision(*, decision: LabDecision, now: datetime | None = None) -> LabDecision:
    """Pass the decision if its window has closed with no open objection (idempotent)."""
    now = now or timezone.now()
    # The caller's copy may be stale: the worker's upkeep settles decisions in another process.
    decision.refresh_from_db(fields=["state", "settled_at", "consent_until"])
    if decision.state != DecisionState.OPEN or decision.consent_until > now:
        return decision
    if privacy_reads.is_held(DECISION, decision.pk):
        return decision  # the members have not seen it: it waits for a moderator (labs/screening.py)
    if decision.objections.filter(resolved_at__isnull=True).exists():
        return decision  # stays open until the objector resolves it
    with transaction.atomic():
        changed = LabDecision.objects.filter(pk=decision.pk, state=DecisionState.OPEN).update(
            state=DecisionState.PASSED, settled_at=now
        )
        if changed:
            decision.state, decision.settled_at = DecisionState.PASSED, now
            ledger.record(
                kind=LabEntry.DECISION_PASSED,
                subject=f"lab:{decision.lab_id}",
                actor_id=None,
                data=entries.decision_body(decision),
                commitments={"title": decision.title, "text": decision.body},
            )
    return decision


def settle_due_decisions(*, now: datetime | None = None) -> int:
    """Pass every decision whose consent window has closed with no open objection; returns how many.

    Run by the worker's upkeep (jobs/registry.py) and by `madang settle_lab_decisions`, so that a
    decision passes on time whether or not anyone opens the lab's page. Safe on several workers
    at once: each decision passes by a compare-and-set update, and only the winner records it.
    """
    now = now or timezone.now()
    n = 0
    for d in LabDecision.objects.filter(state=DecisionState.OPEN, consent_until__lte=now).order_by(
        "consent_until", "pk"
    ):
        if settle_decision(decision=d, now=now).state == DecisionState.PASSED:
            n += 1
    return n


# ---------------------------------------------------------------- journal and companions


def add_journal_entry(
    *,
    actor: User,
    lab: Lab,
    body: str,
    happened_on: date | None = None,
    files: Iterable[UploadedFile] = (),
    personal_data_ok: bool = False,
) -> JournalEntry:
    """A journal entry, with files. Its text and its files' text are screened for personal data
    (labs/screening.py): refused with the findings masked unless the author confirms."""
    _require_member(actor, lab)
    happened_on = happened_on or timezone.localdate()
    if happened_on > timezone.localdate():
        raise DomainError(_("The date cannot be in the future."), code="bad_date", field="happened_on")
    checked = [check_upload(f) for f in files]  # all files are checked before anything is written
    body = _text(body, "body")
    found = exposure.in_text("body", body)
    for c in checked:
        if not c.content_type.startswith("image/"):
            found += exposure.in_file(c.name, c.data)
    exposure.screen(found, confirmed=personal_data_ok, field_labels={"body": _("entry")})
    with transaction.atomic():
        entry = JournalEntry.objects.create(lab=lab, author=actor, happened_on=happened_on, body=body)
        for c in checked:
            a = JournalAttachment(
                entry=entry,
                token=secrets.token_hex(16),
                extension=c.extension,
                original_name=c.name,
                content_type=c.content_type,
                size=len(c.data),
            )
            a.file.save("upload", ContentFile(c.data), save=False)
            a.save()
        privacy.note_exposure(
            actor=actor, place=JOURNAL, object_id=entry.pk, found=found, organisation=_moderators_of(lab)
        )
    return entry


def release_held_entry(*, actor: User, object_id: int) -> None:
    """A moderator releases a held entry: the journal shows it once its screening record is no
    longer held (privacy.services.decide_exposure, which checked the right), so nothing changes here."""


def mask_entry(*, actor: User, object_id: int) -> None:
    """A moderator edits out what the filter found in the entry's text (its files cannot be edited:
    delete the entry if a file is the problem)."""
    entry = JournalEntry.objects.select_for_update().filter(pk=object_id).first()
    if entry is not None:
        entry.body = exposure.masked_all(entry.body)
        entry.save(update_fields=["body"])


def delete_held_entry(*, actor: User, object_id: int) -> None:
    """A moderator deletes a flagged entry and its files."""
    entry = JournalEntry.objects.filter(pk=object_id).prefetch_related("attachments").first()
    if entry is None:
        return
    for a in entry.attachments.all():
        a.file.delete(save=False)
    entry.delete()


def add_milestone(*, actor: User, lab: Lab, title: str, due_on: date, personal_data_ok: bool = False) -> Milestone:
    """A milestone, its title screened for personal data (labs/screening.py)."""
    _require_member(actor, lab)
    title = _text(title, "title", 200)
    found = exposure.in_text("title", title)
    exposure.screen(found, confirmed=personal_data_ok, field_labels={"title": _("Milestone")})
    with transaction.atomic():
        milestone = Milestone.objects.create(lab=lab, title=title, due_on=due_on)
        privacy.note_exposure(
            actor=actor, place=MILESTONE, object_id=milestone.pk, found=found, organisation=_moderators_of(lab)
        )
    return milestone


def complete_milestone(*, actor: User, milestone: Milestone) -> Milestone:
    _require_member(actor, milestone.lab)
    milestone.done_on = timezone.localdate()
    milestone.save(update_fields=["done_on"])
    return milestone


def release_held_milestone(*, actor: User, object_id: int) -> None:
    """Shown once its screening record is no longer held: nothing changes here."""


def mask_milestone(*, actor: User, object_id: int) -> None:
    milestone = Milestone.objects.select_for_update().filter(pk=object_id).first()
    if milestone is not None:
        milestone.title = exposure.masked_all(milestone.title)
        milestone.save(update_fields=["title"])


def delete_held_milestone(*, actor: User, object_id: int) -> None:
    Milestone.objects.filter(pk=object_id).delete()


def record_experiment(
    *,
    actor: User,
    lab: Lab,
    hypothesis: str,
    method: str = "",
    state: str = ExperimentState.PLANNED,
    result: str = "",
    lesson: str = "",
    experiment: Experiment | None = None,
    personal_data_ok: bool = False,
) -> Experiment:
    """Record an experiment or update one; its text is screened for personal data each time
    (labs/screening.py): an update that removes what was found lifts a hold."""
    _require_member(actor, lab)
    if state not in ExperimentState.values:
        raise DomainError(_("Unknown state."), code="bad_state", field="state")
    if state == ExperimentState.FAILED and not lesson.strip():
        raise DomainError(
            _("A failed experiment is stated as a lesson: what did you learn?"), code="required", field="lesson"
        )
    exp = experiment or Experiment(lab=lab)
    exp.hypothesis = _text(hypothesis, "hypothesis", 300)
    exp.method, exp.state = _text(method, "method", required=False), state
    exp.result, exp.lesson = _text(result, "result", required=False), _text(lesson, "lesson", required=False)
    found = exposure.in_texts({name: getattr(exp, name) for name in EXPERIMENT_FIELDS})
    exposure.screen(found, confirmed=personal_data_ok, field_labels=_experiment_labels())
    exp.updated_at = timezone.now()
    with transaction.atomic():
        exp.save()
        if found:
            privacy.note_exposure(
                actor=actor, place=EXPERIMENT, object_id=exp.pk, found=found, organisation=_moderators_of(lab)
            )
        else:
            privacy.forget_exposure(place=EXPERIMENT, object_id=exp.pk)
    return exp


def _experiment_labels() -> dict[str, Any]:
    return {name: getattr(Experiment._meta.get_field(name), "verbose_name", name) for name in EXPERIMENT_FIELDS}


def release_held_experiment(*, actor: User, object_id: int) -> None:
    """Shown once its screening record is no longer held: nothing changes here."""


def mask_experiment(*, actor: User, object_id: int) -> None:
    exp = Experiment.objects.select_for_update().filter(pk=object_id).first()
    if exp is not None:
        for name in EXPERIMENT_FIELDS:
            setattr(exp, name, exposure.masked_all(getattr(exp, name)))
        exp.save(update_fields=list(EXPERIMENT_FIELDS))


def delete_held_experiment(*, actor: User, object_id: int) -> None:
    Experiment.objects.filter(pk=object_id).delete()


def submit_report(*, actor: User, lab: Lab, kind: str, body: str, personal_data_ok: bool = False) -> LabReport:
    """A report, screened for personal data (labs/screening.py). Its text is committed to in the public
    ledger and the lab's followers are told, unless the filter holds it: then both wait for its release."""
    _require_member(actor, lab)
    if kind not in ReportKind.values:
        raise DomainError(_("Unknown report kind."), code="bad_kind")
    if lab.reports.filter(kind=kind).exists():
        raise DomainError(_("This report has already been submitted."), code="duplicate")
    body = _text(body, "body", 20_000)
    found = exposure.in_text("body", body)
    exposure.screen(found, confirmed=personal_data_ok, field_labels={"body": _("report")})
    with transaction.atomic():
        report = LabReport.objects.create(lab=lab, kind=kind, body=body, submitted_by=actor)
        row = privacy.note_exposure(
            actor=actor, place=REPORT, object_id=report.pk, found=found, organisation=_moderators_of(lab)
        )
        if row is None or not row.is_held:
            _publish_report(report, actor)
    return report


def _publish_report(report: LabReport, actor: User) -> None:
    lab = report.lab
    ledger.record(
        kind=entries.REPORT_ENTRY[ReportKind(report.kind)],
        subject=f"lab:{lab.pk}",
        actor_id=actor.pk,
        data=entries.report_body(report),
        commitments={"body": report.body},
    )
    notify(
        users=list(lab.followers.all()),
        kind=NotificationKind.LAB,
        proposal=lab.proposal,
        params={"event": lab_news.REPORT_SUBMITTED, "report": str(report.kind)},
    )


def _held_report(object_id: int) -> LabReport | None:
    """A report still held (not in the ledger yet), for a moderator's decision; None if it is gone."""
    report = LabReport.objects.select_for_update().select_related("lab__proposal", "submitted_by").filter(pk=object_id)
    found = report.first()
    if found is not None and not privacy_reads.is_held(REPORT, found.pk):
        # Its text is committed to in the public ledger (lab.report.*): the lab must say it another way.
        raise DomainError(
            _("A report in the public ledger cannot be changed: the moderators may only keep it as published."),
            code="published",
        )
    return found


def release_held_report(*, actor: User, object_id: int) -> None:
    """A moderator releases a held report: it goes to the ledger now, and its followers hear of it.
    A report only confirmed (already in the ledger) is kept as published."""
    if not privacy_reads.is_held(REPORT, object_id):
        return
    report = _held_report(object_id)
    if report is not None:
        _publish_report(report, report.submitted_by)


def mask_report(*, actor: User, object_id: int) -> None:
    """A moderator edits out what the filter found in a held report, then releases it."""
    report = _held_report(object_id)
    if report is not None:
        report.body = exposure.masked_all(report.body)
        report.save(update_fields=["body"])
        _publish_report(report, report.submitted_by)


def delete_held_report(*, actor: User, object_id: int) -> None:
    """A moderator deletes a held report (never in the ledger): the lab may submit it again."""
    report = _held_report(object_id)
    if report is not None:
        report.delete()


def extend_term(*, actor: User, lab: Lab, new_end: date, reason: str) -> Lab:
    _require_member(actor, lab)
    if lab.extended_at is not None:
        raise DomainError(_("A lab's term can be extended only once."), code="already_extended")
    if new_end <= lab.ends_on:
        raise DomainError(_("The new end must be after the current end."), code="bad_date", field="new_end")
    if _months_between(lab.ends_on, new_end) > MAX_EXTENSION_MONTHS + 0.05:
        raise DomainError(_("An extension is at most 3 months."), code="too_long", field="new_end")
    with transaction.atomic():
        lab.extension_reason = _text(reason, "reason", 2000)
        lab.ends_on, lab.extended_at = new_end, timezone.now()
        lab.save(update_fields=["ends_on", "extended_at", "extension_reason"])
        ledger.record(
            kind=LabEntry.EXTENDED,
            subject=f"lab:{lab.pk}",
            actor_id=actor.pk,
            data={"ends_on": new_end.isoformat()},
            commitments={"reason": lab.extension_reason},
        )
    return lab


def close_lab(
    *,
    actor: User,
    lab: Lab,
    outcome: str,
    note: str,
    department: Organisation | None = None,
    answer_due: date | None = None,
) -> Lab:
    """Close with an outcome. Handing over routes the proposal to the department through follow-through."""
    if not (rules.can_manage(actor, lab) or rules.is_member(actor, lab)):
        raise Forbidden(_("Members or the innovation team close a lab."))
    if lab.state != LabState.RUNNING:
        raise DomainError(_("Only a running lab can be closed."), code="not_running")
    if outcome not in LabOutcome.values:
        raise DomainError(_("Choose an outcome."), code="required", field="outcome")
    final = lab.reports.filter(kind=ReportKind.FINAL).first()
    if final is None:
        raise DomainError(_("Submit the final outcome report before closing."), code="no_final_report")
    if privacy_reads.is_held(REPORT, final.pk):
        raise DomainError(
            _("The final outcome report waits for a moderator to check it for personal data."), code="held_report"
        )
    if outcome == LabOutcome.HANDED_OVER and department is None:
        raise DomainError(_("Choose the department that takes it over."), code="required", field="department")
    if outcome == LabOutcome.HANDED_OVER and not rules.can_manage(actor, lab):
        raise Forbidden(_("Handing a lab's task to a department is routed by the innovation team."))
    with transaction.atomic():
        lab.state, lab.outcome, lab.closed_at = LabState.CLOSED, outcome, timezone.now()
        lab.outcome_note = _text(note, "note", 5000)
        lab.handed_to = department if outcome == LabOutcome.HANDED_OVER else None
        lab.save(update_fields=["state", "outcome", "closed_at", "outcome_note", "handed_to"])
        ledger.record(
            kind=LabEntry.CLOSED,
            subject=f"lab:{lab.pk}",
            actor_id=actor.pk,
            data=entries.closed_body(lab),
            commitments={"note": lab.outcome_note},
        )
        if outcome == LabOutcome.HANDED_OVER:
            assert department is not None
            route_proposal(
                actor=actor,
                proposal=lab.proposal,
                department=department,
                answer_due=answer_due or timezone.localdate() + timedelta(days=14),
                note=lab.outcome_note,
            )
        notify(
            users=list(lab.followers.all()) + _department_liaisons(lab.home),
            kind=NotificationKind.LAB,
            proposal=lab.proposal,
            params={"event": lab_news.CLOSED, "outcome": str(outcome)},
        )
    return lab


def follow_lab(*, actor: User, lab: Lab, follow: bool = True) -> None:
    (lab.followers.add if follow else lab.followers.remove)(actor)
