"""Bar charts as PNG (Pillow) to embed in both HWPX and PDF.

Labels are drawn as numbers under the bars, and the document prints the table with the same
numbers beside the chart: Pillow's built-in font has no Hangul, and a font file path would tie
the chart to one machine."""

import io

from PIL import Image, ImageDraw

from madang.documents.render.templating import Picture

_COLOURS = ("#1f5fa8", "#8ab6e6")


def bars(series: list[tuple[str, list[float]]], *, width: int = 900, height: int = 360) -> Picture:
    """Grouped bars: one group per label, one bar per value (at most two series)."""
    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    left, bottom, top = 50, height - 40, 20
    draw.line([(left, top), (left, bottom), (width - 10, bottom)], fill="black", width=2)
    peak = max((v for _, values in series for v in values), default=0) or 1
    n = max(len(series), 1)
    slot = (width - left - 20) / n
    for i, (_, values) in enumerate(series):
        bar = slot * 0.7 / max(len(values), 1)
        for j, v in enumerate(values):
            x0 = left + 10 + i * slot + j * bar
            y0 = min(
                bottom - (bottom - top) * v / peak, bottom - 1
            )  # a zero still gets a hairline, never an inverted box
            draw.rectangle([x0, y0, x0 + bar - 2, bottom - 1], fill=_COLOURS[j % len(_COLOURS)])
            draw.text((x0 + 2, max(top, y0 - 12)), f"{v:g}", fill="black")
        draw.text((left + 10 + i * slot, bottom + 8), str(i + 1), fill="black")
    for k in range(5):
        y = bottom - (bottom - top) * k / 4
        draw.text((5, y - 6), f"{peak * k / 4:g}", fill="black")
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=True)
    return Picture(buf.getvalue(), "png", width, height)
