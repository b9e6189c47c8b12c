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
