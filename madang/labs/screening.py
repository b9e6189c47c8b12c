"""Personal data exposed in a lab's journal or its decisions (issue 17): an entry (with the text
of its files) and a proposed decision are screened when written (madang/privacy/exposure.py, in
services.py). A held one is left out of the lab's page, the API and its reports for everyone but
its author and the moderators (the innovation team and administrators over the call's
organisation); a held decision does not pass while it is held, and its window to object starts
again when it is released, so that the members get their full time to read it. Flagged text is
masked for other readers. Here: the labs app's places on the moderators' page."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from madang.labs.models import JournalEntry, LabDecision
from madang.privacy import places

JOURNAL = "labs.journal"
DECISION = "labs.decision"


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
        ],
    )
