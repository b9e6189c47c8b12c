"""Charts as inline SVG, drawn on the server: no JavaScript, no CDN, readable by screen
readers (role="img" with a title) and printable. Each chart sits next to its data table."""

from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe

PALETTE = ("#0b5cad", "#e8a33d", "#1a7f37", "#b42318", "#6e40c9", "#5b6b7a")
FONT = 'font-family="system-ui, Noto Sans KR, sans-serif"'


def _svg(width: int, height: int, title: str, body: list[str]) -> SafeString:
    t = escape(str(title))
    return mark_safe(
        f'<svg class="chart" role="img" aria-label="{t}" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{t}</title>' + "".join(body) + "</svg>"
    )


def hbars(
    items: Sequence[tuple[str, float]], *, title: str, unit: str = "", width: int = 560, colour: str = PALETTE[0]
) -> SafeString:
    """Horizontal bars, one per (label, value)."""
    row, left, pad = 26, 150, 8
    height = row * len(items) + 2 * pad
    top = max((v for _, v in items), default=0) or 1
    body = []
    for i, (label, value) in enumerate(items):
        y = pad + i * row
        w = (width - left - 60) * value / top
        body.append(
            f'<text x="{left - 6}" y="{y + 17}" text-anchor="end" font-size="13" '
            f"{FONT}>{escape(str(label))[:24]}</text>"
        )
        body.append(f'<rect x="{left}" y="{y + 4}" width="{w:.1f}" height="{row - 8}" fill="{colour}" rx="2"/>')
        body.append(f'<text x="{left + w + 4:.1f}" y="{y + 17}" font-size="12" {FONT}>{value:g}{escape(unit)}</text>')
    return _svg(width, height, title, body)


def paired_bars(
    items: Sequence[tuple[str, float, float]], *, series: tuple[str, str], title: str, maximum: float, width: int = 560
) -> SafeString:
    """Two bars per label (e.g. raw and normalised score), with a legend."""
    row, left, pad = 30, 60, 26
    height = row * len(items) + pad + 8
    scale = (width - left - 50) / (maximum or 1)
    body = [
        f'<rect x="{left}" y="6" width="12" height="12" fill="{PALETTE[0]}"/><text x="{left + 16}" y="16" '
        f'font-size="12" {FONT}>{escape(str(series[0]))}</text>',
        f'<rect x="{left + 140}" y="6" width="12" height="12" fill="{PALETTE[1]}"/><text x="{left + 156}" y="16" '
        f'font-size="12" {FONT}>{escape(str(series[1]))}</text>',
    ]
    for i, (label, a, b) in enumerate(items):
        y = pad + i * row
        body.append(
            f'<text x="{left - 6}" y="{y + 17}" text-anchor="end" font-size="13" {FONT}>{escape(str(label))}</text>'
        )
        body.append(f'<rect x="{left}" y="{y + 2}" width="{a * scale:.1f}" height="11" fill="{PALETTE[0]}"/>')
        body.append(f'<rect x="{left}" y="{y + 14}" width="{b * scale:.1f}" height="11" fill="{PALETTE[1]}"/>')
        body.append(
            f'<text x="{left + max(a, b) * scale + 4:.1f}" y="{y + 18}" font-size="11" {FONT}>{a:.1f} / {b:.1f}</text>'
        )
    return _svg(width, height, title, body)


GOOD, LATE, BAD, WAITING, ACTIVE = "#1a7f37", "#bf8700", "#b42318", "#8c959f", "#0b5cad"


def stacked_bar(parts: Sequence[tuple[str, int, str]], *, title: str, width: int = 560) -> SafeString:
    """One bar split into (label, value, colour) parts, e.g. answered on time / late / overdue, with a legend."""
    total = sum(v for _, v, _c in parts) or 1
    x, bar_w, body = 0.0, width - 2, []
    for _label, value, colour in parts:
        w = bar_w * value / total
        if w > 0:
            body.append(f'<rect x="{1 + x:.1f}" y="4" width="{w:.1f}" height="28" fill="{colour}"/>')
            if w > 24:
                body.append(
                    f'<text x="{1 + x + w / 2:.1f}" y="23" text-anchor="middle" font-size="12" fill="#fff" '
                    f"{FONT}>{value}</text>"
                )
        x += w
    lx = 0
    for label, value, colour in parts:
        text = f"{label} {value}"
        body.append(
            f'<rect x="{lx}" y="42" width="12" height="12" fill="{colour}"/><text x="{lx + 16}" y="52" font-size="12" '
            f"{FONT}>{escape(text)}</text>"
        )
        lx += 22 + 8 * len(text)
    return _svg(width, 62, title, body)


def probability_profile(
    values: Sequence[float], *, uniform: float, title: str, series: tuple[str, str], width: int = 560, height: int = 220
) -> SafeString:
    """Selection probabilities sorted from lowest to highest (one step per person) against the
    uniform share k/n, drawn as a dashed line. Probabilities are shown as percentages."""
    left, right, top, bottom = 48, 12, 28, 26
    plot_w, plot_h = width - left - right, height - top - bottom
    ordered = sorted(float(v) for v in values)
    peak = max([*ordered, uniform, 1e-9]) * 1.1

    def y(v: float) -> float:
        return top + plot_h * (1 - v / peak)

    body = [
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#8c959f"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#8c959f"/>',
    ]
    for tick in (0.0, peak / 2, peak / 1.1):
        body.append(
            f'<text x="{left - 4}" y="{y(tick) + 4:.1f}" text-anchor="end" font-size="11" '
            f"{FONT}>{100 * tick:.1f}%</text>"
        )
    n = len(ordered)
    if n:
        step = plot_w / n
        points = []
        for i, v in enumerate(ordered):
            points.append(f"{left + i * step:.1f},{y(v):.1f}")
            points.append(f"{left + (i + 1) * step:.1f},{y(v):.1f}")
        body.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="{PALETTE[0]}" stroke-width="2"/>')
    body.append(
        f'<line x1="{left}" y1="{y(uniform):.1f}" x2="{left + plot_w}" y2="{y(uniform):.1f}" stroke="{PALETTE[1]}" '
        f'stroke-width="2" stroke-dasharray="6 4"/>'
    )
    body.append(
        f'<text x="{left + plot_w / 2:.1f}" y="{height - 6}" text-anchor="middle" font-size="11" {FONT}>1 … {n}</text>'
    )
    body.append(
        f'<rect x="{left}" y="6" width="12" height="4" fill="{PALETTE[0]}"/>'
        f'<text x="{left + 16}" y="12" font-size="12" {FONT}>{escape(str(series[0]))}</text>'
    )
    body.append(
        f'<rect x="{left + 240}" y="6" width="12" height="4" fill="{PALETTE[1]}"/>'
        f'<text x="{left + 256}" y="12" font-size="12" {FONT}>{escape(str(series[1]))}</text>'
    )
    return _svg(width, height, title, body)
