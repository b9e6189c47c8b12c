"""The personal data this app holds, and the officials' accounts it declares for `people`
(which sits below it and cannot register with it)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from madang.privacy import registry, services
from madang.privacy.registry import DataKind

ACCESS_RECORDS = "privacy.access_records"
ACCOUNTS = "people.accounts"
EXPOSURES = services.EXPOSURES

KINDS = (
    DataKind(
        ACCOUNTS,
        _("Officials' accounts"),
        _("Signing officials in, routing proposals to their departments, showing who answered"),
        (_("username"), _("name"), _("e-mail"), _("department"), _("grade"), _("title")),
        _("While the official holds the account; removed by the agency when the official leaves"),
        _("Personal Information Protection Act, Article 15(1)3: duties of a public institution"),
        (_("No one outside the agency; names of authors and answering officials appear on public pages"),),
        order=10,
    ),
    DataKind(
        ACCESS_RECORDS,
        _("Access records"),
        _("Knowing who saw, searched, downloaded, changed or deleted personal data, for the monthly review"),
        (
            _("account and name of the staff member"),
            _("time"),
            _("client address"),
            _("whose data"),
            _("what was done"),
        ),
        _("%(days)d days, then the oldest are purged after their chain's head is anchored in the public ledger"),
        _("Standard on measures to ensure the safety of personal information, Article 8 (access records)"),
        (_("The privacy officer; auditors on request"),),
        days_setting="MADANG_PRIVACY_ACCESS_RECORD_DAYS",
        default_days=730,
        destroy=services.purge_access_records,
        order=90,
    ),
    DataKind(
        EXPOSURES,
        _("Personal data posted by mistake"),
        _(
            "Keeping personal data that someone posted in a comment, a note, a journal entry or an attachment from "
            "other readers until a moderator has looked at it"
        ),
        (
            _("what the filter found, masked (010-****-5678)"),
            _("who posted it and when"),
            _("the moderator's decision"),
        ),
        _("The masked findings are kept with the item; the item itself until its author or a moderator removes it"),
        _("Personal Information Protection Act, Article 29: safety measures"),
        (_("The moderators: the organisation's innovation team and administrators"),),
        order=80,
    ),
)


def register() -> None:
    registry.register("privacy", KINDS)
