"""Per-reviewer normalisation of scores, checked by hand and on random instances."""

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from madang.solvers import scoring


def test_it_computes_the_weighted_total_on_a_hundred_point_scale():
    # (2·4/5 + 2·3/5 + 1·5/5) / 5 · 100 = (1.6 + 1.2 + 1) / 5 · 100 = 76
    total = scoring.weighted_total({"a": 4, "b": 3, "c": 5}, {"a": 2, "b": 2, "c": 1}, {"a": 5, "b": 5, "c": 5})
    assert total == 76.0


def test_it_gives_zero_when_there_is_no_weight():
    assert scoring.weighted_total({}, {}, {}) == 0.0


def test_it_normalises_a_hand_computed_example():
    # Strict reviewer S: 40, 60 (mean 50, sd 10). Lenient reviewer L: 70, 90 (mean 80, sd 10).
    # Pool: 40, 60, 70, 90 → mean 65, population sd √(625+25+25+625)/2 = √325.
    rows = [("S", "x", 40), ("S", "y", 60), ("L", "x", 70), ("L", "y", 90)]
    norm = scoring.normalise(rows)
    sd = math.sqrt(325)
    assert norm[("S", "x")] == pytest.approx(65 - sd)
    assert norm[("S", "y")] == pytest.approx(65 + sd)
    assert norm[("L", "x")] == pytest.approx(65 - sd)
    assert norm[("L", "y")] == pytest.approx(65 + sd)


def test_it_keeps_raw_and_normalised_means_side_by_side():
    # x is seen only by the strict reviewer, y only by the lenient one; each gave one other
    # proposal the same relative mark, so x and y tie once strictness is taken out.
    rows = [("S", "x", 60), ("S", "z", 40), ("L", "y", 90), ("L", "w", 70)]
    combined = {c.proposal: c for c in scoring.combine(rows)}
    assert (combined["x"].raw_mean, combined["y"].raw_mean) == (60, 90)
    assert combined["x"].normalised_mean == combined["y"].normalised_mean
    assert combined["x"].n_reviews == 1


def test_it_shifts_a_single_score_by_the_pool_mean_only():
    norm = scoring.normalise([("S", "x", 30), ("L", "y", 90)])
    assert norm[("S", "x")] == norm[("L", "y")] == 60


def test_it_stays_on_the_hundred_point_scale():
    rows = [("a", i, v) for i, v in enumerate([0, 0, 0, 100])] + [("b", 9, 100)]
    assert all(0 <= v <= 100 for v in scoring.normalise(rows).values())


def test_it_returns_nothing_for_no_scores():
    assert scoring.normalise([]) == {}
    assert scoring.combine([]) == []


@st.composite
def score_sheets(draw):
    n_reviewers = draw(st.integers(2, 4))
    proposals = list(range(draw(st.integers(2, 6))))
    rows = []
    for r in range(n_reviewers):
        seen = draw(st.lists(st.sampled_from(proposals), min_size=1, unique=True))
        rows += [(f"r{r}", p, draw(st.integers(30, 70))) for p in seen]
    shift = draw(st.integers(-25, 25))
    who = draw(st.integers(0, n_reviewers - 1))
    return rows, f"r{who}", shift


@settings(max_examples=200, deadline=None)
@given(score_sheets())
def test_it_is_blind_to_a_reviewer_being_uniformly_stricter(sheet):
    """Adding a constant to one reviewer's scores changes nobody's standing.

    Every normalised score is pool mean + z · pool spread, with z the score's place within
    its own reviewer's marks, so a shift moves only the pool's mean and spread: each
    normalised score maps to the same affine function of its old value, and the order of
    all scores (and of proposals) is unchanged.
    """
    rows, who, shift = sheet
    shifted = [(r, p, s + shift if r == who else s) for r, p, s in rows]
    before, after = scoring.normalise(rows), scoring.normalise(shifted)
    assume(all(0 < v < 100 for v in [*before.values(), *after.values()]))  # clipping is a separate rule
    keys = sorted(before, key=lambda k: before[k])
    lo, hi = keys[0], keys[-1]
    if math.isclose(before[lo], before[hi], abs_tol=1e-9):
        assert max(after.values()) - min(after.values()) == pytest.approx(0, abs=1e-6)
    else:
        scale = (after[hi] - after[lo]) / (before[hi] - before[lo])
        assert scale > 0
        for k in keys:
            assert after[k] == pytest.approx(after[lo] + scale * (before[k] - before[lo]), abs=1e-6)
    b = {c.proposal: c.normalised_mean for c in scoring.combine(rows)}
    a = {c.proposal: c.normalised_mean for c in scoring.combine(shifted)}
    for p in b:
        for q in b:
            if b[p] > b[q] + 0.02:  # the means are rounded to two places
                assert a[p] >= a[q]
