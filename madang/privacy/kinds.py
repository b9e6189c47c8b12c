"""The personal data this app holds, and the officials' accounts it declares for `people`
(which sits below it and cannot register with it)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from madang.privacy import registry
from madang.privacy.registry import DataKind

ACCESS_RECORDS = "privacy.access_records"
ACCOUNTS = "people.accounts"

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
        _("%(days)d days (never deleted through the application)"),
        _("Standard on measures to ensure the safety of personal information, Article 8 (access records)"),
        (_("The privacy officer; auditors on request"),),
        days_setting="MADANG_PRIVACY_ACCESS_RECORD_DAYS",
        default_days=730,
        order=90,
    ),
)


def register() -> None:
    registry.register("privacy", KINDS)
