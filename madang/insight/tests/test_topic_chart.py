import itertools
import re

from madang.insight.charts import bubble_map


def circles(svg):
    return [tuple(float(v) for v in m) for m in re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="([\d.]+)"', svg)]


def test_it_draws_one_labelled_bubble_per_theme_sized_by_count_and_apart():
    themes = [(f"주제{i} · 낱말{i}", 10 + 7 * i, (i % 4) / 2 - 0.75, (i // 4) / 2 - 0.5) for i in range(12)]
    themes.append(("겹침 · 같은자리", 30, themes[0][2], themes[0][3]))  # exactly on top of another
    svg = str(bubble_map(themes, title="주제 지도 <테스트>"))
    found = circles(svg)
    assert len(found) == len(themes) and "주제 지도 &lt;테스트&gt;" in svg and "<script" not in svg
    # Area follows the count: radii are ordered as the sizes (the smallest are clamped to a minimum).
    by_size = sorted(zip((t[1] for t in themes), (r for _x, _y, r in found), strict=True))
    assert all(a[1] <= b[1] + 1e-9 for a, b in itertools.pairwise(by_size))
    for (x1, y1, r1), (x2, y2, r2) in itertools.combinations(found, 2):
        assert ((x1 - x2) ** 2 + (y1 - y2) ** 2) ** 0.5 >= r1 + r2 - 1.0
    assert all(r <= x <= 640 - r and r <= y <= 420 - r for x, y, r in found)
    assert "주제0" in svg and svg.count("<title>") == len(themes) + 1


def test_it_draws_a_single_theme_and_nothing_at_all():
    assert len(circles(str(bubble_map([("혼자", 3, 0.0, 0.0)], title="t")))) == 1
    assert circles(str(bubble_map([], title="t"))) == []
