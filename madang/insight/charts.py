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
        f'<svg class="chart" role="img" aria-label="{t}" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{t}</title>' + "".join(body) + "</svg>"
    )


def scatter(
    points: Sequence[Sequence[float]],
    *,
    title: str,
    legend: Sequence[tuple[int, str]],
    width: int = 520,
    height: int = 380,
) -> SafeString:
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
        body.append(
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="5" fill="{group_colour(int(g))}" fill-opacity="0.8" '
            'stroke="#fff"/>'
        )
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
        body.append(
            f'<text x="{left - 6}" y="{y + 17}" text-anchor="end" font-size="13" '
            f"{FONT}><title>{text}</title>{short}</text>"
        )
        body.append(
            f'<rect x="{left}" y="{y + 5}" width="{score * scale:.1f}" height="{row - 10}" fill="{PALETTE[0]}" '
            'fill-opacity="0.75" rx="2"/>'
        )
        body.append(
            f'<line x1="{left + lower * scale:.1f}" y1="{y + row / 2:.1f}" x2="{left + upper * scale:.1f}" '
            f'y2="{y + row / 2:.1f}" '
            f'stroke="#24292f" stroke-width="2"/>'
        )
        for edge in (lower, upper):
            body.append(
                f'<line x1="{left + edge * scale:.1f}" y1="{y + 8}" x2="{left + edge * scale:.1f}" y2="{y + row - 8}" '
                'stroke="#24292f" stroke-width="2"/>'
            )
        body.append(f'<text x="{width - right + 6}" y="{y + 17}" font-size="12" {FONT}>{score:.0f}</text>')
    return _svg(width, height, title, body)


def bubble_map(
    themes: Sequence[tuple[str, int, float, float]], *, title: str, width: int = 640, height: int = 420
) -> SafeString:
    """Themes as labelled bubbles: one per (label, size, x, y) with x, y in [-1, 1] from the topic
    map; area follows the size. Overlapping bubbles are pushed apart a little (a few rounds of
    pairwise separation, deterministic) so every label stays readable; nearby still means alike."""
    pad, r_max, r_min = 12, 64.0, 14.0
    biggest = max((s for _l, s, _x, _y in themes), default=1) or 1
    radius = [max(r_min, r_max * (s / biggest) ** 0.5) for _l, s, _x, _y in themes]
    cx = [pad + r_max + (x + 1) / 2 * (width - 2 * (pad + r_max)) for _l, _s, x, _y in themes]
    cy = [pad + r_max + (1 - y) / 2 * (height - 2 * (pad + r_max)) for _l, _s, _x, y in themes]
    for _round in range(120):
        moved = False
        for i in range(len(themes)):
            for j in range(i + 1, len(themes)):
                dx, dy = cx[j] - cx[i], cy[j] - cy[i]
                dist = (dx * dx + dy * dy) ** 0.5
                gap = radius[i] + radius[j] + 4 - dist
                if gap > 0:
                    if dist < 1e-6:
                        dx, dy, dist = 1.0, 0.0, 1.0
                    push = gap / 2 / dist
                    cx[i], cy[i] = cx[i] - dx * push, cy[i] - dy * push
                    cx[j], cy[j] = cx[j] + dx * push, cy[j] + dy * push
                    moved = True
        for i, r in enumerate(radius):
            cx[i] = min(max(cx[i], pad + r), width - pad - r)
            cy[i] = min(max(cy[i], pad + r), height - pad - r)
        if not moved:
            break
    body = [f'<rect x="0" y="0" width="{width}" height="{height}" fill="#fafbfc" rx="6"/>']
    for i, (label, size, _x, _y) in enumerate(themes):
        colour = PALETTE[i % len(PALETTE)]
        full = escape(str(label))
        words = str(label).split(" · ")
        lines = words[:2] if radius[i] >= 34 else words[:1]
        body.append(
            f"<g><title>{full} ({size})</title>"
            f'<circle cx="{cx[i]:.1f}" cy="{cy[i]:.1f}" r="{radius[i]:.1f}" fill="{colour}" fill-opacity="0.22" '
            f'stroke="{colour}" stroke-width="2"/>'
        )
        top = cy[i] - 7 * (len(lines) - 1)
        for k, line in enumerate(lines):
            body.append(
                f'<text x="{cx[i]:.1f}" y="{top + 14 * k + 4:.1f}" text-anchor="middle" font-size="13" '
                'font-weight="600" '
                f"{FONT}>{escape(line[:12])}</text>"
            )
        body.append(
            f'<text x="{cx[i]:.1f}" y="{top + 14 * len(lines) + 4:.1f}" text-anchor="middle" font-size="11" '
            f'fill="#57606a" {FONT}>{size}</text></g>'
        )
    return _svg(width, height, title, body)
