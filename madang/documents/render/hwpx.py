"""The document model as HWPX (OWPML, KS X 6101) through python-hwpx: no XML written by hand.

python-hwpx checks the package it writes before it returns the bytes (the "editor open safety"
check, about 40 % of the time a letter takes). `to_hwpx(doc, check=False)` skips that check for
documents made from a form that was already rendered and validated when it was saved (the
shipped forms are checked by the tests, an edited one by `catalogue.check_text` before it is
kept), so a batch of 60 letters does not validate the same form 60 times. `validate` below adds
the OWPML schema check the tests run on every document they produce."""

import io
from typing import Any

from hwpx import HwpxDocument

from madang.documents.render.model import Document, Heading, Image, PageBreak, Paragraph, Table, clean

# Text area of an A4 page with the skeleton's margins, in HWPUNIT (1/7200 inch).
_TEXT_WIDTH = 42520
_HEADING_SIZE = {1: 16.0, 2: 13.0, 3: 11.5}


class _Writer:
    def __init__(self, title: str) -> None:
        self.doc = HwpxDocument.new()
        self._runs: dict[tuple[bool, float], str] = {}
        self._paras: dict[tuple[str, bool], str] = {}
        self._break = False
        self.title = title

    def run(self, bold: bool, size: float) -> str:
        key = (bold, round(size * 2) / 2)
        if key not in self._runs:
            self._runs[key] = str(self.doc.styles.ensure_run(bold=bold, size=key[1]))
        return self._runs[key]

    def para_shape(self, paragraph: Any, align: str, keep: bool) -> None:
        # python-hwpx mints a paragraph shape per call; mint one per look and reuse its id.
        key = (align, keep)
        if key == ("left", False):
            return
        if key in self._paras:
            paragraph.para_pr_id_ref = self._paras[key]
            return
        self.doc.styles.apply_paragraph_format(
            paragraphs=[paragraph], alignment=align.upper(), keep_with_next=keep or None
        )
        self._paras[key] = str(paragraph.para_pr_id_ref)

    def page_break(self) -> str:
        # "0" is the attribute's default, which python-hwpx writes anyway.
        if self._break:
            self._break = False
            return "1"
        return "0"

    def paragraph(
        self, text: str, *, align: str = "left", bold: bool = False, size: float = 10.5, keep: bool = False
    ) -> None:
        lines = clean(text).split("\n")
        for i, line in enumerate(lines):
            p = self.doc.add_paragraph(
                line, char_pr_id_ref=self.run(bold, size), inherit_style=False, pageBreak=self.page_break()
            )
            self.para_shape(p, align, keep or (i < len(lines) - 1 and keep))

    def table(self, block: Table) -> None:
        n_cols = max(len(r) for r in block.rows)
        t = self.doc.add_table(len(block.rows), n_cols, width=_TEXT_WIDTH, pageBreak=self.page_break())
        weights = list(block.widths) if len(block.widths) == n_cols else [1.0] * n_cols
        total = sum(weights) or 1.0
        if block.header_rows:
            t.element.set("repeatHeader", "1")
        for r, (row, cells) in enumerate(zip(block.rows, t.rows, strict=True)):
            for c, cell in enumerate(cells.cells):
                cell.set_size(width=int(_TEXT_WIDTH * weights[c] / total))
                value = clean(row[c]) if c < len(row) else ""
                if value:
                    cell.set_text(value, split_paragraphs="\n" in value)
                if r < block.header_rows:
                    for para in cell.paragraphs:
                        for run in para.runs:
                            run.char_pr_id_ref = self.run(True, block.size)

    def image(self, block: Image) -> None:
        self.doc.add_picture(
            block.data,
            block.format,
            width_mm=block.width_mm,
            height_mm=block.height_mm,
            align=block.align.upper() if block.align != "justify" else "LEFT",
            pageBreak=self.page_break(),
        )


def to_hwpx(document: Document, *, check: bool = True) -> bytes:
    w = _Writer(document.title)
    for block in document.blocks:
        if isinstance(block, Heading):
            w.paragraph(block.text, bold=True, size=_HEADING_SIZE.get(block.level, 11.5), keep=True)
        elif isinstance(block, Paragraph):
            w.paragraph(block.text, align=block.align, bold=block.bold, size=block.size, keep=block.keep_with_next)
        elif isinstance(block, Table):
            w.table(block)
        elif isinstance(block, Image):
            w.image(block)
        elif isinstance(block, PageBreak):
            w._break = True
    if not check:
        unchecked = _unchecked_bytes(w.doc)
        if unchecked is not None:
            return unchecked
    return w.doc.to_bytes()


def _unchecked_bytes(doc: HwpxDocument) -> bytes | None:
    """The archive without python-hwpx's editor-open check; None if this version has no such path.

    python-hwpx keeps this path for its own validators (`_to_bytes_for_validation`); it still
    checks the package structure and the ZIP's integrity, only not the full re-read of every part.
    """
    try:
        from hwpx.opc.package import _UNCHECKED_SAVE_TOKEN

        return bytes(doc._package._save_bytes_unchecked(doc._root.serialize(), _unchecked_token=_UNCHECKED_SAVE_TOKEN))
    except (ImportError, AttributeError, TypeError):
        return None


def validate(data: bytes) -> list[str]:
    """Problems the OWPML schema and python-hwpx's package checks find (empty: valid)."""
    from hwpx.tools.package_validator import validate_package
    from hwpx.tools.validator import validate_document

    problems = [f"{i.part_name}: {i.message}" for i in validate_document(io.BytesIO(data)).issues]
    problems += [f"{i.part_name}: {i.message}" for i in validate_package(data).issues if i.level == "error"]
    return problems
