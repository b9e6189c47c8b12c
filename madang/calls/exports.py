"""CSV and XLSX export of a call's proposals with their current status.

The columns about what happened after the decision (department, answer, execution) belong to
followup, above calls: it registers them with `register_columns` from its AppConfig.ready().
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from madang.calls import counters, rules
from madang.calls.models import Call, Proposal


@dataclass(frozen=True)
class Columns:
    """Columns another app adds after "Outcome": their headers (in the reader's language, so a
    function), and the cells of each proposal by id (one query batch for all; missing ids get
    empty cells)."""

    headers: Callable[[], list[str]]
    cells: Callable[[list[int]], dict[int, list[object]]]


_columns: dict[str, Columns] = {}


def register_columns(name: str, columns: Columns) -> None:
    if name in _columns and _columns[name] != columns:
        raise RuntimeError(f"the export columns {name!r} are registered twice")
    _columns[name] = columns


def rows(call: Call, proposals: QuerySet[Proposal], *, user: Any) -> tuple[list[str], list[list[object]]]:
    """The Author column names the author and the co-authors, unless `calls.rules.hidden_author_ids`
    hides them from `user` on that proposal (the one rule the proposal page uses)."""
    items = list(
        counters.with_live(
            proposals.select_related("author__department__parent", "category").prefetch_related("coauthors")
        )
    )
    extra = [(c.headers(), c.cells([p.pk for p in items])) for c in _columns.values()]
    header = [
        _("Number"),
        _("Title"),
        _("Category"),
        _("Author"),
        _("Organisation"),
        _("Supports"),
        _("Comments"),
        _("Status"),
        _("Outcome"),
        *(h for headers, _cells in extra for h in headers),
        _("Submitted"),
    ]
    out: list[list[object]] = []
    for p in items:
        p.call = call  # one call object: its phases are read once for every row
        show_authors = not rules.hidden_author_ids(user, p)
        names = [p.author.display_name, *(u.display_name for u in p.coauthors.all() if u.pk != p.author_id)]
        out.append(
            [
                p.number or "",
                p.shown_title,  # a file leaves Madang: flagged text masked whoever exports it
                p.category.name if p.category else "",
                ", ".join(names) if show_authors else _("(hidden until selection)"),
                p.author.department.label() if show_authors and p.author.department else "",
                p.live_supports,
                p.comment_count,
                str(p.get_status_display()),
                str(p.get_outcome_display()),
                *(c for headers, cells in extra for c in cells.get(p.pk, [""] * len(headers))),
                timezone.localtime(p.submitted_at).strftime("%Y-%m-%d %H:%M") if p.submitted_at else "",
            ]
        )
    return header, out


def _safe(value: object) -> object:
    # Spreadsheet formula injection: a cell starting with = + - @ would run as a formula.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def csv_response(call: Call, proposals: QuerySet[Proposal], *, user: Any) -> HttpResponse:
    header, data = rows(call, proposals, user=user)
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    writer.writerows([[_safe(v) for v in r] for r in data])
    # The BOM makes Korean Excel open UTF-8 correctly.
    response = HttpResponse("\ufeff" + buf.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{call.slug}-proposals.csv"'
    return response


def xlsx_response(call: Call, proposals: QuerySet[Proposal], *, user: Any) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    header, data = rows(call, proposals, user=user)
    wb = Workbook()
    ws = wb.active
    ws.title = call.slug[:31]
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in data:
        ws.append([_safe(v) for v in r])
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    response = HttpResponse(
        buf.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{call.slug}-proposals.xlsx"'
    return response
