"""The document engine on its own: every kind from its sample, and bad input, valid in both formats."""

import io

import pytest

from madang.documents import catalogue
from madang.documents.render import Document, Heading, PageBreak, Paragraph, table
from madang.documents.render import pdf as pdf_module
from madang.documents.render.charts import bars
from madang.documents.render.hwpx import to_hwpx
from madang.documents.render.pdf import to_pdf
from madang.documents.render.templating import TemplateError, check
from madang.documents.tests.reading import assert_same_content, read_pdf, squash


@pytest.mark.parametrize("kind", sorted(catalogue.KINDS))
def test_it_makes_every_kind_from_its_form_with_the_same_content_in_hwpx_and_pdf(kind):
    doc = catalogue.build(kind, catalogue.KINDS[kind].sample)
    assert doc.blocks
    assert_same_content(doc, to_hwpx(doc), to_pdf(doc))


def test_it_keeps_bad_input_valid_long_titles_long_bodies_big_tables_emoji_and_rare_hanja():
    title = "아주 긴 제목 " * 40
    body = ("가나다라마바사아자차카타파하 " * 200)[:2000]
    rare = "𠀀𪚥 😀🎉 丨 \x0c 끝"  # CJK extension B, an emoji, a form feed the XML may not hold
    rows = [["번호", "내용"]] + [[str(i), f"{i}번째 줄 {rare}"] for i in range(200)]
    doc = Document(title=title).add(
        Heading(title),
        Paragraph(body),
        Paragraph(""),
        Heading("", level=2),
        table(rows),
        PageBreak(),
        Paragraph(rare),
        table([]),
    )
    hwpx, pdf = to_hwpx(doc), to_pdf(doc)
    assert_same_content(doc, hwpx, pdf)
    assert squash("𠀀𪚥😀🎉") in squash(read_pdf(pdf))


def test_it_draws_a_chart_of_nothing_for_a_call_nobody_answered_yet():
    # A call without proposals gave 500 on its result report: a zero bar was an inverted box.
    pic = bars([("접수", [0.0]), ("선정", [0.0, 0.0])])
    assert pic.data[:8] == b"\x89PNG\r\n\x1a\n"
    doc = catalogue.build(
        "call_report", {**catalogue.KINDS["call_report"].sample, "chart": pic, "selected": [], "routed": []}
    )
    assert_same_content(doc, to_hwpx(doc), to_pdf(doc))


def test_it_makes_a_letter_without_logo_or_seal_and_with_empty_sections():
    sample = {**catalogue.KINDS["letter_event_tasks"].sample, "logo": None, "seal": None, "tasks": [], "via": ""}
    doc = catalogue.build("letter_event_tasks", sample)
    assert "합의된 과제가 없습니다." in [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert_same_content(doc, to_hwpx(doc), to_pdf(doc))


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('[[block]\ntype = "paragraph"', "not valid TOML"),
        ('title = "x"', "no [[block]]"),
        ('[[block]]\ntype = "poem"', "no known type"),
        ('[[block]]\ntype = "paragraph"\ntext = "$nobody 님"', "Unknown placeholder $nobody"),
        ('[[block]]\ntype = "paragraph"\ntext = "100$ 원"', "without a name"),
        ('[[block]]\ntype = "paragraph"\ntext = "x"\nalign = "middle"', "alignment"),
        ('[[block]]\ntype = "paragraph"\ntext = "x"\nsize = 400', "size must be a number"),
        ('[[block]]\ntype = "table"\nsource = "tasks"\ncolumns = [["과제", "owner"]]', "has no column owner"),
        ('[[block]]\ntype = "table"\nsource = "people"\ncolumns = [["이름", "name"]]', "no list called people"),
        ('[[block]]\ntype = "paragraph"\ntext = "x"\ncolour = "red"', "does not use: colour"),
    ],
)
def test_it_refuses_a_broken_form_naming_the_mistake(text, fragment):
    with pytest.raises(TemplateError) as caught:
        check(text, catalogue.KINDS["letter_event_tasks"].sample)
    assert fragment in str(caught.value)


def test_it_accepts_every_shipped_form():
    for kind in catalogue.KINDS:
        catalogue.check_text(kind, catalogue.default_text(kind))


def _fonts(pdf: bytes) -> dict[str, bool]:
    """Font name -> whether its program is embedded in the file."""
    from pypdf import PdfReader

    found: dict[str, bool] = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            fonts = [d.get_object() for d in font.get("/DescendantFonts", [])] or [font]
            for f in fonts:
                desc = f.get("/FontDescriptor")
                desc = desc.get_object() if desc is not None else {}
                found[str(f.get("/BaseFont", font.get("/BaseFont")))] = any(
                    k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")
                )
    return found


def test_it_embeds_nanum_gothic_and_sets_what_it_lacks_in_the_cid_font():
    if not pdf_module._NANUM[0].is_file():
        pytest.skip("fonts-nanum is not installed (.ci/run installs it)")
    doc = Document(title="글꼴").add(Heading("민원 서류 간소화"), Paragraph("드문 한자 𠀀𪚥 그리고 😀"))
    pdf = to_pdf(doc)
    fonts = _fonts(pdf)
    assert any(name.endswith("+NanumGothic") and embedded for name, embedded in fonts.items()), fonts
    assert fonts.get("/HYGothic-Medium") is False  # only for the characters NanumGothic lacks
    assert "𠀀𪚥" in read_pdf(pdf) and "민원서류간소화" in squash(read_pdf(pdf))


def test_it_falls_back_to_the_cid_font_when_nanum_gothic_is_not_installed(monkeypatch, tmp_path):
    monkeypatch.setattr(pdf_module, "_NANUM", (tmp_path / "none.ttf", tmp_path / "none-bold.ttf"))
    pdf_module._embedded.cache_clear()
    try:
        doc = catalogue.build("letter_event_tasks", catalogue.KINDS["letter_event_tasks"].sample)
        pdf = to_pdf(doc)
        assert set(_fonts(pdf)) <= {"/HYGothic-Medium", "/Helvetica"}
        assert_same_content(doc, to_hwpx(doc), pdf)
    finally:
        pdf_module._embedded.cache_clear()
