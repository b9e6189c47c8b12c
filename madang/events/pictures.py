"""Server-drawn SVG for events: a group's diversity picture and participation.

Same conventions as madang/core/charts.py: inline SVG with role="img" and a title, no script."""

from collections import Counter
from collections.abc import Sequence
from html import escape
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from madang.core.charts import FONT, PALETTE

COLOURS = (*PALETTE, "#bc4c00", "#0a7a8a", "#8250df", "#57606a", "#cf222e", "#2da44e")


def _svg(width: int, height: int, title: str, body: list[str], css: str = "chart") -> SafeString:
    t = escape(str(title))
    return mark_safe(
        f'<svg class="{css}" role="img" aria-label="{t}" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{t}</title>' + "".join(body) + "</svg>"
    )


def diversity_picture(rows: Sequence[tuple[str, Sequence[str]]], *, title: str, width: int = 320) -> SafeString:
    """One bar per attribute, split into a segment per distinct value: many thin segments of
    different colours = a mixed group; one long segment = everybody alike."""
    row, left = 24, 92
    body = []
    for i, (label, values) in enumerate(rows):
        y = 4 + i * row
        body.append(f'<text x="{left - 6}" y="{y + 14}" text-anchor="end" font-size="11" {FONT}>{escape(str(label))[:14]}</text>')
        counts = Counter(v or "?" for v in values)
        total = sum(counts.values()) or 1
        x = float(left)
        for k, (value, n) in enumerate(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))):
            w = (width - left - 4) * n / total
            colour = "#d0d7de" if value == "?" else COLOURS[k % len(COLOURS)]
            body.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{max(w - 1, 1):.1f}" height="{row - 8}" fill="{colour}">'
                        f'<title>{escape(str(value))}: {n}</title></rect>')
            x += w
    return _svg(width, 8 + row * len(rows), title, body)


def participation_chart(report: Any) -> SafeString:
    """Registered and checked in, by agency kind and by grade band: paired bars."""
    from django.utils.translation import gettext as _

    rows = [*report.by_level, ("", 0, 0), *report.by_grade]
    top = max((a for _l, a, _b in rows), default=0) or 1
    width, left, row = 560, 150, 26
    body = []
    for i, (label, confirmed, checked) in enumerate(rows):
        y = 30 + i * row
        if not label:
            continue
        body.append(f'<text x="{left - 6}" y="{y + 15}" text-anchor="end" font-size="12" {FONT}>{escape(str(label))}</text>')
        w1, w2 = (width - left - 60) * confirmed / top, (width - left - 60) * checked / top
        body.append(f'<rect x="{left}" y="{y + 2}" width="{max(w1, 1):.1f}" height="10" fill="{COLOURS[0]}"><title>{confirmed}</title></rect>')
        body.append(f'<rect x="{left}" y="{y + 13}" width="{max(w2, 1):.1f}" height="10" fill="{COLOURS[1]}"><title>{checked}</title></rect>')
        body.append(f'<text x="{left + w1 + 4:.1f}" y="{y + 18}" font-size="11" {FONT}>{checked}/{confirmed}</text>')
    legend = [(COLOURS[0], _("Registered")), (COLOURS[1], _("Checked in"))]
    for k, (colour, text) in enumerate(legend):
        body.append(f'<rect x="{left + 130 * k}" y="6" width="12" height="12" fill="{colour}"/>'
                    f'<text x="{left + 130 * k + 16}" y="16" font-size="12" {FONT}>{escape(str(text))}</text>')
    return _svg(width, 40 + row * len(rows), _("Participation by agency kind and grade"), body)
