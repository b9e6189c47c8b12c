"""Printables as PDF (reportlab): name badges, table cards, the check-in list, a personal
itinerary, the event report. All but the report name people: their downloads are recorded
(events/views.py, docs/privacy.md).

Korean text uses reportlab's built-in CID font HYGothic-Medium: the PDF names the font and the
reader supplies the glyphs, so no font file ships with Madang."""

import io
from collections.abc import Callable, Sequence

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from madang.events.models import Event, Grouping, PlanState, Registration, RegState
from madang.events.selectors.day import itinerary as stops_of
from madang.events.selectors.event_report import Report

FONT = "HYGothic-Medium"


def _canvas(buf: io.BytesIO, title: str, size: tuple[float, float] = A4) -> Canvas:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    c = Canvas(buf, pagesize=size, pageCompression=1)
    c.setTitle(title)
    c.setAuthor("Madang")
    return c


def _fit(c: Canvas, text: str, size: float, width: float) -> float:
    """The largest font size up to `size` at which `text` fits `width` (long Korean agency names)."""
    while size > 6 and pdfmetrics.stringWidth(text, FONT, size) > width:
        size -= 0.5
    return size


def _groups_of(event: Event) -> dict[int, int]:
    grouping = (
        Grouping.objects.filter(session__event=event, state=PlanState.PUBLISHED).order_by("session__starts_at").first()
    )
    return {pk: g + 1 for g, members in enumerate(grouping.groups) for pk in members} if grouping else {}


def _confirmed(event: Event) -> list[Registration]:
    return list(
        event.registrations.filter(state=RegState.CONFIRMED)
        .select_related("user", "agency")
        .order_by("agency__name", "pk")
    )


def badges(event: Event) -> bytes:
    """Eight badges (90 × 62 mm) a page: name, grade, agency, group."""
    buf = io.BytesIO()
    c = _canvas(buf, _("Name badges"))
    w, h = A4
    bw, bh = 90 * mm, 62 * mm
    x0, y0 = (w - 2 * bw) / 2, h - (h - 4 * bh) / 2
    groups = _groups_of(event)
    regs = _confirmed(event)
    for i, reg in enumerate(regs):
        if i and i % 8 == 0:
            c.showPage()
        col, row = i % 2, (i % 8) // 2
        x, y = x0 + col * bw, y0 - (row + 1) * bh
        c.setLineWidth(0.3)
        c.setDash(2, 2)
        c.rect(x, y, bw, bh)
        c.setDash()
        c.setFont(FONT, _fit(c, event.title, 9, bw - 10 * mm))
        c.drawCentredString(x + bw / 2, y + bh - 9 * mm, event.title)
        name = reg.user.display_name
        c.setFont(FONT, _fit(c, name, 28, bw - 10 * mm))
        c.drawCentredString(x + bw / 2, y + bh / 2, name)
        detail = reg.agency.name if reg.agency else _("Citizen member")
        if reg.grade:
            detail = f"{detail}, {_('Grade %(n)d') % {'n': reg.grade}}"
        c.setFont(FONT, _fit(c, detail, 12, bw - 10 * mm))
        c.drawCentredString(x + bw / 2, y + bh / 2 - 9 * mm, detail)
        if reg.pk in groups:
            label = _("Group %(n)d") % {"n": groups[reg.pk]}
            c.setFont(FONT, 11)
            c.drawCentredString(x + bw / 2, y + 6 * mm, label)
    if not regs:
        c.setFont(FONT, 14)
        c.drawString(20 * mm, h - 30 * mm, _("Nobody is confirmed yet."))
    c.showPage()
    c.save()
    return buf.getvalue()


def table_cards(event: Event) -> bytes:
    """One folded tent card a table (landscape A4): the number large on both halves, the host below."""
    buf = io.BytesIO()
    size = landscape(A4)
    c = _canvas(buf, _("Table cards"), size)
    w, h = size
    tables = list(event.tables.select_related("host", "room"))
    for t in tables:
        for top in (False, True):
            c.saveState()
            if top:
                c.translate(w, h)
                c.rotate(180)  # the upper half is read from the other side once folded
            label = str(t)
            c.setFont(FONT, 110)
            c.drawCentredString(w / 2, h / 4 - 10 * mm, label)
            c.setFont(FONT, 16)
            sub = event.title + (f", {t.room.name}" if t.room else "")
            c.drawCentredString(w / 2, 14 * mm, sub)
            if t.host:
                c.drawCentredString(w / 2, h / 2 - 14 * mm, _("Host: %(name)s") % {"name": t.host.display_name})
            c.restoreState()
        c.setDash(3, 3)
        c.line(10 * mm, h / 2, w - 10 * mm, h / 2)
        c.setDash()
        c.showPage()
    if not tables:
        c.setFont(FONT, 14)
        c.drawString(20 * mm, h - 30 * mm, _("No tables yet."))
        c.showPage()
    c.save()
    return buf.getvalue()


def hosts(event: Event) -> int:
    """How many people the table cards name."""
    return event.tables.exclude(host=None).values("host").distinct().count()


