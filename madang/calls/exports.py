"""CSV and XLSX export of a call's proposals with their current status."""

import csv
import io
from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from madang.calls import counters, rules
from madang.calls.models import Call, Proposal
from madang.followup.selectors import follow_states


def rows(call: Call, proposals: Iterable[Proposal], *, user: Any) -> tuple[list[str], list[list[object]]]:
    """The Author column names the author and the co-authors, unless `calls.rules.hidden_author_ids`
    hides them from `user` on that proposal (the one rule the proposal page uses)."""
    items = list(counters.with_live(proposals.select_related("author__department__parent", "category")
                                    .prefetch_related("coauthors")))  # type: ignore[attr-defined]
    states = follow_states([p.pk for p in items])
    header = [
        _("Number"), _("Title"), _("Category"), _("Author"), _("Organisation"), _("Supports"), _("Comments"),
        _("Status"), _("Outcome"), _("Department"), _("Answer"), _("Execution"), _("Progress (%)"), _("Overdue"), _("Submitted"),
    ]
    out: list[list[object]] = []
    for p in items:
        st = states.get(p.pk)
        p.call = call  # one call object: its phases are read once for every row
        show_authors = not rules.hidden_author_ids(user, p)
        names = [p.author.display_name, *(u.display_name for u in p.coauthors.all() if u.pk != p.author_id)]
        out.append([
            p.number or "", p.title, p.category.name if p.category else "",
            ", ".join(names) if show_authors else _("(hidden until selection)"),
            p.author.department.label() if show_authors and p.author.department else "",
            p.live_supports, p.comment_count, str(p.get_status_display()), str(p.get_outcome_display()),
            st.department if st else "", st.answer_label if st else "", st.execution_label if st else "",
            st.percent if st else "", (_("yes") if st.overdue else "") if st else "",
            timezone.localtime(p.submitted_at).strftime("%Y-%m-%d %H:%M") if p.submitted_at else "",
        ])
    return header, out


def _safe(value: object) -> object:
    # Spreadsheet formula injection: a cell starting with = + - @ would run as a formula.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def csv_response(call: Call, proposals: Iterable[Proposal], *, user: Any) -> HttpResponse:
    header, data = rows(call, proposals, user=user)
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    writer.writerows([[_safe(v) for v in r] for r in data])
    # The BOM makes Korean Excel open UTF-8 correctly.
    response = HttpResponse("\ufeff" + buf.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{call.slug}-proposals.csv"'
    return response


def xlsx_response(call: Call, proposals: Iterable[Proposal], *, user: Any) -> HttpResponse:
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
    response = HttpResponse(buf.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{call.slug}-proposals.xlsx"'
    return response
