"""The public ledger's entries about labs (G-Lab): creation, members, consent decisions, reports, closing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from enum import StrEnum
from typing import Any

from django.db.models import Model
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from madang.calls.models import Call
from madang.labs.models import DecisionState, Lab, LabDecision, LabReport, LabState, Membership, ReportKind
from madang.labs.screening import REPORT
from madang.ledger import kinds
from madang.ledger import services as ledger
from madang.ledger.kinds import Finding, Kind, Logged, compare
from madang.privacy import selectors as privacy_reads


class LabEntry(StrEnum):
    CREATED = "lab.created"
    MEMBER_JOINED = "lab.member_joined"
    STARTED = "lab.started"
    DECISION_PASSED = "lab.decision_passed"
    REPORT_MIDTERM = "lab.report.midterm"
    REPORT_FINAL = "lab.report.final"
    REPORT_RETROSPECTIVE = "lab.report.retrospective"
    EXTENDED = "lab.extended"
    CLOSED = "lab.closed"


REPORT_ENTRY = {
    ReportKind.MIDTERM: LabEntry.REPORT_MIDTERM,
    ReportKind.FINAL: LabEntry.REPORT_FINAL,
    ReportKind.RETROSPECTIVE: LabEntry.REPORT_RETROSPECTIVE,
}


def member_pseudonym(lab_id: int, user_id: int | None) -> str | None:
    return ledger.pseudonym_for(LabEntry.MEMBER_JOINED, f"lab:{lab_id}", user_id)


def created_body(lab: Lab) -> dict[str, Any]:
    return {"proposal": lab.proposal_id, "starts_on": lab.starts_on.isoformat(), "ends_on": lab.ends_on.isoformat()}


def member_body(membership: Membership) -> dict[str, Any]:
    return {"membership": membership.pk, "member": member_pseudonym(membership.lab_id, membership.user_id)}


def decision_body(decision: LabDecision) -> dict[str, Any]:
    return {"decision": decision.pk, "objections": decision.objections.count()}


def report_body(report: LabReport) -> dict[str, Any]:
    return {"report_id": report.pk}


def closed_body(lab: Lab) -> dict[str, Any]:
    return {"outcome": lab.outcome, "department": lab.handed_to_id}


# ---------------------------------------------------------------- checks


def _by(model: type[Model], field: str) -> Callable[[list[Logged]], dict[Any, Any]]:
    def load(entries: list[Logged]) -> dict[Any, Any]:
        return model._default_manager.in_bulk([e.get(field) if field else e.subject_id for e in entries])

    return load


def check_created(entries: list[Logged]) -> Iterator[Finding]:
    labs = _by(Lab, "")(entries)
    for e in entries:
        lab = labs.get(e.subject_id)
        if lab is None:
            yield e.gone(f"lab {e.subject_id}")
            continue
        live = {"proposal": lab.proposal_id, "starts_on": lab.starts_on.isoformat()}
        if lab.extended_at is None:
            live["ends_on"] = lab.ends_on.isoformat()
        yield from compare(e, live)


def _missing(kind: str, rows: Any, what: str) -> Iterator[Finding]:
    for lab_id, key in rows:
        yield Finding(f"lab:{lab_id}", f"{what} {key} has no {kind} entry", "record")


def missing_created(entries: list[Logged]) -> Iterator[Finding]:
    logged = {e.subject_id for e in entries}
    yield from _missing(LabEntry.CREATED, Lab.objects.exclude(pk__in=logged).values_list("pk", "pk"), "lab")


def check_members(entries: list[Logged]) -> Iterator[Finding]:
    rows = _by(Membership, "membership")(entries)
    for e in entries:
        if "membership" not in e.body:  # a reissued v1 entry: its member must still be one of the lab's
            members = {
                member_pseudonym(m.lab_id, m.user_id)
                for m in Membership.objects.filter(lab_id=e.subject_id, joined_at__isnull=False)
            }
            if e.get("member") not in members:
                yield Finding(e.where, "no member of the lab in the database has this pseudonym", "member")
            continue
        m = rows.get(e.get("membership"))
        if m is None or m.joined_at is None:
            yield e.gone(f"membership {e.get('membership')}")
            continue
        yield from compare(e, {"member": member_pseudonym(m.lab_id, m.user_id)})
        if m.lab_id != e.subject_id:
            yield Finding(e.where, f"membership {m.pk} is in lab {m.lab_id} in the database", "membership")


def missing_members(entries: list[Logged]) -> Iterator[Finding]:
    logged = {e.get("membership") for e in entries}
    if any("membership" not in e.body for e in entries):  # reissued v1 entries name members only
        logged |= {
            m.pk
            for m in Membership.objects.filter(lab_id__in={e.subject_id for e in entries if "membership" not in e.body})
        }
    rows = Membership.objects.filter(joined_at__isnull=False).exclude(pk__in=logged).values_list("lab_id", "pk")
    yield from _missing(LabEntry.MEMBER_JOINED, rows, "membership")


def check_started(entries: list[Logged]) -> Iterator[Finding]:
    labs = _by(Lab, "")(entries)
    for e in entries:
        lab = labs.get(e.subject_id)
        if lab is None:
            yield e.gone(f"lab {e.subject_id}")
        elif lab.started_at is None or lab.state == LabState.FORMING:
            yield Finding(e.where, f"lab {lab.pk} is '{lab.state}' in the database, started in the log", "state")
        else:
            at_start = (
                lab.memberships.filter(joined_at__lte=lab.started_at).exclude(left_at__lte=lab.started_at).count()
            )
            yield from compare(e, {"members": at_start})


def missing_started(entries: list[Logged]) -> Iterator[Finding]:
    logged = {e.subject_id for e in entries}
    rows = Lab.objects.exclude(state=LabState.FORMING).exclude(pk__in=logged).values_list("pk", "pk")
    yield from _missing(LabEntry.STARTED, rows, "started lab")


def check_decisions(entries: list[Logged]) -> Iterator[Finding]:
    rows = _by(LabDecision, "decision")(entries)
    for e in entries:
        d = rows.get(e.get("decision"))
        if d is None or d.lab_id != e.subject_id:
            yield e.gone(f"decision {e.get('decision')} of lab {e.subject_id}")
            continue
        if d.state != DecisionState.PASSED:
            yield Finding(e.where, f"decision {d.pk} is '{d.state}' in the database, passed in the log", "state")
        yield from compare(e, {"objections": d.objections.count()}, {"title": d.title, "text": d.body})


def missing_decisions(entries: list[Logged]) -> Iterator[Finding]:
    logged = {e.get("decision") for e in entries}
    rows = LabDecision.objects.filter(state=DecisionState.PASSED).exclude(pk__in=logged).values_list("lab_id", "pk")
    yield from _missing(LabEntry.DECISION_PASSED, rows, "passed decision")


def _check_report(kind: ReportKind) -> Callable[[list[Logged]], Iterator[Finding]]:
    def check(entries: list[Logged]) -> Iterator[Finding]:
        rows = _by(LabReport, "report_id")(entries)
        for e in entries:
            if "report_id" not in e.body:
                continue  # a reissued v1 entry: its commitment's salt was never kept
            r = rows.get(e.get("report_id"))
            if r is None or r.lab_id != e.subject_id:
                yield e.gone(f"report {e.get('report_id')}")
                continue
            if r.kind != kind:
                yield Finding(e.where, f"report {r.pk} is a '{r.kind}' report in the database", "kind")
            yield from compare(e, {}, {"body": r.body})

    return check


def _missing_report(kind: ReportKind) -> Callable[[list[Logged]], Iterator[Finding]]:
    def missing(entries: list[Logged]) -> Iterator[Finding]:
        logged = {e.get("report_id") for e in entries}
        labs_v1 = {e.subject_id for e in entries if "report_id" not in e.body}
        rows = (
            LabReport.objects.filter(kind=kind)
            .exclude(pk__in=logged)
            .exclude(lab_id__in=labs_v1)
            .exclude(pk__in=privacy_reads.held_ids(REPORT))  # logged once a moderator releases it (labs/screening.py)
            .values_list("lab_id", "pk")
        )
        yield from _missing(REPORT_ENTRY[kind], rows, f"{kind} report")

    return missing


def check_extended(entries: list[Logged]) -> Iterator[Finding]:
    labs = _by(Lab, "")(entries)
    for e in entries:
        lab = labs.get(e.subject_id)
        if lab is None or lab.extended_at is None:
            yield e.gone(f"the extension of lab {e.subject_id}")
            continue
        yield from compare(e, {"ends_on": lab.ends_on.isoformat()}, {"reason": lab.extension_reason})


def missing_extended(entries: list[Logged]) -> Iterator[Finding]:
    logged = {e.subject_id for e in entries}
    yield from _missing(
        LabEntry.EXTENDED,
        Lab.objects.filter(extended_at__isnull=False).exclude(pk__in=logged).values_list("pk", "pk"),
        "extended lab",
    )


def check_closed(entries: list[Logged]) -> Iterator[Finding]:
    labs = _by(Lab, "")(entries)
    for e in entries:
        lab = labs.get(e.subject_id)
        if lab is None:
            yield e.gone(f"lab {e.subject_id}")
            continue
        if lab.state != LabState.CLOSED:
            yield Finding(e.where, f"lab {lab.pk} is '{lab.state}' in the database, closed in the log", "state")
        yield from compare(e, closed_body(lab), {"note": lab.outcome_note})


def missing_closed(entries: list[Logged]) -> Iterator[Finding]:
    logged = {e.subject_id for e in entries}
    yield from _missing(
        LabEntry.CLOSED,
        Lab.objects.filter(state=LabState.CLOSED).exclude(pk__in=logged).values_list("pk", "pk"),
        "closed lab",
    )


KINDS = (
    Kind(
        LabEntry.CREATED,
        "lab",
        "a lab was created from a selected proposal",
        {"proposal": "the proposal's id", "starts_on": "first day", "ends_on": "last day as planned"},
        check=check_created,
        missing=missing_created,
        checked=("proposal", "starts_on", "ends_on"),
        unique="subject",
    ),
    Kind(
        LabEntry.MEMBER_JOINED,
        "member",
        "the innovation team confirmed a volunteer as a member",
        {"membership": "the membership's id", "member": "the member's pseudonym in the lab's member context"},
        check=check_members,
        missing=missing_members,
        checked=("membership", "member"),
        pseudonym_fields=("member",),
        unique="membership",
    ),
    Kind(
        LabEntry.STARTED,
        "lab",
        "the lab started",
        {"members": "how many members it started with"},
        check=check_started,
        missing=missing_started,
        checked=("members",),
        unique="subject",
    ),
    Kind(
        LabEntry.DECISION_PASSED,
        "lab",
        "a consent decision passed with no open objection",
        {"decision": "the decision's id", "objections": "objections raised (all resolved)"},
        {"title": "its title", "text": "its text"},
        check=check_decisions,
        missing=missing_decisions,
        checked=("decision", "objections", "title", "text"),
        unique="decision",
    ),
    *(
        Kind(
            REPORT_ENTRY[k],
            "lab",
            f"the lab submitted its {k} report",
            {"report_id": "the report's id"},
            {"body": "the report"},
            check=_check_report(k),
            missing=_missing_report(k),
            checked=("report_id", "body"),
        )
        for k in ReportKind
    ),
    Kind(
        LabEntry.EXTENDED,
        "lab",
        "the lab's term was extended (once)",
        {"ends_on": "the new last day"},
        {"reason": "the reason"},
        check=check_extended,
        missing=missing_extended,
        checked=("ends_on", "reason"),
        unique="subject",
    ),
    Kind(
        LabEntry.CLOSED,
        "lab",
        "the lab closed with an outcome",
        {"outcome": "adopted, handed_over or ended", "department": "the department it was handed to, or null"},
        {"note": "the outcome note"},
        check=check_closed,
        missing=missing_closed,
        checked=("outcome", "department", "note"),
        unique="subject",
    ),
)


LABELS = {
    LabEntry.CREATED: _("Lab created"),
    LabEntry.MEMBER_JOINED: _("Lab member confirmed"),
    LabEntry.STARTED: _("Lab started"),
    LabEntry.DECISION_PASSED: _("Lab decision passed by consent"),
    LabEntry.REPORT_MIDTERM: _("Lab mid-term report submitted"),
    LabEntry.REPORT_FINAL: _("Lab final report submitted"),
    LabEntry.REPORT_RETROSPECTIVE: _("Lab retrospective submitted"),
    LabEntry.EXTENDED: _("Lab term extended"),
    LabEntry.CLOSED: _("Lab closed"),
}


def public_labs(ids: list[int]) -> dict[int, tuple[str, str]]:
    # Anyone may read a lab whose call is public (rules.can_view_lab for a visitor).
    return {
        lab.pk: (lab.title, reverse("labs:detail", args=[lab.slug]))
        for lab in Lab.objects.filter(pk__in=ids, proposal__call__in=Call.objects.public()).only("pk", "slug", "title")
    }


def register() -> None:
    """Called from this app's AppConfig.ready()."""
    kinds.register("labs", KINDS, labels=LABELS)
    kinds.register_subject("lab", _("Lab"), public_labs, owner="labs")
