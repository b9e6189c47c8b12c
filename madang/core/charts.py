"""Charts as inline SVG, drawn on the server: no JavaScript, no CDN, readable by screen
readers (role="img" with a title) and printable. Each chart sits next to its data table."""

import math
import unicodedata
from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe

PALETTE = ("#0b5cad", "#e8a33d", "#1a7f37", "#b42318", "#6e40c9", "#5b6b7a")
FONT = 'font-family="system-ui, Noto Sans KR, sans-serif"'


def _svg(width: int, height: int, title: str, body: list[str], *, says: str = "") -> SafeString:
    """`says`: the figures in words, after the title in the chart's accessible name: a screen reader
    reads a role="img" by its name alone, never the text drawn inside it (KWCAG 5.1.1)."""
    t = escape(str(title))
    name = escape(f"{title}: {says}") if says else t
    return mark_safe(
        f'<svg class="chart" role="img" aria-label="{name}" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{t}</title>' + "".join(body) + "</svg>"
    )


# Advance widths in em, on the wide side of the sans-serif fonts a browser may pick (system-ui,
# Noto Sans KR, DejaVu Sans): a label measured with these fits whichever font draws it. The
# server cannot ask the browser, and a label drawn past the viewBox is cut off, not wrapped.
_NARROW = frozenset(" .,:;'|!ilIjft()[]{}/\\`\"")
_WIDE_LATIN = frozenset("MW@%#&mw")
ELLIPSIS = "…"


def text_width(text: str, size: float) -> float:
    """The width `text` takes at font size `size` (px): a full em for each Hangul syllable or other
    wide character, less for Latin letters, digits and punctuation."""
    em = 0.0
    for ch in text:
        if unicodedata.combining(ch) or "\u1160" <= ch <= "\u11ff" or "\ud7b0" <= ch <= "\ud7ff":
            continue  # a mark or a vowel/final jamo joins the character before it
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            em += 1.0
        elif ch in _NARROW:
            em += 0.42
        elif ch in _WIDE_LATIN or ch.isupper():
            em += 0.86
        else:
            em += 0.66
    return em * size


