"""Personal data exposed in what a lab writes (issue 17): a journal entry (with the text of its
files), a proposed decision, an objection and its resolution, a report, an experiment and a
milestone are screened when written (madang/privacy/exposure.py, in services.py). A held one is
left out of the lab's page, the API and its documents for everyone but its author and the
moderators (the innovation team and administrators over the call's organisation); flagged text
is masked for other readers. What holding does besides, by kind:

- a decision does not pass while it is held, and its window to object starts again when it is
  released, so that the members get their full time to read it;
- an objection still stands (the decision does not pass while it is open), its text withheld
  from the other members with a note that it waits for a moderator;
- a report is not in the public ledger, nor are the lab's followers told of it, until it is
  released (its text is committed to in the ledger, so it is masked or deleted only while it is
  held); a lab cannot close on a final report that is held.

Here: the labs app's places on the moderators' page."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from madang.labs.models import Experiment, JournalEntry, LabDecision, LabReport, Milestone, Objection
from madang.privacy import places

JOURNAL = "labs.journal"
DECISION = "labs.decision"
OBJECTION = "labs.objection"
REPORT = "labs.report"
EXPERIMENT = "labs.experiment"
MILESTONE = "labs.milestone"

EXPERIMENT_FIELDS = ("hypothesis", "method", "result", "lesson")


def _show_entry(object_id: int) -> places.Shown | None:
    e = JournalEntry.objects.filter(pk=object_id).select_related("lab").prefetch_related("attachments").first()
    if e is None:
        return None
    files = tuple(a.original_name for a in e.attachments.all())
    return places.Shown(e.lab.title, reverse("labs:detail", args=[e.lab.slug]) + "#h-journal", {"body": e.body}, files)


def _show_decision(object_id: int) -> places.Shown | None:
    d = LabDecision.objects.filter(pk=object_id).select_related("lab").first()
    if d is None:
        return None
    url = reverse("labs:detail", args=[d.lab.slug]) + "#h-dec"
    return places.Shown(d.lab.title, url, {"title": d.title, "body": d.body})


def _show_objection(object_id: int) -> places.Shown | None:
    o = Objection.objects.filter(pk=object_id).select_related("decision__lab").first()
    if o is None:
        return None
    url = reverse("labs:detail", args=[o.decision.lab.slug]) + "#h-dec"
    return places.Shown(
        f"{o.decision.lab.title} · {o.decision.title}", url, {"reason": o.reason, "resolution": o.resolution}
    )


def _show_report(object_id: int) -> places.Shown | None:
    r = LabReport.objects.filter(pk=object_id).select_related("lab").first()
    if r is None:
        return None
    url = reverse("labs:detail", args=[r.lab.slug]) + "#h-rep"
    return places.Shown(f"{r.lab.title} · {r.get_kind_display()}", url, {"body": r.body})


def _show_experiment(object_id: int) -> places.Shown | None:
    x = Experiment.objects.filter(pk=object_id).select_related("lab").first()
    if x is None:
        return None
    url = reverse("labs:detail", args=[x.lab.slug]) + "#h-exp"
    return places.Shown(x.lab.title, url, {name: getattr(x, name) for name in EXPERIMENT_FIELDS})


def _show_milestone(object_id: int) -> places.Shown | None:
    m = Milestone.objects.filter(pk=object_id).select_related("lab").first()
    if m is None:
        return None
    return places.Shown(m.lab.title, reverse("labs:detail", args=[m.lab.slug]) + "#h-ms", {"title": m.title})


def register() -> None:
    """Called from this app's AppConfig.ready()."""
    from madang.labs import services  # (the services import this module)

    places.register(
        "labs",
        [
            places.Place(
                JOURNAL,
                _("Lab journal entry"),
                _show_entry,
                release=services.release_held_entry,
                mask=services.mask_entry,
                delete=services.delete_held_entry,
                fields={"body": _("entry")},
            ),
            places.Place(
                DECISION,
                _("Decision proposed in a lab"),
                _show_decision,
                release=services.release_held_decision,
                mask=services.mask_decision,
                delete=services.delete_held_decision,
                fields={"title": _("Decision"), "body": _("Details")},
            ),
            places.Place(
                OBJECTION,
                _("Objection to a lab's decision"),
                _show_objection,
                release=services.release_held_objection,
                mask=services.mask_objection,
                delete=services.delete_held_objection,
                fields={"reason": _("Reason"), "resolution": _("How it was resolved")},
            ),
            places.Place(
                REPORT,
                _("Lab report"),
                _show_report,
                release=services.release_held_report,
                mask=services.mask_report,
                delete=services.delete_held_report,
                fields={"body": _("report")},
            ),
            places.Place(
                EXPERIMENT,
                _("Lab experiment"),
                _show_experiment,
                release=services.release_held_experiment,
                mask=services.mask_experiment,
                delete=services.delete_held_experiment,
                fields={
                    "hypothesis": _("hypothesis"),
                    "method": _("method"),
                    "result": _("result"),
                    "lesson": _("lesson"),
                },
            ),
            places.Place(
                MILESTONE,
                _("Lab milestone"),
                _show_milestone,
                release=services.release_held_milestone,
                mask=services.mask_milestone,
                delete=services.delete_held_milestone,
                fields={"title": _("Milestone")},
            ),
        ],
    )
