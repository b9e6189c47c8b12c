"""The document model: plain frozen data, rendered by hwpx.py and pdf.py."""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

Align = Literal["left", "center", "right", "justify"]

# XML 1.0 forbids these code points; a pasted form feed or NUL would make an invalid part.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def clean(text: object) -> str:
    """Text safe for both renderers: XML-illegal characters dropped, CR/LF unified, tabs kept."""
    return _ILLEGAL.sub("", str(text).replace("\r\n", "\n").replace("\r", "\n"))


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 1 title of a part, 2 sub-part, 3 item


@dataclass(frozen=True)
class Paragraph:
    text: str
    align: Align = "left"
    bold: bool = False
    size: float = 10.5  # points
    keep_with_next: bool = False


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[str, ...], ...]
    header_rows: int = 1
    widths: tuple[float, ...] = ()  # relative column widths; equal when empty
    size: float = 9.5


@dataclass(frozen=True)
class Image:
    data: bytes
    format: Literal["png", "jpeg"]
    width_mm: float
    height_mm: float
    align: Align = "center"
    alt: str = ""


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Heading | Paragraph | Table | Image | PageBreak


@dataclass
class Document:
    title: str
    blocks: list[Block] = field(default_factory=list)
    author: str = ""

    def add(self, *blocks: Block) -> "Document":
        self.blocks.extend(blocks)
        return self


def table(rows: Sequence[Sequence[object]], **kwargs: object) -> Table:
    """A table from any cell values; ragged rows are padded so every row has every column."""
    width = max((len(r) for r in rows), default=1) or 1
    cells = tuple(tuple(clean(c) for c in list(r) + [""] * (width - len(r))) for r in rows)
    return Table(rows=cells or (("",),), **kwargs)  # type: ignore[arg-type]  # kwargs are Table's optional fields, passed through by name; table() takes them as object


def texts(doc: Document) -> list[str]:
    """Every non-empty line of text outside tables, in order: what a reader must find."""
    out: list[str] = []
    for b in doc.blocks:
        if isinstance(b, Heading | Paragraph):
            out.extend(line for line in clean(b.text).split("\n") if line.strip())
    return out


def tables(doc: Document) -> list[list[list[str]]]:
    return [[[clean(c) for c in row] for row in b.rows] for b in doc.blocks if isinstance(b, Table)]