def _clusters(text: str) -> list[str]:
    """`text` as characters a reader sees (a syllable with its marks or trailing jamo), in NFC."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFC", text):
        joins = unicodedata.combining(ch) or "\u1160" <= ch <= "\u11ff" or "\ud7b0" <= ch <= "\ud7ff"
        if out and joins:
            out[-1] += ch
        else:
            out.append(ch)
    return out


def shorten(text: str, width: float, size: float) -> str:
    """`text` as it fits in `width` px at `size`: whole, or cut after a whole syllable (never inside
    one, nor between a letter and its marks) with an ellipsis."""
    text = " ".join(str(text).split())
    if text_width(text, size) <= width:
        return unicodedata.normalize("NFC", text)
    kept = _clusters(text)
    room = width - text_width(ELLIPSIS, size)
    while kept and text_width("".join(kept), size) > room:
        kept.pop()
    return "".join(kept).rstrip() + ELLIPSIS if kept else ""


def _caption(x: float, y: float, text: str, *, width: float, size: int, anchor: str = "start") -> str:
    """A text element shortened to `width`; a shortened one carries the whole text as its tooltip."""
    shown = shorten(text, width, size)
    tip = f"<title>{escape(str(text))}</title>" if shown != " ".join(str(text).split()) else ""
    return f'<text x="{x:.1f}" y="{y}" text-anchor="{anchor}" font-size="{size}" {FONT}>{escape(shown)}{tip}</text>'


def hbars(
    items: Sequence[tuple[str, float]], *, title: str, unit: str = "", width: int = 560, colour: str = PALETTE[0]
) -> SafeString:
    """Horizontal bars, one per (label, value); labels take what they need up to 40% of the width."""
    row, pad, gap = 26, 8, 6
    height = row * len(items) + 2 * pad
    top = max((v for _, v in items), default=0) or 1
    values = [f"{value:g}{unit}" for _, value in items]
    label_room = min(max((text_width(str(label), 13) for label, _ in items), default=0), width * 0.4)
    left = math.ceil(pad + label_room + gap)
    right = math.ceil(max((text_width(v, 12) for v in values), default=0) + gap + pad)
    body = []
    for i, (label, value) in enumerate(items):
        y = pad + i * row
        w = max(0.0, (width - left - right) * value / top)
        body.append(_caption(left - gap, y + 17, str(label), width=label_room, size=13, anchor="end"))
        body.append(f'<rect x="{left:.1f}" y="{y + 4}" width="{w:.1f}" height="{row - 8}" fill="{colour}" rx="2"/>')
        body.append(f'<text x="{left + w + 4:.1f}" y="{y + 17}" font-size="12" {FONT}>{escape(values[i])}</text>')
    says = ", ".join(f"{label} {v}" for (label, _), v in zip(items, values, strict=True))
    return _svg(width, height, title, body, says=says)


def paired_bars(
    items: Sequence[tuple[str, float, float]], *, series: tuple[str, str], title: str, maximum: float, width: int = 560
) -> SafeString:
    """Two bars per label (e.g. raw and normalised score), with a legend. Labels (a proposal's
    number and title) take up to 40% of the width and are shortened to it; the value labels
    ("100.0 / 92.3") are measured so that they end inside the chart."""
    row, top, pad, gap = 30, 26, 4, 6
    height = row * len(items) + top + 8
    values = [f"{a:.1f} / {b:.1f}" for _, a, b in items]
    label_room = min(max((text_width(str(label), 13) for label, _a, _b in items), default=0), width * 0.4)
    left = math.ceil(pad + label_room + gap)
    right = math.ceil(max((text_width(v, 11) for v in values), default=0) + 4 + pad)
    scale = (width - left - right) / (maximum or 1)
    first = escape(str(series[0]))
    second_x = left + 16 + text_width(str(series[0]), 12) + 24
    body = [
        f'<rect x="{left:.1f}" y="6" width="12" height="12" fill="{PALETTE[0]}"/><text x="{left + 16:.1f}" y="16" '
        f'font-size="12" {FONT}>{first}</text>',
        f'<rect x="{second_x:.1f}" y="6" width="12" height="12" fill="{PALETTE[1]}"/>',
        _caption(second_x + 16, 16, str(series[1]), width=width - second_x - 16 - pad, size=12),
    ]
    for i, (label, a, b) in enumerate(items):
        y = top + i * row
        a, b = min(max(a, 0.0), maximum), min(max(b, 0.0), maximum)
        body.append(_caption(left - gap, y + 17, str(label), width=label_room, size=13, anchor="end"))
        body.append(f'<rect x="{left:.1f}" y="{y + 2}" width="{a * scale:.1f}" height="11" fill="{PALETTE[0]}"/>')
        body.append(f'<rect x="{left:.1f}" y="{y + 14}" width="{b * scale:.1f}" height="11" fill="{PALETTE[1]}"/>')
        end = left + max(a, b) * scale + 4
        body.append(f'<text x="{end:.1f}" y="{y + 18}" font-size="11" {FONT}>{escape(values[i])}</text>')
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
    # The legend runs on as many lines as its measured entries need.
    lx, ly = 0.0, 42
    for label, value, colour in parts:
        text = f"{label} {value}"
        step = 16 + text_width(text, 12) + 12
        if lx > 0 and lx + step - 12 > width:
            lx, ly = 0.0, ly + 20
        body.append(f'<rect x="{lx:.1f}" y="{ly}" width="12" height="12" fill="{colour}"/>')
        body.append(_caption(lx + 16, ly + 10, text, width=width - lx - 16, size=12))
        lx += step
    return _svg(width, ly + 20, title, body, says=", ".join(f"{label} {value}" for label, value, _c in parts))


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
