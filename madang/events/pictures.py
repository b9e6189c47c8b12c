"""Server-drawn SVG for events: a group's diversity picture and participation.

Same conventions as madang/core/charts.py: inline SVG with role="img" and a title, no script."""

from collections import Counter
from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from madang.core.charts import FONT, PALETTE
from madang.events.selectors.event_report import Report

COLOURS = (*PALETTE, "#bc4c00", "#0a7a8a", "#8250df", "#57606a", "#cf222e", "#2da44e")


def _svg(width: int, height: int, title: str, body: list[str], css: str = "chart") -> SafeString:
    t = escape(str(title))
    return mark_safe(
        f'<svg class="{css}" role="img" aria-label="{t}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{t}</title>' + "".join(body) + "</svg>"
    )


def _text_width(text: str, size: int) -> float:
    """A rough width for laying out legend entries: Hangul and other wide letters at about one em."""
    return sum(size * (1.0 if ord(ch) > 0x2E80 else 0.6) for ch in text)


def diversity_picture(
    rows: Sequence[tuple[str, Sequence[str]]], *, title: str, width: int = 320, unstated: str = ""
) -> SafeString:
    """One bar per attribute, split into a segment per distinct value: many thin segments of
    different colours = a mixed group; one long segment = everybody alike. Under each bar, a
    legend names each colour with its count; grey is "not stated"."""
    unstated = unstated or str(_("Not stated"))
    bar, line, left = 18, 15, 92
    body = []
    y = 4.0
    for label, values in rows:
        body.append(
            f'<text x="{left - 6}" y="{y + 13:.0f}" text-anchor="end" font-size="11" {FONT}>'
            f"{escape(str(label))[:14]}</text>"
        )
        counts = Counter(v or "?" for v in values)
        total = sum(counts.values()) or 1
        x = float(left)
        entries = []
        for k, (value, n) in enumerate(sorted(counts.items(), key=lambda kv: (kv[0] == "?", -kv[1], kv[0]))):
            w = (width - left - 4) * n / total
            colour = "#d0d7de" if value == "?" else COLOURS[k % len(COLOURS)]
            name = unstated if value == "?" else str(value)
            body.append(
                f'<rect x="{x:.1f}" y="{y + 2:.0f}" width="{max(w - 1, 1):.1f}" height="{bar - 4}" fill="{colour}">'
                f"<title>{escape(name)}: {n}</title></rect>"
            )
            entries.append((colour, f"{name[:12]} {n}"))
            x += w
        y += bar
        lx = float(left)
        for colour, text in entries:
            w = 14 + _text_width(text, 10) + 8
            if lx + w > width and lx > left:
                lx, y = float(left), y + line
            body.append(
                f'<rect x="{lx:.0f}" y="{y + 2:.0f}" width="10" height="10" fill="{colour}"/>'
                f'<text x="{lx + 13:.0f}" y="{y + 11:.0f}" font-size="10" {FONT}>{escape(text)}</text>'
            )
            lx += w
        y += line + 4
    return _svg(width, int(y + 2), title, body)


def participation_chart(report: Report) -> SafeString:
    """Registered and checked in, by agency kind and by grade band: paired bars."""
    rows = [*report.by_level, ("", 0, 0), *report.by_grade]
    top = max((a for _l, a, _b in rows), default=0) or 1
    width, left, row = 560, 150, 26
    body = []
    for i, (label, confirmed, checked) in enumerate(rows):
        y = 30 + i * row
        if not label:
            continue
        body.append(
            f'<text x="{left - 6}" y="{y + 15}" text-anchor="end" font-size="12" {FONT}>{escape(str(label))}</text>'
        )
        w1, w2 = (width - left - 60) * confirmed / top, (width - left - 60) * checked / top
        body.append(
            f'<rect x="{left}" y="{y + 2}" width="{max(w1, 1):.1f}" height="10" fill="{COLOURS[0]}">'
            f"<title>{confirmed}</title></rect>"
        )
        body.append(
            f'<rect x="{left}" y="{y + 13}" width="{max(w2, 1):.1f}" height="10" fill="{COLOURS[1]}">'
            f"<title>{checked}</title></rect>"
        )
        body.append(f'<text x="{left + w1 + 4:.1f}" y="{y + 18}" font-size="11" {FONT}>{checked}/{confirmed}</text>')
    legend = [(COLOURS[0], _("Registered")), (COLOURS[1], _("Checked in"))]
    for k, (colour, text) in enumerate(legend):
        body.append(
            f'<rect x="{left + 130 * k}" y="6" width="12" height="12" fill="{colour}"/>'
            f'<text x="{left + 130 * k + 16}" y="16" font-size="12" {FONT}>{escape(str(text))}</text>'
        )
    return _svg(width, 40 + row * len(rows), _("Participation by agency kind and grade"), body)