def check_in_list(event: Event) -> bytes:
    """The desk's list of confirmed participants by agency: name, grade, group, a box to tick, and
    the time of a check-in already made."""
    buf = io.BytesIO()
    c = _canvas(buf, _("Check-in list"))
    h = A4[1]
    groups = _groups_of(event)

    def new_page() -> float:
        c.showPage()
        return heading()

    def heading() -> float:
        c.setFont(FONT, 14)
        c.drawString(20 * mm, h - 20 * mm, f"{event.title}: {_('Check-in list')}")
        return h - 32 * mm

    y = heading()
    regs = _confirmed(event)
    for reg in regs:
        if y < 20 * mm:
            y = new_page()
        c.setFont(FONT, 11)
        c.rect(20 * mm, y - 1 * mm, 4 * mm, 4 * mm)
        agency = reg.agency.name if reg.agency else _("Citizen member")
        grade = _("Grade %(n)d") % {"n": reg.grade} if reg.grade else ""
        group = _("Group %(n)d") % {"n": groups[reg.pk]} if reg.pk in groups else ""
        c.drawString(28 * mm, y, reg.user.display_name[:30])
        c.setFont(FONT, _fit(c, agency, 10, 60 * mm))
        c.drawString(75 * mm, y, agency)
        c.setFont(FONT, 10)
        c.drawString(140 * mm, y, ", ".join(x for x in (grade, group) if x))
        if reg.checked_in_at:
            c.drawString(170 * mm, y, timezone.localtime(reg.checked_in_at).strftime("%H:%M"))
        y -= 9 * mm
    if not regs:
        c.setFont(FONT, 12)
        c.drawString(20 * mm, y, _("Nobody is confirmed yet."))
    c.showPage()
    c.save()
    return buf.getvalue()


def _lines(c: Canvas, lines: Sequence[tuple[str, float]], start: float, new_page: Callable[[], float]) -> float:
    y = start
    for text, size in lines:
        if y < 20 * mm:
            y = new_page()
        c.setFont(FONT, size)
        c.drawString(20 * mm, y, text[:110])
        y -= size * 1.6
    return y


def itinerary(event: Event, reg: Registration) -> bytes:
    buf = io.BytesIO()
    c = _canvas(buf, _("My itinerary"))
    h = A4[1]

    def new_page() -> float:
        c.showPage()
        return h - 20 * mm

    lines = [(event.title, 16), (_("My itinerary") + f": {reg.user.display_name}", 13), ("", 8)]
    for stop in stops_of(event, reg):
        s = stop.session
        when = (
            timezone.localtime(s.starts_at).strftime("%m-%d %H:%M")
            + "~"
            + timezone.localtime(s.ends_at).strftime("%H:%M")
        )
        lines.append((f"{when}  {s.title} ,  {stop.text}", 11))
        lines.extend((f"      {d}", 10) for d in stop.detail)
    _lines(c, lines, h - 25 * mm, new_page)
    c.showPage()
    c.save()
    return buf.getvalue()


def report(event: Event, r: Report) -> bytes:
    buf = io.BytesIO()
    c = _canvas(buf, _("Event report"))
    h = A4[1]

    def new_page() -> float:
        c.showPage()
        return h - 20 * mm

    lines: list[tuple[str, float]] = [
        (event.title, 16),
        (_("Event report"), 13),
        ("", 8),
        (_("Participation"), 13),
        (
            _("%(c)d confirmed, %(i)d checked in, %(n)d no-shows, %(w)d waiting, %(x)d cancelled.")
            % {"c": r.confirmed, "i": r.checked_in, "n": r.no_shows, "w": r.waiting, "x": r.cancelled},
            10,
        ),
    ]
    lines += [(f"  {label}: {checked}/{n}", 10) for label, n, checked in [*r.by_level, *r.by_grade]]
    lines += [("", 8), (_("Outputs"), 13)]
    lines += [(f"  {label}: {n}, {items}", 10) for label, n, items in r.boards]
    lines += [(_("Tasks: %(n)d") % {"n": len(r.tasks)}, 10), ("", 8), (_("Judging"), 13)]
    for j, results, awards in r.judgings:
        lines.append((f"{j.title} ({_('jury')} {j.jury_percent}%, {_('votes')} {100 - j.jury_percent}%)", 11))
        lines += [
            (f"  {x['rank']}. {x['label']}  {x['combined'] * 100:.1f} ({x['jury']:.1f}%, {x['votes']})", 10)
            for x in results
        ]
        lines += [(f"  ★ {a.title}: {a.candidate.label}", 10) for a in awards]
    lines += [("", 8), (_("Where every task stands"), 13)]
    for task, standings in r.tasks:
        lines.append((task.title, 11))
        lines += [
            (
                f"  {s.agency.name}, {s.department.name}: {s.state_label}"
                f"{', ' + s.execution_label if s.execution else ''}",
                9,
            )
            for s in standings
        ]
    _lines(c, lines, h - 25 * mm, new_page)
    c.showPage()
    c.save()
    return buf.getvalue()
