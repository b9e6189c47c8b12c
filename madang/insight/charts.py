"""Server-drawn SVG for the opinion map (a scatter of anonymous dots) and the survey scores
(bars with their uncertainty band), in the manner of madang.core.charts."""

from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe

from madang.core.charts import FONT, PALETTE

UNGROUPED = "#c4ccd4"


def group_colour(group: int) -> str:
    return UNGROUPED if group < 0 else PALETTE[group % len(PALETTE)]


def group_letter(group: int) -> str:
    return chr(ord("A") + group) if 0 <= group < 26 else "?"


def _svg(width: int, height: int, title: str, body: list[str]) -> SafeString:
    t = escape(str(title))
    return mark_safe(
        f'<svg class="chart" role="img" aria-label="{t}" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{t}</title>' + "".join(body) + "</svg>"
    )


def scatter(points: Sequence[Sequence[float]], *, title: str, legend: Sequence[tuple[int, str]], width: int = 520,
            height: int = 380) -> SafeString:
    """Dots at (x, y) coloured by group (points are [x, y, group]); group -1 is drawn pale."""
    pad, legend_h = 16, 24
    xs = [p[0] for p in points] or [0.0]
    ys = [p[1] for p in points] or [0.0]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    sx = (width - 2 * pad) / ((x1 - x0) or 1)
    sy = (height - legend_h - 2 * pad) / ((y1 - y0) or 1)
    body = [f'<rect x="0" y="0" width="{width}" height="{height}" fill="#fafbfc" rx="6"/>']
    for x, y, g in sorted(points, key=lambda p: p[2]):
        cx = pad + (x - x0) * sx
        cy = legend_h + pad + (y1 - y) * sy
        body.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="5" fill="{group_colour(int(g))}" fill-opacity="0.8" stroke="#fff"/>')
    lx = pad
    for g, label in legend:
        body.append(f'<circle cx="{lx + 6}" cy="13" r="6" fill="{group_colour(g)}"/>')
        body.append(f'<text x="{lx + 16}" y="18" font-size="13" {FONT}>{escape(str(label))}</text>')
        lx += 22 + 8 * len(str(label)) + 10
    return _svg(width, height, title, body)


def score_bands(items: Sequence[tuple[str, float, float, float]], *, title: str, width: int = 640) -> SafeString:
    """One row per (label, score, lower, upper) on a 0–100 scale: a bar to the score, a line for the band."""
    row, left, right, top = 26, 220, 48, 22
    height = top + row * len(items) + 8
    scale = (width - left - right) / 100
    body = []
    for tick in (0, 25, 50, 75, 100):
        x = left + tick * scale
        body.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 4}" stroke="#e1e4e8"/>')
        body.append(f'<text x="{x:.1f}" y="{top - 8}" text-anchor="middle" font-size="11" {FONT}>{tick}</text>')
    for i, (label, score, lower, upper) in enumerate(items):
        y = top + i * row
        text = escape(str(label))
        short = text if len(str(label)) <= 22 else escape(str(label)[:21]) + "…"
        body.append(f'<text x="{left - 6}" y="{y + 17}" text-anchor="end" font-size="13" {FONT}><title>{text}</title>{short}</text>')
        body.append(f'<rect x="{left}" y="{y + 5}" width="{score * scale:.1f}" height="{row - 10}" fill="{PALETTE[0]}" fill-opacity="0.75" rx="2"/>')
        body.append(f'<line x1="{left + lower * scale:.1f}" y1="{y + row / 2:.1f}" x2="{left + upper * scale:.1f}" y2="{y + row / 2:.1f}" '
                    f'stroke="#24292f" stroke-width="2"/>')
        for edge in (lower, upper):
            body.append(f'<line x1="{left + edge * scale:.1f}" y1="{y + 8}" x2="{left + edge * scale:.1f}" y2="{y + row - 8}" stroke="#24292f" stroke-width="2"/>')
        body.append(f'<text x="{width - right + 6}" y="{y + 17}" font-size="12" {FONT}>{score:.0f}</text>')
    return _svg(width, height, title, body)
