"""A small document model (headings, paragraphs, tables, images, page breaks) and its renderers.

Pure: no Django, no ORM, no settings. `to_hwpx` and `to_pdf` take the same `Document` and give
the same text and tables, so a test can compare both against `texts()` and `tables()`."""

from madang.documents.render.model import (
    Block,
    Document,
    Heading,
    Image,
    PageBreak,
    Paragraph,
    Table,
    clean,
    table,
    tables,
    texts,
)

__all__ = [
    "Block",
    "Document",
    "Heading",
    "Image",
    "PageBreak",
    "Paragraph",
    "Table",
    "clean",
    "table",
    "tables",
    "texts",
]
