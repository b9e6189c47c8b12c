import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

from PIL import ImageFont

from madang.core import charts


def test_it_draws_a_stacked_bar_with_escaped_labels():
    svg = str(charts.stacked_bar([("<b>기한</b>", 3, charts.BAD), ("완료", 1, charts.GOOD)], title="답변 & 현황"))
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert "<b>" not in svg and "&lt;b&gt;기한" in svg
    assert "답변 &amp; 현황" in svg
    widths = [float(part.split('width="')[1].split('"')[0]) for part in svg.split("<rect")[1:3]]
    assert abs(widths[0] / widths[1] - 3.0) < 0.01


def test_it_scales_horizontal_bars_to_the_largest_value():
    svg = str(charts.hbars([("가", 2), ("나", 4)], title="t", width=560))
    rects = [float(p.split('width="')[1].split('"')[0]) for p in svg.split("<rect")[1:]]
    assert rects[1] == 2 * rects[0]


def test_it_draws_nothing_broken_for_zero_totals():
    svg = str(charts.stacked_bar([("a", 0, charts.GOOD)], title="empty"))
    assert "NaN" not in svg and "inf" not in svg


# ---------------------------------------------------------------- labels inside the chart

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
LONG = "버스 정류장 실시간 혼잡도 안내와 저상버스 예약 호출을 한 앱에서 함께 제공하는 방안"


def measured(text: str, size: float) -> float:
    """The width a browser gives `text`, measured apart from charts.text_width: each wide (Hangul)
    character one em, the rest with real fonts (DejaVu Sans where installed, Pillow's own font
    always), whichever is wider."""
    wide = sum(1 for ch in text if unicodedata.east_asian_width(ch) in ("W", "F"))
    rest = "".join(ch for ch in text if unicodedata.east_asian_width(ch) not in ("W", "F"))
    fonts = [ImageFont.load_default(size=size)]
    if DEJAVU.exists():
        fonts.append(ImageFont.truetype(str(DEJAVU), size))
    return wide * size + max(f.getlength(rest) for f in fonts)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 (the charts this code draws, not outside input)


def texts_outside(svg: str) -> list[str]:
    """Every text of the chart that would be drawn (partly) outside its viewBox."""
    root = parse(svg)
    _x, _y, width, height = (float(v) for v in root.get("viewBox", "").split())
    out = []
    for t in root.iter("{http://www.w3.org/2000/svg}text"):
        shown = t.text or ""  # (a <title> child is a tooltip, not drawn)
        size, x = float(t.get("font-size", "12")), float(t.get("x", "0"))
        w = measured(shown, size)
        start = {"end": x - w, "middle": x - w / 2}.get(t.get("text-anchor", "start"), x)
        if start < 0 or start + w > width or not 0 < float(t.get("y", "0")) <= height:
            out.append(f"{shown!r} spans {start:.1f}–{start + w:.1f} of {width}")
    return out


def test_it_keeps_the_review_charts_labels_inside_the_view_box():
    items = [(f"#{n} {LONG[: 4 + n]}", 100.0 - n, 100.0 - 2 * n) for n in range(1, 26)]
    items[0] = ("#1 " + LONG, 100.0, 100.0)  # the widest value beside the longest title
    svg = str(charts.paired_bars(items, series=("원점수", "보정 점수"), title="심사 결과", maximum=100))
    assert texts_outside(svg) == []
    assert "100.0 / 100.0" in svg


def test_it_keeps_bar_and_legend_labels_inside_the_view_box():
    svg = str(
        charts.hbars([("한빛도 " + LONG, 12), ("교통과", 3), ("Information and Communications Office", 7)], title="t")
    )
    assert texts_outside(svg) == []
    parts = [
        (f"{name} 대기 중인 답변", n, charts.BAD)
        for n, name in enumerate(["기한 내", "늦은 답변", "기한 넘김", "대기"])
    ]
    svg = str(charts.stacked_bar(parts * 2, title="답변"))
    assert texts_outside(svg) == []


def test_it_shortens_a_long_title_after_a_whole_syllable_with_its_full_text_as_a_tooltip():
    svg = str(charts.paired_bars([("#12 " + LONG, 80, 75)], series=("a", "b"), title="t", maximum=100))
    label = next(t for t in parse(svg).iter("{http://www.w3.org/2000/svg}text") if (t.text or "").startswith("#12"))
    assert label.text.endswith("…") and LONG.startswith(label.text[4:-1].rstrip())
    assert label.find("{http://www.w3.org/2000/svg}title").text == "#12 " + LONG
    # Decomposed Hangul (NFD, as some systems paste it) is never cut between its jamo.
    cut = charts.shorten(unicodedata.normalize("NFD", LONG), 90, 13)
    assert cut.endswith("…") and all("\uac00" <= ch <= "\ud7a3" or ch in " …" for ch in cut)
    assert charts.shorten("짧은 제목", 90, 13) == "짧은 제목"


def test_its_bars_say_their_figures_in_the_name_a_screen_reader_reads():
    """A role="img" is read by its name only: the figures drawn inside must be in it too."""
    svg = str(charts.stacked_bar([("기한 내", 3, charts.GOOD), ("기한 넘김", 2, charts.BAD)], title="부서 답변"))
    assert 'aria-label="부서 답변: 기한 내 3, 기한 넘김 2"' in svg
    assert "<title>부서 답변</title>" in svg
    bars = str(charts.hbars([("교통과", 2), ("복지과", 4)], title="늦은 답변", unit="건"))
    assert 'aria-label="늦은 답변: 교통과 2건, 복지과 4건"' in bars
