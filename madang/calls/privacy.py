"""Exposed personal data in a proposal before it is published (issue 17), through madang.solvers.pii.

`submit_proposal` and `update_proposal` (for a proposal already published) call `check`; what it
finds is shown to the author masked (010-****-5678), never as found. The author either removes
it or confirms that it is not personal data; the confirmation is kept as a
`PersonalDataConfirmation` with the masked findings only, for moderators to review.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import nh3
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from madang.calls.models import Proposal
from madang.core.errors import DomainError
from madang.solvers import pii
from madang.solvers.pii import attachments as files

FIELDS = ("title", "problem", "solution", "expected_effect")

KIND_LABELS = {
    pii.Kind.RRN: _("resident registration number"),
    pii.Kind.FOREIGNER: _("foreigner registration number"),
    pii.Kind.PASSPORT: _("passport number"),
    pii.Kind.DRIVER: _("driving licence number"),
    pii.Kind.MOBILE: _("mobile phone number"),
    pii.Kind.LANDLINE: _("telephone number"),
    pii.Kind.ACCOUNT: _("bank account number"),
    pii.Kind.CARD: _("card number"),
    pii.Kind.EMAIL: _("e-mail address"),
    pii.Kind.ADDRESS: _("home address"),
}


@dataclass(frozen=True)
class Exposure:
    field: str  # a proposal field, or "attachment"
    kind: str
    masked: str
    source: str = ""  # the attachment's name

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "kind": self.kind, "masked": self.masked, "source": self.source}


def _plain(value: str) -> str:
    # Rich text is stored as sanitised HTML: the reader sees the text, and so should the detector
    # ("010-<b>1234</b>-5678" is a phone number on the page).
    return html.unescape(nh3.clean(value, tags=set()))


def check(proposal: Proposal) -> list[Exposure]:
    """What the detector finds in the proposal's text and its attachments' text."""
    found: list[Exposure] = []
    for name in FIELDS:
        for f in pii.scan(_plain(getattr(proposal, name) or "")):
            found.append(Exposure(name, f.kind.value, f.masked))
    for attachment in proposal.attachments.all():
        if attachment.is_image:
            continue
        with attachment.file.open("rb") as fh:
            data = fh.read()
        _extraction, in_file = files.scan_file(attachment.original_name, data)
        found += [Exposure("attachment", f.kind.value, f.masked, attachment.original_name) for _s, f in in_file]
    return found


def describe(exposure: Exposure) -> str:
    label = str(KIND_LABELS.get(pii.Kind(exposure.kind), exposure.kind))
    if exposure.field == "attachment":
        where = gettext("attachment “%(name)s”") % {"name": exposure.source}
    else:
        where = str(getattr(Proposal._meta.get_field(exposure.field), "verbose_name", exposure.field))
    return gettext("%(where)s: %(kind)s %(masked)s") % {"where": where, "kind": label, "masked": exposure.masked}


def refuse(found: list[Exposure]) -> DomainError:
    listed = "; ".join(describe(e) for e in found[:10])
    if len(found) > 10:
        listed += " …"
    field = next((e.field for e in found if e.field != "attachment"), "attachment")
    return DomainError(
        _(
            "This proposal seems to show personal data (%(found)s). Please remove it before publishing; if it is not "
            "personal data (a public office's number, for example), confirm that and submit again."
        )
        % {"found": listed},
        code="personal_data",
        field=field,
    )
