"""Exposed personal data in what is posted to a call (issue 17): proposals, comments, attachments.

The screening itself is shared (madang/privacy/exposure.py: what is found, what holds an item,
what other readers see). Here: what a proposal's text is, and the calls app's places for the
moderators' page (madang/privacy/places.py).

- A proposal is screened when it is submitted and when a published one is edited; the
  author's confirmation is kept as a `PersonalDataConfirmation` and as a screening record. A
  confirmed resident registration number or the like holds it: it is numbered and its
  submission is in the public ledger (a digest, never the text), but it is hidden
  (`hidden_at`, no `hidden_by`) from everyone but its authors and the moderators until a
  moderator releases or masks it, or its author edits what was found out. A moderator's mask
  is a revision of its own, in the ledger like an edit; a numbered proposal is never deleted.
  Other readers see its flagged text masked, on its page and everywhere its title goes (lists,
  exports, documents, notifications, the API: `Proposal.shown_title`).
- A comment is screened when it is posted; held, it is hidden (`hidden_at`) with a reason its
  author sees, and its followers hear of it only once it is released.
- An attachment added to a published proposal is screened when it is added (before publication
  the proposal's submission screens every attachment); held, it is listed and served only to
  the proposal's authors and the moderators.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from madang.calls import rules
from madang.calls.models import Attachment, Comment, Proposal
from madang.core.errors import DomainError
from madang.privacy import exposure, places
from madang.privacy.exposure import KIND_LABELS, Exposure

__all__ = ["FIELDS", "KIND_LABELS", "Exposure", "check", "describe", "refuse"]

FIELDS = ("title", "problem", "solution", "expected_effect")

PROPOSAL = "calls.proposal"
COMMENT = "calls.comment"
ATTACHMENT = "calls.attachment"


def field_labels() -> dict[str, Any]:
    """The proposal's fields by their (lazy) labels."""
    return {name: getattr(Proposal._meta.get_field(name), "verbose_name", name) for name in FIELDS}


def check(proposal: Proposal) -> list[Exposure]:
    """What the detector finds in the proposal's text and its attachments' text."""
    found = [e for name in FIELDS for e in exposure.in_text(name, getattr(proposal, name) or "", rich=name != "title")]
    for attachment in proposal.attachments.all():
        found += check_attachment(attachment)
    return found


def check_attachment(attachment: Attachment) -> list[Exposure]:
    if attachment.is_image:
        return []  # no OCR
    with attachment.file.open("rb") as fh:
        return exposure.in_file(attachment.original_name, fh.read())


def describe(found: Exposure) -> str:
    return exposure.describe(found, field_labels())


def refuse(found: list[Exposure]) -> DomainError:
    listed = exposure.listed(found, field_labels())
    if exposure.must_hold(found):
        message = _(
            "This proposal seems to show personal data (%(found)s). Please remove it before publishing; if it is not "
            "personal data, confirm that and submit again: it will then wait for a moderator before others can read it."
        )
    else:
        message = _(
            "This proposal seems to show personal data (%(found)s). Please remove it before publishing; if it is not "
            "personal data (a public office's number, for example), confirm that and submit again."
        )
    return DomainError(
        message % {"found": listed},
        code="personal_data",
        field=next((e.field for e in found if e.field != exposure.ATTACHMENT), exposure.ATTACHMENT),
    )


def title_for(user: Any, proposal: Proposal) -> str:
    """The proposal's title as `user` reads it in a list of proposals of its call (the page's and the API's)."""
    return proposal.title if rules.reads_as_written(user, proposal) else proposal.shown_title


def held_reason() -> str:
    """The reason a held comment or proposal shows its author (stored, so in the site's language)."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(_("Held until a moderator has checked it for personal data."))


# ---------------------------------------------------------------- the moderators' page


def _show_proposal(object_id: int) -> places.Shown | None:
    p = Proposal.objects.filter(pk=object_id).select_related("call").first()
    if p is None:
        return None
    texts = {name: exposure.plain(getattr(p, name) or "") for name in FIELDS}
    return places.Shown(p.call.title, reverse("calls:proposal", args=[p.pk]), texts)


def _show_comment(object_id: int) -> places.Shown | None:
    c = Comment.objects.filter(pk=object_id).select_related("proposal").first()
    if c is None:
        return None
    url = reverse("calls:proposal", args=[c.proposal_id]) + f"#comment-{c.pk}"
    return places.Shown(c.proposal.title, url, {"body": c.body})


def _show_attachment(object_id: int) -> places.Shown | None:
    a = Attachment.objects.filter(pk=object_id).select_related("proposal").first()
    if a is None:
        return None
    return places.Shown(a.proposal.title, reverse("calls:attachment", args=[a.pk]), {}, (a.original_name,))


def register() -> None:
    """Called from this app's AppConfig.ready()."""
    from madang.calls import services  # (services imports this module)

    places.register(
        "calls",
        [
            places.Place(
                PROPOSAL,
                _("Proposal"),
                _show_proposal,
                release=services.release_held_proposal,
                mask=services.mask_proposal,
                fields=field_labels(),
            ),
            places.Place(
                COMMENT,
                _("Comment on a proposal"),
                _show_comment,
                release=services.release_held_comment,
                mask=services.mask_comment,
                delete=services.delete_held_comment,
                fields={"body": _("comment")},
            ),
            places.Place(
                ATTACHMENT,
                _("Attachment added to a published proposal"),
                _show_attachment,
                release=services.release_held_attachment,
                delete=services.delete_held_attachment,
            ),
        ],
    )
