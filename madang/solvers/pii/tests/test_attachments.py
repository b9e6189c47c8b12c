"""The text of attachments, from small files made here: each format, and the bad ones."""

import io
import zipfile

import pytest

from madang.solvers.pii import attachments
from madang.solvers.pii.attachments import extract, scan_file

PHONE, RRN = "010-2345-6789", "900101-1234568"  # the RRN's check digit holds


def kinds(name: str, data: bytes) -> list[tuple[tuple, str]]:
    extraction, found = scan_file(name, data)
    assert extraction.complete, extraction.problem
    return [(segment.where, f.kind.value) for segment, f in found]


def test_it_reads_korean_text_from_every_page_of_a_pdf():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("HYGothic-Medium"))  # built into reportlab: no font file
    out = io.BytesIO()
    c = canvas.Canvas(out)
    c.setFont("HYGothic-Medium", 11)
    c.drawString(50, 800, "제안 배경: 민원 서류를 한 번만 내게 해 주세요.")
    c.showPage()
    c.setFont("HYGothic-Medium", 11)
    c.drawString(50, 800, f"신청인 연락처 {PHONE}, 주민번호 {RRN}")
    c.showPage()
    c.save()
    assert kinds("제안서.pdf", out.getvalue()) == [(("page", 2), "mobile"), (("page", 2), "rrn")]


def test_it_reads_every_cell_of_every_sheet_of_a_workbook():
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "요약"
    book.active["A1"] = "참가자 수"
    book.active["B1"] = 1234567  # a count, not a number of a person
    people = book.create_sheet("명단")
    people.append(["이름", "연락처", "주민등록번호"])
    people.append(["김민수", PHONE, RRN])
    out = io.BytesIO()
    book.save(out)
    assert kinds("명단.xlsx", out.getvalue()) == [(("sheet", "명단", "B2"), "mobile"), (("sheet", "명단", "C2"), "rrn")]


def docx(body: str, header: str = "") -> bytes:
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(
            "word/document.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><w:document {w}><w:body>{body}</w:body></w:document>',
        )
        if header:
            z.writestr("word/header1.xml", f"<w:hdr {w}><w:p><w:r><w:t>{header}</w:t></w:r></w:p></w:hdr>")
    return out.getvalue()


def test_it_reads_paragraphs_runs_tables_and_headers_of_a_docx():
    body = (
        "<w:p><w:r><w:t>자세한 내용은 </w:t></w:r><w:r><w:t>010-2345-</w:t></w:r>"
        "<w:r><w:t>6789로 연락 주세요.</w:t></w:r></w:p>"
        f"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>주민번호</w:t></w:r></w:p></w:tc>"
        f"<w:tc><w:p><w:r><w:t>{RRN}</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
    )
    # A number split across runs (as Word does after an edit) is found whole.
    assert kinds("제안.docx", docx(body, header="담당 hong@example.com")) == [
        (("paragraph", 1), "mobile"),
        (("paragraph", 3), "rrn"),
        (("paragraph", 4), "email"),
    ]


def test_it_reads_paragraphs_and_table_cells_of_an_hwpx():
    from hwpx import HwpxDocument

    doc = HwpxDocument.new()
    doc.add_paragraph("제안 배경: 주민센터 서류 간소화")
    doc.add_paragraph(f"연락처 {PHONE}")
    table = doc.add_table(2, 2)
    table.rows[0].cells[0].set_text("주민등록번호")
    table.rows[0].cells[1].set_text(RRN)
    extraction, found = scan_file("제안서.hwpx", doc.to_bytes())
    assert extraction.complete
    assert "제안 배경: 주민센터 서류 간소화" in extraction.text
    assert [f.kind.value for _s, f in found] == ["mobile", "rrn"]
    assert all(segment.where[0] == "section" for segment, _f in found)


def test_it_reads_slides_and_korean_text_files_in_either_encoding():
    a = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(
            "ppt/slides/slide1.xml", f"<p:sld xmlns:p='p' {a}><a:p><a:r><a:t>발표자 {PHONE}</a:t></a:r></a:p></p:sld>"
        )
    assert kinds("발표.pptx", out.getvalue()) == [(("slide", 1), "mobile")]
    text = f"첫 줄\n연락처 {PHONE}\n"
    assert kinds("메모.txt", text.encode("utf-8")) == [(("line", 2), "mobile")]
    assert kinds("메모.txt", text.encode("cp949")) == [(("line", 2), "mobile")]


def test_it_says_what_it_could_not_read_instead_of_failing():
    assert extract("옛문서.hwp", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100).problem == "unsupported"
    assert extract("깨진.docx", b"PK\x03\x04 not really a zip").problem == "damaged"
    assert extract("깨진.pdf", b"%PDF-1.7 nothing else").problem == "damaged"
    assert extract("빈.hwpx", docx("")).problem == "damaged"  # a ZIP without an OWPML section
    # An entity bomb is refused before the parser sees it.
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        "<w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("word/document.xml", bomb)
    result = extract("폭탄.docx", out.getvalue())
    assert result.problem == "damaged" and result.segments == ()


def test_it_reports_an_encrypted_pdf_and_a_file_cut_at_the_limit(monkeypatch):
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out, encrypt="secret")
    c.drawString(50, 800, PHONE)
    c.save()
    assert extract("잠금.pdf", out.getvalue()).problem == "encrypted"

    monkeypatch.setattr(attachments, "MAX_CHARS", 30)
    text = "\n".join(f"{i}번째 줄: 서류 간소화 제안" for i in range(10)).encode()
    cut = extract("긴.txt", text)
    assert not cut.complete and cut.problem == "too large" and len(cut.text) <= 30 + len(cut.segments)


@pytest.mark.parametrize("name", ["사진.png", "noext", "표.csv"])
def test_it_does_not_guess_formats_it_does_not_know(name):
    assert extract(name, b"anything").problem == "unsupported"
