"""Personal data exposed by mistake in what people post: the screening every app shares (issue 17).

The detector is madang/solvers/pii. What it finds is shown to the author masked (010-****-5678),
never as found; the author removes it or confirms that it is not personal data. What happens
next is decided here, the same way for a comment, a board note, a journal entry, a lab decision
or an attachment added later (docs/privacy-filter.md, "After the author confirms"):

- a finding of a unique identifier (고유식별정보, PIPA 제24조: resident and foreigner registration,
  passport and driving licence numbers) or a card number, at confidence `HOLD_CONFIDENCE` or
  more, holds the item from everyone but its author and the moderators until a moderator
  releases, masks or deletes it;
- anything else is published with the confirmation kept (madang/privacy/models.Screening);
- readers other than the author and the moderators see what was found masked, except the
  kinds an office has too (a telephone number, an e-mail address, a street address), which the
  author's word lets through; unique identifiers and card numbers are never shown to them.

This module reads and decides; the writes are in services.py (the screening record, a
moderator's decision) and in each app's own services (the item itself).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import nh3
from django.utils.functional import Promise
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from madang.core.errors import DomainError
from madang.solvers import pii
from madang.solvers.pii import attachments as files

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

# Unique identifiers (PIPA 제24조 and its decree's 제19조) and card numbers: no author's word makes
# them public, and a confident finding of one holds the item for a moderator.
NEVER_SHOWN = frozenset({pii.Kind.RRN, pii.Kind.FOREIGNER, pii.Kind.PASSPORT, pii.Kind.DRIVER, pii.Kind.CARD})
# What a public office has as well as a person; shown as written once the author said it is the office's.
SHOWN_WHEN_CONFIRMED = frozenset({pii.Kind.LANDLINE, pii.Kind.EMAIL, pii.Kind.ADDRESS})
HOLD_CONFIDENCE = 0.9

ATTACHMENT = "attachment"


@dataclass(frozen=True)
class Exposure:
    field: str  # the item's field, or "attachment"
    kind: str
    masked: str
    source: str = ""  # the attachment's name
    confidence: float = 0.0

    def as_dict(self) -> dict[str, str]:
        """What is kept: the masked finding, never what was found."""
        return {"field": self.field, "kind": self.kind, "masked": self.masked, "source": self.source}

    @property
    def holds(self) -> bool:
        return pii.Kind(self.kind) in NEVER_SHOWN and self.confidence >= HOLD_CONFIDENCE


def plain(value: str) -> str:
    # Rich text is stored as sanitised HTML: the reader sees the text, and so should the detector
    # ("010-<b>1234</b>-5678" is a phone number on the page).
    return html.unescape(nh3.clean(value, tags=set()))


def in_text(field: str, text: str, *, rich: bool = False) -> list[Exposure]:
    found = pii.scan(plain(text) if rich else text)
    return [Exposure(field, f.kind.value, f.masked, confidence=f.confidence) for f in found]


def in_texts(texts: Mapping[str, str], *, rich: bool = False) -> list[Exposure]:
    return [e for name, text in texts.items() for e in in_text(name, text or "", rich=rich)]


def in_file(name: str, data: bytes) -> list[Exposure]:
    """What the detector finds in the text of an attachment (PDF, office files, text; not images)."""
    _extraction, found = files.scan_file(name, data)
    return [Exposure(ATTACHMENT, f.kind.value, f.masked, name, f.confidence) for _s, f in found]


def must_hold(found: Iterable[Exposure]) -> bool:
    return any(e.holds for e in found)


def label(kind: str) -> str:
    try:
        return str(KIND_LABELS.get(pii.Kind(kind), kind))
    except ValueError:
        return kind


def describe(exposure: Exposure, field_labels: Mapping[str, str | Promise] | None = None) -> str:
    if exposure.field == ATTACHMENT:
        where = gettext("attachment “%(name)s”") % {"name": exposure.source}
    else:
        where = str((field_labels or {}).get(exposure.field, exposure.field))
    return gettext("%(where)s: %(kind)s %(masked)s") % {
        "where": where,
        "kind": label(exposure.kind),
        "masked": exposure.masked,
    }


def listed(found: list[Exposure], field_labels: Mapping[str, str | Promise] | None = None) -> str:
    text = "; ".join(describe(e, field_labels) for e in found[:10])
    return text + (" …" if len(found) > 10 else "")


def refuse(found: list[Exposure], field_labels: Mapping[str, str | Promise] | None = None) -> DomainError:
    """The refusal an author sees: what was found, masked, and what to do about it."""
    if must_hold(found):
        message = _(
            "This seems to show personal data (%(found)s). Please remove it; if it is not personal data, confirm "
            "that and post again: it will then wait for a moderator before others can read it."
        )
    else:
        message = _(
            "This seems to show personal data (%(found)s). Please remove it; if it is not personal data (a public "
            "office's number, for example), confirm that and post again. This is recorded."
        )
    field = next((e.field for e in found if e.field != ATTACHMENT), ATTACHMENT)
    return DomainError(message % {"found": listed(found, field_labels)}, code="personal_data", field=field)


def screen(found: list[Exposure], *, confirmed: bool, field_labels: Mapping[str, str | Promise] | None = None) -> None:
    """Refuse what was found unless its author confirmed it is not personal data."""
    if found and not confirmed:
        raise refuse(found, field_labels)


# ---------------------------------------------------------------- what other readers see


def _hidden_from_readers(finding: pii.Finding) -> bool:
    return finding.kind not in SHOWN_WHEN_CONFIRMED


def shown(text: str) -> str:
    """Plain text as a reader other than its author and the moderators sees it (see the module)."""
    return pii.redact(text, [f for f in pii.scan(text) if _hidden_from_readers(f)])


_TAG = re.compile(r"<[^>]*>")


def shown_html(value: str) -> str:
    """Sanitised rich text as such a reader sees it. The findings are masked in the HTML itself;
    where markup splits a finding ("010-<b>1234</b>-5678") and the masked HTML would still show
    it, the text is given as plain paragraphs instead, so nothing is shown that `shown` would hide."""
    masked = pii.redact(value, [f for f in pii.scan(value) if _hidden_from_readers(f) and not _in_tag(value, f)])
    if not any(_hidden_from_readers(f) for f in [*pii.scan(masked), *pii.scan(plain(masked))]):
        return masked
    return linebreaks(escape(shown(plain(value))))


def masked_all(text: str) -> str:
    """A moderator's edit-out: every finding, of whatever kind, replaced by its mask (same length)."""
    return pii.redact(text, pii.scan(text))


def masked_all_html(value: str) -> str:
    """The same edit-out in sanitised rich text: every finding masked in the HTML itself, or, where
    markup splits a finding or an attribute holds one (a mailto: link), the masked text as plain
    paragraphs, so that nothing found is left in the item."""
    masked = pii.redact(value, [f for f in pii.scan(value) if not _in_tag(value, f)])
    if not pii.scan(masked) and not pii.scan(plain(masked)):
        return masked
    return linebreaks(escape(masked_all(plain(value))))


def _in_tag(value: str, finding: pii.Finding) -> bool:
    """Is the finding inside a tag's attributes (an href), where masking would break the markup?"""
    return any(m.start() < finding.start < m.end() for m in _TAG.finditer(value))
