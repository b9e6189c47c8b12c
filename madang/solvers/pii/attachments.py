"""The text of an attachment, so the detector can read it: PDF, XLSX, DOCX, HWPX, PPTX, TXT.

Plain Python and the packages the project already has: the Office and OWPML formats are ZIP
archives of XML (read with zipfile and ElementTree), XLSX through openpyxl (a dependency for the
exports), PDF through pypdf. HWP 5 (the older binary format, an OLE compound file with compressed
records) is not read: `Extraction.complete` is False and `problem` says so, and the caller decides
what that means (the filter tells the author the file could not be checked).

Untrusted input: every file is bounded (members, bytes unpacked, characters kept, PDF pages), XML
with a DOCTYPE is refused (Office and OWPML documents never carry one, so no entity can expand),
and a damaged file gives `problem`, never an exception.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from madang.solvers.pii.core import Finding, scan

MAX_CHARS = 2_000_000  # characters of text kept from one file
MAX_UNPACKED = 64 * 1024 * 1024  # bytes of XML read out of one archive
MAX_MEMBERS = 2_000
MAX_PAGES = 1_000

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_HP = "{http://www.hancom.co.kr/hwpml/2011/paragraph}"


@dataclass(frozen=True)
class Segment:
    """Text from one place in a file. `where` names the place without words, for the caller to
    put into the reader's language: ("page", 3), ("sheet", "명단", "B4"), ("paragraph", 12),
    ("section", 1, 4) (HWPX section and paragraph), ("slide", 2), ("line", 7)."""

    where: tuple[str | int, ...]
    text: str


@dataclass(frozen=True)
class Extraction:
    segments: tuple[Segment, ...]
    complete: bool  # False: the file was cut at a limit, or could not be read at all
    problem: str | None = None  # why not complete: "unsupported", "damaged", "encrypted", "too large"

    @property
    def text(self) -> str:
        return "\n".join(s.text for s in self.segments)


class _TooLarge(Exception):
    pass


class _Encrypted(Exception):
    pass


def _kind(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def extract(name: str, data: bytes) -> Extraction:
    """The text of the file `name` (only its extension is used) with content `data`."""
    readers = {"pdf": _pdf, "xlsx": _xlsx, "docx": _docx, "hwpx": _hwpx, "pptx": _pptx, "txt": _txt}
    reader = readers.get(_kind(name))
    if reader is None:
        return Extraction((), False, "unsupported")
    segments: list[Segment] = []
    used = 0
    try:
        for where, text in reader(data):
            if not text.strip():
                continue
            if used + len(text) > MAX_CHARS:
                segments.append(Segment(where, text[: MAX_CHARS - used]))
                return Extraction(tuple(segments), False, "too large")
            used += len(text)
            segments.append(Segment(where, text))
    except _TooLarge:
        return Extraction(tuple(segments), False, "too large")
    except _Encrypted:
        return Extraction((), False, "encrypted")
    except Exception:  # a damaged upload of any kind is "could not read", never a 500
        return Extraction(tuple(segments), False, "damaged")
    return Extraction(tuple(segments), True)


# --- ZIP + XML -------------------------------------------------------------------------------


class _Archive:
    def __init__(self, data: bytes) -> None:
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        infos = self.zip.infolist()
        if len(infos) > MAX_MEMBERS:
            raise _TooLarge
        self.names = [i.filename for i in infos]
        self.unpacked = 0

    def xml(self, name: str) -> ET.Element:
        info = self.zip.getinfo(name)
        if self.unpacked + info.file_size > MAX_UNPACKED:
            raise _TooLarge
        with self.zip.open(info) as f:
            raw = f.read(MAX_UNPACKED - self.unpacked + 1)
        self.unpacked += len(raw)
        if self.unpacked > MAX_UNPACKED:  # the header lied about the size
            raise _TooLarge
        if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
            raise ValueError(f"{name}: a DOCTYPE in an office document")
        # Without a DOCTYPE there is no entity to expand and nothing external to fetch, which is
        # what defusedxml would guard against.
        return ET.fromstring(raw)  # noqa: S314


def _natural(name: str) -> tuple[int, str]:
    m = re.search(r"(\d+)\.xml$", name)
    return (int(m.group(1)) if m else 0, name)


def _paragraph_text(p: ET.Element, text_tag: str, tab_tag: str | None, break_tag: str | None) -> str:
    parts = []
    for el in p.iter():
        if el.tag == text_tag and el.text:
            parts.append(el.text)
        elif el.tag in (tab_tag, break_tag):
            parts.append("\t" if el.tag == tab_tag else "\n")
    return "".join(parts)


def _docx(data: bytes) -> Iterator[tuple[tuple[str | int, ...], str]]:
    archive = _Archive(data)
    extra = (n for n in archive.names if re.fullmatch(r"word/(header|footer|footnotes|endnotes|comments)\d*\.xml", n))
    parts = ["word/document.xml", *sorted(extra, key=_natural)]
    n = 0
    for part in parts:
        if part not in archive.names:
            continue
        root = archive.xml(part)
        # Paragraphs inside tables are paragraphs too; a table cell's text comes out cell by cell.
        for p in root.iter(f"{_W}p"):
            n += 1
            yield ("paragraph", n), _paragraph_text(p, f"{_W}t", f"{_W}tab", f"{_W}br")


def _hwpx(data: bytes) -> Iterator[tuple[tuple[str | int, ...], str]]:
    # OWPML (KS X 6101): the body is Contents/section0.xml, section1.xml, … in order (the spine of
    # Contents/content.hpf lists them; the numbering gives the same order). Text is in <hp:t>
    # inside <hp:run> inside <hp:p>; table cells hold paragraphs of their own in <hp:subList>.
    archive = _Archive(data)
    sections = sorted((n for n in archive.names if re.fullmatch(r"Contents/section\d+\.xml", n)), key=_natural)
    if not sections:
        raise ValueError("no section in the HWPX package")
    for s, name in enumerate(sections, 1):
        # iter() reaches the paragraphs of table cells too; _hwpx_text reads only a paragraph's
        # own runs, so the paragraph that holds a table does not repeat the cells' text.
        for n, p in enumerate(archive.xml(name).iter(f"{_HP}p"), 1):
            yield ("section", s, n), _hwpx_text(p)


def _hwpx_text(p: ET.Element) -> str:
    parts = []
    for run in p.findall(f"{_HP}run"):
        for el in run:
            if el.tag == f"{_HP}t":
                parts.append("".join(el.itertext()))
            elif el.tag == f"{_HP}tab":
                parts.append("\t")
    return "".join(parts)


def _pptx(data: bytes) -> Iterator[tuple[tuple[str | int, ...], str]]:
    archive = _Archive(data)
    slides = sorted((n for n in archive.names if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)), key=_natural)
    for i, name in enumerate(slides, 1):
        root = archive.xml(name)
        lines = [_paragraph_text(p, f"{_A}t", None, f"{_A}br") for p in root.iter(f"{_A}p")]
        yield ("slide", i), "\n".join(line for line in lines if line)


def _xlsx(data: bytes) -> Iterator[tuple[tuple[str | int, ...], str]]:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    archive = _Archive(data)  # the same bounds as the other archives, before openpyxl unpacks it
    total = sum(archive.zip.getinfo(n).file_size for n in archive.names)
    if total > MAX_UNPACKED:
        raise _TooLarge
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        for sheet in book.worksheets:
            for r, row in enumerate(sheet.iter_rows(values_only=True), 1):
                for c, value in enumerate(row, 1):
                    if value is None:
                        continue
                    # A number typed into a cell loses its leading zero (010… becomes 10…); it is
                    # read as Excel shows it, and the detector sees what a reader would see.
                    text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
                    yield ("sheet", sheet.title, f"{get_column_letter(c)}{r}"), text
    finally:
        book.close()


def _pdf(data: bytes) -> Iterator[tuple[tuple[str | int, ...], str]]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):
        raise _Encrypted
    for i, page in enumerate(reader.pages, 1):
        if i > MAX_PAGES:
            raise _TooLarge
        yield ("page", i), page.extract_text() or ""


def _txt(data: bytes) -> Iterator[tuple[tuple[str | int, ...], str]]:
    for encoding in ("utf-8-sig", "cp949"):  # Korean Windows still saves text as CP949
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        text = data.decode("utf-8", errors="replace")
    for i, line in enumerate(text.splitlines(), 1):
        yield ("line", i), line


def scan_file(
    name: str, data: bytes, *, min_confidence: float = 0.5
) -> tuple[Extraction, list[tuple[Segment, Finding]]]:
    """The file's text and what the detector finds in it, place by place."""
    extraction = extract(name, data)
    found = [(segment, f) for segment in extraction.segments for f in scan(segment.text, min_confidence=min_confidence)]
    return extraction, found
