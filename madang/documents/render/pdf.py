"""The document model as PDF (reportlab platypus), with the same text and tables as the HWPX.

Korean text is set in NanumGothic (SIL OFL 1.1), embedded as a subset, when Debian's
`fonts-nanum` is installed: its TrueType outlines are what reportlab can embed (it refuses the
CFF-outline Noto CJK fonts of `fonts-noto-cjk`). Characters NanumGothic lacks (rare Hanja in the
extension planes, emoji) and every character when the font is absent fall back to the CID font
HYGothic-Medium, as madang/events/printables.py uses: the PDF names that font and the reader
supplies the glyphs. `wordWrap="CJK"` lets a line break between any two syllables, which is how
Korean is set; headings keep with what follows them."""

import io
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import CondPageBreak, Flowable, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import Image as PdfImage
from reportlab.platypus import PageBreak as PdfPageBreak
from reportlab.platypus import Paragraph as PdfParagraph
from reportlab.platypus import Table as PdfTable

from madang.documents.render.model import Document, Heading, Image, PageBreak, Paragraph, Table, clean

FONT = "HYGothic-Medium"
EMBEDDED = "NanumGothic"
# Debian's fonts-nanum; the bold face is optional.
_NANUM = (
    Path("/usr/share/fonts/truetype/nanum/NanumGothic.ttf"),
    Path("/usr/share/fonts/truetype/nanum/NanumGothicBold.ttf"),
)
_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}
_HEADING_SIZE = {1: 16.0, 2: 13.0, 3: 11.5}
_WIDTH = A4[0] - 40 * mm


@cache
def _embedded() -> frozenset[int] | None:
    """Register NanumGothic once per process; the code points it has, or None without it."""
    regular, bold = _NANUM
    if not regular.is_file():
        return None
    try:
        face = TTFont(EMBEDDED, str(regular))
        pdfmetrics.registerFont(face)
        bold_name = EMBEDDED
        if bold.is_file():
            pdfmetrics.registerFont(TTFont(f"{EMBEDDED}-Bold", str(bold)))
            bold_name = f"{EMBEDDED}-Bold"
        pdfmetrics.registerFontFamily(EMBEDDED, normal=EMBEDDED, bold=bold_name, italic=EMBEDDED, boldItalic=bold_name)
    except Exception:  # an unreadable font file: keep to the CID font rather than fail every PDF
        return None
    return frozenset(face.face.charToGlyph)


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return EMBEDDED if _embedded() is not None else FONT


def _fallback(text: str) -> str:
    """Escaped text with each run of characters the embedded font lacks set in the CID font."""
    have = _embedded()
    if have is None:
        return escape(text)
    out: list[str] = []
    run: list[str] = []
    missing = False
    for ch in text:
        lacks = ord(ch) not in have and not ch.isspace()
        if lacks != missing and run:
            out.append(f'<font name="{FONT}">{escape("".join(run))}</font>' if missing else escape("".join(run)))
            run = []
        missing = lacks
        run.append(ch)
    if run:
        out.append(f'<font name="{FONT}">{escape("".join(run))}</font>' if missing else escape("".join(run)))
    return "".join(out)


def _style(size: float, align: str = "left", keep: bool = False) -> ParagraphStyle:
    return ParagraphStyle(
        f"s{size}{align}{keep}",
        fontName=_font(),
        fontSize=size,
        leading=size * 1.5,
        alignment=_ALIGN.get(align, TA_LEFT),
        wordWrap="CJK",
        keepWithNext=int(keep),
        spaceAfter=size * 0.4,
    )


def _markup(text: str, bold: bool = False) -> str:
    body = _fallback(clean(text)).replace("\n", "<br/>").replace("\t", "&nbsp;&nbsp;&nbsp;&nbsp;")
    # NanumGothicBold where installed; the CID font has no bold face and reportlab draws its bold
    # runs with a thin stroke round the glyphs.
    return f"<b>{body}</b>" if bold and body else body


def _table(block: Table) -> PdfTable:
    n_cols = max(len(r) for r in block.rows)
    weights = list(block.widths) if len(block.widths) == n_cols else [1.0] * n_cols
    total = sum(weights) or 1.0
    body, head = _style(block.size), _style(block.size, "center")
    data = [
        [PdfParagraph(_markup(c), head if r < block.header_rows else body) for c in row] + [""] * (n_cols - len(row))
        for r, row in enumerate(block.rows)
    ]
    t = PdfTable(data, colWidths=[_WIDTH * w / total for w in weights], repeatRows=block.header_rows, splitByRow=True)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if block.header_rows:
        style.append(("BACKGROUND", (0, 0), (-1, block.header_rows - 1), colors.HexColor("#EEEEEE")))
    t.setStyle(TableStyle(style))
    return t


def to_pdf(document: Document) -> bytes:
    flow: list[Flowable] = []
    for block in document.blocks:
        if isinstance(block, Heading):
            size = _HEADING_SIZE.get(block.level, 11.5)
            # A heading never ends a page: with less than this left it starts the next one, and
            # keepWithNext binds it to the first part of what follows.
            flow.append(CondPageBreak(40 * mm))
            flow.append(PdfParagraph(_markup(block.text, bold=True), _style(size, keep=True)))
        elif isinstance(block, Paragraph):
            flow.append(
                PdfParagraph(_markup(block.text, block.bold), _style(block.size, block.align, block.keep_with_next))
            )
        elif isinstance(block, Table):
            flow.append(_table(block))
            flow.append(Spacer(1, 3 * mm))
        elif isinstance(block, Image):
            image = PdfImage(io.BytesIO(block.data), width=block.width_mm * mm, height=block.height_mm * mm)
            image.hAlign = block.align.upper() if block.align != "justify" else "LEFT"
            flow.append(image)
        elif isinstance(block, PageBreak):
            flow.append(PdfPageBreak())
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=clean(document.title),
        author=clean(document.author) or "Madang",
    )
    doc.build(flow or [Spacer(1, 1)])
    return buf.getvalue()
