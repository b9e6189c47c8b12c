"""Downloads for the offices: personnel credits for the HR office (CSV and XLSX) and the yearly
report (XLSX). Cells that a spreadsheet would run as a formula are quoted."""

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from madang.suggestions.models import CreditKind, PersonnelCredit, SuggestionOffice

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERSON = _("Name")
CREDIT_HEADER = (
    _("Receipt number"),
    _("Suggestion"),
    PERSON,
    _("E-mail"),
    _("Credit"),
    _("Points"),
    _("Grade"),
    _("Awarded on"),
    _("Recorded on"),
    _("Note"),
)


def safe(value: object) -> object:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def credit_rows(credits: QuerySet[PersonnelCredit]) -> tuple[list[str], list[list[object]]]:
    rows: list[list[object]] = []
    for c in credits.select_related("person", "award__suggestion__proposal").order_by("recorded_on", "id"):
        s = c.award.suggestion
        rows.append(
            [
                s.receipt_number,
                s.proposal.shown_title,
                c.person.display_name,
                c.person.email,
                str(CreditKind(c.kind).label),
                str(c.points) if c.points is not None else "",
                c.award.grade_label,
                c.award.awarded_on.isoformat(),
                c.recorded_on.isoformat(),
                c.note,
            ]
        )
    return [str(h) for h in CREDIT_HEADER], rows


def csv_response(header: Sequence[str], rows: Iterable[Sequence[object]], filename: str) -> HttpResponse:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    writer.writerows([[safe(v) for v in r] for r in rows])
    # The BOM makes Korean Excel open UTF-8 correctly.
    response = HttpResponse("\ufeff" + buf.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]], filename: str) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    for title, header, rows in sheets:
        ws = wb.create_sheet(title[:31])
        ws.append(list(header))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for r in rows:
            ws.append([safe(v) for v in r])
        ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    response = HttpResponse(buf.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def credits_csv(office: SuggestionOffice, year: int, credits: QuerySet[PersonnelCredit]) -> HttpResponse:
    header, rows = credit_rows(credits)
    return csv_response(header, rows, f"{office.organisation.code}-{year}-personnel-credits.csv")


def credits_xlsx(office: SuggestionOffice, year: int, credits: QuerySet[PersonnelCredit]) -> HttpResponse:
    header, rows = credit_rows(credits)
    return xlsx_response(
        [(str(_("Personnel credits")), header, rows)], f"{office.organisation.code}-{year}-personnel-credits.xlsx"
    )
