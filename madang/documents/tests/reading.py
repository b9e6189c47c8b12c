"""Reading produced documents back with readers that are not the writers: hwp-hwpx-parser for
HWPX (an independent parser from the registry) and pypdf for PDF."""

import io
import re
import tempfile
from pathlib import Path
from typing import Any

from madang.documents import catalogue, selectors
from madang.documents.render import Document, tables, texts
from madang.documents.render.hwpx import validate

_SPACE = re.compile(r"\s+")


def squash(text: str) -> str:
    return _SPACE.sub("", text)


def read_hwpx(data: bytes) -> tuple[str, list[list[list[str]]]]:
    from hwp_hwpx_parser import Reader

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "doc.hwpx"
        path.write_bytes(data)
        with Reader(str(path)) as r:
            return r.text, [t.rows for t in r.tables]


def read_pdf(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def assert_same_content(doc: Document, hwpx: bytes, pdf: bytes) -> None:
    """Valid HWPX; every line and every table cell that went in comes out of both files."""
    assert validate(hwpx) == []
    text, found_tables = read_hwpx(hwpx)
    flat_hwpx, flat_pdf = squash(text), squash(read_pdf(pdf))
    for line in texts(doc):
        assert squash(line) in flat_hwpx, line[:80]
        assert squash(line) in flat_pdf, line[:80]
    expected = tables(doc)
    assert len(found_tables) == len(expected)
    for want, got in zip(expected, found_tables, strict=True):
        assert [[squash(c) for c in row] for row in got] == [[squash(c) for c in row] for row in want]
        for row in want:
            for cell in row:
                assert squash(cell) in flat_pdf, cell[:80]


def made_and_read(item: tuple[str, str, dict[str, Any]]) -> tuple[str, str]:
    """An item of `sources` made in both formats through its form as stored (edited or shipped), checked
    with `assert_same_content`, and the text of each file read back, without spaces."""
    _stem, kind, ctx = item
    doc = catalogue.build(kind, ctx, selectors.form_text(kind))
    hwpx, pdf = catalogue.produce(doc, "hwpx"), catalogue.produce(doc, "pdf")
    assert_same_content(doc, hwpx, pdf)  # valid HWPX; every line and cell in both files
    return squash(read_hwpx(hwpx)[0]), squash(read_pdf(pdf))
